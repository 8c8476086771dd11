/**
 * What `seatwise reclaim plan` does between the store and the plan file: read the latest snapshot
 * and license states, evaluate the policy, plan. For callers that hold an open store (the CLI, the demo).
 */
import type { SqlDatabase } from "../store/sql-database.ts";
import { evaluate } from "../policies/evaluate.ts";
import type { Policy } from "../policies/policy-schema.ts";
import { planReclaim } from "./plan-reclaim.ts";
import type { PlanReclaimOptions } from "./plan-reclaim.ts";
import type { ReclaimPlan } from "./plan-schema.ts";
import { readPlanInputs } from "./read-plan-inputs.ts";

/** Builds a plan from the store's latest complete snapshot (of `tenantId` when the store holds several). */
export async function buildPlanFromStore(db: SqlDatabase, policy: Policy, options: PlanReclaimOptions & { tenantId?: string }): Promise<ReclaimPlan> {
  const inputs = await readPlanInputs(db, options.tenantId);
  const evaluation = await evaluate(inputs.snapshot, policy, { now: options.now });
  return planReclaim({ snapshot: inputs.snapshot, evaluation, policy, licenseStates: inputs.licenseStates, servicePlans: inputs.servicePlans }, options);
}
