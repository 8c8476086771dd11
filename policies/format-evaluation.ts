/**
 * Renders an evaluation as a table (terminal), JSON (the versioned `Evaluation` document) or CSV (one
 * row per finding, cells safe against spreadsheet formula injection). Pure.
 */
import type { Evaluation, Finding } from "../core/user-facts.ts";
import { csvCell } from "../core/csv.ts";
import type { CostAllocation } from "./allocate-costs.ts";
import { horizonsOf, realizableBuckets } from "./schedule-savings.ts";

export const OUTPUT_FORMATS = ["table", "json", "csv"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function formatEvaluation(evaluation: Evaluation, format: OutputFormat): string {
  if (format === "json") return `${JSON.stringify(evaluation, null, 2)}\n`;
  if (format === "csv") return formatCsv(evaluation);
  return formatTable(evaluation);
}

function money(n: number, currency: string): string {
  return `${n.toFixed(2)} ${currency}`;
}

function subject(f: Finding): string {
  if (f.user) return f.user.userPrincipalName;
  const s = f.subscription;
  if (s) {
    const what = `${s.term} term`;
    const when = s.nextLifecycleDateTime ? s.nextLifecycleDateTime.slice(0, 10) : "no date";
    if (s.isTrial || s.status !== "Enabled") return `${s.skuPartNumber} ${s.isTrial ? "trial" : s.status}: ${s.usersAtRisk} users lose service ${when}`;
    return `${s.skuPartNumber} ${what}: drop ${s.seatsToDrop}/${s.totalLicenses} seats by ${s.actBy ?? when}`;
  }
  return `${f.sku?.skuPartNumber ?? ""} (${f.sku?.available ?? 0} unassigned)`;
}

/** When the finding's savings arrive: a date, "now", or mixed ("12.00 now, all from 2027-03-01"). */
function arrival(f: Finding, today: string, currency: string): string {
  const s = f.savings;
  if (s.realizableFrom === null) return "";
  const from = s.realizableFrom <= today ? "now" : `from ${s.realizableFrom}`;
  return s.monthlyUntilRealizable > 0 ? `${money(s.monthlyUntilRealizable, currency)} now, all ${from}` : from;
}

function licensesOf(f: Finding): string {
  if (f.downgrade) return `${f.downgrade.from} → ${f.downgrade.to}${f.licenses.some((l) => l.assignment === "group") ? ` (${f.licenses.map((l) => l.remedy).join("; ")})` : ""}`;
  return f.licenses.map((l) => (l.assignment === "group" ? `${l.skuPartNumber} [${l.remedy}]` : l.skuPartNumber)).join(", ");
}

function formatTable(e: Evaluation): string {
  const today = e.evaluatedAt.slice(0, 10);
  const header = ["RULE", "ACTION", "SEVERITY", "USER / SKU / SUBSCRIPTION", "LICENSES", "MONTHLY", "SAVES", "CONFIDENCE"];
  const rows = e.findings.map((f) => [f.ruleId, f.action, f.severity, subject(f), licensesOf(f), money(f.savings.monthly, e.currency), arrival(f, today, e.currency), f.confidence.level]);
  const widths = header.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const line = (cells: string[]) => cells.map((c, i) => (c.length > widths[i]! ? `${c.slice(0, widths[i]! - 1)}…` : c.padEnd(widths[i]!))).join("  ").trimEnd();
  const out = [line(header), ...rows.map(line), ""];
  out.push(`${e.findings.length} findings; actionable savings ${money(e.totals.overall.monthly, e.currency)}/month, ${money(e.totals.overall.annual, e.currency)}/year`);
  const r = e.totals.overall.realizable;
  out.push(`  per month from: now ${money(r.now, e.currency)}, within 30 days ${money(r.within30Days, e.currency)}, within 90 days ${money(r.within90Days, e.currency)}, at renewal ${money(r.atRenewal, e.currency)}`);
  if (!e.renewalDates.known && e.renewalDates.detail) out.push(`  savings not dated by renewals: ${e.renewalDates.detail}`);
  for (const [rule, t] of Object.entries(e.totals.byRule)) out.push(`  ${rule.padEnd(32)} ${String(t.findings).padStart(6)}  ${money(t.monthly, e.currency)}/month`);
  const review = e.totals.byAction.review;
  if (review) out.push(`  in review: ${review.findings} findings; confirming them would save ${money(review.monthly, e.currency)}/month (not in the actionable savings)`);
  for (const gap of e.gaps) out.push(`  not collected: ${gap.source} (${gap.reason})${gap.detail ? ` — ${gap.detail}` : ""}`);
  const suppressed = Object.values(e.suppressedByProtection).reduce((a, b) => a + b, 0);
  if (suppressed > 0) out.push(`  ${suppressed} findings not reported: protected users`);
  return `${out.join("\n")}\n`;
}


/**
 * One row per finding. `savingsNow`, `savingsWithin30Days`, `savingsWithin90Days` and `monthlySavings`
 * (at renewal) are the finding's share of the totals by arrival: summing a column gives the total
 * (subscription findings restate other findings' seats: leave `target` = subscription out of sums).
 */
export const CSV_COLUMNS = [
  "ruleId", "ruleName", "action", "ruleAction", "severity", "target", "userPrincipalName", "department", "sku",
  "licenses", "remedies", "downgradeFrom", "downgradeTo", "monthlySavings", "annualSavings", "currency",
  "realizableFrom", "savingsBasis", "monthlyUntilRealizable", "savingsNow", "savingsWithin30Days", "savingsWithin90Days",
  "subscriptionId", "subscriptionStatus", "term", "nextLifecycleDateTime", "actBy", "seatsToDrop", "usersAtRisk",
  "confidence", "evidence",
] as const;

function formatCsv(e: Evaluation): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const f of e.findings) lines.push(findingCsvCells(f, e.evaluatedAt).map(csvCell).join(","));
  return `${lines.join("\n")}\n`;
}

/** One finding's cells, in the order of CSV_COLUMNS (not yet escaped: pass each through csvCell). */
export function findingCsvCells(f: Finding, evaluatedAt: string): Parameters<typeof csvCell>[0][] {
  const h = horizonsOf(evaluatedAt.slice(0, 10));
  const b = realizableBuckets(f.savings.monthly, f.savings.schedule, h);
  const s = f.subscription ?? null;
  return [
    f.ruleId, f.ruleName, f.action, f.ruleAction, f.severity, f.target, f.user?.userPrincipalName ?? "", f.user?.department ?? "", f.sku?.skuPartNumber ?? "",
    f.licenses.map((l) => l.skuPartNumber), f.licenses.map((l) => l.remedy), f.downgrade?.from ?? "", f.downgrade?.to ?? "",
    f.savings.monthly, f.savings.annual, f.savings.currency,
    f.savings.realizableFrom ?? "", f.savings.basis ?? "", f.savings.monthlyUntilRealizable, b.now, b.within30Days, b.within90Days,
    s?.id ?? "", s?.status ?? "", s?.term ?? "", s?.nextLifecycleDateTime ?? "", s?.actBy ?? "", s?.seatsToDrop ?? "", s?.usersAtRisk ?? "",
    f.confidence.level,
    f.evidence.map((ev) => `${ev.fact}=${JSON.stringify(ev.value)} (${ev.source} ${ev.asOf ?? "n/a"} ${ev.status})`),
  ];
}

const ALLOCATION_COLUMNS = ["users", "licensedUsers", "seats", "spend", "idleSeats", "idleSpend", "findings", "savings", "reviewSavings"] as const;

/** Renders a cost allocation (spend, idle spend and savings per month by department, company, ...). */
export function formatAllocation(a: CostAllocation, format: OutputFormat): string {
  if (format === "json") return `${JSON.stringify(a, null, 2)}\n`;
  const name = a.by === "attribute" ? (a.attribute ?? "attribute") : a.by;
  const label = (k: string | null) => k ?? "(not set)";
  if (format === "csv") {
    const lines = [[name, ...ALLOCATION_COLUMNS, "currency"].map(csvCell).join(",")];
    for (const r of a.rows) lines.push([label(r.key), ...ALLOCATION_COLUMNS.map((c) => r[c]), a.currency].map(csvCell).join(","));
    lines.push(["(total)", ...ALLOCATION_COLUMNS.map((c) => a.total[c]), a.currency].map(csvCell).join(","));
    return `${lines.join("\n")}\n`;
  }
  const header = [a.by === "attribute" ? name : name.toUpperCase(), "USERS", "LICENSED", "SEATS", "SPEND", "IDLE SEATS", "IDLE SPEND", "FINDINGS", "SAVINGS", "IN REVIEW"];
  const cells = (k: string, r: Omit<CostAllocation["rows"][number], "key">) => [
    k, String(r.users), String(r.licensedUsers), String(r.seats), r.spend.toFixed(2), String(r.idleSeats), r.idleSpend.toFixed(2), String(r.findings), r.savings.toFixed(2), r.reviewSavings.toFixed(2),
  ];
  const rows = [...a.rows.map((r) => cells(label(r.key), r)), cells("(total)", a.total)];
  const widths = header.map((h, i) => Math.min(40, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const line = (c: string[]) => c.map((v, i) => (i === 0 ? (v.length > widths[0]! ? `${v.slice(0, widths[0]! - 1)}…` : v.padEnd(widths[0]!)) : v.padStart(widths[i]!))).join("  ").trimEnd();
  const out = [line(header), ...rows.map(line), ""];
  out.push(`per month, in ${a.currency}: spend is every assigned seat's price; idle spend the seats the evaluation would reclaim; savings what can be acted on now; in review what confirming the findings to review would save.`);
  if (a.unallocated.findings > 0) out.push(`  unassigned seats (no user to charge): ${a.unallocated.findings} findings, ${a.unallocated.savings.toFixed(2)} ${a.currency}/month`);
  return `${out.join("\n")}\n`;
}
