/**
 * The simulated tenant's data model: the contract between the synthetic tenant generator
 * (`simulator/tenant/`), the Graph routes (`simulator/graph/`) and the token endpoint
 * (`simulator/auth/`). Everything here is plain data; Graph JSON/CSV shapes are produced by the
 * routes from it, following ../shared/reference/graph-examples/ exactly.
 *
 * Users are generated lazily by index (`SimTenant.userAt(i)`) so 1,000,000 users do not sit in
 * memory; only mutations (license changes made through assignLicense) are stored.
 */
import type { GraphPermission } from "../core/permissions.ts";

/** Workloads whose last activity the usage reports and sign-in logs reveal (the shared list of core/). */
export { ACTIVITY_WORKLOADS as WORKLOADS, type ActivityWorkload as Workload } from "../core/user-facts.ts";
import type { ActivityWorkload as Workload, CopilotApp } from "../core/user-facts.ts";

/** What kind of account the generator made; drives behaviour and ground truth. */
export const PERSONAS = [
  "regular",
  "inactive",
  "neverSignedIn",
  "blocked",
  "departed",
  "guest",
  "licensedGuest",
  "sharedMailbox",
  "roomMailbox",
  "breakGlass",
  "serviceAccount",
  "newHire",
  "ssoOnly",
  "e5Underused",
  "e3Light",
  "unusedAddOn",
  "protectedGroupMember",
] as const;
export type Persona = (typeof PERSONAS)[number];

/** One license as Graph shows it in `licenseAssignmentStates` (and, merged, in `assignedLicenses`). */
export interface SimLicense {
  skuId: string;
  disabledPlans: string[];
  /** null when assigned directly, else the group's object id. */
  assignedByGroup: string | null;
  state: "Active" | "ActiveWithError" | "Disabled" | "Error";
  error: "None" | "CountViolation" | "MutuallyExclusiveViolation" | "DependencyViolation" | "ProhibitedInUsageLocationViolation" | "UniquenessViolation" | "Other";
  lastUpdatedDateTime: string;
}

export interface SimSignInActivity {
  /** Last interactive sign-in attempt (ISO) or null. */
  lastSignInDateTime: string | null;
  lastNonInteractiveSignInDateTime: string | null;
  lastSuccessfulSignInDateTime: string | null;
}

export interface SimMfa {
  isMfaRegistered: boolean;
  isMfaCapable: boolean;
  isAdmin: boolean;
  isSsprRegistered: boolean;
  methodsRegistered: string[];
  defaultMethod: string;
}

export interface SimMailbox {
  /** none = no mailbox; user/shared/room are Exchange recipient types. */
  kind: "none" | "user" | "shared" | "room";
  storageUsedBytes: number;
  itemCount: number;
  hasArchive: boolean;
  createdDate: string | null;
}

/** Microsoft 365 apps usage (getM365AppUserDetail) and activations (getOffice365ActivationsUserDetail). */
export interface SimApps {
  windows: boolean;
  mac: boolean;
  mobile: boolean;
  web: boolean;
  lastActivityDate: string | null;
  /** Activated Office products (product type, e.g. "MICROSOFT 365 APPS FOR ENTERPRISE", "Project Client", "Visio Client"). */
  activations: { productType: string; lastActivatedDate: string; windows: number; mac: number }[];
}

export interface SimOneDrive {
  storageUsedBytes: number;
  fileCount: number;
  activeFileCount: number;
  lastActivityDate: string | null;
}

/** Ground truth for a user: what a correct policy evaluation must conclude. */
export interface SimTruth {
  /** skuIds that are truly reclaimable from this user (directly assigned ones only). */
  reclaim: string[];
  /** skuIds reclaimable only by removing the user from the named group. */
  reclaimViaGroup: { skuId: string; groupId: string }[];
  /** Truly downgradable: from skuId to skuId. */
  downgrade: { from: string; to: string }[];
  /** Reasons this user must never be flagged for reclaim (empty when none). */
  traps: string[];
  /**
   * skuIds a person should review rather than reclaim: a Copilot seat used in one app only (light
   * use). Empty when none; never listed when the seat is reclaimable anyway.
   */
  review: string[];
}

/** Microsoft 365 Copilot use of a user holding a Copilot seat (getMicrosoft365CopilotUsageUserDetail). */
export interface SimCopilot {
  /** Latest Copilot activity in any app (YYYY-MM-DD), null when none. */
  lastActivityDate: string | null;
  /** Last Copilot activity per app (YYYY-MM-DD), null when none. */
  apps: Record<CopilotApp, string | null>;
}

export interface SimUser {
  index: number;
  id: string;
  userPrincipalName: string;
  displayName: string;
  givenName: string | null;
  surname: string | null;
  mail: string | null;
  otherMails: string[];
  proxyAddresses: string[];
  userType: "Member" | "Guest";
  accountEnabled: boolean;
  createdDateTime: string;
  department: string | null;
  companyName: string | null;
  jobTitle: string | null;
  employeeId: string | null;
  officeLocation: string | null;
  streetAddress: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
  country: string | null;
  usageLocation: string | null;
  preferredLanguage: string | null;
  onPremisesSyncEnabled: boolean | null;
  onPremisesExtensionAttributes: Record<`extensionAttribute${number}`, string | null>;
  managerId: string | null;
  licenses: SimLicense[];
  signInActivity: SimSignInActivity;
  mfa: SimMfa;
  mailbox: SimMailbox;
  apps: SimApps;
  oneDrive: SimOneDrive;
  /** Last activity date (YYYY-MM-DD) per workload, null when none in the report window. */
  activity: Record<Workload, string | null>;
  /** Copilot use per app; null when the user holds no Copilot seat. */
  copilot: SimCopilot | null;
  persona: Persona;
  truth: SimTruth;
}

export interface SimServicePlan {
  servicePlanId: string;
  servicePlanName: string;
  provisioningStatus: "Success" | "Disabled" | "PendingInput" | "PendingActivation" | "PendingProvisioning";
  appliesTo: "User" | "Company";
}

export interface SimSku {
  skuId: string;
  skuPartNumber: string;
  /** Friendly name from Microsoft's catalogue. */
  displayName: string;
  appliesTo: "User" | "Company";
  capabilityStatus: "Enabled" | "Warning" | "Suspended" | "Deleted" | "LockedOut";
  prepaidUnits: { enabled: number; suspended: number; warning: number; lockedOut: number };
  servicePlans: SimServicePlan[];
  subscriptionIds: string[];
}

/**
 * One commercial subscription behind a SKU (companySubscription, GET /directory/subscriptions). A SKU's
 * prepaidUnits are the sums of its subscriptions' `totalLicenses` by status (Enabled → enabled, Warning →
 * warning, Suspended → suspended, LockedOut → lockedOut).
 */
export interface SimSubscription {
  id: string;
  commerceSubscriptionId: string;
  skuId: string;
  skuPartNumber: string;
  status: "Enabled" | "Warning" | "Suspended" | "Deleted" | "LockedOut";
  isTrial: boolean;
  createdDateTime: string;
  nextLifecycleDateTime: string;
  totalLicenses: number;
  /** Ground truth, never served: the term the generator gave it (Graph has no term field). */
  truthTerm: "monthly" | "annual" | "unknown";
}

export interface SimGroup {
  id: string;
  displayName: string;
  mailNickname: string;
  /** Licenses the group assigns (group-based licensing). */
  assignedLicenses: { skuId: string; disabledPlans: string[] }[];
  /** Member user indexes (direct members). */
  memberIndexes: readonly number[];
}

export interface SimAppRoleAssignment {
  id: string;
  appRoleId: string;
  createdDateTime: string;
  principalType: "User" | "Group" | "ServicePrincipal";
  principalId: string;
  principalDisplayName: string;
}

export interface SimServicePrincipal {
  id: string;
  appId: string;
  displayName: string;
  appDisplayName: string;
  publisherName: string | null;
  appOwnerOrganizationId: string;
  accountEnabled: boolean;
  appRoleAssignmentRequired: boolean;
  preferredSingleSignOnMode: "password" | "saml" | "notSupported" | "oidc" | null;
  servicePrincipalType: "Application" | "ManagedIdentity" | "Legacy";
  signInAudience: string;
  tags: string[];
  verifiedPublisher: { displayName: string | null; verifiedPublisherId: string | null; addedDateTime: string | null };
  assignments: SimAppRoleAssignment[];
}

/** One sign-in log entry (auditLogs/signIns). */
export interface SimSignIn {
  id: string;
  createdDateTime: string;
  userIndex: number;
  appId: string;
  appDisplayName: string;
  resourceId: string;
  resourceDisplayName: string;
  isInteractive: boolean;
  signInEventType: "interactiveUser" | "nonInteractiveUser";
  clientAppUsed: string;
  ipAddress: string;
  location: { city: string; state: string; countryOrRegion: string };
  status: { errorCode: number; failureReason: string | null };
  /** Whether MFA satisfied this sign-in (authenticationRequirement multiFactorAuthentication). */
  mfa: boolean;
}

/** A registered application identity in the simulated tenant (our reader/reclaimer apps). */
export interface SimAppRegistration {
  clientId: string;
  displayName: string;
  /** PEM certificates registered as keyCredentials for this app. */
  certificatesPem: string[];
  /** Application permissions granted (admin-consented) to this app. */
  roles: GraphPermission[];
}

/** Tenant modes chosen at start. */
export interface SimModes {
  /** Tenant has Entra ID P1/P2 (signInActivity, sign-in logs, MFA registration). Default true. */
  premium: boolean;
  /** Usage reports conceal user names (32-char hex). Default false. */
  concealedNames: boolean;
  /** Days usage reports lag behind `now`. Default 2. */
  reportLagDays: number;
}

/** The simulated tenant: lazy users plus the small collections kept in memory. */
export interface SimTenant {
  tenantId: string;
  displayName: string;
  /** Verified domains; the first is the default. */
  domains: string[];
  /** The tenant's clock: every generated date is relative to it. */
  now: Date;
  seed: number;
  modes: SimModes;
  userCount: number;
  /** The user at index i (0 <= i < userCount), current state (mutations applied). */
  userAt(i: number): SimUser;
  /** Index of the user with this object id or UPN (case-insensitive), or -1. */
  indexOf(idOrUpn: string): number;
  skus: SimSku[];
  /** Commercial subscriptions behind the SKUs (absent: the tenant lists none). */
  subscriptions?: SimSubscription[];
  /** consumedUnits per skuId, kept current as licenses change. */
  consumedUnits(skuId: string): number;
  groups: SimGroup[];
  servicePrincipals: SimServicePrincipal[];
  apps: SimAppRegistration[];
  /** Sign-ins newest first, generated lazily; `days` bounds the window (retention). */
  signIns(options: { sinceIso: string; untilIso: string }): Iterable<SimSignIn>;
  /** Replace a user's licenses (the assignLicense route computes the new list; this applies it). */
  setLicenses(i: number, licenses: SimLicense[]): void;
}
