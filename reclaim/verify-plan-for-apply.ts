/**
 * What apply checks before it may write, against the store (never the plan file alone: anyone who
 * can edit the file can recompute any hash in it):
 *
 * 1. the limits of apply's command line: the plan's snapshot (its collection run, as the store holds
 *    it) is at most `maxSnapshotAgeDays` old now, and the plan changes at most `maxUsers` users;
 * 2. the plan is rebuilt from the store — the run it names, the policy given to apply, its own
 *    creation time, rules and limits — and the file must be that plan or a narrowing of it
 *    (`checkPlanIntegrity`): every remaining action is re-justified, `add` is only the policy's
 *    downgrade target;
 * 3. no remaining user is protected (users, groups, departments of the policy given to apply) in the
 *    newest snapshot in the store — checked every time, whether or not a newer snapshot exists;
 * 4. the plan was not applied and rolled back already, unless `reapplyAfterRollback`.
 *
 * Every failure is a `RefusalError` (exit 3) naming the action and what changed; nothing is written.
 *
 * The rebuild reads only the plan's run, plus the tenant's sign-in history up to the end of that run,
 * so later collections leave it unchanged; the one exception is a sign-in Entra logged late (created
 * before the run ended, collected after): the rebuilt evidence then differs and apply refuses the
 * plan, asking for a new one. Apply given another policy or price book than the plan's refuses too.
 */
import { RefusalError, SeatwiseError } from "../core/errors.ts";
import type { Policy } from "../policies/policy-schema.ts";
import type { ReclaimJournalRepository } from "../store/reclaim-journal-repository.ts";
import { readSnapshotFromStore } from "../store/read-snapshot-from-store.ts";
import type { SqlDatabase } from "../store/sql-database.ts";
import { buildPlanFromStore } from "./build-plan-from-store.ts";
import { checkPlanIntegrity } from "./check-plan-integrity.ts";
import { protectionMatcher } from "./is-protected.ts";
import { defaultUserCap, planTotals } from "./plan-reclaim.ts";
import type { ReclaimPlan } from "./plan-schema.ts";

export interface VerifyOptions {
  now: Date;
  /** The cap of users to change. Default: min(50, 10 % of the licensed users of the plan's snapshot). */
  maxUsers?: number;
  /** Refuse a plan whose snapshot is older than this many days now. Default 7. */
  maxSnapshotAgeDays?: number;
  /** Apply a plan whose earlier apply was rolled back. Default false: refused. */
  reapplyAfterRollback?: boolean;
}

export interface VerifiedPlan {
  /** The plan to execute: the rebuilt plan narrowed as the file narrowed it, with the totals of the actions left. */
  plan: ReclaimPlan;
  /** Why a user is protected in the newest snapshot, or null (the executor checks it again per user). */
  protectedNow: (userId: string) => string | null;
}

const DAY_MS = 86_400_000;
/** At most this many problems are listed in the one-line refusal. */
const LISTED = 6;

function listed(problems: readonly string[]): string {
  const head = problems.slice(0, LISTED).join("; ");
  return problems.length > LISTED ? `${head}; and ${problems.length - LISTED} more` : head;
}

export async function verifyPlanForApply(db: SqlDatabase, journal: ReclaimJournalRepository, plan: ReclaimPlan, policy: Policy, options: VerifyOptions): Promise<VerifiedPlan> {
  const createdAt = Date.parse(plan.createdAt);
  if (!(createdAt <= options.now.getTime())) throw new RefusalError("plan-edited", `createdAt: ${plan.createdAt} is not a time before now`);

  let rebuilt: ReclaimPlan;
  try {
    rebuilt = await buildPlanFromStore(db, policy, {
      now: new Date(createdAt),
      tenantId: plan.tenantId,
      runId: plan.snapshot.runId,
      rules: plan.policy.rules,
      maxSnapshotAgeDays: plan.limits.maxSnapshotAgeDays,
      ...(plan.limits.overridden ? { maxUsers: plan.limits.maxUsers } : {}),
    });
  } catch (error) {
    if (error instanceof SeatwiseError) {
      throw new RefusalError("plan-not-rebuilt", `the plan cannot be rebuilt from the store under the policy given to apply (so it cannot be re-justified): ${error.message}`);
    }
    throw error;
  }

  const maxAge = options.maxSnapshotAgeDays ?? 7;
  const ageDays = (options.now.getTime() - Date.parse(rebuilt.snapshot.collectedAt)) / DAY_MS;
  if (!(ageDays <= maxAge)) {
    throw new RefusalError("stale-plan", `the plan's snapshot was collected ${rebuilt.snapshot.collectedAt} (${Math.floor(ageDays)} days ago), older than the ${maxAge}-day limit (--max-age-days); collect and plan again`);
  }
  const cap = options.maxUsers ?? defaultUserCap(rebuilt.snapshot.licensedUsers);
  if (plan.actions.length > cap) {
    throw new RefusalError(
      "cap-exceeded",
      `the plan would change ${plan.actions.length} users, more than the cap of ${cap} (${options.maxUsers !== undefined ? "--max" : `the smaller of 50 users and 10 % of ${rebuilt.snapshot.licensedUsers} licensed users`}); narrow the plan or raise the cap explicitly with --max N`,
    );
  }

  const { problems, actions } = checkPlanIntegrity(plan, rebuilt);
  if (problems.length > 0) {
    throw new RefusalError(
      "plan-edited",
      `the plan is not the one rebuilt from the store, nor a narrowing of it (plans can only be narrowed: delete actions, or SKUs from an action's remove; give apply the plan's --policy and --prices): ${listed(problems)}`,
    );
  }

  const newest = await readSnapshotFromStore(db, plan.tenantId);
  const match = protectionMatcher(policy.protect, newest);
  const users = new Map(newest.users.map((u) => [u.id, u]));
  const protectedNow = (userId: string) => {
    const user = users.get(userId);
    return user ? match(user) : null;
  };
  const protectedActions = plan.actions.flatMap((a, i) => {
    const why = protectedNow(a.userId);
    return why === null ? [] : [`actions[${i}] (${a.userPrincipalName}): ${why}`];
  });
  if (protectedActions.length > 0) {
    throw new RefusalError("protected", `protected in the newest snapshot (${newest.collectedAt}): ${listed(protectedActions)}; delete these actions from the plan or plan again`);
  }

  if (!options.reapplyAfterRollback) {
    const runs = await journal.list(plan.tenantId);
    const rollback = runs.find((r) => r.kind === "rollback" && (r.planId === plan.planId || r.planId.startsWith(`${plan.planId}:`)));
    if (rollback) {
      throw new RefusalError("rolled-back", `plan ${plan.planId} was applied (run ${rollback.rollbackOf ?? "?"}) and rolled back (run ${rollback.runId}); to apply it again on purpose, add --reapply-after-rollback`);
    }
  }

  return { plan: { ...rebuilt, actions, totals: planTotals(actions, rebuilt.groupRemovals.length, rebuilt.totals.currency) }, protectedNow };
}
