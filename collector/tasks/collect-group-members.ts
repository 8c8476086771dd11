/**
 * Members of the groups a policy protects (names or object ids): each name is resolved with
 * `GET /groups?$filter=displayName eq '…'`, then `GET /groups/{id}/transitiveMembers` lists its
 * users, nested groups included. Names that match no group are reported, not guessed. A group whose
 * query Graph refuses (400: a name its `$filter` cannot take) fails alone, with Graph's reason; the
 * other groups are still collected.
 */
import { GraphError } from "../../core/errors.ts";
import type { GraphClient } from "../../graph/graph-client.ts";

export interface GroupMembers {
  id: string;
  displayName: string;
  userIds: string[];
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** OData string literal: single quotes doubled, then the whole filter is percent-encoded by the caller. */
function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A protected group Graph refused to look up: its members are unknown. */
export interface RefusedGroup {
  nameOrId: string;
  /** Graph's status and `error.code`, e.g. `400 Request_UnsupportedQuery`. */
  error: string;
}

export async function collectGroupMembers(
  graph: GraphClient,
  namesOrIds: readonly string[],
): Promise<{ groups: GroupMembers[]; unresolved: string[]; refused: RefusedGroup[] }> {
  const groups: GroupMembers[] = [];
  const unresolved: string[] = [];
  const refused: RefusedGroup[] = [];
  for (const key of [...new Set(namesOrIds)]) {
    const filter = GUID.test(key) ? `id eq ${literal(key)}` : `displayName eq ${literal(key)}`;
    try {
      const found = await graph.getJson<{ value: { id: string; displayName: string }[] }>({ path: `/groups?$filter=${encodeURIComponent(filter)}&$select=id,displayName` });
      if (found.value.length === 0) {
        unresolved.push(key);
        continue;
      }
      const members: GroupMembers[] = [];
      for (const g of found.value) {
        if (groups.some((x) => x.id === g.id)) continue;
        const userIds: string[] = [];
        for await (const page of graph.pages<{ id: string; "@odata.type"?: string }>({ path: `/groups/${g.id}/transitiveMembers?$select=id&$top=999` })) {
          for (const m of page) if (!m["@odata.type"] || m["@odata.type"] === "#microsoft.graph.user") userIds.push(m.id);
        }
        members.push({ id: g.id, displayName: g.displayName, userIds });
      }
      groups.push(...members);
    } catch (error) {
      // A query Graph refuses for this group alone (bad request, or the group vanished mid-run).
      if (!(error instanceof GraphError) || (error.status !== 400 && error.status !== 404)) throw error;
      refused.push({ nameOrId: key, error: `${error.status}${error.code ? ` ${error.code}` : ""}` });
    }
  }
  return { groups, unresolved, refused };
}
