/**
 * One pass over `/users` serving the Application Roster and the HR Roster: every property both
 * need in one `$select`, 999 users per page (the documented maximum), `signInActivity` only when
 * the app may read it (AuditLog.Read.All and Entra ID P1/P2) — Graph caps those pages lower.
 */
import type { GraphClient } from "../../graph/graph-client.ts";
import type { GraphUser } from "../../core/graph-types.ts";

/** Properties selected on every user (signInActivity is added when allowed). */
export const USER_SELECT = [
  "id",
  "userPrincipalName",
  "displayName",
  "givenName",
  "surname",
  "mail",
  "otherMails",
  "proxyAddresses",
  "userType",
  "accountEnabled",
  "createdDateTime",
  "department",
  "companyName",
  "jobTitle",
  "employeeId",
  "officeLocation",
  "streetAddress",
  "city",
  "state",
  "postalCode",
  "country",
  "usageLocation",
  "preferredLanguage",
  "onPremisesSyncEnabled",
  "onPremisesExtensionAttributes",
  "employeeOrgData",
  "assignedLicenses",
  "licenseAssignmentStates",
] as const;

export interface CollectUsersResult {
  users: number;
  pages: number;
  /** Groups that assign licenses (from licenseAssignmentStates), for naming "remove from group X". */
  licenseGroupIds: Set<string>;
  /** Blocked accounts holding licenses: the ones whose mailbox purpose matters (shared or room?). */
  blockedLicensedIds: string[];
}

/** Streams users page by page into `save`; returns counts. */
export async function collectUsers(
  graph: GraphClient,
  options: { signInActivity: boolean; manager?: boolean },
  save: (page: GraphUser[]) => Promise<void>,
): Promise<CollectUsersResult> {
  const select = options.signInActivity ? [...USER_SELECT, "signInActivity"] : [...USER_SELECT];
  let users = 0;
  let pages = 0;
  const licenseGroupIds = new Set<string>();
  const blockedLicensedIds: string[] = [];
  // The HR roster's manager comes in the same pass ($expand, +1 resource unit per page) instead of one request per user.
  const expand = options.manager ? "&$expand=manager($select=id)" : "";
  for await (const page of graph.pages<GraphUser>({ path: `/users?$select=${select.join(",")}${expand}&$top=999` })) {
    pages++;
    users += page.length;
    for (const u of page) {
      for (const l of u.licenseAssignmentStates ?? []) if (l.assignedByGroup) licenseGroupIds.add(l.assignedByGroup);
      if (u.accountEnabled === false && (u.assignedLicenses ?? []).length > 0) blockedLicensedIds.push(u.id);
    }
    await save(page);
  }
  return { users, pages, licenseGroupIds, blockedLicensedIds };
}
