/**
 * Application Discovery and SSO Application Roster: the tenant's enterprise applications (service
 * principals tagged `WindowsAzureActiveDirectoryIntegratedApp`), who is assigned to each (users
 * directly, groups expanded to their transitive user members), and the organization's name for the
 * seed's "SSO Integration" flag (publisher name matches the organization).
 */
import type { GraphClient } from "../../graph/graph-client.ts";
import type { EnterpriseApp, AppAssignment } from "../../core/collected-records.ts";

const SP_SELECT = "id,appId,displayName,publisherName,appOwnerOrganizationId,accountEnabled,appRoleAssignmentRequired,preferredSingleSignOnMode,servicePrincipalType,verifiedPublisher";
const ENTERPRISE_FILTER = encodeURIComponent("tags/any(t:t eq 'WindowsAzureActiveDirectoryIntegratedApp')");

export async function collectEnterpriseApps(graph: GraphClient): Promise<EnterpriseApp[]> {
  const apps: EnterpriseApp[] = [];
  for await (const page of graph.pages<EnterpriseApp>({ path: `/servicePrincipals?$filter=${ENTERPRISE_FILTER}&$select=${SP_SELECT}&$top=999` })) apps.push(...page);
  return apps;
}

export async function readOrganizationName(graph: GraphClient): Promise<string | null> {
  const org = await graph.getJson<{ value: { displayName?: string }[] }>({ path: "/organization?$select=id,displayName" });
  return org.value[0]?.displayName ?? null;
}

interface GraphAssignment {
  principalId: string;
  principalType: string;
  createdDateTime?: string | null;
}

/** Assignments of every app, groups expanded (each group read once even when assigned to several apps). */
export async function collectAssignments(graph: GraphClient, apps: readonly EnterpriseApp[], options: { expandGroups: boolean }): Promise<AppAssignment[]> {
  const out: AppAssignment[] = [];
  const members = new Map<string, Promise<string[]>>();
  const groupMembers = (groupId: string) => {
    let p = members.get(groupId);
    if (!p) {
      p = (async () => {
        const ids: string[] = [];
        for await (const page of graph.pages<{ id: string; "@odata.type"?: string }>({ path: `/groups/${groupId}/transitiveMembers?$select=id&$top=999` })) {
          for (const m of page) if (!m["@odata.type"] || m["@odata.type"] === "#microsoft.graph.user") ids.push(m.id);
        }
        return ids;
      })();
      members.set(groupId, p);
    }
    return p;
  };
  for (const app of apps) {
    for await (const page of graph.pages<GraphAssignment>({ path: `/servicePrincipals/${app.id}/appRoleAssignedTo?$select=principalId,principalType,createdDateTime&$top=999` })) {
      for (const a of page) {
        if (a.principalType === "User") out.push({ appId: app.appId, servicePrincipalId: app.id, userId: a.principalId, viaGroupId: null, assignedAt: a.createdDateTime ?? null });
        else if (a.principalType === "Group" && options.expandGroups) {
          for (const userId of await groupMembers(a.principalId)) out.push({ appId: app.appId, servicePrincipalId: app.id, userId, viaGroupId: a.principalId, assignedAt: a.createdDateTime ?? null });
        }
      }
    }
  }
  return out;
}
