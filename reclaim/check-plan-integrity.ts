/**
 * `checkPlanIntegrity(file, rebuilt)`: whether a plan file is the plan rebuilt from the store, or a
 * narrowing of it (actions deleted, SKUs deleted from an action's `remove`), and if not, what was
 * edited, per field and per action. Pure.
 *
 * What a narrowed action must be, given the rebuilt action R of the same user and the remove entries
 * S left in the file (non-empty, each equal to R's entry of that SKU):
 * - `add`: R's add entries that replace at least one SKU of S (a downgrade target never stays without
 *   its source, and never goes while its source stays: that would take more from the user);
 * - `ruleIds`: R's rules that flag a SKU of S; `evidence`: R's evidence of those rules;
 * - `monthlySavings`: the sum of S's savings;
 * - everything else (`userPrincipalName`, `displayName`, `kind`, `precondition`) exactly R's.
 * Outside the actions, everything but `policy.files` must be the rebuilt plan's, `totals` included
 * (they describe the plan as built; apply prints the totals of what is left).
 */
import { actionSavings, canonicalJson } from "./plan-reclaim.ts";
import type { PlanAction, ReclaimPlan } from "./plan-schema.ts";

const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);
/** A value in a message: short, one line (a plan holds names, never secrets, but keep lines short). */
const show = (v: unknown) => {
  const text = canonicalJson(v);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

/** The rebuilt action `r` narrowed to the remove entries of the SKUs in `keep` (lower-case skuIds). */
export function narrowAction(r: PlanAction, keep: ReadonlySet<string>): PlanAction {
  const remove = r.remove.filter((x) => keep.has(x.skuId.toLowerCase()));
  const rules = new Set(remove.map((x) => x.ruleId));
  return {
    ...r,
    remove,
    add: r.add.filter((x) => x.replaces.some((s) => keep.has(s.toLowerCase()))),
    ruleIds: r.ruleIds.filter((id) => rules.has(id)),
    evidence: r.evidence.filter((e) => rules.has(e.ruleId)),
    monthlySavings: actionSavings(remove),
  };
}

const HEADER_FIELDS = ["planVersion", "createdAt", "tenantId", "snapshot", "limits", "groupRemovals", "notPlanned", "cannotSucceed", "totals"] as const;
const POLICY_FIELDS = ["currency", "rules", "protect"] as const;
const ACTION_FIELDS = ["userPrincipalName", "displayName", "kind", "precondition", "add", "ruleIds", "evidence", "monthlySavings"] as const;

/** Every edit of `file` that is not a narrowing of `rebuilt`, one line each (empty: the plan may be applied). */
export function checkPlanIntegrity(file: ReclaimPlan, rebuilt: ReclaimPlan): string[] {
  const problems: string[] = [];
  for (const field of HEADER_FIELDS) {
    if (!same(file[field], rebuilt[field])) problems.push(`${field}: ${show(file[field])} is not what the store gives (${show(rebuilt[field])})`);
  }
  for (const field of POLICY_FIELDS) {
    if (!same(file.policy[field], rebuilt.policy[field])) problems.push(`policy.${field}: ${show(file.policy[field])} is not the policy given to apply (${show(rebuilt.policy[field])})`);
  }
  if (file.planId !== rebuilt.planId) problems.push(`planId: ${file.planId} does not match the plan rebuilt from the store (${rebuilt.planId}): its creation time, rules, limits or content were edited`);

  const byUser = new Map(rebuilt.actions.map((a) => [a.userId, a]));
  file.actions.forEach((a, i) => {
    const where = `actions[${i}] (${a.userPrincipalName})`;
    const r = byUser.get(a.userId);
    if (!r) {
      problems.push(`${where}: user ${a.userId} is not in the plan rebuilt from the store (not flagged by the plan's rules in its snapshot under the policy given to apply, or protected)`);
      return;
    }
    const rebuiltSkus = new Map(r.remove.map((x) => [x.skuId.toLowerCase(), x]));
    const keep = new Set<string>();
    a.remove.forEach((x, j) => {
      const sku = x.skuId.toLowerCase();
      const original = rebuiltSkus.get(sku);
      if (!original) problems.push(`${where}: remove[${j}]: ${x.skuPartNumber} (${x.skuId}) is not removed by the rebuilt action (${r.remove.map((o) => o.skuPartNumber).join(", ")})`);
      else if (keep.has(sku)) problems.push(`${where}: remove[${j}]: ${x.skuPartNumber} appears twice`);
      else if (!same(x, original)) problems.push(`${where}: remove[${j}]: ${show(x)} was edited (rebuilt: ${show(original)})`);
      keep.add(sku);
    });
    const expected = narrowAction(r, keep);
    for (const field of ACTION_FIELDS) {
      if (!same(a[field], expected[field])) problems.push(`${where}: ${field}: ${show(a[field])} is not the rebuilt action's (${show(expected[field])})`);
    }
  });
  return problems;
}
