/**
 * Renders the README permission table from core/permissions.ts, so the documentation cannot drift
 * from what provisioning grants (docs/provisioning.md embeds the output; a test compares them).
 */
import { DEFAULT_TASKS, ENDPOINT_PERMISSIONS, TASK_ENDPOINTS, TASK_IDENTITY, TASK_PERMISSIONS, TASKS } from "../core/permissions.ts";
import type { GraphEndpoint, GraphPermission, Task } from "../core/permissions.ts";

/** Human names of the tasks, as the seeds call them. */
export const TASK_TITLES: Readonly<Record<Task, string>> = {
  applicationRoster: "Application Roster",
  applicationAccess: "Application Access",
  licenseInformation: "License Information",
  hrRoster: "HR Roster",
  applicationDiscovery: "Application Discovery",
  ssoApplicationRoster: "SSO Application Roster",
  ssoApplicationAccess: "SSO Application Access",
  reclamation: "Reclamation",
  concealedNames: "Concealed report names (optional)",
  sharedMailboxes: "Shared mailboxes (optional)",
};

/** What each Graph call is and why Seatwise makes it. */
export const ENDPOINT_PURPOSES: Readonly<Record<GraphEndpoint, string>> = {
  "users.list": "`GET /users`: the user roster (UPN, enabled, assigned licenses)",
  "users.get": "`GET /users/{id}`: re-read a user just before changing its licenses",
  "users.signInActivity": "`signInActivity` on `/users`: last sign-in",
  "users.manager": "`$expand=manager` on `/users`: manager for the HR roster",
  "users.assignLicense": "`POST /users/{id}/assignLicense`: remove a license",
  "subscribedSkus.list": "`GET /subscribedSkus`: purchased and consumed licenses",
  "directory.subscriptions": "`GET /directory/subscriptions`: each subscription's seats, trial flag, status and renewal date (when removed seats save money)",
  "organization.list": "`GET /organization`: the organization's name (publisher match of SSO apps)",
  "reports.usage": "`GET /reports/get…UserDetail`: Microsoft 365 usage reports",
  "reports.copilotUsage": "`GET /copilot/reports/getMicrosoft365CopilotUsageUserDetail`: Copilot activity per user and app",
  "reports.userRegistrationDetails": "`GET /reports/authenticationMethods/userRegistrationDetails`: MFA registration",
  "auditLogs.signIns": "`GET /auditLogs/signIns`: sign-ins per application",
  "servicePrincipals.list": "`GET /servicePrincipals`: enterprise (SSO) applications",
  "servicePrincipals.appRoleAssignedTo": "`GET /servicePrincipals/{id}/appRoleAssignedTo`: who is assigned to an SSO application",
  "groups.list": "`GET /groups?$filter=displayName eq …`: find the groups a policy protects",
  "groups.get": "`GET /groups/{id}` (in `$batch`): names of groups that assign licenses",
  "groups.members": "`GET /groups/{id}/transitiveMembers`: members of protected groups and of groups assigned to SSO applications",
  "admin.reportSettings": "`GET /admin/reportSettings`: detect concealed user names in reports",
  "users.mailboxSettings": "`GET /users/{id}/mailboxSettings`: `userPurpose` tells shared mailboxes from people",
};

/** One row of the table. */
export interface PermissionRow {
  permission: GraphPermission;
  identity: "reader" | "reclaimer";
  tasks: Task[];
  endpoints: GraphEndpoint[];
  /** Broader permissions that would also authorize those calls and that Seatwise does not request. */
  notRequested: GraphPermission[];
}

/** Rows for every permission any task maps to, reader first, then by name. */
export function permissionRows(): PermissionRow[] {
  // One row per (identity, permission): User.Read.All is held by both identities.
  const rows = new Map<string, PermissionRow>();
  for (const task of TASKS) {
    for (const endpoint of TASK_ENDPOINTS[task]) {
      const permission = ENDPOINT_PERMISSIONS[endpoint][0]!;
      if (!TASK_PERMISSIONS[task].includes(permission)) continue;
      const key = `${TASK_IDENTITY[task]}:${permission}`;
      const row = rows.get(key) ?? { permission, identity: TASK_IDENTITY[task], tasks: [], endpoints: [], notRequested: [] };
      if (!row.tasks.includes(task)) row.tasks.push(task);
      if (!row.endpoints.includes(endpoint)) row.endpoints.push(endpoint);
      for (const broader of ENDPOINT_PERMISSIONS[endpoint].slice(1)) if (!row.notRequested.includes(broader)) row.notRequested.push(broader);
      rows.set(key, row);
    }
  }
  return [...rows.values()].sort((a, b) => (a.identity === b.identity ? a.permission.localeCompare(b.permission) : a.identity === "reader" ? -1 : 1));
}

/** The Markdown table. */
export function renderPermissionTable(): string {
  const lines = [
    "| Permission (application) | Identity | Needed by task(s) | Why: the Graph calls it authorizes | Broader permissions also accepted, not requested |",
    "|---|---|---|---|---|",
  ];
  for (const row of permissionRows()) {
    const tasks = row.tasks.map((t) => (DEFAULT_TASKS.includes(t) ? TASK_TITLES[t] : `${TASK_TITLES[t]}${t === "reclamation" ? " (off by default)" : ""}`)).join(", ");
    const why = row.endpoints.map((e) => ENDPOINT_PURPOSES[e]).join("; ");
    const broader = row.notRequested.length > 0 ? row.notRequested.map((p) => `\`${p}\``).join(", ") : "—";
    lines.push(`| \`${row.permission}\` | ${row.identity} | ${tasks} | ${why} | ${broader} |`);
  }
  return `${lines.join("\n")}\n`;
}
