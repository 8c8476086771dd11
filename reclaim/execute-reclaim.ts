/**
 * The reclamation executor: the only code that writes to Microsoft Graph. It applies a plan
 * (`executeReclaimPlan`) or undoes an apply run (`executeRollback`) through the journal:
 *
 * 1. the run's actions are journaled `planned` when the run begins (or a crashed run is resumed);
 * 2. per chunk of ≤ 20 users: one `$batch` of re-reads
 *    (`GET /users/{id}?$select=id,accountEnabled,assignedLicenses,licenseAssignmentStates,usageLocation`);
 *    a user already in the after-state is settled without a write (resume, re-run), a user whose
 *    licenses or enablement differ from what the plan recorded is skipped with the difference;
 * 3. write-ahead: each remaining action is journaled `pending` with its before-state, then one `$batch`
 *    of assignLicense calls goes out on the `identityWrite` pacing scope (throttled items are retried
 *    with their Retry-After by the Graph client), and each action is completed with its outcome,
 *    after-state and request ids.
 *
 * A run killed anywhere is resumed by running it again: `planned` actions proceed normally,
 * `pending` ones are settled by the re-read (after-state found → done; before-state still there →
 * written now), so no assignLicense call is ever applied twice. A definitive refusal (a 4xx such as
 * 400 "invalid usage location" or no free seat) is `failed`: settled, nothing changed for that user,
 * so the run can be rolled back; running apply again resumes the same run and retries those users
 * (after the fix the reason names). Only uncertain writes (no answer, 5xx, 429) stay `pending`.
 *
 * The executor trusts the plan it is given: callers check it against the store first
 * (`verifyPlanForApply`: re-justification, limits of the command line, protection, rollbacks).
 */
import { normalizeTenantId } from "../core/normalize-tenant-id.ts";
import { createHash, randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { RefusalError, UsageError, ValidationError } from "../core/errors.ts";
import type { Problem } from "../core/errors.ts";
import type { BatchItem, BatchResponse } from "../graph/graph-client.ts";
import { budgetFor } from "../graph/pace-budgets.ts";
import { createTokenBucket } from "../graph/token-bucket.ts";
import type { ReclaimActionRecord, ReclaimActionStatus, ReclaimJournalRepository, ReclaimRunKind } from "../store/reclaim-journal-repository.ts";
import { describeDifference, directLicenses, holdsAfter, licenseStateOf, restoringChange, stateAfter } from "./license-state.ts";
import type { GraphLicenseUser, LicenseChange } from "./license-state.ts";
import type { LicenseState, ReclaimPlan } from "./plan-schema.ts";

/** The Graph operations the executor needs (the collector's GraphClient satisfies it). */
export interface ReclaimGraph {
  batch(items: BatchItem[], options?: { version?: "v1.0" | "beta"; scope?: "identity" | "identityWrite" }): Promise<BatchResponse[]>;
}

/** A point in the executor where a test may simulate a crash (by throwing from `onStep`). */
export interface ExecutorStep {
  /** `journaled`: the action is pending, its write not yet sent; `written`: its write answered, not yet journaled. */
  phase: "journaled" | "written";
  seq: number;
  userId: string;
}

export interface ExecutorDeps {
  graph: ReclaimGraph;
  journal: ReclaimJournalRepository;
  now: () => Date;
  /** Waits; default a real timer (pacing of writes). */
  sleep?: (ms: number) => Promise<void>;
  /** Called at each step; an exception thrown here stops the run as a crash would. */
  onStep?: (step: ExecutorStep) => void;
  /** Why a user is protected now (a newer snapshot than the plan's says so), or null. Default: never. */
  protectedNow?: (userId: string) => string | null;
}

export interface ExecutedAction {
  seq: number;
  userId: string;
  userPrincipalName: string;
  status: ReclaimActionStatus;
  reason: string | null;
}

export interface ExecutionSummary {
  runId: string;
  kind: ReclaimRunKind;
  /** true when a crashed or failed run was continued. */
  resumed: boolean;
  status: "complete" | "failed";
  /** Why the run stopped early (e.g. the identity may not write), null when it ran to the end. */
  aborted: string | null;
  counts: Record<"done" | "already" | "skipped" | "failed", number>;
  /** Monthly savings of the actions done (negative for a rollback). */
  realizedMonthlySavings: number;
  /** assignLicense calls sent by this invocation. */
  writes: number;
  actions: ExecutedAction[];
}

/** Final outcomes: a resumed run never touches these actions again. */
const FINAL_STATUSES: readonly ReclaimActionStatus[] = ["done", "already", "skipped"];
/**
 * Outcomes whose effect on the tenant is known, so an apply run holding only these can be rolled
 * back: `failed` is a definitive refusal, nothing changed. `planned` and `pending` are not.
 */
export const SETTLED_STATUSES: readonly ReclaimActionStatus[] = [...FINAL_STATUSES, "failed"];

/** Re-read fields: exactly what the precondition and the after-state are made of. */
export const REREAD_SELECT = "id,accountEnabled,assignedLicenses,licenseAssignmentStates,usageLocation";
/** "JSON batch requests are currently limited to 20 individual requests." (graph-api-facts.md §8) */
const BATCH_SIZE = 20;

/**
 * The key a plan is journaled and resumed under: its id plus a digest of its actions, so that a plan
 * a reviewer edited (users deleted from it) never resumes the run of the unedited one.
 */
export function planJournalKey(plan: ReclaimPlan): string {
  return `${plan.planId}:${createHash("sha256").update(JSON.stringify(plan.actions)).digest("hex").slice(0, 8)}`;
}

/**
 * Refuses a (hand-edited) plan that would remove a SKU the user's precondition does not hold
 * directly: group-assigned licenses are never removed directly, and nothing outside the precondition is touched.
 */
export function checkPlanActions(plan: ReclaimPlan, file = "plan"): void {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  plan.actions.forEach((a, i) => {
    if (seen.has(a.userId)) problems.push({ file, line: 0, col: 0, path: `actions[${i}].userId`, message: `user ${a.userId} appears more than once; a plan changes each user with one call` });
    seen.add(a.userId);
    const direct = new Set(directLicenses(a.precondition).map((l) => l.skuId));
    a.remove.forEach((r, j) => {
      if (!direct.has(r.skuId.toLowerCase())) problems.push({ file, line: 0, col: 0, path: `actions[${i}].remove[${j}]`, message: `${r.skuPartNumber} (${r.skuId}) is not directly assigned to ${a.userPrincipalName} in the precondition; only direct assignments are removed` });
    });
    if (a.remove.length === 0) problems.push({ file, line: 0, col: 0, path: `actions[${i}].remove`, message: "an action removes at least one SKU" });
  });
  if (problems.length > 0) throw new ValidationError(problems);
}

/** How long an apply or rollback holds its lease without renewing it (it renews after every batch). */
export const LEASE_TTL_MS = 10 * 60_000;

/**
 * Runs `fn` holding the lease `key`, so two processes never apply (or roll back) the same plan at
 * once; a second one is refused. The lease is renewed after each batch and released at the end; one
 * left by a killed process expires after `LEASE_TTL_MS`.
 */
async function withLease<T>(key: string, deps: ExecutorDeps, fn: (renew: () => Promise<void>) => Promise<T>): Promise<T> {
  const holder = `${hostname()}:${process.pid}:${randomUUID()}`;
  const take = async () => {
    const lease = await deps.journal.acquireLease(key, holder, deps.now(), LEASE_TTL_MS);
    if (!lease.ok) {
      throw new RefusalError("concurrent-run", `another process (${lease.holder}) is running this ${key.split(":")[0]} until ${lease.expiresAt} at the latest; wait for it, or for its lease to expire if it was killed`);
    }
  };
  await take();
  try {
    return await fn(take);
  } finally {
    await deps.journal.releaseLease(key, holder);
  }
}

/** Applies a plan (or resumes its unfinished apply run). Throws `ValidationError` for an inconsistent plan. */
export async function executeReclaimPlan(plan: ReclaimPlan, deps: ExecutorDeps): Promise<ExecutionSummary> {
  return withLease(`apply:${normalizeTenantId(plan.tenantId)}:${planJournalKey(plan)}`, deps, (renew) => applyPlan(plan, deps, renew));
}

async function applyPlan(plan: ReclaimPlan, deps: ExecutorDeps, renew: () => Promise<void>): Promise<ExecutionSummary> {
  checkPlanActions(plan);
  const key = planJournalKey(plan);
  return resumeOrStart("apply", await deps.journal.latest(normalizeTenantId(plan.tenantId), "apply", { planId: key }), deps, renew, () =>
    deps.journal.begin(
    {
      tenantId: normalizeTenantId(plan.tenantId),
      kind: "apply",
      planId: key,
      currency: plan.totals.currency,
      actions: plan.actions.map((a) => ({
        userId: a.userId,
        userPrincipalName: a.userPrincipalName,
        kind: a.kind,
        change: { addLicenses: a.add.map((x) => ({ disabledPlans: x.disabledPlans, skuId: x.skuId })), removeLicenses: a.remove.map((r) => r.skuId) } satisfies LicenseChange,
        expected: a.precondition,
        monthlySavings: a.monthlySavings,
      })),
    },
    deps.now(),
    ),
  );
}

/** What a rollback of `applyRunId` would do: per user the call that restores the before-state. */
export async function planRollback(applyRunId: string, journal: ReclaimJournalRepository): Promise<{ tenantId: string; planId: string; currency: string; actions: ReclaimActionRecord[] }> {
  const run = await journal.run(applyRunId);
  if (!run || run.kind !== "apply") throw new UsageError(`${applyRunId} is not an apply run in this store (see \`seatwise reclaim history\`)`);
  // An unfinished apply may hold pending writes whose outcome is unknown: settle them first, or the
  // rollback would silently leave those users out.
  const unsettled = (await journal.actions(applyRunId)).filter((a) => !SETTLED_STATUSES.includes(a.status)).length;
  if (unsettled > 0) {
    throw new RefusalError(
      "unfinished-apply",
      `apply run ${applyRunId} is ${run.status} with ${unsettled} unsettled action(s); run \`seatwise reclaim apply\` with the same plan again to finish it, then roll back`,
    );
  }
  // Only writes that happened are undone; `already` and `skipped` users were not changed by the run.
  const done = (await journal.actions(applyRunId)).filter((a) => a.status === "done" && a.before !== null && a.after !== null);
  return { tenantId: run.tenantId, planId: run.planId, currency: run.currency, actions: done };
}

/** Restores the before-state of every user an apply run changed (or resumes an unfinished rollback of it). */
export async function executeRollback(applyRunId: string, deps: ExecutorDeps): Promise<ExecutionSummary> {
  return withLease(`rollback:${applyRunId}`, deps, (renew) => rollbackRun(applyRunId, deps, renew));
}

async function rollbackRun(applyRunId: string, deps: ExecutorDeps, renew: () => Promise<void>): Promise<ExecutionSummary> {
  const source = await planRollback(applyRunId, deps.journal);
  return resumeOrStart("rollback", await deps.journal.latest(source.tenantId, "rollback", { rollbackOf: applyRunId }), deps, renew, () =>
    deps.journal.begin(
    {
      tenantId: source.tenantId,
      kind: "rollback",
      planId: source.planId,
      rollbackOf: applyRunId,
      currency: source.currency,
      actions: source.actions.map((a) => ({
        userId: a.userId,
        userPrincipalName: a.userPrincipalName,
        kind: "restore" as const,
        change: restoringChange(a.after as LicenseState, a.before as LicenseState),
        expected: a.after,
        monthlySavings: -a.monthlySavings,
      })),
    },
    deps.now(),
    ),
  );
}

/**
 * Resumes the latest run when it did not complete or holds actions not final (failed ones are
 * retried), unless that run was rolled back since; else starts a new one with `start`.
 */
async function resumeOrStart(kind: ReclaimRunKind, latest: { runId: string; tenantId: string; status: string } | undefined, deps: ExecutorDeps, renew: () => Promise<void>, start: () => Promise<string>): Promise<ExecutionSummary> {
  const resumable =
    latest !== undefined &&
    (latest.status !== "complete" || (await deps.journal.actions(latest.runId)).some((a) => !FINAL_STATUSES.includes(a.status))) &&
    (kind !== "apply" || (await deps.journal.latest(latest.tenantId, "rollback", { rollbackOf: latest.runId })) === undefined);
  if (latest && resumable) {
    await deps.journal.reopen(latest.runId);
    return runActions(latest.runId, kind, true, deps, renew);
  }
  return runActions(await start(), kind, false, deps, renew);
}

async function runActions(runId: string, kind: ReclaimRunKind, resumed: boolean, deps: ExecutorDeps, renew: () => Promise<void>): Promise<ExecutionSummary> {
  const { journal, graph } = deps;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  // Writes cost one unit each against "3,000 per 2 min 30 s per app and tenant"; the Graph client paces the $batch call itself.
  const writeBudget = createTokenBucket(budgetFor("identityWrite", undefined)!, Date.now());
  const open = (await journal.actions(runId)).filter((a) => !FINAL_STATUSES.includes(a.status));
  let aborted: string | null = null;
  let writes = 0;

  for (let i = 0; i < open.length && aborted === null; i += BATCH_SIZE) {
    if (i > 0) await renew();
    const chunk = open.slice(i, i + BATCH_SIZE);
    // A client-request-id per call: Graph logs it, so every journaled call can be traced even when an
    // answer inside $batch carries no request-id of its own.
    const readIds = chunk.map(() => randomUUID());
    const reads = await graph.batch(
      chunk.map((a, k) => ({ id: `r${a.seq}`, method: "GET", url: `/users/${encodeURIComponent(a.userId)}?$select=${REREAD_SELECT}`, headers: { "client-request-id": readIds[k]! } })),
      { scope: "identity" },
    );
    const toWrite: { action: ReclaimActionRecord; before: LicenseState; change: LicenseChange; clientRequestId: string }[] = [];
    for (const [k, a] of chunk.entries()) {
      const read = reads[k]!;
      const readId = requestIdOf(read, readIds[k]!);
      const change = a.change as LicenseChange;
      const base = (a.before ?? a.expected) as LicenseState;
      if (read.status < 200 || read.status > 299) {
        const why = read.status === 404 ? "the user no longer exists" : `re-reading the user failed: ${graphFailure(read)}`;
        await journal.complete(runId, a.seq, { status: read.status === 404 ? "skipped" : "failed", reason: why, requestId: readId }, deps.now());
        if (read.status === 401 || read.status === 403) aborted = `Graph answered ${read.status} to a re-read; this identity may not read users (User.Read.All)`;
        continue;
      }
      const current = licenseStateOf(read.body as GraphLicenseUser);
      if (holdsAfter(base, change, current)) {
        // Written by an earlier, interrupted invocation (pending) or nothing left to do (re-run).
        const settled = a.status === "pending" ? { status: "done" as const, reason: "settled on resume: the after-state was found" } : { status: "already" as const, reason: "the user is already in the planned state" };
        await journal.complete(runId, a.seq, { ...settled, after: current, requestId: readId }, deps.now());
        continue;
      }
      const difference = describeDifference(a.expected as LicenseState, current);
      if (difference !== null) {
        await journal.complete(runId, a.seq, { status: "skipped", reason: `changed since the ${kind === "apply" ? "plan" : "apply"}: ${difference}`, requestId: readId }, deps.now());
        continue;
      }
      const protectedReason = deps.protectedNow?.(a.userId) ?? null;
      if (protectedReason !== null && kind === "apply") {
        await journal.complete(runId, a.seq, { status: "skipped", reason: `now protected: ${protectedReason}`, requestId: readId }, deps.now());
        continue;
      }
      const clientRequestId = randomUUID();
      await journal.markPending(runId, a.seq, current, [readId, clientRequestId], deps.now());
      deps.onStep?.({ phase: "journaled", seq: a.seq, userId: a.userId });
      toWrite.push({ action: a, before: current, change, clientRequestId });
    }
    if (toWrite.length === 0) continue;

    const wait = writeBudget.reserve(toWrite.length, Date.now());
    if (wait > 0) await sleep(wait);
    let results: BatchResponse[];
    try {
      results = await graph.batch(
      toWrite.map((w) => ({
        id: `w${w.action.seq}`,
        method: "POST",
        url: `/users/${encodeURIComponent(w.action.userId)}/assignLicense`,
        headers: { "content-type": "application/json", "client-request-id": w.clientRequestId },
        body: w.change,
      })),
      { scope: "identityWrite" },
      );
    } catch (error) {
      // No certain answer (dropped connection, 5xx): Graph may or may not have applied the writes, and
      // writes are never blindly resent. They stay journaled as pending; the next apply re-reads each
      // user and settles it (done when the after-state holds), so nothing is applied twice.
      aborted = `the license writes got no certain answer (${error instanceof Error ? error.message : String(error)}); they stay pending: run apply again to re-read and settle them`;
      break;
    }
    writes += toWrite.length;
    for (const [k, w] of toWrite.entries()) {
      const res = results[k]!;
      deps.onStep?.({ phase: "written", seq: w.action.seq, userId: w.action.userId });
      const graphRequestId = requestIdOf(res, "");
      const requestId = graphRequestId === w.clientRequestId ? "" : graphRequestId;
      if (res.status >= 200 && res.status <= 299) {
        const expected = stateAfter(w.before, w.change);
        const returned = (res.body as GraphLicenseUser | null)?.assignedLicenses;
        const after = returned ? { ...expected, assignedLicenses: licenseStateOf({ id: w.action.userId, assignedLicenses: returned }).assignedLicenses } : expected;
        await journal.complete(runId, w.action.seq, { status: "done", after, requestId }, deps.now());
        continue;
      }
      if (res.status === 0 || res.status === 429 || res.status >= 500) {
        // Uncertain (see above): leave it pending for the next apply to re-read and settle.
        aborted ??= `assignLicense for ${w.action.userPrincipalName} got ${res.status || "no answer"}; it stays pending: run apply again to re-read and settle it`;
        continue;
      }
      const outcome = classifyWriteError(res, w.change);
      await journal.complete(runId, w.action.seq, { ...outcome, requestId }, deps.now());
      if (res.status === 401 || res.status === 403) aborted = `Graph answered ${res.status} to assignLicense: this identity may not write licenses (it needs LicenseAssignment.ReadWrite.All; use the reclamation identity's configuration)`;
    }
  }

  const actions = await journal.actions(runId);
  const counts = { done: 0, already: 0, skipped: 0, failed: 0 };
  for (const a of actions) if (a.status in counts) counts[a.status as keyof typeof counts]++;
  const status = aborted === null ? "complete" : "failed";
  await journal.finish(runId, status, aborted, deps.now());
  return {
    runId,
    kind,
    resumed,
    status,
    aborted,
    counts,
    realizedMonthlySavings: Math.round(actions.filter((a) => a.status === "done").reduce((n, a) => n + a.monthlySavings, 0) * 100) / 100,
    writes,
    actions: actions.map((a) => ({ seq: a.seq, userId: a.userId, userPrincipalName: a.userPrincipalName, status: a.status, reason: a.reason })),
  };
}

interface GraphErrorBody {
  error?: { code?: string; message?: string; innerError?: Record<string, string> };
}

/** Graph's request id of an answer inside $batch (header or error body), else `fallback`. */
function requestIdOf(res: BatchResponse, fallback: string): string {
  return res.headers["request-id"] ?? (res.body as GraphErrorBody | null)?.error?.innerError?.["request-id"] ?? fallback;
}

function graphFailure(res: BatchResponse): string {
  const e = (res.body as GraphErrorBody | null)?.error;
  return `${res.status}${e?.code ? ` ${e.code}` : ""}: ${e?.message ?? "no error message"}`;
}

/**
 * Graph's assignLicense errors that matter here all come as 400 `Request_BadRequest`: Graph gives no
 * specific code for them (graph-api-facts.md §6 and "Open items"), so these — and only these — are
 * told apart by their message text, which public scripts quote verbatim.
 */
const MSG_NOT_HELD = /does not have a corresponding license/i;
const MSG_INHERITED = /inherited from a group membership/i;
const MSG_USAGE_LOCATION = /invalid usage location/i;
const MSG_NO_SEAT = /does not have any available licenses/i;

function classifyWriteError(res: BatchResponse, change: LicenseChange): { status: "already" | "failed"; reason: string } {
  const message = (res.body as GraphErrorBody | null)?.error?.message ?? "";
  const detail = graphFailure(res);
  if (res.status === 400 && MSG_NOT_HELD.test(message) && change.addLicenses.length === 0) {
    // Removing what the user no longer holds is the outcome we wanted: count it as already done.
    return { status: "already", reason: `already removed (Graph: ${message})` };
  }
  if (res.status === 400 && MSG_NOT_HELD.test(message)) return { status: "failed", reason: `the source license is no longer held, nothing changed (${detail})` };
  if (res.status === 400 && MSG_INHERITED.test(message)) return { status: "failed", reason: `the license is inherited from a group: remove the user from the group instead (${detail})` };
  if (res.status === 400 && MSG_USAGE_LOCATION.test(message)) return { status: "failed", reason: `invalid usage location: set the user's usageLocation, then run again (${detail})` };
  if (res.status === 400 && MSG_NO_SEAT.test(message)) return { status: "failed", reason: `no free seat of the target SKU, nothing changed (${detail})` };
  if (res.status === 403) return { status: "failed", reason: `forbidden: this identity may not assign licenses (${detail})` };
  return { status: "failed", reason: detail };
}
