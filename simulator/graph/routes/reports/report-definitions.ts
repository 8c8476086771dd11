/**
 * The seven simulated Microsoft 365 usage reports: which users each one lists, its CSV header (exactly
 * as documented, in order) and rows, and its JSON items (beta property names), all derived from the
 * tenant users' `activity`, `apps`, `mailbox`, `oneDrive` and licenses
 * (../shared/reference/graph-api-facts.md §1, graph-examples/get*.csv|json).
 *
 * Counts the model does not carry (e-mails sent, chat messages, deleted items...) are stable functions
 * of the user and the window, and are zero when the workload shows no activity in the window, so
 * every report agrees with the others about who was active when.
 */
import { COPILOT_SKU_IDS } from "../../../../core/sku-catalogue.ts";
import { COPILOT_APPS, type CopilotApp } from "../../../../core/user-facts.ts";
import type { SimTenant, SimUser } from "../../../model.ts";
import type { GraphVersion } from "../../route.ts";
import type { CsvCell } from "./report-csv.ts";
import type { ReportWindow } from "./report-window.ts";
import { assignedProducts, hasPlan, reportNames, stableInt, visible, workloadLicenses, concealedName } from "./report-window.ts";

/** Which function parameters a report accepts. */
export type ReportParams = "periodOrDate" | "period" | "none";

/** What a report row is computed from. */
export interface ReportScope {
  tenant: SimTenant;
  window: ReportWindow;
}

export interface ReportDefinition {
  /** Function name, e.g. `getOffice365ActiveUserDetail`. */
  name: string;
  /** JSON entity type (for `@odata.context`), e.g. `office365ActiveUserDetail`. */
  entityType: string;
  params: ReportParams;
  /** Versions where `$format=application/json` is documented. */
  jsonVersions: readonly GraphVersion[];
  /** Items per JSON page (200; Teams user activity 2000). */
  jsonPageSize: number;
  csvHeader: readonly string[];
  /** CSV rows for one user (none when the user is not in the report). */
  csvRows(user: SimUser, scope: ReportScope): CsvCell[][];
  /** The JSON item for one user, or null when the user is not in the report. */
  jsonItem(user: SimUser, scope: ReportScope): Record<string, unknown> | null;
}

const EXCHANGE_PLAN_2 = /^EXCHANGE_S_ENTERPRISE/;
const ONEDRIVE_PLAN = /^(SHAREPOINT(ENTERPRISE|STANDARD|DESKLESS)|ONEDRIVE(STANDARD|BASIC|ENTERPRISE))/;
const TEAMS_PLAN = /^TEAMS(1|_)/;
const GB = 1024 ** 3;

function isLicensed(user: SimUser): boolean {
  return user.licenses.some((l) => l.state !== "Error");
}

/** The OneDrive last activity the reports agree on. */
function oneDriveLast(user: SimUser): string | null {
  return user.activity.oneDrive ?? user.oneDrive.lastActivityDate;
}

// ---------------------------------------------------------------------------------------------
// getOffice365ActiveUserDetail

interface ActiveFacts {
  names: { upn: string; displayName: string };
  lic: ReturnType<typeof workloadLicenses>;
  last: { exchange: string | null; oneDrive: string | null; sharePoint: string | null; skypeForBusiness: string | null; yammer: string | null; teams: string | null };
  products: string[];
}

function activeFacts(user: SimUser, s: ReportScope): ActiveFacts | null {
  const w = s.window;
  const last = {
    exchange: visible(w, user.activity.exchange),
    oneDrive: visible(w, oneDriveLast(user)),
    sharePoint: visible(w, user.activity.sharePoint),
    skypeForBusiness: visible(w, user.activity.skypeForBusiness),
    yammer: visible(w, user.activity.yammer),
    teams: visible(w, user.activity.teams),
  };
  // The report lists users who hold a license or were active in the window.
  if (!isLicensed(user) && Object.values(last).every((v) => v === null)) return null;
  return { names: reportNames(s.tenant, user), lic: workloadLicenses(s.tenant, user), last, products: assignedProducts(s.tenant, user) };
}

const ACTIVE_USER: ReportDefinition = {
  name: "getOffice365ActiveUserDetail",
  entityType: "office365ActiveUserDetail",
  params: "periodOrDate",
  jsonVersions: ["beta"],
  jsonPageSize: 200,
  csvHeader: [
    "Report Refresh Date", "User Principal Name", "Display Name", "Is Deleted", "Deleted Date",
    "Has Exchange License", "Has OneDrive License", "Has SharePoint License", "Has Skype For Business License", "Has Yammer License", "Has Teams License",
    "Exchange Last Activity Date", "OneDrive Last Activity Date", "SharePoint Last Activity Date", "Skype For Business Last Activity Date", "Yammer Last Activity Date", "Teams Last Activity Date",
    "Exchange License Assign Date", "OneDrive License Assign Date", "SharePoint License Assign Date", "Skype For Business License Assign Date", "Yammer License Assign Date", "Teams License Assign Date",
    "Assigned Products",
  ],
  csvRows(user, s) {
    const f = activeFacts(user, s);
    if (f === null) return [];
    const { lic, last } = f;
    return [[
      s.window.refreshDate, f.names.upn, f.names.displayName, false, null,
      lic.exchange !== null, lic.oneDrive !== null, lic.sharePoint !== null, lic.skypeForBusiness !== null, lic.yammer !== null, lic.teams !== null,
      last.exchange, last.oneDrive, last.sharePoint, last.skypeForBusiness, last.yammer, last.teams,
      lic.exchange, lic.oneDrive, lic.sharePoint, lic.skypeForBusiness, lic.yammer, lic.teams,
      f.products.join("+"),
    ]];
  },
  jsonItem(user, s) {
    const f = activeFacts(user, s);
    if (f === null) return null;
    const { lic, last } = f;
    return {
      reportRefreshDate: s.window.refreshDate,
      userPrincipalName: f.names.upn,
      displayName: f.names.displayName,
      isDeleted: false,
      deletedDate: null,
      hasExchangeLicense: lic.exchange !== null,
      hasOneDriveLicense: lic.oneDrive !== null,
      hasSharePointLicense: lic.sharePoint !== null,
      hasSkypeForBusinessLicense: lic.skypeForBusiness !== null,
      hasYammerLicense: lic.yammer !== null,
      hasTeamsLicense: lic.teams !== null,
      exchangeLastActivityDate: last.exchange,
      oneDriveLastActivityDate: last.oneDrive,
      sharePointLastActivityDate: last.sharePoint,
      skypeForBusinessLastActivityDate: last.skypeForBusiness,
      yammerLastActivityDate: last.yammer,
      teamsLastActivityDate: last.teams,
      exchangeLicenseAssignDate: lic.exchange,
      oneDriveLicenseAssignDate: lic.oneDrive,
      sharePointLicenseAssignDate: lic.sharePoint,
      skypeForBusinessLicenseAssignDate: lic.skypeForBusiness,
      yammerLicenseAssignDate: lic.yammer,
      teamsLicenseAssignDate: lic.teams,
      assignedProducts: f.products,
    };
  },
};

// ---------------------------------------------------------------------------------------------
// getM365AppUserDetail

const M365_APPS = ["outlook", "word", "excel", "powerPoint", "oneNote", "teams"] as const;
const M365_PLATFORMS = ["windows", "mac", "mobile", "web"] as const;
type M365App = (typeof M365_APPS)[number];
type M365Platform = (typeof M365_PLATFORMS)[number];

interface AppFacts {
  upn: string;
  lastActivationDate: string | null;
  lastActivityDate: string | null;
  platform: Record<M365Platform, boolean>;
  app: Record<M365App, boolean>;
}

function appFacts(user: SimUser, s: ReportScope): AppFacts | null {
  const w = s.window;
  const lastActivityDate = visible(w, user.apps.lastActivityDate);
  let lastActivationDate: string | null = null;
  for (const a of user.apps.activations) {
    const d = a.lastActivatedDate.slice(0, 10);
    if (d <= w.refreshDate && (lastActivationDate === null || d > lastActivationDate)) lastActivationDate = d;
  }
  if (!isLicensed(user) && lastActivityDate === null && lastActivationDate === null) return null;
  const active = lastActivityDate !== null;
  const platform = {
    windows: active && user.apps.windows,
    mac: active && user.apps.mac,
    mobile: active && user.apps.mobile,
    web: active && user.apps.web,
  };
  const key = `${w.windowStart}/${w.refreshDate}`;
  const app = {
    outlook: active && visible(w, user.activity.outlook ?? user.activity.exchange) !== null,
    word: active && stableInt(3, user.id, key, "word") !== 0,
    excel: active && stableInt(2, user.id, key, "excel") === 0,
    powerPoint: active && stableInt(3, user.id, key, "powerPoint") === 0,
    oneNote: active && stableInt(5, user.id, key, "oneNote") === 0,
    teams: active && visible(w, user.activity.teams) !== null,
  };
  return { upn: reportNames(s.tenant, user).upn, lastActivationDate, lastActivityDate, platform, app };
}

const PLATFORM_LABEL: Record<M365Platform, string> = { windows: "Windows", mac: "Mac", mobile: "Mobile", web: "Web" };
const APP_LABEL: Record<M365App, string> = { outlook: "Outlook", word: "Word", excel: "Excel", powerPoint: "PowerPoint", oneNote: "OneNote", teams: "Teams" };

const M365_APP_USER: ReportDefinition = {
  name: "getM365AppUserDetail",
  entityType: "m365AppUserDetail",
  params: "periodOrDate",
  jsonVersions: ["v1.0", "beta"],
  jsonPageSize: 200,
  csvHeader: [
    "Report Refresh Date", "User Principal Name", "Last Activation Date", "Last Activity Date", "Report Period",
    ...M365_PLATFORMS.map((p) => PLATFORM_LABEL[p]),
    ...M365_APPS.map((a) => APP_LABEL[a]),
    ...M365_PLATFORMS.flatMap((p) => M365_APPS.map((a) => `${APP_LABEL[a]} (${PLATFORM_LABEL[p]})`)),
  ],
  csvRows(user, s) {
    const f = appFacts(user, s);
    if (f === null) return [];
    return [[
      s.window.refreshDate, f.upn, f.lastActivationDate, f.lastActivityDate, s.window.periodDays,
      ...M365_PLATFORMS.map((p) => yesNo(f.platform[p])),
      ...M365_APPS.map((a) => yesNo(f.app[a])),
      ...M365_PLATFORMS.flatMap((p) => M365_APPS.map((a) => yesNo(f.app[a] && f.platform[p]))),
    ]];
  },
  jsonItem(user, s) {
    const f = appFacts(user, s);
    if (f === null) return null;
    const details: Record<string, unknown> = { reportPeriod: s.window.periodDays };
    for (const p of M365_PLATFORMS) details[p] = f.platform[p];
    for (const a of M365_APPS) details[a] = f.app[a];
    for (const p of M365_PLATFORMS) for (const a of M365_APPS) details[`${a}${PLATFORM_LABEL[p]}`] = f.app[a] && f.platform[p];
    return { reportRefreshDate: s.window.refreshDate, userPrincipalName: f.upn, lastActivationDate: f.lastActivationDate, lastActivityDate: f.lastActivityDate, details: [details] };
  },
};

/** The app-usage CSV marks use with "Yes" and no use with "No" (unlike the True/False flags of other reports). */
function yesNo(v: boolean): string {
  return v ? "Yes" : "No";
}

// ---------------------------------------------------------------------------------------------
// getMailboxUsageDetail

interface MailboxFacts {
  names: { upn: string; displayName: string };
  createdDate: string;
  lastActivityDate: string | null;
  itemCount: number;
  storageUsedBytes: number;
  quota: { warning: number; send: number; sendReceive: number };
  deletedItemCount: number;
  deletedItemSizeBytes: number;
  deletedItemQuotaBytes: number;
  hasArchive: boolean;
}

function mailboxFacts(user: SimUser, s: ReportScope): MailboxFacts | null {
  const mb = user.mailbox;
  if (mb.kind === "none") return null;
  // Exchange Online Plan 2 (E3/E5) mailboxes get 100 GB; Plan 1, shared and room mailboxes 50 GB.
  const sendReceive = (hasPlan(s.tenant, user, EXCHANGE_PLAN_2) ? 100 : 50) * GB;
  const pct = stableInt(8, user.id, "deleted") + 1;
  return {
    names: reportNames(s.tenant, user),
    createdDate: (mb.createdDate ?? user.createdDateTime).slice(0, 10),
    lastActivityDate: visible(s.window, user.activity.exchange),
    itemCount: mb.itemCount,
    storageUsedBytes: mb.storageUsedBytes,
    quota: { warning: sendReceive - 2 * GB, send: sendReceive - GB, sendReceive },
    deletedItemCount: Math.floor((mb.itemCount * pct) / 100),
    deletedItemSizeBytes: Math.floor((mb.storageUsedBytes * pct) / 100),
    deletedItemQuotaBytes: 30 * GB,
    hasArchive: mb.hasArchive,
  };
}

const MAILBOX_USAGE: ReportDefinition = {
  name: "getMailboxUsageDetail",
  entityType: "mailboxUsageDetail",
  params: "period",
  jsonVersions: ["beta"],
  jsonPageSize: 200,
  // All 17 documented columns (the v1.0 page's example line omits the last two but lists them).
  csvHeader: [
    "Report Refresh Date", "User Principal Name", "Display Name", "Is Deleted", "Deleted Date", "Created Date", "Last Activity Date",
    "Item Count", "Storage Used (Byte)", "Issue Warning Quota (Byte)", "Prohibit Send Quota (Byte)", "Prohibit Send/Receive Quota (Byte)",
    "Deleted Item Count", "Deleted Item Size (Byte)", "Deleted Item Quota (Byte)", "Has Archive", "Report Period",
  ],
  csvRows(user, s) {
    const f = mailboxFacts(user, s);
    if (f === null) return [];
    return [[
      s.window.refreshDate, f.names.upn, f.names.displayName, false, null, f.createdDate, f.lastActivityDate,
      f.itemCount, f.storageUsedBytes, f.quota.warning, f.quota.send, f.quota.sendReceive,
      f.deletedItemCount, f.deletedItemSizeBytes, f.deletedItemQuotaBytes, f.hasArchive, s.window.periodDays,
    ]];
  },
  jsonItem(user, s) {
    const f = mailboxFacts(user, s);
    if (f === null) return null;
    return {
      reportRefreshDate: s.window.refreshDate,
      userPrincipalName: f.names.upn,
      displayName: f.names.displayName,
      isDeleted: false,
      deletedDate: null,
      createdDate: f.createdDate,
      lastActivityDate: f.lastActivityDate,
      itemCount: f.itemCount,
      storageUsedInBytes: f.storageUsedBytes,
      deletedItemCount: f.deletedItemCount,
      deletedItemSizeInBytes: f.deletedItemSizeBytes,
      deletedItemQuota: f.deletedItemQuotaBytes,
      hasArchive: f.hasArchive,
      issueWarningQuotaInBytes: f.quota.warning,
      prohibitSendQuotaInBytes: f.quota.send,
      prohibitSendReceiveQuotaInBytes: f.quota.sendReceive,
      reportPeriod: String(s.window.periodDays),
    };
  },
};

// ---------------------------------------------------------------------------------------------
// getOneDriveUsageAccountDetail

interface OneDriveFacts {
  siteUrl: string;
  names: { upn: string; displayName: string };
  lastActivityDate: string | null;
  fileCount: number;
  activeFileCount: number;
  storageUsedBytes: number;
}

/** The tenant's SharePoint name: the first label of its onmicrosoft.com domain (else of its first domain). */
function sharePointName(tenant: SimTenant): string {
  const initial = tenant.domains.find((d) => d.toLowerCase().endsWith(".onmicrosoft.com")) ?? tenant.domains[0] ?? "contoso";
  return initial.split(".")[0]!.toLowerCase();
}

function oneDriveFacts(user: SimUser, s: ReportScope): OneDriveFacts | null {
  const od = user.oneDrive;
  const lastActivityDate = visible(s.window, oneDriveLast(user));
  if (!hasPlan(s.tenant, user, ONEDRIVE_PLAN) && od.storageUsedBytes === 0 && lastActivityDate === null) return null;
  const names = reportNames(s.tenant, user);
  const personal = s.tenant.modes.concealedNames ? concealedName(user.userPrincipalName) : user.userPrincipalName.replace(/[.@#]/g, "_").toLowerCase();
  return {
    siteUrl: `https://${sharePointName(s.tenant)}-my.sharepoint.com/personal/${personal}`,
    names,
    lastActivityDate,
    fileCount: od.fileCount,
    activeFileCount: lastActivityDate === null ? 0 : od.activeFileCount,
    storageUsedBytes: od.storageUsedBytes,
  };
}

const ONEDRIVE_ALLOCATED_BYTES = 1024 * GB;

const ONEDRIVE_USAGE: ReportDefinition = {
  name: "getOneDriveUsageAccountDetail",
  entityType: "oneDriveUsageAccountDetail",
  params: "periodOrDate",
  jsonVersions: ["beta"],
  jsonPageSize: 200,
  csvHeader: [
    "Report Refresh Date", "Site URL", "Owner Display Name", "Is Deleted", "Last Activity Date", "File Count", "Active File Count",
    "Storage Used (Byte)", "Storage Allocated (Byte)", "Owner Principal Name", "Report Period",
  ],
  csvRows(user, s) {
    const f = oneDriveFacts(user, s);
    if (f === null) return [];
    return [[s.window.refreshDate, f.siteUrl, f.names.displayName, false, f.lastActivityDate, f.fileCount, f.activeFileCount, f.storageUsedBytes, ONEDRIVE_ALLOCATED_BYTES, f.names.upn, s.window.periodDays]];
  },
  jsonItem(user, s) {
    const f = oneDriveFacts(user, s);
    if (f === null) return null;
    return {
      reportRefreshDate: s.window.refreshDate,
      siteUrl: f.siteUrl,
      ownerDisplayName: f.names.displayName,
      ownerPrincipalName: f.names.upn,
      isDeleted: false,
      lastActivityDate: f.lastActivityDate,
      fileCount: f.fileCount,
      activeFileCount: f.activeFileCount,
      storageUsedInBytes: f.storageUsedBytes,
      storageAllocatedInBytes: ONEDRIVE_ALLOCATED_BYTES,
      reportPeriod: String(s.window.periodDays),
    };
  },
};

// ---------------------------------------------------------------------------------------------
// getOffice365ActivationsUserDetail

interface ActivationFacts {
  names: { upn: string; displayName: string };
  counts: { productType: string; lastActivatedDate: string; windows: number; mac: number; windows10Mobile: number; ios: number; android: number; activatedOnSharedComputer: boolean }[];
}

function activationFacts(user: SimUser, s: ReportScope): ActivationFacts | null {
  const counts = user.apps.activations
    .filter((a) => a.lastActivatedDate.slice(0, 10) <= s.window.refreshDate)
    .map((a) => ({
      productType: a.productType,
      lastActivatedDate: a.lastActivatedDate.slice(0, 10),
      windows: a.windows,
      mac: a.mac,
      windows10Mobile: 0,
      // Mobile app users activate on one phone; which kind is a stable coin toss.
      ios: user.apps.mobile && stableInt(2, user.id, "phone") === 0 ? 1 : 0,
      android: user.apps.mobile && stableInt(2, user.id, "phone") === 1 ? 1 : 0,
      activatedOnSharedComputer: false,
    }));
  if (counts.length === 0) return null;
  return { names: reportNames(s.tenant, user), counts };
}

const ACTIVATIONS_USER: ReportDefinition = {
  name: "getOffice365ActivationsUserDetail",
  entityType: "office365ActivationsUserDetail",
  params: "none",
  jsonVersions: ["beta"],
  jsonPageSize: 200,
  csvHeader: ["Report Refresh Date", "User Principal Name", "Display Name", "Product Type", "Last Activated Date", "Windows", "Mac", "Windows 10 Mobile", "iOS", "Android", "Activated On Shared Computer"],
  csvRows(user, s) {
    const f = activationFacts(user, s);
    if (f === null) return [];
    return f.counts.map((c) => [s.window.refreshDate, f.names.upn, f.names.displayName, c.productType, c.lastActivatedDate, c.windows, c.mac, c.windows10Mobile, c.ios, c.android, c.activatedOnSharedComputer]);
  },
  jsonItem(user, s) {
    const f = activationFacts(user, s);
    if (f === null) return null;
    return { reportRefreshDate: s.window.refreshDate, userPrincipalName: f.names.upn, displayName: f.names.displayName, userActivationCounts: f.counts };
  },
};

// ---------------------------------------------------------------------------------------------
// getEmailActivityUserDetail

interface EmailFacts {
  names: { upn: string; displayName: string };
  lastActivityDate: string | null;
  send: number;
  receive: number;
  read: number;
  meetingCreated: number;
  meetingInteracted: number;
  products: string[];
}

function emailFacts(user: SimUser, s: ReportScope): EmailFacts | null {
  if (user.mailbox.kind === "none") return null;
  const w = s.window;
  const lastActivityDate = visible(w, user.activity.exchange);
  const key = `${w.windowStart}/${w.refreshDate}`;
  const active = lastActivityDate !== null;
  const scale = w.periodDays;
  return {
    names: reportNames(s.tenant, user),
    lastActivityDate,
    send: active ? stableInt(8 * scale, user.id, key, "send") + 1 : 0,
    // Mail still arrives when nobody reads it.
    receive: stableInt(40 * scale, user.id, key, "receive") + (active ? 1 : 0),
    read: active ? stableInt(30 * scale, user.id, key, "read") + 1 : 0,
    meetingCreated: active ? stableInt(2 * scale, user.id, key, "meetingCreated") : 0,
    meetingInteracted: active ? stableInt(4 * scale, user.id, key, "meetingInteracted") : 0,
    products: assignedProducts(s.tenant, user),
  };
}

const EMAIL_ACTIVITY: ReportDefinition = {
  name: "getEmailActivityUserDetail",
  entityType: "emailActivityUserDetail",
  params: "periodOrDate",
  jsonVersions: ["beta"],
  jsonPageSize: 200,
  csvHeader: [
    "Report Refresh Date", "User Principal Name", "Display Name", "Is Deleted", "Deleted Date", "Last Activity Date",
    "Send Count", "Receive Count", "Read Count", "Meeting Created Count", "Meeting Interacted Count", "Assigned Products", "Report Period",
  ],
  csvRows(user, s) {
    const f = emailFacts(user, s);
    if (f === null) return [];
    return [[s.window.refreshDate, f.names.upn, f.names.displayName, false, null, f.lastActivityDate, f.send, f.receive, f.read, f.meetingCreated, f.meetingInteracted, f.products.join("+"), s.window.periodDays]];
  },
  jsonItem(user, s) {
    const f = emailFacts(user, s);
    if (f === null) return null;
    return {
      reportRefreshDate: s.window.refreshDate,
      userPrincipalName: f.names.upn,
      displayName: f.names.displayName,
      isDeleted: false,
      deletedDate: null,
      lastActivityDate: f.lastActivityDate,
      sendCount: f.send,
      receiveCount: f.receive,
      readCount: f.read,
      assignedProducts: f.products,
      meetingCreatedCount: f.meetingCreated,
      meetingInteractedCount: f.meetingInteracted,
      reportPeriod: String(s.window.periodDays),
    };
  },
};

// ---------------------------------------------------------------------------------------------
// getTeamsUserActivityUserDetail

const TEAMS_COUNTS = [
  "teamChatMessageCount", "privateChatMessageCount", "callCount", "meetingCount", "postMessages", "replyMessages", "urgentMessages",
  "meetingsOrganizedCount", "meetingsAttendedCount", "adHocMeetingsOrganizedCount", "adHocMeetingsAttendedCount",
  "scheduledOneTimeMeetingsOrganizedCount", "scheduledOneTimeMeetingsAttendedCount", "scheduledRecurringMeetingsOrganizedCount", "scheduledRecurringMeetingsAttendedCount",
] as const;
type TeamsCount = (typeof TEAMS_COUNTS)[number];

interface TeamsFacts {
  userId: string;
  upn: string;
  lastActivityDate: string | null;
  licensed: boolean;
  products: string[];
  counts: Record<TeamsCount, number>;
  seconds: { audio: number; video: number; screenShare: number };
  hasOtherAction: boolean;
}

function teamsFacts(user: SimUser, s: ReportScope): TeamsFacts | null {
  const w = s.window;
  const lastActivityDate = visible(w, user.activity.teams);
  const licensed = hasPlan(s.tenant, user, TEAMS_PLAN);
  if (!licensed && lastActivityDate === null) return null;
  const key = `${w.windowStart}/${w.refreshDate}`;
  const active = lastActivityDate !== null;
  const counts = {} as Record<TeamsCount, number>;
  for (const c of TEAMS_COUNTS) counts[c] = active ? stableInt(3 * w.periodDays, user.id, key, c) : 0;
  // An active user did at least one thing Teams counts.
  if (active) counts.privateChatMessageCount += 1;
  const audio = active ? stableInt(1800 * w.periodDays, user.id, key, "audio") : 0;
  return {
    userId: s.tenant.modes.concealedNames ? concealedName(user.id) : user.id,
    upn: reportNames(s.tenant, user).upn,
    lastActivityDate,
    licensed,
    products: assignedProducts(s.tenant, user),
    counts,
    seconds: { audio, video: Math.floor(audio / 3), screenShare: Math.floor(audio / 7) },
    hasOtherAction: active && stableInt(2, user.id, key, "other") === 0,
  };
}

/** `HH:MM:SS` (hours may exceed 24), the duration form of the Teams report. */
function hms(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const sec = seconds % 60;
  return `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:${String(sec).padStart(2, "0")}`;
}

const TEAMS_USER_ACTIVITY: ReportDefinition = {
  name: "getTeamsUserActivityUserDetail",
  entityType: "teamsUserActivityUserDetail",
  params: "periodOrDate",
  jsonVersions: ["beta"],
  jsonPageSize: 2000,
  csvHeader: [
    "Report Refresh Date", "Tenant Display Name", "Shared Channel Tenant Display Names", "User Id", "User Principal Name", "Last Activity Date", "Is Deleted", "Deleted Date", "Assigned Products",
    "Team Chat Message Count", "Private Chat Message Count", "Call Count", "Meeting Count", "Post Messages", "Reply Messages", "Urgent Messages",
    "Meetings Organized Count", "Meetings Attended Count", "Ad Hoc Meetings Organized Count", "Ad Hoc Meetings Attended Count",
    "Scheduled One-time Meetings Organized Count", "Scheduled One-time Meetings Attended Count", "Scheduled Recurring Meetings Organized Count", "Scheduled Recurring Meetings Attended Count",
    "Audio Duration", "Video Duration", "Screen Share Duration", "Audio Duration In Seconds", "Video Duration In Seconds", "Screen Share Duration In Seconds",
    "Has Other Action", "Is Licensed", "Report Period",
  ],
  csvRows(user, s) {
    const f = teamsFacts(user, s);
    if (f === null) return [];
    return [[
      s.window.refreshDate, s.tenant.displayName, null, f.userId, f.upn, f.lastActivityDate, false, null, f.products.join("+"),
      ...TEAMS_COUNTS.map((c) => f.counts[c]),
      hms(f.seconds.audio), hms(f.seconds.video), hms(f.seconds.screenShare), f.seconds.audio, f.seconds.video, f.seconds.screenShare,
      f.hasOtherAction ? "Yes" : "No", f.licensed ? "Yes" : "No", s.window.periodDays,
    ]];
  },
  jsonItem(user, s) {
    const f = teamsFacts(user, s);
    if (f === null) return null;
    return {
      reportRefreshDate: s.window.refreshDate,
      tenantDisplayName: s.tenant.displayName,
      sharedChannelTenantDisplayNames: null,
      userId: f.userId,
      userPrincipalName: f.upn,
      isLicensed: f.licensed,
      lastActivityDate: f.lastActivityDate,
      isDeleted: false,
      deletedDate: null,
      assignedProducts: f.products,
      ...f.counts,
      audioDuration: hms(f.seconds.audio),
      videoDuration: hms(f.seconds.video),
      screenShareDuration: hms(f.seconds.screenShare),
      hasOtherAction: f.hasOtherAction,
      reportPeriod: String(s.window.periodDays),
    };
  },
};

// ---------------------------------------------------------------------------------------------
// getMicrosoft365CopilotUsageUserDetail (v1 columns; graph-api-facts.md §12)

const COPILOT_LABEL: Record<CopilotApp, string> = {
  copilotChat: "Copilot Chat",
  teams: "Microsoft Teams Copilot",
  word: "Word Copilot",
  excel: "Excel Copilot",
  powerPoint: "PowerPoint Copilot",
  outlook: "Outlook Copilot",
  oneNote: "OneNote Copilot",
  loop: "Loop Copilot",
};

/** Beta JSON property of each app's date (graph-examples/getMicrosoft365CopilotUsageUserDetail-beta.json). */
const COPILOT_JSON_NAME: Record<CopilotApp, string> = {
  copilotChat: "copilotChatLastActivityDate",
  teams: "microsoftTeamsCopilotLastActivityDate",
  word: "wordCopilotLastActivityDate",
  excel: "excelCopilotLastActivityDate",
  powerPoint: "powerPointCopilotLastActivityDate",
  outlook: "outlookCopilotLastActivityDate",
  oneNote: "oneNoteCopilotLastActivityDate",
  loop: "loopCopilotLastActivityDate",
};

interface CopilotFacts {
  names: { upn: string; displayName: string };
  last: string | null;
  apps: Record<CopilotApp, string | null>;
}

/** Only users holding a Copilot seat appear (keyed on the SKU's GUID), with or without any use. */
function copilotFacts(user: SimUser, s: ReportScope): CopilotFacts | null {
  if (!user.licenses.some((l) => l.state !== "Error" && COPILOT_SKU_IDS.has(l.skuId.toLowerCase()))) return null;
  const apps = {} as Record<CopilotApp, string | null>;
  // The overall date is the latest one the window shows: use after the refresh date is not yet visible.
  let last = visible(s.window, user.copilot?.lastActivityDate);
  for (const app of COPILOT_APPS) {
    const d = visible(s.window, user.copilot?.apps[app]);
    apps[app] = d;
    if (d !== null && (last === null || d > last)) last = d;
  }
  return { names: reportNames(s.tenant, user), last, apps };
}

/** The `Report Period` cell: the period's days, or `ALL`. */
function periodLabel(w: ReportWindow): string | number {
  return w.periodLabel ?? w.periodDays;
}

/**
 * Microsoft 365 Copilot usage per user. Served at `/copilot/reports/...` (not `/reports/...`): v1.0
 * answers 200 with the CSV itself, beta answers JSON (`copilotActivityUserDetailsByPeriod`).
 */
export const COPILOT_USAGE: ReportDefinition = {
  name: "getMicrosoft365CopilotUsageUserDetail",
  entityType: "copilotUsageUserDetail",
  params: "period",
  jsonVersions: ["beta"],
  jsonPageSize: 200,
  csvHeader: [
    "Report Refresh Date", "User Principal Name", "Display Name", "Last Activity Date",
    ...COPILOT_APPS.map((a) => `${COPILOT_LABEL[a]} Last Activity Date`),
    "Report Period",
  ],
  csvRows(user, s) {
    const f = copilotFacts(user, s);
    if (f === null) return [];
    return [[s.window.refreshDate, f.names.upn, f.names.displayName, f.last, ...COPILOT_APPS.map((a) => f.apps[a]), periodLabel(s.window)]];
  },
  jsonItem(user, s) {
    const f = copilotFacts(user, s);
    if (f === null) return null;
    const item: Record<string, unknown> = { reportRefreshDate: s.window.refreshDate, userPrincipalName: f.names.upn, displayName: f.names.displayName, lastActivityDate: f.last ?? "" };
    // The beta example writes "" for no activity.
    for (const a of COPILOT_APPS) item[COPILOT_JSON_NAME[a]] = f.apps[a] ?? "";
    item["copilotActivityUserDetailsByPeriod"] = [{ reportPeriod: periodLabel(s.window) }];
    return item;
  },
};

/** Every simulated usage report. */
export const REPORT_DEFINITIONS: readonly ReportDefinition[] = [
  ACTIVE_USER,
  M365_APP_USER,
  MAILBOX_USAGE,
  ONEDRIVE_USAGE,
  ACTIVATIONS_USER,
  EMAIL_ACTIVITY,
  TEAMS_USER_ACTIVITY,
];
