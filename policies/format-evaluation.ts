/**
 * Renders an evaluation as a table (terminal), JSON (the versioned `Evaluation` document) or CSV (one
 * row per finding, cells safe against spreadsheet formula injection). Pure.
 */
import type { Evaluation, Finding } from "../core/user-facts.ts";
import { csvCell } from "../core/csv.ts";

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
  return f.user ? f.user.userPrincipalName : `${f.sku?.skuPartNumber ?? ""} (${f.sku?.available ?? 0} unassigned)`;
}

function licensesOf(f: Finding): string {
  if (f.downgrade) return `${f.downgrade.from} → ${f.downgrade.to}${f.licenses.some((l) => l.assignment === "group") ? ` (${f.licenses.map((l) => l.remedy).join("; ")})` : ""}`;
  return f.licenses.map((l) => (l.assignment === "group" ? `${l.skuPartNumber} [${l.remedy}]` : l.skuPartNumber)).join(", ");
}

function formatTable(e: Evaluation): string {
  const header = ["RULE", "ACTION", "SEVERITY", "USER / SKU", "LICENSES", "MONTHLY", "CONFIDENCE"];
  const rows = e.findings.map((f) => [f.ruleId, f.action, f.severity, subject(f), licensesOf(f), money(f.savings.monthly, e.currency), f.confidence.level]);
  const widths = header.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const line = (cells: string[]) => cells.map((c, i) => (c.length > widths[i]! ? `${c.slice(0, widths[i]! - 1)}…` : c.padEnd(widths[i]!))).join("  ").trimEnd();
  const out = [line(header), ...rows.map(line), ""];
  out.push(`${e.findings.length} findings; actionable savings ${money(e.totals.overall.monthly, e.currency)}/month, ${money(e.totals.overall.annual, e.currency)}/year`);
  for (const [rule, t] of Object.entries(e.totals.byRule)) out.push(`  ${rule.padEnd(28)} ${String(t.findings).padStart(6)}  ${money(t.monthly, e.currency)}/month`);
  const review = e.totals.byAction.review;
  if (review) out.push(`  to review first: ${review.findings} findings, ${money(review.monthly, e.currency)}/month if confirmed`);
  for (const gap of e.gaps) out.push(`  not collected: ${gap.source} (${gap.reason})${gap.detail ? ` — ${gap.detail}` : ""}`);
  const suppressed = Object.values(e.suppressedByProtection).reduce((a, b) => a + b, 0);
  if (suppressed > 0) out.push(`  ${suppressed} findings not reported: protected users`);
  return `${out.join("\n")}\n`;
}


/** The CSV columns of a finding (`evaluate --format csv`). */
export const CSV_COLUMNS = [
  "ruleId", "ruleName", "action", "ruleAction", "severity", "userPrincipalName", "department", "sku",
  "licenses", "remedies", "downgradeFrom", "downgradeTo", "monthlySavings", "annualSavings", "currency", "confidence", "evidence",
] as const;

function formatCsv(e: Evaluation): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const f of e.findings) lines.push(findingCsvCells(f).map(csvCell).join(","));
  return `${lines.join("\n")}\n`;
}

/** One finding's cells, in the order of CSV_COLUMNS (not yet escaped: pass each through csvCell). */
export function findingCsvCells(f: Finding): Parameters<typeof csvCell>[0][] {
  return [
    f.ruleId, f.ruleName, f.action, f.ruleAction, f.severity, f.user?.userPrincipalName ?? "", f.user?.department ?? "", f.sku?.skuPartNumber ?? "",
    f.licenses.map((l) => l.skuPartNumber), f.licenses.map((l) => l.remedy), f.downgrade?.from ?? "", f.downgrade?.to ?? "",
    f.savings.monthly, f.savings.annual, f.savings.currency, f.confidence.level,
    f.evidence.map((ev) => `${ev.fact}=${JSON.stringify(ev.value)} (${ev.source} ${ev.asOf ?? "n/a"} ${ev.status})`),
  ];
}
