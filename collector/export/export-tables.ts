/**
 * The seeds' tabs as tables, pure: the Users tab (seed 000 "Application Roster" columns plus
 * department and license source), license positions (License Information) and enterprise
 * applications with their SSO flags (seed 001 "Application Discovery"). Built from a snapshot so
 * exports and evaluation read the same data.
 */
import { csvCell } from "../../core/csv.ts";
import { friendlySkuName } from "../../core/sku-catalogue.ts";
import type { Snapshot, SnapshotUser } from "../../core/user-facts.ts";
import type { AppAssignment, EnterpriseApp } from "../../core/collected-records.ts";
import type { LastSignIn } from "../../store/snapshot-repository.ts";
import type { GraphUser } from "../../core/graph-types.ts";

export type Cell = string | number | boolean | null;
export interface Table {
  columns: string[];
  rows: Cell[][];
}

const DAY = 86_400_000;

export const USER_COLUMNS = [
  "UPN",
  "Display Name",
  "Licenses",
  "License Source",
  "Activations",
  "Mail Usage (Bytes)",
  "Has Archive",
  "OneDrive Usage (Bytes)",
  "Windows",
  "Mac",
  "Mobile",
  "Web",
  "onPremisesSync",
  "Block Credentials",
  "Is MFA Turned On",
  "Last Used M365 Application",
  "Sign In to M365 Domain",
  "Days Since Last Activity",
  "Guest",
  "Title",
  "Department",
  "Country",
  "Account Created Date",
] as const;

/** The latest date among a user's sign-ins and workload activity, or null. */
export function lastActivityOf(u: SnapshotUser): string | null {
  const dates = [
    u.signInActivity?.lastSuccessfulSignInDateTime,
    u.signInActivity?.lastSignInDateTime,
    u.signInActivity?.lastNonInteractiveSignInDateTime,
    ...Object.values(u.activity ?? {}),
    u.apps?.lastActivityDate,
  ].filter((d): d is string => typeof d === "string" && d.length >= 10);
  return dates.length === 0 ? null : dates.map((d) => d.slice(0, 10)).sort().at(-1)!;
}

export function usersTable(snapshot: Snapshot, now: Date): Table {
  const groupName = new Map(snapshot.groups.map((g) => [g.id, g.displayName]));
  const rows = snapshot.users.map((u): Cell[] => {
    const last = lastActivityOf(u);
    const flag = (v: boolean | undefined) => (u.apps ? (v ?? false) : null);
    return [
      u.userPrincipalName,
      u.displayName,
      [...new Set(u.licenses.map((l) => l.skuPartNumber))].join("; "),
      u.licenses.map((l) => (l.assignedByGroup ? `${l.skuPartNumber}: group ${groupName.get(l.assignedByGroup) ?? l.assignedByGroup}` : `${l.skuPartNumber}: direct`)).join("; "),
      u.activations ? u.activations.map((a) => a.productType).join("; ") : null,
      u.mailbox?.storageUsedBytes ?? null,
      u.mailbox ? u.mailbox.hasArchive : null,
      u.oneDrive?.storageUsedBytes ?? null,
      flag(u.apps?.windows),
      flag(u.apps?.mac),
      flag(u.apps?.mobile),
      flag(u.apps?.web),
      u.onPremisesSyncEnabled === true,
      !u.accountEnabled,
      u.mfa ? u.mfa.isMfaRegistered : null,
      u.lastUsedApp,
      u.signInActivity?.lastSuccessfulSignInDateTime ?? u.signInActivity?.lastSignInDateTime ?? null,
      last === null ? null : Math.floor((now.getTime() - Date.parse(last)) / DAY),
      u.userType === "Guest",
      u.jobTitle,
      u.department,
      u.country,
      u.createdDateTime ? u.createdDateTime.slice(0, 10) : null,
    ];
  });
  return { columns: [...USER_COLUMNS], rows };
}

export function licensesTable(snapshot: Snapshot): Table {
  return {
    columns: ["SKU", "Name", "Status", "Purchased", "Suspended", "Warning", "Consumed", "Available"],
    rows: snapshot.skus.map((s) => [s.skuPartNumber, s.displayName ?? friendlySkuName(s.skuId), s.capabilityStatus, s.purchased, s.suspended, s.warning, s.consumed, Math.max(0, s.purchased + s.warning - s.consumed)]),
  };
}

export function appsTable(apps: readonly EnterpriseApp[], assignments: readonly AppAssignment[], organizationName: string | null): Table {
  const assigned = new Map<string, Set<string>>();
  for (const a of assignments) {
    const set = assigned.get(a.servicePrincipalId) ?? new Set<string>();
    set.add(a.userId);
    assigned.set(a.servicePrincipalId, set);
  }
  const norm = (s: string | null | undefined) => (s ?? "").trim().toLowerCase();
  return {
    columns: ["Application ID", "Application Name", "App Instance ID", "Publisher", "Open Access", "SSO Integration", "OAuth2 Integration", "SSO Mode", "Assigned Users"],
    rows: apps.map((a) => [
      a.appId,
      a.displayName,
      a.id,
      a.publisherName ?? a.verifiedPublisher?.displayName ?? null,
      // Open access: users may sign in without an app role assignment.
      !a.appRoleAssignmentRequired,
      // The seed's "SSO Integration": the publisher's name matches the organization's.
      organizationName !== null && norm(a.publisherName) !== "" && norm(a.publisherName) === norm(organizationName),
      a.preferredSingleSignOnMode === "oidc",
      a.preferredSingleSignOnMode,
      assigned.get(a.id)?.size ?? 0,
    ]),
  };
}

/**
 * The HR roster (seed 001 and 003 fields). Seed 001's filters: `domains` keeps users whose UPN or mail
 * is in one of the domains (case-insensitive; empty = all); guests only with `includeGuests`
 * (members and users without a type always).
 */
export function hrTable(users: readonly GraphUser[], filter: { domains: readonly string[]; includeGuests: boolean }): Table {
  const domains = filter.domains.map((d) => d.toLowerCase());
  const inDomain = (u: GraphUser) =>
    domains.length === 0 || [u.userPrincipalName, u.mail ?? ""].some((a) => domains.some((d) => a.toLowerCase().endsWith(`@${d}`)));
  const ext = (u: GraphUser, n: number) => u.onPremisesExtensionAttributes?.[`extensionAttribute${n}`] ?? null;
  const columns = [
    "Unique ID", "User Principal Name", "Email", "Email Aliases", "First Name", "Last Name", "Display Name", "User Type", "Active Date",
    "Account Enabled", "Department", "Company", "Job Title", "Office Location", "Street Address", "City", "State", "Postal Code", "Country",
    "Usage Location", "Preferred Language", "Manager ID", ...Array.from({ length: 15 }, (_, i) => `extensionAttribute${i + 1}`),
  ];
  const rows = users
    .filter((u) => inDomain(u) && (filter.includeGuests || u.userType !== "Guest"))
    .map((u): Cell[] => [
      u.id, u.userPrincipalName, u.mail ?? null,
      [...new Set([...(u.proxyAddresses ?? []).map((p) => p.replace(/^smtp:/i, "")), ...(u.otherMails ?? [])])].filter((a) => a.toLowerCase() !== (u.mail ?? "").toLowerCase()).join("; "),
      u.givenName ?? null, u.surname ?? null, u.displayName ?? null, u.userType ?? null, u.createdDateTime ? u.createdDateTime.slice(0, 10) : null,
      u.accountEnabled !== false, u.department ?? null, u.companyName ?? null, u.jobTitle ?? null, u.officeLocation ?? null, u.streetAddress ?? null,
      u.city ?? null, u.state ?? null, u.postalCode ?? null, u.country ?? null, u.usageLocation ?? null, u.preferredLanguage ?? null, u.manager?.id ?? null,
      ...Array.from({ length: 15 }, (_, i) => ext(u, i + 1)),
    ]);
  return { columns, rows };
}

/** SSO Application Access (seed 001): per user and application, the last sign-in and where from. */
export function ssoAccessTable(signIns: readonly LastSignIn[]): Table {
  return {
    columns: ["User ID", "User Principal Name", "Application ID", "Application Name", "Last Login", "Login Location", "Interactive"],
    rows: signIns.map((s) => [s.userId, s.userPrincipalName, s.appId, s.appDisplayName, s.last, [s.city, s.countryOrRegion].filter(Boolean).join(", ") || null, s.interactive]),
  };
}

export function formatTable(table: Table, format: "csv" | "json"): string {
  if (format === "json") return `${JSON.stringify(table.rows.map((r) => Object.fromEntries(table.columns.map((c, i) => [c, r[i] ?? null]))), null, 2)}\n`;
  return `${[table.columns.map(csvCell).join(","), ...table.rows.map((r) => r.map(csvCell).join(","))].join("\r\n")}\r\n`;
}
