/**
 * The reclamation journal (migration 4): apply and rollback runs and, per action, the before and
 * after license states, timestamps, Graph request ids and outcome. Write-ahead: the executor marks
 * an action `pending` (with its before-state) before the assignLicense call goes out and completes it
 * after, so a run killed in between is settled on resume by re-reading the user.
 * SQL snake_case ↔ TypeScript camelCase mapping lives here only.
 */
import { randomUUID } from "node:crypto";
import type { SqlDatabase, SqlRow } from "./sql-database.ts";

export const RECLAIM_RUN_KINDS = ["apply", "rollback"] as const;
export type ReclaimRunKind = (typeof RECLAIM_RUN_KINDS)[number];

export const RECLAIM_RUN_STATUSES = ["running", "complete", "failed"] as const;
export type ReclaimRunStatus = (typeof RECLAIM_RUN_STATUSES)[number];

/**
 * `planned`: not started; `pending`: journaled, the write may or may not have happened; `done`: the
 * write succeeded (or, on resume, the after-state was found); `already`: nothing to do, the user
 * already was in the after-state; `skipped`: the user changed since the plan (reason says how);
 * `failed`: Graph refused the write definitively (reason says why), nothing changed for this user;
 * a resumed run retries it.
 */
export const RECLAIM_ACTION_STATUSES = ["planned", "pending", "done", "already", "skipped", "failed"] as const;
export type ReclaimActionStatus = (typeof RECLAIM_ACTION_STATUSES)[number];


export interface ReclaimRunRecord {
  runId: string;
  tenantId: string;
  kind: ReclaimRunKind;
  planId: string;
  /** For a rollback: the apply run it undoes. */
  rollbackOf: string | null;
  startedAt: string;
  finishedAt: string | null;
  status: ReclaimRunStatus;
  currency: string;
  detail: string | null;
}

export interface ReclaimActionRecord {
  runId: string;
  seq: number;
  userId: string;
  userPrincipalName: string;
  kind: "remove" | "downgrade" | "restore";
  /** The assignLicense body, JSON-ready. */
  change: unknown;
  /** For apply: the plan's precondition; for a rollback: the apply's after-state the user must still be in. */
  expected: unknown;
  monthlySavings: number;
  status: ReclaimActionStatus;
  reason: string | null;
  before: unknown;
  after: unknown;
  /**
   * Ids to trace each Graph call with, in order: the `client-request-id` Seatwise sent with the
   * re-read and with the write (Graph logs it), and Graph's own `request-id` where the answer had one.
   */
  requestIds: string[];
  journaledAt: string | null;
  completedAt: string | null;
}

export type NewReclaimAction = Pick<ReclaimActionRecord, "userId" | "userPrincipalName" | "kind" | "change" | "expected" | "monthlySavings">;

export interface ReclaimJournalRepository {
  /** Starts a run with its actions, all `planned`, in one transaction. Returns the run id. */
  begin(init: { tenantId: string; kind: ReclaimRunKind; planId: string; rollbackOf?: string; currency: string; actions: readonly NewReclaimAction[] }, now: Date): Promise<string>;
  run(runId: string): Promise<ReclaimRunRecord | undefined>;
  /** The newest run of a kind for a plan (apply) or of an apply run (rollback). */
  latest(tenantId: string, kind: ReclaimRunKind, key: { planId?: string; rollbackOf?: string }): Promise<ReclaimRunRecord | undefined>;
  /** Marks a resumed run running again. */
  reopen(runId: string): Promise<void>;
  finish(runId: string, status: "complete" | "failed", detail: string | null, now: Date): Promise<void>;
  actions(runId: string): Promise<ReclaimActionRecord[]>;
  /** Write-ahead: records the before-state and marks the action pending, before its write is sent. */
  markPending(runId: string, seq: number, before: unknown, requestIds: readonly string[], now: Date): Promise<void>;
  /** Settles an action (done, already, skipped or failed). */
  complete(runId: string, seq: number, outcome: { status: Exclude<ReclaimActionStatus, "planned" | "pending">; reason?: string | null; before?: unknown; after?: unknown; requestId?: string }, now: Date): Promise<void>;
  /** Every run, newest first (optionally of one tenant). */
  list(tenantId?: string): Promise<ReclaimRunRecord[]>;
  /**
   * Takes (or renews) the lease on `key` for `holder` until `now + ttlMs`, unless another holder has
   * an unexpired one: then answers that holder and its expiry. A crashed holder's lease just expires.
   */
  acquireLease(key: string, holder: string, now: Date, ttlMs: number): Promise<{ ok: true } | { ok: false; holder: string; expiresAt: string }>;
  releaseLease(key: string, holder: string): Promise<void>;
}

const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));
const parse = (v: unknown): unknown => (v === null || v === undefined ? null : JSON.parse(String(v)));

function toRun(r: SqlRow): ReclaimRunRecord {
  return {
    runId: String(r.run_id),
    tenantId: String(r.tenant_id),
    kind: String(r.kind) as ReclaimRunKind,
    planId: String(r.plan_id),
    rollbackOf: r.rollback_of === null ? null : String(r.rollback_of),
    startedAt: String(r.started_at),
    finishedAt: r.finished_at === null ? null : String(r.finished_at),
    status: String(r.status) as ReclaimRunStatus,
    currency: String(r.currency),
    detail: r.detail === null ? null : String(r.detail),
  };
}

function toAction(r: SqlRow): ReclaimActionRecord {
  return {
    runId: String(r.run_id),
    seq: Number(r.seq),
    userId: String(r.user_id),
    userPrincipalName: String(r.user_principal_name),
    kind: String(r.kind) as ReclaimActionRecord["kind"],
    change: parse(r.change_json),
    expected: parse(r.expected_json),
    monthlySavings: Number(r.monthly_savings),
    status: String(r.status) as ReclaimActionStatus,
    reason: r.reason === null ? null : String(r.reason),
    before: parse(r.before_json),
    after: parse(r.after_json),
    requestIds: String(r.request_ids ?? "").split(" ").filter(Boolean),
    journaledAt: r.journaled_at === null ? null : String(r.journaled_at),
    completedAt: r.completed_at === null ? null : String(r.completed_at),
  };
}

export function createReclaimJournalRepository(db: SqlDatabase): ReclaimJournalRepository {
  const appendRequestId = async (tx: SqlDatabase, runId: string, seq: number, id: string | undefined) => {
    if (id) await tx.run("UPDATE reclaim_actions SET request_ids = trim(request_ids || ' ' || CAST(? AS TEXT)) WHERE run_id = ? AND seq = ?", [id, runId, seq]);
  };
  return {
    async begin(init, now) {
      const runId = randomUUID();
      await db.transaction(async (tx) => {
        await tx.run("INSERT INTO reclaim_runs (run_id, tenant_id, kind, plan_id, rollback_of, started_at, status, currency) VALUES (?, ?, ?, ?, ?, ?, 'running', ?)", [
          runId,
          init.tenantId,
          init.kind,
          init.planId,
          init.rollbackOf ?? null,
          now.toISOString(),
          init.currency,
        ]);
        for (const [seq, a] of init.actions.entries()) {
          await tx.run(
            "INSERT INTO reclaim_actions (run_id, seq, user_id, user_principal_name, kind, change_json, expected_json, monthly_savings, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'planned')",
            [runId, seq, a.userId, a.userPrincipalName, a.kind, JSON.stringify(a.change), JSON.stringify(a.expected), a.monthlySavings],
          );
        }
      });
      return runId;
    },
    async run(runId) {
      const [row] = await db.all("SELECT * FROM reclaim_runs WHERE run_id = ?", [runId]);
      return row ? toRun(row) : undefined;
    },
    async latest(tenantId, kind, key) {
      const [row] =
        key.rollbackOf !== undefined
          ? await db.all("SELECT * FROM reclaim_runs WHERE tenant_id = ? AND kind = ? AND rollback_of = ? ORDER BY started_at DESC, seq DESC LIMIT 1", [tenantId, kind, key.rollbackOf])
          : await db.all("SELECT * FROM reclaim_runs WHERE tenant_id = ? AND kind = ? AND plan_id = ? ORDER BY started_at DESC, seq DESC LIMIT 1", [tenantId, kind, key.planId ?? ""]);
      return row ? toRun(row) : undefined;
    },
    async reopen(runId) {
      await db.run("UPDATE reclaim_runs SET status = 'running', finished_at = NULL WHERE run_id = ?", [runId]);
    },
    async finish(runId, status, detail, now) {
      await db.run("UPDATE reclaim_runs SET status = ?, finished_at = ?, detail = ? WHERE run_id = ?", [status, now.toISOString(), detail, runId]);
    },
    async actions(runId) {
      return (await db.all("SELECT * FROM reclaim_actions WHERE run_id = ? ORDER BY seq", [runId])).map(toAction);
    },
    async markPending(runId, seq, before, requestIds, now) {
      await db.transaction(async (tx) => {
        await tx.run("UPDATE reclaim_actions SET status = 'pending', before_json = ?, journaled_at = ?, reason = NULL WHERE run_id = ? AND seq = ?", [json(before), now.toISOString(), runId, seq]);
        for (const id of requestIds) await appendRequestId(tx, runId, seq, id);
      });
    },
    async complete(runId, seq, outcome, now) {
      await db.transaction(async (tx) => {
        await tx.run(
          `UPDATE reclaim_actions SET status = ?, reason = ?, completed_at = ?,
             before_json = COALESCE(?, before_json), after_json = COALESCE(?, after_json) WHERE run_id = ? AND seq = ?`,
          [outcome.status, outcome.reason ?? null, now.toISOString(), json(outcome.before), json(outcome.after), runId, seq],
        );
        await appendRequestId(tx, runId, seq, outcome.requestId);
      });
    },
    async list(tenantId) {
      const rows =
        tenantId === undefined
          ? await db.all("SELECT * FROM reclaim_runs ORDER BY started_at DESC, seq DESC")
          : await db.all("SELECT * FROM reclaim_runs WHERE tenant_id = ? ORDER BY started_at DESC, seq DESC", [tenantId]);
      return rows.map(toRun);
    },
    acquireLease(key, holder, now, ttlMs) {
      return db.transaction(async (tx) => {
        // One atomic upsert: taken when free, expired, or already ours. PostgreSQL locks the row (a
        // concurrent acquirer waits for this transaction); SQLite's write transaction is exclusive.
        const taken = await tx.run(
          `INSERT INTO reclaim_leases (lease_key, holder, expires_at) VALUES (?, ?, ?)
           ON CONFLICT (lease_key) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
           WHERE reclaim_leases.holder = excluded.holder OR reclaim_leases.expires_at <= ?`,
          [key, holder, new Date(now.getTime() + ttlMs).toISOString(), now.toISOString()],
        );
        if (taken === 1) return { ok: true as const };
        const [row] = await tx.all(`SELECT holder, expires_at FROM reclaim_leases WHERE lease_key = ?${tx.dialect === "postgres" ? " FOR UPDATE" : ""}`, [key]);
        return { ok: false as const, holder: String(row?.holder), expiresAt: String(row?.expires_at) };
      });
    },
    async releaseLease(key, holder) {
      await db.run("DELETE FROM reclaim_leases WHERE lease_key = ? AND holder = ?", [key, holder]);
    },
  };
}
