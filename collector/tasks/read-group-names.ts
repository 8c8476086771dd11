/**
 * Names of the groups that assign licenses, so findings can say "remove from group X": one
 * `$batch` of up to 20 `GET /groups/{id}` per 20 groups instead of one request per group.
 */
import type { GraphClient } from "../../graph/graph-client.ts";

export async function readGroupNames(graph: GraphClient, groupIds: readonly string[]): Promise<{ id: string; displayName: string }[]> {
  const out: { id: string; displayName: string }[] = [];
  for (let i = 0; i < groupIds.length; i += 20) {
    const chunk = groupIds.slice(i, i + 20);
    const responses = await graph.batch(chunk.map((id, k) => ({ id: String(k), method: "GET", url: `/groups/${id}?$select=id,displayName` })));
    for (const r of responses) {
      const body = r.body as { id?: string; displayName?: string } | undefined;
      if (r.status === 200 && body?.id) out.push({ id: body.id, displayName: body.displayName ?? body.id });
    }
  }
  return out;
}
