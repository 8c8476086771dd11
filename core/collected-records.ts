/**
 * The records the collector reads from Graph and the store keeps: shared by collector/, store/ and
 * the snapshot builder, so none of them imports another feature. Types and one pure classifier only.
 */
export interface MfaRegistration {
  id: string;
  userPrincipalName: string;
  isAdmin: boolean;
  isMfaRegistered: boolean;
  isMfaCapable: boolean;
  methodsRegistered: string[];
}

export interface SignInRecord {
  id: string;
  createdDateTime: string;
  userId: string;
  userPrincipalName: string;
  appId: string;
  appDisplayName: string;
  resourceDisplayName: string | null;
  isInteractive: boolean;
  errorCode: number;
  city: string | null;
  countryOrRegion: string | null;
}

/** Workloads revealed only by sign-ins, recognised by well-known app ids or display names. */
export function workloadOfApp(appId: string, appDisplayName: string): "powerBi" | "project" | "visio" | "dynamics" | undefined {
  if (appId === "00000009-0000-0000-c000-000000000000" || /power ?bi/i.test(appDisplayName)) return "powerBi";
  if (appId === "00000007-0000-0000-c000-000000000000" || /\bdynamics\b/i.test(appDisplayName)) return "dynamics";
  if (/\bproject\b/i.test(appDisplayName)) return "project";
  if (/\bvisio\b/i.test(appDisplayName)) return "visio";
  return undefined;
}

export interface EnterpriseApp {
  id: string;
  appId: string;
  displayName: string;
  publisherName: string | null;
  appOwnerOrganizationId: string | null;
  accountEnabled: boolean;
  appRoleAssignmentRequired: boolean;
  preferredSingleSignOnMode: string | null;
  servicePrincipalType: string | null;
  verifiedPublisher: { displayName: string | null } | null;
}

export interface AppAssignment {
  appId: string;
  servicePrincipalId: string;
  userId: string;
  /** The group through which the user is assigned, null for a direct user assignment. */
  viaGroupId: string | null;
  assignedAt: string | null;
}

import type { CopilotApp } from "./user-facts.ts";

/** Per-user usage, keyed by lower-cased UPN, as the reports show it. */
export interface UserUsage {
  activity: Partial<Record<"exchange" | "oneDrive" | "sharePoint" | "teams" | "yammer" | "skypeForBusiness" | "outlook", string | null>>;
  apps?: { windows: boolean; mac: boolean; mobile: boolean; web: boolean; lastActivityDate: string | null };
  mailbox?: { storageUsedBytes: number; hasArchive: boolean; itemCount: number; lastActivityDate: string | null };
  oneDrive?: { storageUsedBytes: number; lastActivityDate: string | null };
  /** Keyed by product type, so partial results merge (JSON merge patch) without losing products. */
  activations?: Record<string, { productType: string; lastActivatedDate: string | null; windows: number; mac: number }>;
  /** Microsoft 365 Copilot usage report: last activity overall and per app (only Copilot-licensed users appear). */
  copilot?: { lastActivityDate: string | null; apps: Partial<Record<CopilotApp, string | null>> };
}

export const USAGE_REPORTS = [
  "getOffice365ActiveUserDetail",
  "getM365AppUserDetail",
  "getMailboxUsageDetail",
  "getOneDriveUsageAccountDetail",
  "getOffice365ActivationsUserDetail",
] as const;

export type UsageReport = (typeof USAGE_REPORTS)[number];

/** The Microsoft 365 Copilot usage report: its own endpoint (`/copilot/reports/...`), permission part and source. */
export const COPILOT_USAGE_REPORT = "getMicrosoft365CopilotUsageUserDetail";

/** Every report the collector downloads. */
export type CollectedReport = UsageReport | typeof COPILOT_USAGE_REPORT;

export interface ReportResult {
  report: CollectedReport;
  /** `Report Refresh Date` of the rows (the date the data describes), null when the report was empty. */
  refreshDate: string | null;
  rows: number;
  /** True when user names are concealed (no row could be tied to a user). */
  concealed: boolean;
}
