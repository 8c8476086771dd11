/**
 * Per-run aggregates for the report's trend: how many users held a license in each complete run
 * (from the run's own rows), and the summary an evaluation of that run recorded (licensed and active
 * users, spend, idle spend, savings) as the run fact `summary.v1`. Older runs evaluated by no one
 * show licensed users only.
 */
import { insertRows } from "./insert-rows.ts";
import type { SqlDatabase } from "./sql-database.ts";

/** What an evaluation of one run found, money per month in `currency`. */
export interface RunSummary {
  evaluatedAt: string;
  currency: string;
  licensedUsers: number;
  /** null when the run's activity data could not tell. */
  activeUsers: number | null;
  spend: number;
  idleSpend: number;
  savings: number;
}

export interface RunTrendPoint {
  runId: string;
  /** When the run finished. */
  collectedAt: string;
  licensedUsers: number;
  summary: RunSummary | null;
}

export interface RunSummaryRepository {
  /** Records (or replaces) the summary of an evaluation of `runId`. */
  save(runId: string, summary: RunSummary): Promise<void>;
  /** Every complete run of the tenant still in the store, oldest first. */
  trend(tenantId: string): Promise<RunTrendPoint[]>;
}

const SUMMARY_FACT = "summary.v1";

export function createRunSummaryRepository(db: SqlDatabase): RunSummaryRepository {
  return {
    async save(runId, summary) {
      await insertRows(db, { table: "run_facts", columns: ["run_id", "name", "value"], key: ["run_id", "name"], onConflict: "replace" }, [[runId, SUMMARY_FACT, JSON.stringify(summary)]]);
    },
    async trend(tenantId) {
      const rows = await db.all(
        `SELECT r.run_id, COALESCE(r.finished_at, r.started_at) AS collected_at,
                (SELECT COUNT(DISTINCT l.user_id) FROM user_licenses l WHERE l.run_id = r.run_id) AS licensed,
                (SELECT f.value FROM run_facts f WHERE f.run_id = r.run_id AND f.name = ?) AS summary
         FROM runs r WHERE r.tenant_id = ? AND r.status = 'complete' ORDER BY r.started_at, r.seq`,
        [SUMMARY_FACT, tenantId],
      );
      return rows.map((r) => ({
        runId: String(r.run_id),
        collectedAt: String(r.collected_at),
        licensedUsers: Number(r.licensed),
        summary: r.summary === null || r.summary === undefined ? null : (JSON.parse(String(r.summary)) as RunSummary),
      }));
    },
  };
}
