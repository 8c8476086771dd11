/**
 * Collection runs: begin, finish, find the latest complete one, and clean up after crashes.
 * A run left `running` by a killed process is marked `abandoned` (and its rows deleted) when the
 * next run for that tenant begins, so the previous complete snapshot stays the visible one.
 */
import { randomUUID } from "node:crypto";
import type { SqlDatabase } from "./sql-database.ts";

/** Tables whose rows belong to one run. */
export const RUN_TABLES = ["coverage", "users", "user_licenses", "skus", "report_status", "user_usage", "user_usage_parts", "mfa_registration", "apps", "app_assignments", "groups", "group_members", "run_facts", "mailbox_settings"] as const;

export type RunStatus = "running" | "complete" | "failed" | "abandoned";

export interface RunRecord {
  runId: string;
  tenantId: string;
  startedAt: string;
  finishedAt: string | null;
  status: RunStatus;
  roles: string[];
  summary: unknown;
}

export interface RunRepository {
  begin(tenantId: string, roles: readonly string[], now: Date): Promise<string>;
  finish(runId: string, status: "complete" | "failed", summary: unknown, now: Date): Promise<void>;
  latestComplete(tenantId: string): Promise<RunRecord | undefined>;
  list(tenantId: string): Promise<RunRecord[]>;
  /** Keeps the newest `keep` complete runs and deletes older runs (their rows cascade). Returns how many. */
  expire(tenantId: string, keep: number): Promise<number>;
}

export function createRunRepository(db: SqlDatabase): RunRepository {
  const toRecord = (r: Record<string, unknown>): RunRecord => ({
    runId: String(r.run_id),
    tenantId: String(r.tenant_id),
    startedAt: String(r.started_at),
    finishedAt: r.finished_at === null ? null : String(r.finished_at),
    status: r.status as RunStatus,
    roles: JSON.parse(String(r.roles_json)) as string[],
    summary: r.summary_json === null ? null : JSON.parse(String(r.summary_json)),
  });
  return {
    async begin(tenantId, roles, now) {
      const runId = randomUUID();
      await db.transaction(async (tx) => {
        // Row locks on PostgreSQL: a finish() of a stale run waits, then finds it no longer running.
        const stale = await tx.all(`SELECT run_id FROM runs WHERE tenant_id = ? AND status = 'running'${tx.dialect === "postgres" ? " FOR UPDATE" : ""}`, [tenantId]);
        for (const s of stale) {
          await tx.run("UPDATE runs SET status = 'abandoned', finished_at = ? WHERE run_id = ?", [now.toISOString(), s.run_id ?? null]);
          for (const table of RUN_TABLES) await tx.run(`DELETE FROM ${table} WHERE run_id = ?`, [s.run_id ?? null]);
        }
        await tx.run("INSERT INTO runs (run_id, tenant_id, started_at, status, roles_json) VALUES (?, ?, ?, 'running', ?)", [runId, tenantId, now.toISOString(), JSON.stringify(roles)]);
      });
      return runId;
    },
    async finish(runId, status, summary, now) {
      await db.run("UPDATE runs SET status = ?, finished_at = ?, summary_json = ? WHERE run_id = ? AND status = 'running'", [status, now.toISOString(), JSON.stringify(summary), runId]);
    },
    async latestComplete(tenantId) {
      const [row] = await db.all("SELECT * FROM runs WHERE tenant_id = ? AND status = 'complete' ORDER BY started_at DESC, seq DESC LIMIT 1", [tenantId]);
      return row ? toRecord(row) : undefined;
    },
    async list(tenantId) {
      return (await db.all("SELECT * FROM runs WHERE tenant_id = ? ORDER BY started_at, seq", [tenantId])).map(toRecord);
    },
    async expire(tenantId, keep) {
      // Keep the newest `keep` complete runs; failed and abandoned runs older than the oldest kept one go too.
      const kept = await db.all("SELECT started_at FROM runs WHERE tenant_id = ? AND status = 'complete' ORDER BY started_at DESC, seq DESC LIMIT 1 OFFSET ?", [tenantId, Math.max(0, keep - 1)]);
      const cutoff = kept[0]?.started_at;
      if (cutoff === undefined || cutoff === null) return 0;
      const old = await db.all(
        `SELECT run_id FROM runs WHERE tenant_id = ? AND status IN ('complete', 'failed', 'abandoned') AND started_at <= ?
         AND run_id NOT IN (SELECT run_id FROM runs WHERE tenant_id = ? AND status = 'complete' ORDER BY started_at DESC, seq DESC LIMIT ?)`,
        [tenantId, cutoff, tenantId, keep],
      );
      return db.transaction(async (tx) => {
        let n = 0;
        for (const r of old) n += await tx.run("DELETE FROM runs WHERE run_id = ?", [r.run_id ?? null]);
        return n;
      });
    },
  };
}
