/**
 * Property: an apply killed at any point (a crash injected through the executor's step hook: after
 * an action was journaled pending but before its write, or after its write answered but before the
 * journal recorded it) and then resumed applies each action exactly once and ends in the same state
 * as an uninterrupted apply. 5 tenants × 5 crash points = 25 seeds.
 */
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createRng } from "../simulator/tenant/prng.ts";
import { executeReclaimPlan, executeRollback } from "../reclaim/execute-reclaim.ts";
import type { ExecutorStep, ReclaimGraph } from "../reclaim/execute-reclaim.ts";
import { countingWrites, startReclaimFixture } from "../reclaim/testing/reclaim-sim-fixture.ts";
import type { ReclaimFixture } from "../reclaim/testing/reclaim-sim-fixture.ts";
import { dropFreshStores, STORE_ENGINES } from "../store/testing/store-engines.ts";

class SimulatedCrash extends Error {}

const open: ReclaimFixture[] = [];
afterEach(async () => {
  for (const f of open.splice(0)) await f.close();
});
afterAll(dropFreshStores);


const TENANT_SEEDS = [101, 202, 303, 404, 505];
const CRASHES_PER_TENANT = 5;

describe.each(STORE_ENGINES)("apply killed at a random point, then resumed ($name)", (engine) => {
  for (const tenantSeed of TENANT_SEEDS) {
    it(`applies each action exactly once and ends as an uninterrupted apply (tenant seed ${tenantSeed})`, async () => {
      const f = await startReclaimFixture({ users: 60 + (tenantSeed % 7) * 10, seed: tenantSeed, engine });
      open.push(f);
      const plan = await f.plan();
      expect(plan.actions.length).toBeGreaterThan(2);
      const deps = (graph: ReclaimGraph, onStep?: (s: ExecutorStep) => void) => ({ graph, journal: f.journal, now: () => f.sim.tenant.now, ...(onStep ? { onStep } : {}) });

      const original = f.licenses();
      const clean = countingWrites(f.reclaimer);
      const uninterrupted = await executeReclaimPlan(plan, deps(clean.graph));
      expect(uninterrupted.counts.failed).toBe(0);
      const expectedState = f.licenses();
      const expectedWriters = [...clean.writes.keys()].sort();
      await executeRollback(uninterrupted.runId, deps(f.reclaimer));
      expect(f.licenses()).toEqual(original);

      const rng = createRng(tenantSeed);
      for (let trial = 0; trial < CRASHES_PER_TENANT; trial++) {
        const crashAt = rng.int(0, plan.actions.length - 1);
        const phase: ExecutorStep["phase"] = rng.chance(0.5) ? "journaled" : "written";
        const run = countingWrites(f.reclaimer);
        await expect(
          executeReclaimPlan(
            plan,
            deps(run.graph, (s) => {
              if (s.seq === crashAt && s.phase === phase) throw new SimulatedCrash(`crash at ${phase} of action ${crashAt}`);
            }),
          ),
        ).rejects.toThrow(SimulatedCrash);
        const resumed = await executeReclaimPlan(plan, deps(run.graph));
        expect(resumed.resumed, `trial ${trial}`).toBe(true);
        expect(resumed.status).toBe("complete");
        expect([...run.writes.values()].every((n) => n === 1), `trial ${trial}: an action was written twice`).toBe(true);
        expect([...run.writes.keys()].sort()).toEqual(expectedWriters);
        expect(resumed.counts).toEqual(uninterrupted.counts);
        expect(f.licenses()).toEqual(expectedState);
        await executeRollback(resumed.runId, deps(f.reclaimer));
        expect(f.licenses()).toEqual(original);
      }
    });
  }
});
