/**
 * Exchange mailbox purpose (`userPurpose`: user, shared, room, equipment) of the given users, from
 * `GET /users/{id}/mailboxSettings` (MailboxSettings.Read; the optional `sharedMailboxes` task),
 * 20 users per `$batch`. Users without a mailbox are left out.
 */
import type { GraphClient } from "../../graph/graph-client.ts";

export async function readMailboxPurposes(graph: GraphClient, userIds: readonly string[]): Promise<Map<string, string>> {
  const purposes = new Map<string, string>();
  for (let i = 0; i < userIds.length; i += 20) {
    const chunk = userIds.slice(i, i + 20);
    const responses = await graph.batch(chunk.map((id, k) => ({ id: String(k), method: "GET", url: `/users/${id}/mailboxSettings?$select=userPurpose` })));
    for (const r of responses) {
      const purpose = (r.body as { userPurpose?: string } | undefined)?.userPurpose;
      if (r.status === 200 && purpose) purposes.set(chunk[Number(r.id)]!, purpose);
    }
  }
  return purposes;
}
