/**
 * `dryRunSummary(plan)`: the text `seatwise reclaim apply` prints without `--execute` (and the demo
 * ends with): per user exactly which licenses would be removed or added, then what only a person can
 * do (group memberships), what is not acted on and why, and the totals. Pure.
 */
import type { ReclaimPlan } from "./plan-schema.ts";

const money = (n: number, currency: string) => `${n.toFixed(2)} ${currency}`;

export function dryRunSummary(plan: ReclaimPlan): string {
  const c = plan.totals.currency;
  const lines: string[] = [];
  lines.push(`Reclamation plan ${plan.planId} for tenant ${plan.tenantId} (snapshot ${plan.snapshot.collectedAt}, ${plan.snapshot.ageDays} days old)`);
  lines.push(`Rules: ${plan.policy.rules.join(", ") || "(none)"}`);
  lines.push("");
  if (plan.actions.length === 0) lines.push("Nothing would change: no user has a license to reclaim or downgrade.");
  else lines.push(`Would change ${plan.actions.length} user(s), one assignLicense call each:`);
  for (const a of plan.actions) {
    const changes = [
      ...a.add.map((x) => `add ${x.skuPartNumber}${x.disabledPlans.length > 0 ? ` (keeping ${x.disabledPlans.length} disabled plan(s))` : ""}`),
      ...a.remove.map((r) => `remove ${r.skuPartNumber}`),
    ];
    lines.push(`  ${a.userPrincipalName}: ${changes.join(", ")}  [${a.ruleIds.join(", ")}]  saves ${money(a.monthlySavings, c)}/month`);
  }
  if (plan.groupRemovals.length > 0) {
    lines.push("");
    lines.push("Group-assigned licenses (never removed directly; a person must change the membership):");
    for (const g of plan.groupRemovals) lines.push(`  ${g.userPrincipalName}: ${g.skuPartNumber}: ${g.remedy}  [${g.ruleIds.join(", ")}]`);
  }
  if (plan.cannotSucceed.length > 0) {
    lines.push("");
    lines.push("Downgrades Graph would refuse (not planned; fix, collect and plan again):");
    for (const c of plan.cannotSucceed) lines.push(`  ${c.userPrincipalName} [${c.ruleId}]: ${c.skuPartNumber}: ${c.reason}: ${c.fix}`);
  }
  if (plan.notPlanned.length > 0) {
    lines.push("");
    lines.push("Not acted on:");
    for (const n of plan.notPlanned) lines.push(`  ${n.userPrincipalName} [${n.ruleId}]: ${n.reason}`);
  }
  lines.push("");
  lines.push(
    `Totals: ${plan.totals.users} user(s), ${plan.totals.removals} license removal(s), ${plan.totals.downgrades} downgrade(s); ` +
      `${money(plan.totals.monthlySavings, c)}/month (${money(plan.totals.annualSavings, c)}/year)`,
  );
  lines.push(`Dry run: nothing was changed. Each user is re-read before writing and skipped if they changed since the plan.`);
  return `${lines.join("\n")}\n`;
}
