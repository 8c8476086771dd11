/**
 * What `seatwise reclaim plan` does between the store and the plan file: read a snapshot (the latest,
 * or the run a plan names) and its license states, evaluate the policy, plan. For callers that hold
 * an open store (the CLI, the demo, apply's rebuild).
 */
import type { SqlDatabase } from "../store/sql-database.ts";
import { evaluate } from "../policies/evaluate.ts";
import type { Policy } from "../policies/policy-schema.ts";
import { readPolicy } from "../policies/read-policy.ts";
import { planReclaim } from "./plan-reclaim.ts";
import type { PlanReclaimOptions } from "./plan-reclaim.ts";
import type { ReclaimPlan } from "./plan-schema.ts";
import { readPlanInputs } from "./read-plan-inputs.ts";

/**
 * The protect groups that are only suggestions of the shipped pack: the policy says so
 * (`suggestedProtectGroups`, from composing it) or, for a policy composed without that knowledge,
 * the shipped pack's own groups.
 */
export function suggestedProtectGroups(policy: Policy & { suggestedProtectGroups?: readonly string[] }): readonly string[] {
  return policy.suggestedProtectGroups ?? readPolicy([]).protect.groups;
}

/** Builds a plan from the store's latest complete snapshot (of `tenantId` when the store holds several), or from run `runId`. */
export async function buildPlanFromStore(db: SqlDatabase, policy: Policy, options: PlanReclaimOptions & { tenantId?: string; runId?: string }): Promise<ReclaimPlan> {
  const inputs = await readPlanInputs(db, { ...(options.tenantId !== undefined ? { tenantId: options.tenantId } : {}), ...(options.runId !== undefined ? { runId: options.runId } : {}) });
  const evaluation = await evaluate(inputs.snapshot, policy, { now: options.now });
  return planReclaim(
    {
      snapshot: inputs.snapshot,
      runId: inputs.runId,
      evaluation,
      policy,
      licenseStates: inputs.licenseStates,
      servicePlans: inputs.servicePlans,
      protectGroupCoverage: inputs.protectGroupCoverage,
      suggestedProtectGroups: suggestedProtectGroups(policy),
    },
    options,
  );
}
