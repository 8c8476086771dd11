/** Microsoft Graph payload shapes the collector reads (../shared/reference/graph-examples/). */

export interface GraphAssignedLicense {
  skuId: string;
  disabledPlans: string[];
}

export interface GraphLicenseAssignmentState {
  skuId: string;
  disabledPlans: string[];
  /** null when directly assigned, else the group's object id. */
  assignedByGroup: string | null;
  state: string | null;
  error: string | null;
  lastUpdatedDateTime?: string | null;
}

export interface GraphSignInActivity {
  lastSignInDateTime?: string | null;
  lastNonInteractiveSignInDateTime?: string | null;
  lastSuccessfulSignInDateTime?: string | null;
}

export interface GraphUser {
  id: string;
  userPrincipalName: string;
  displayName?: string | null;
  givenName?: string | null;
  surname?: string | null;
  mail?: string | null;
  otherMails?: string[];
  proxyAddresses?: string[];
  userType?: string | null;
  accountEnabled?: boolean | null;
  createdDateTime?: string | null;
  department?: string | null;
  companyName?: string | null;
  jobTitle?: string | null;
  employeeId?: string | null;
  officeLocation?: string | null;
  streetAddress?: string | null;
  city?: string | null;
  state?: string | null;
  postalCode?: string | null;
  country?: string | null;
  usageLocation?: string | null;
  preferredLanguage?: string | null;
  onPremisesSyncEnabled?: boolean | null;
  onPremisesExtensionAttributes?: Record<string, string | null>;
  /** Cost center and division (Graph: null when neither is set). */
  employeeOrgData?: { costCenter?: string | null; division?: string | null } | null;
  assignedLicenses?: GraphAssignedLicense[];
  licenseAssignmentStates?: GraphLicenseAssignmentState[];
  signInActivity?: GraphSignInActivity;
  /** Present when requested with `$expand=manager` and the user has a manager. */
  manager?: { id: string };
}

export interface GraphSubscribedSku {
  id: string;
  skuId: string;
  skuPartNumber: string;
  appliesTo?: string;
  capabilityStatus: string;
  consumedUnits: number;
  prepaidUnits: { enabled: number; suspended: number; warning: number; lockedOut?: number };
  servicePlans?: { servicePlanId: string; servicePlanName: string; provisioningStatus: string; appliesTo: string }[];
  subscriptionIds?: string[];
}

/** companySubscription (GET /directory/subscriptions; graph-examples/companySubscriptions-list.json). */
export interface GraphCompanySubscription {
  id: string;
  commerceSubscriptionId?: string | null;
  skuId: string;
  skuPartNumber: string;
  status: string;
  isTrial?: boolean | null;
  createdDateTime?: string | null;
  nextLifecycleDateTime?: string | null;
  totalLicenses: number;
}
