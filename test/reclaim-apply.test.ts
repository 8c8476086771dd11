/**
 * Reclamation against the simulator over HTTPS: apply, rollback, the re-read precondition, the
 * reader identity's 403, idempotent re-runs and the journal.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { executeReclaimPlan, executeRollback } from "../reclaim/execute-reclaim.ts";
import type { ExecutorDeps, ReclaimGraph } from "../reclaim/execute-reclaim.ts";
import type { ReclaimPlan } from "../reclaim/plan-schema.ts";
import { readReclaimHistory } from "../reclaim/reclaim-history.ts";
import { countingWrites, startReclaimFixture } from "../reclaim/testing/reclaim-sim-fixture.ts";
import type { ReclaimFixture } from "../reclaim/testing/reclaim-sim-fixture.ts";
import { dropFreshStores, STORE_ENGINES } from "../store/testing/store-engines.ts";

afterAll(dropFreshStores);

describe.each(STORE_ENGINES)("reclaim apply and rollback against the simulator ($name)", (engine) => {
  let f: ReclaimFixture;
  let plan: ReclaimPlan;
  /** A service plan id disabled on one planned user's license before collection (rollback must bring it back). */
  let disabledUser: { userId: string; skuId: string; plan: string };


  const deps = (graph: ReclaimGraph): ExecutorDeps => ({ graph, journal: f.journal, now: () => f.sim.tenant.now });

  beforeAll(async () => {
    f = await startReclaimFixture({ users: 120, seed: 5, engine });
    // Give one directly licensed user a disabled service plan, then collect again so the plan records it.
    const first = await f.plan();
    const action = first.actions.find((a) => a.kind === "remove")!;
    const index = f.sim.tenant.indexOf(action.userId);
    const user = f.sim.tenant.userAt(index);
    const sku = f.sim.tenant.skus.find((s) => s.skuId.toLowerCase() === action.remove[0]!.skuId)!;
    const servicePlan = sku.servicePlans[0]!.servicePlanId;
    f.sim.tenant.setLicenses(
      index,
      user.licenses.map((l) => (l.assignedByGroup === null && l.skuId.toLowerCase() === sku.skuId.toLowerCase() ? { ...l, disabledPlans: [servicePlan] } : l)),
    );
    disabledUser = { userId: action.userId, skuId: sku.skuId.toLowerCase(), plan: servicePlan.toLowerCase() };
    await f.collect();
    plan = await f.plan();
  }, 30_000);

  afterAll(async () => {
    await f?.close();
  });

  it("builds a plan with removals, a downgrade and the disabled plans in the precondition", async () => {
    expect(plan.actions.length).toBeGreaterThanOrEqual(5);
    expect(plan.actions.some((a) => a.kind === "downgrade" && a.add.length === 1)).toBe(true);
    const withDisabled = plan.actions.find((a) => a.userId === disabledUser.userId)!;
    expect(withDisabled.precondition.assignedLicenses.find((l) => l.skuId === disabledUser.skuId)?.disabledPlans).toEqual([disabledUser.plan]);
  });

  it("refuses the reader identity with Graph's 403 and changes nothing", async () => {
    const before = f.licenses();
    const summary = await executeReclaimPlan(plan, deps(f.reader));
    expect(summary.status).toBe("failed");
    expect(summary.aborted).toMatch(/403/);
    expect(summary.counts.done).toBe(0);
    expect(summary.actions.filter((a) => a.status === "failed").every((a) => /forbidden/.test(a.reason ?? ""))).toBe(true);
    expect(f.licenses()).toEqual(before);
  });

  it("applies exactly the planned changes (resuming the refused run), then rolls every user back to the exact original", async () => {
    const original = f.licenses();
    const { graph, writes } = countingWrites(f.reclaimer);
    const applied = await executeReclaimPlan(plan, deps(graph));
    expect(applied.resumed).toBe(true);
    expect(applied.status).toBe("complete");
    expect(applied.counts.failed).toBe(0);
    expect(applied.counts.done).toBe(plan.actions.length);
    expect([...writes.values()].every((n) => n === 1)).toBe(true);
    const after = f.licenses();
    for (const a of plan.actions) {
      const held = after.get(a.userId)!.filter((l) => l.assignedByGroup === null).map((l) => l.skuId);
      for (const r of a.remove) expect(held).not.toContain(r.skuId);
      for (const x of a.add) expect(held).toContain(x.skuId);
      // Everything not named by the plan is untouched.
      const untouched = (list: typeof held) => list.filter((s) => !a.remove.some((r) => r.skuId === s) && !a.add.some((x) => x.skuId === s));
      expect(untouched(held).sort()).toEqual(untouched(original.get(a.userId)!.filter((l) => l.assignedByGroup === null).map((l) => l.skuId)).sort());
    }
    const others = [...original.keys()].filter((id) => !plan.actions.some((a) => a.userId === id));
    for (const id of others) expect(after.get(id)).toEqual(original.get(id));

    const journal = await f.journal.actions(applied.runId);
    expect(journal.every((a) => a.requestIds.length >= 2 && a.before !== null && a.after !== null && a.journaledAt !== null && a.completedAt !== null)).toBe(true);

    const rolled = await executeRollback(applied.runId, deps(f.reclaimer));
    expect(rolled.status).toBe("complete");
    expect(rolled.counts.done).toBe(plan.actions.length);
    expect(f.licenses()).toEqual(original);
    expect(f.licenses().get(disabledUser.userId)!.find((l) => l.skuId === disabledUser.skuId && l.assignedByGroup === null)?.disabledPlans).toEqual([disabledUser.plan]);

    const history = await readReclaimHistory(f.journal);
    const applyEntry = history.find((h) => h.runId === applied.runId)!;
    const rollbackEntry = history.find((h) => h.runId === rolled.runId)!;
    expect(applyEntry.realizedMonthlySavings).toBe(plan.totals.monthlySavings);
    expect(rollbackEntry.realizedMonthlySavings).toBe(-plan.totals.monthlySavings);
    expect(rollbackEntry.rollbackOf).toBe(applied.runId);
  });

  it("changes nothing when a finished plan or rollback is run again", async () => {
    const first = await executeReclaimPlan(plan, deps(f.reclaimer));
    expect(first.counts.done).toBe(plan.actions.length);
    const state = f.licenses();
    const { graph, writes } = countingWrites(f.reclaimer);
    const again = await executeReclaimPlan(plan, deps(graph));
    expect(again.resumed).toBe(false);
    expect(again.writes).toBe(0);
    expect(writes.size).toBe(0);
    expect(again.counts.already).toBe(plan.actions.length);
    expect(f.licenses()).toEqual(state);
    const rolled = await executeRollback(first.runId, deps(f.reclaimer));
    expect(rolled.counts.done).toBe(plan.actions.length);
    const rolledAgain = await executeRollback(first.runId, deps(f.reclaimer));
    expect(rolledAgain.writes).toBe(0);
    expect(rolledAgain.counts.already).toBe(plan.actions.length);
  });

  it("skips, with the reason, a user whose licenses changed since the plan, and rolls back only what it changed", async () => {
    const original = f.licenses();
    const target = plan.actions[0]!;
    const index = f.sim.tenant.indexOf(target.userId);
    const user = f.sim.tenant.userAt(index);
    const extra = f.sim.tenant.skus.find((s) => s.appliesTo === "User" && !user.licenses.some((l) => l.skuId === s.skuId))!;
    f.sim.tenant.setLicenses(index, [...user.licenses, { skuId: extra.skuId, disabledPlans: [], assignedByGroup: null, state: "Active", error: "None", lastUpdatedDateTime: "2026-11-20T08:00:00Z" }]);
    const changed = f.licenses();
    const applied = await executeReclaimPlan(plan, deps(f.reclaimer));
    const outcome = applied.actions.find((a) => a.userId === target.userId)!;
    expect(outcome.status).toBe("skipped");
    expect(outcome.reason).toMatch(/changed since the plan: assignedLicenses changed/);
    expect(f.licenses().get(target.userId)).toEqual(changed.get(target.userId));
    expect(applied.counts.done).toBe(plan.actions.length - 1);
    await executeRollback(applied.runId, deps(f.reclaimer));
    const restored = f.licenses();
    for (const [id, list] of changed) expect(restored.get(id)).toEqual(list);
    f.sim.tenant.setLicenses(index, user.licenses);
    expect(f.licenses()).toEqual(original);
  });

  describe("a definitive refusal of one user (no free seat of the downgrade target)", () => {
    it("is settled: the run rolls back exactly; re-running apply resumes the same run and retries only the refused users", async () => {
      const original = f.licenses();
      const targetSkuId = plan.actions.find((a) => a.add.length > 0)!.add[0]!.skuId;
      const refused = plan.actions.filter((a) => a.add.some((x) => x.skuId === targetSkuId)).map((a) => a.userId);
      const sku = f.sim.tenant.skus.find((s) => s.skuId.toLowerCase() === targetSkuId)!;
      const seats = { ...sku.prepaidUnits };
      // Removals of the target SKU in the same run free seats of it: leave none free even after them.
      const freed = plan.actions.filter((a) => a.remove.some((r) => r.skuId === targetSkuId)).length;
      const block = () => (sku.prepaidUnits.enabled = f.sim.tenant.consumedUnits(sku.skuId) - freed - sku.prepaidUnits.warning);
      const unblock = () => Object.assign(sku.prepaidUnits, seats);
      try {
        block();
        const partial = await executeReclaimPlan(plan, deps(f.reclaimer));
        expect(partial.status).toBe("complete");
        expect(partial.counts).toEqual({ done: plan.actions.length - refused.length, already: 0, skipped: 0, failed: refused.length });
        for (const id of refused) {
          expect(partial.actions.find((a) => a.userId === id)).toMatchObject({ status: "failed", reason: expect.stringContaining("no free seat") });
          expect(f.licenses().get(id)).toEqual(original.get(id));
        }
        unblock(); // the rollback gives the removed seats back
        const rolled = await executeRollback(partial.runId, deps(f.reclaimer));
        expect(rolled.status).toBe("complete");
        expect(rolled.counts.done).toBe(plan.actions.length - refused.length);
        expect(f.licenses()).toEqual(original);

        // Again (a new run: the first was rolled back), still no seat; then seats are bought and apply runs again.
        block();
        const second = await executeReclaimPlan(plan, deps(f.reclaimer));
        expect(second.runId).not.toBe(partial.runId);
        expect(second.counts.failed).toBe(refused.length);
        unblock();
        const { graph, writes } = countingWrites(f.reclaimer);
        const resumed = await executeReclaimPlan(plan, deps(graph));
        expect(resumed.resumed).toBe(true);
        expect(resumed.runId).toBe(second.runId);
        expect(resumed.counts).toEqual({ done: plan.actions.length, already: 0, skipped: 0, failed: 0 });
        expect([...writes.keys()].sort()).toEqual([...refused].sort());
        await executeRollback(second.runId, deps(f.reclaimer));
        expect(f.licenses()).toEqual(original);
      } finally {
        unblock();
      }
    });
  });
});
