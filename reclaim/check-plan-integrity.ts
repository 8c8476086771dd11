/**
 * `checkPlanIntegrity(file, rebuilt)`: whether a plan file is the plan rebuilt from the store, or a
 * narrowing of it (actions deleted, SKUs deleted from an action's `remove`), and if not, what was
 * edited, per field and per action. Pure.
 *
 * A reviewer narrows by deleting entries in a text editor and may leave the derived fields as they
 * were, so given the rebuilt action R of the same user and the remove entries S left in the file
 * (non-empty, each exactly R's entry of that SKU), the file's action must have:
 * - `add`: R's add entries, all of those that replace a SKU of S, plus possibly some that replace
 *   only deleted SKUs (left over; they are not executed). Deleting an add entry whose source stays
 *   is refused: removing the source without its replacement takes more from the user than reviewed;
 * - `ruleIds` and `evidence`: between those of the rules flagging a SKU of S and all of R's;
 * - `monthlySavings`: R's, or the sum of S's savings;
 * - everything else (`userPrincipalName`, `displayName`, `kind`, `precondition`) exactly R's.
 * What is executed is R narrowed to S (`narrowAction`), never the file's derived fields.
 * Outside the actions, everything but `policy.files` must be the rebuilt plan's; `totals` may be the
 * rebuilt plan's or those of the actions left (informational: apply prints its own).
 */
import { actionSavings, canonicalJson, planTotals } from "./plan-reclaim.ts";
import type { PlanAction, ReclaimPlan } from "./plan-schema.ts";

/** Deep equality of JSON values (object key order ignored, undefined members as absent). */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => same(x, b[i]));
  }
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
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

const HEADER_FIELDS = ["planVersion", "createdAt", "tenantId", "snapshot", "limits", "groupRemovals", "notPlanned", "cannotSucceed"] as const;
const POLICY_FIELDS = ["currency", "rules", "protect"] as const;
const EXACT_FIELDS = ["userPrincipalName", "displayName", "kind", "precondition"] as const;

export interface IntegrityResult {
  /** Every edit that is not a narrowing, one line each (empty: the plan may be applied). */
  problems: string[];
  /** The actions to execute: each rebuilt action narrowed to the SKUs left in the file (in the file's order). */
  actions: PlanAction[];
}

/** Whether `part` lists only members of `all`, each once, and every member of `must` (lists of a few entries). */
function between(part: readonly unknown[], must: readonly unknown[], all: readonly unknown[]): boolean {
  const once = part.every((x, i) => part.findIndex((y) => same(x, y)) === i);
  return once && part.every((x) => all.some((y) => same(x, y))) && must.every((m) => part.some((x) => same(x, m)));
}

/** Checks `file` against the plan `rebuilt` from the store. */
export function checkPlanIntegrity(file: ReclaimPlan, rebuilt: ReclaimPlan): IntegrityResult {
  const problems: string[] = [];
  for (const field of HEADER_FIELDS) {
    if (!same(file[field], rebuilt[field])) problems.push(`${field}: ${show(file[field])} is not what the store gives (${show(rebuilt[field])})`);
  }
  for (const field of POLICY_FIELDS) {
    if (!same(file.policy[field], rebuilt.policy[field])) problems.push(`policy.${field}: ${show(file.policy[field])} is not the policy given to apply (${show(rebuilt.policy[field])})`);
  }
  if (file.planId !== rebuilt.planId) problems.push(`planId: ${file.planId} does not match the plan rebuilt from the store (${rebuilt.planId}): its creation time, rules, limits or content were edited`);

  const byUser = new Map(rebuilt.actions.map((a) => [a.userId, a]));
  const actions: PlanAction[] = [];
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
    if (a.remove.length === 0) problems.push(`${where}: remove: empty (delete the whole action instead)`);
    const narrowed = narrowAction(r, keep);
    for (const field of EXACT_FIELDS) {
      if (!same(a[field], narrowed[field])) problems.push(`${where}: ${field}: ${show(a[field])} is not the rebuilt action's (${show(narrowed[field])})`);
    }
    if (!between(a.add, narrowed.add, r.add)) {
      problems.push(`${where}: add: ${show(a.add.map((x) => x.skuPartNumber))} is not the policy's downgrade target of the SKUs left in remove (${show(narrowed.add.map((x) => x.skuPartNumber))})`);
    }
    if (!between(a.ruleIds, narrowed.ruleIds, r.ruleIds)) problems.push(`${where}: ruleIds: ${show(a.ruleIds)} are not the rules of the rebuilt action (${show(r.ruleIds)})`);
    if (!between(a.evidence, narrowed.evidence, r.evidence)) problems.push(`${where}: evidence: not the evidence of the rebuilt action's rules`);
    if (a.monthlySavings !== r.monthlySavings && a.monthlySavings !== narrowed.monthlySavings) {
      problems.push(`${where}: monthlySavings: ${a.monthlySavings} is neither the rebuilt action's (${r.monthlySavings}) nor that of the SKUs left (${narrowed.monthlySavings})`);
    }
    actions.push(narrowed);
  });
  const narrowedTotals = planTotals(actions, rebuilt.groupRemovals.length, rebuilt.totals.currency);
  const fileTotals = planTotals(file.actions, rebuilt.groupRemovals.length, rebuilt.totals.currency);
  if (!same(file.totals, rebuilt.totals) && !same(file.totals, narrowedTotals) && !same(file.totals, fileTotals)) {
    problems.push(`totals: ${show(file.totals)} are neither the rebuilt plan's (${show(rebuilt.totals)}) nor those of the actions left`);
  }
  return { problems, actions };
}
