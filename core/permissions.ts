/**
 * The one source of truth for Microsoft Graph application permissions in Seatwise:
 * which permissions exist (with their documented appRole ids), which permissions each Graph
 * endpoint we call accepts (least-privileged first), and which permissions each integration task
 * needs. Provisioning grants from `TASK_PERMISSIONS`, the collector decides what it may run from it,
 * the simulator authorizes routes with `ENDPOINT_PERMISSIONS`, and the README's permission table is
 * tested against it.
 *
 * Ids: ../shared/reference/graph-permission-ids.md (Microsoft's auto-generated permissions-ids.md).
 * Provisioning never uses these ids directly: it resolves role ids from the Microsoft Graph service
 * principal's appRoles at deploy time. They are kept for the simulator and for documentation.
 */

/** Application permissions Seatwise may ever request or accept. */
export const GRAPH_PERMISSIONS = [
  "User.Read.All",
  "User.ReadWrite.All",
  "Directory.Read.All",
  "Directory.ReadWrite.All",
  "AuditLog.Read.All",
  "Reports.Read.All",
  "UserAuthenticationMethod.Read.All",
  "LicenseAssignment.ReadWrite.All",
  "Application.Read.All",
  "Organization.Read.All",
  "Group.Read.All",
  "GroupMember.Read.All",
  "ReportSettings.Read.All",
  "ReportSettings.ReadWrite.All",
  "MailboxSettings.Read",
] as const;
export type GraphPermission = (typeof GRAPH_PERMISSIONS)[number];

/** The Microsoft Graph first-party application id (resourceAppId of every Graph permission). */
export const MICROSOFT_GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";

/**
 * appRole ids on the Microsoft Graph service principal, as documented. `MailboxSettings.Read` is not in
 * the reference extract; its id comes from a public mirror of the Graph service principal's appRoles
 * (merill/graph-permissions-explorer, permission/MailboxSettings.Read.md). Provisioning resolves every
 * id from Graph itself; these serve the simulator, the provisioning guard-rail policies and the docs.
 */
export const GRAPH_APP_ROLE_IDS: Readonly<Partial<Record<GraphPermission, string>>> = {
  "User.Read.All": "df021288-bdef-4463-88db-98f22de89214",
  "User.ReadWrite.All": "741f803b-c850-494e-b5df-cde7c675a1ca",
  "Directory.Read.All": "7ab1d382-f21e-4acd-a863-ba3e13f7da61",
  "Directory.ReadWrite.All": "19dbc75e-c2e2-444c-a770-ec69d8559fc7",
  "AuditLog.Read.All": "b0afded3-3588-46d8-8b3d-9842eff778da",
  "Reports.Read.All": "230c1aed-a721-4c5d-9cb4-a90514e508ef",
  "UserAuthenticationMethod.Read.All": "38d9df27-64da-44fd-b7c5-a6fbac20248f",
  "LicenseAssignment.ReadWrite.All": "5facf0c1-8979-4e95-abcf-ff3d079771c0",
  "Application.Read.All": "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30",
  "Organization.Read.All": "498476ce-e0fe-48b0-b801-37ba7e2685c6",
  "Group.Read.All": "5b567255-7703-4780-807c-7be8301ae99b",
  "GroupMember.Read.All": "98830695-27a2-44f7-8c18-0c3ebc9698f6",
  "ReportSettings.Read.All": "ee353f83-55ef-4b78-82da-555bfa2b4b95",
  "ReportSettings.ReadWrite.All": "2a60023f-3219-47ad-baa4-40e17cd02a1d",
  "MailboxSettings.Read": "40f97065-369a-49f4-947c-6a255697ae91",
};

/** Graph endpoints Seatwise calls, by a stable key. */
export const GRAPH_ENDPOINTS = [
  "users.list",
  "users.get",
  "users.signInActivity",
  "users.manager",
  "users.assignLicense",
  "subscribedSkus.list",
  "directory.subscriptions",
  "organization.list",
  "reports.usage",
  "reports.copilotUsage",
  "reports.userRegistrationDetails",
  "auditLogs.signIns",
  "servicePrincipals.list",
  "servicePrincipals.appRoleAssignedTo",
  "groups.list",
  "groups.get",
  "groups.members",
  "admin.reportSettings",
  "users.mailboxSettings",
] as const;
export type GraphEndpoint = (typeof GRAPH_ENDPOINTS)[number];

/**
 * Application permissions Microsoft documents for each endpoint, least-privileged first. Any one of
 * them authorizes the call (`users.signInActivity` is an additional requirement on top of `users.list`).
 */
export const ENDPOINT_PERMISSIONS: Readonly<Record<GraphEndpoint, readonly GraphPermission[]>> = {
  "users.list": ["User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"],
  "users.get": ["User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"],
  "users.signInActivity": ["AuditLog.Read.All"],
  "users.manager": ["User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"],
  "users.assignLicense": ["LicenseAssignment.ReadWrite.All", "User.ReadWrite.All", "Directory.ReadWrite.All"],
  "subscribedSkus.list": ["Organization.Read.All", "Directory.Read.All", "Directory.ReadWrite.All"],
  // companySubscription list (api/directory-list-subscriptions.md): Organization.Read.All least privileged.
  "directory.subscriptions": ["Organization.Read.All", "Directory.Read.All"],
  "organization.list": ["Organization.Read.All", "Directory.Read.All", "Directory.ReadWrite.All"],
  "reports.usage": ["Reports.Read.All"],
  // GET /copilot/reports/getMicrosoft365CopilotUsageUserDetail (graph-api-facts.md §12).
  "reports.copilotUsage": ["Reports.Read.All"],
  "reports.userRegistrationDetails": ["AuditLog.Read.All"],
  "auditLogs.signIns": ["AuditLog.Read.All"],
  "servicePrincipals.list": ["Application.Read.All", "Directory.Read.All", "Directory.ReadWrite.All"],
  "servicePrincipals.appRoleAssignedTo": ["Application.Read.All", "Directory.Read.All", "Directory.ReadWrite.All"],
  "groups.list": ["GroupMember.Read.All", "Group.Read.All", "Directory.Read.All", "Directory.ReadWrite.All"],
  "groups.get": ["GroupMember.Read.All", "Group.Read.All", "Directory.Read.All", "Directory.ReadWrite.All"],
  "groups.members": ["GroupMember.Read.All", "Group.Read.All", "Directory.Read.All", "Directory.ReadWrite.All"],
  "admin.reportSettings": ["ReportSettings.Read.All", "ReportSettings.ReadWrite.All"],
  "users.mailboxSettings": ["MailboxSettings.Read"],
};

/** Integration tasks: those of the seeds plus Seatwise's optional extras. */
export const TASKS = [
  "applicationRoster",
  "applicationAccess",
  "licenseInformation",
  "hrRoster",
  "applicationDiscovery",
  "ssoApplicationRoster",
  "ssoApplicationAccess",
  "reclamation",
  "concealedNames",
  "sharedMailboxes",
] as const;
export type Task = (typeof TASKS)[number];

/** Tasks enabled when the configuration names none. Reclamation and the optional extras are off. */
export const DEFAULT_TASKS: readonly Task[] = [
  "applicationRoster",
  "applicationAccess",
  "licenseInformation",
  "hrRoster",
  "applicationDiscovery",
  "ssoApplicationRoster",
  "ssoApplicationAccess",
];

/** Which identity holds a task's permissions: the reader, or the separate reclaimer. */
export const TASK_IDENTITY: Readonly<Record<Task, "reader" | "reclaimer">> = {
  applicationRoster: "reader",
  applicationAccess: "reader",
  licenseInformation: "reader",
  hrRoster: "reader",
  applicationDiscovery: "reader",
  ssoApplicationRoster: "reader",
  ssoApplicationAccess: "reader",
  reclamation: "reclaimer",
  concealedNames: "reader",
  sharedMailboxes: "reader",
};

/** What each task calls; its permissions are derived from these (see `TASK_PERMISSIONS`). */
export const TASK_ENDPOINTS: Readonly<Record<Task, readonly GraphEndpoint[]>> = {
  applicationRoster: [
    "users.list",
    "users.signInActivity",
    "subscribedSkus.list",
    "reports.usage",
    "reports.copilotUsage",
    "reports.userRegistrationDetails",
    // Names of license groups, and the members of the policy's protected groups.
    "groups.get",
    "groups.list",
    "groups.members",
  ],
  applicationAccess: ["users.list", "reports.usage", "reports.copilotUsage", "auditLogs.signIns"],
  // Subscriptions give each SKU's terms and renewal dates: when removed seats start to save money.
  licenseInformation: ["subscribedSkus.list", "directory.subscriptions"],
  hrRoster: ["users.list", "users.manager"],
  applicationDiscovery: ["servicePrincipals.list", "organization.list"],
  ssoApplicationRoster: ["servicePrincipals.list", "servicePrincipals.appRoleAssignedTo", "groups.members"],
  ssoApplicationAccess: ["servicePrincipals.list", "auditLogs.signIns"],
  reclamation: ["users.get", "users.assignLicense"],
  concealedNames: ["admin.reportSettings"],
  sharedMailboxes: ["users.mailboxSettings"],
};

/**
 * Least-privileged application permissions per task: the first (least-privileged) permission of each
 * endpoint the task calls, deduplicated and sorted.
 */
export const TASK_PERMISSIONS: Readonly<Record<Task, readonly GraphPermission[]>> = mapTasks((task) =>
  leastPrivileged(TASK_ENDPOINTS[task]),
);

function mapTasks<T>(f: (task: Task) => T): Record<Task, T> {
  const out = {} as Record<Task, T>;
  for (const task of TASKS) out[task] = f(task);
  return out;
}

/** The least-privileged permission set that authorizes every given endpoint. */
export function leastPrivileged(endpoints: readonly GraphEndpoint[]): GraphPermission[] {
  const set = new Set<GraphPermission>();
  for (const e of endpoints) set.add(ENDPOINT_PERMISSIONS[e][0]!);
  return [...set].sort();
}

/** The permissions an identity needs for the given enabled tasks. */
export function permissionsFor(tasks: readonly Task[], identity: "reader" | "reclaimer"): GraphPermission[] {
  const set = new Set<GraphPermission>();
  for (const t of tasks) if (TASK_IDENTITY[t] === identity) for (const p of TASK_PERMISSIONS[t]) set.add(p);
  return [...set].sort();
}

/** True when the granted roles authorize the endpoint (any one documented permission suffices). */
export function isAuthorized(endpoint: GraphEndpoint, roles: readonly string[]): boolean {
  return ENDPOINT_PERMISSIONS[endpoint].some((p) => roles.includes(p));
}
