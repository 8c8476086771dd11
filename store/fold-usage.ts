/**
 * PostgreSQL's usage merge, done once per run: `mergeUsage` appends each report's rows to
 * `user_usage_parts` (in report order), and the fold turns them into one document per user in
 * `user_usage`, a batch of users per transaction: the first part as given, each later one merged
 * (RFC 7396, `mergeJsonPatch`, as SQLite's `json_patch` merges in place): one write per user instead
 * of one upsert per report and user (see README, Measured).
 */
import { insertRows, type InsertSpec } from "./insert-rows.ts";
import { mergeJsonPatch } from "./merge-json-patch.ts";
import type { SqlDatabase } from "./sql-database.ts";

/** Staged rows per transaction: a few thousand users' small documents in memory at a time. */
const ROWS_PER_BATCH = 10_000;

export const USER_USAGE_PARTS: InsertSpec = { table: "user_usage_parts", columns: ["run_id", "user_principal_name", "json"], key: [], onConflict: "ignore" };

/** Folded documents replace the run's rows (a second fold starts from them: see foldUsageParts). */
const USER_USAGE: InsertSpec = { table: "user_usage", columns: ["run_id", "user_principal_name", "json"], key: ["run_id", "user_principal_name"], onConflict: "replace" };

/** `rowsPerBatch` only for tests (tiny batches cut users' parts at every boundary). */
export async function foldUsageParts(db: SqlDatabase, runId: string, rowsPerBatch = ROWS_PER_BATCH): Promise<void> {
  // UPNs are never empty: "" is before the first.
  let after = "";
  for (;;) {
    const next: string | null = await db.transaction(async (tx) => {
      // The staging table is read right after it was filled, before any statistics: without these
      // the planner may pick a bitmap scan and a sort of every row after `after`, once per batch.
      if (tx.dialect === "postgres") await tx.exec("SET LOCAL enable_bitmapscan = off; SET LOCAL enable_seqscan = off; SET LOCAL enable_sort = off");
      let rows = await tx.all(`SELECT user_principal_name, json FROM user_usage_parts WHERE run_id = ? AND user_principal_name > ? ORDER BY user_principal_name, seq LIMIT ${rowsPerBatch}`, [runId, after]);
      if (rows.length === 0) return null;
      const upnOf = (i: number) => String(rows[i]!.user_principal_name);
      let last = upnOf(rows.length - 1);
      if (rows.length === rowsPerBatch) {
        // The batch may have cut the last user's parts short: that user goes to the next batch,
        // unless it is the only one (then all of its parts are read).
        const firstOfLast = rows.findIndex((r) => String(r.user_principal_name) === last);
        if (firstOfLast > 0) {
          rows = rows.slice(0, firstOfLast);
          last = upnOf(rows.length - 1);
        } else rows = await tx.all("SELECT user_principal_name, json FROM user_usage_parts WHERE run_id = ? AND user_principal_name = ? ORDER BY seq", [runId, last]);
      }
      // A second fold of a run starts from what the first stored: patches apply one after another
      // (merging the later ones into one patch first would lose their nulls; fast-check found it).
      const docs = new Map<string, string | unknown>();
      for (const r of await tx.all("SELECT user_principal_name, json FROM user_usage WHERE run_id = ? AND user_principal_name > ? AND user_principal_name <= ?", [runId, after, last])) {
        docs.set(String(r.user_principal_name), String(r.json));
      }
      for (const p of rows) {
        const upn = String(p.user_principal_name);
        const earlier = docs.get(upn);
        // A user's first part is stored as given, like SQLite's first INSERT (no re-serialising).
        docs.set(upn, earlier === undefined ? String(p.json) : mergeJsonPatch(typeof earlier === "string" ? JSON.parse(earlier) : earlier, JSON.parse(String(p.json))));
      }
      await insertRows(tx, USER_USAGE, [...docs].map(([upn, doc]) => [runId, upn, typeof doc === "string" ? doc : JSON.stringify(doc)]));
      await tx.run("DELETE FROM user_usage_parts WHERE run_id = ? AND user_principal_name > ? AND user_principal_name <= ?", [runId, after, last]);
      return last;
    });
    if (next === null) return;
    after = next;
  }
}
