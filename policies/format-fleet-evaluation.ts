/**
 * Renders a fleet evaluation (`evaluate --all-tenants`): a table (findings with their tenant, then
 * savings per tenant and overall), the JSON document, or CSV (a `tenantId` column before the
 * columns of `evaluate --format csv`). Pure.
 */
import { csvCell } from "../core/csv.ts";
import type { FleetEvaluation } from "./combine-evaluations.ts";
import { CSV_COLUMNS, findingCsvCells, type OutputFormat } from "./format-evaluation.ts";

export function formatFleetEvaluation(e: FleetEvaluation, format: OutputFormat): string {
  if (format === "json") return `${JSON.stringify(e, null, 2)}\n`;
  if (format === "csv") {
    const lines = [["tenantId", ...CSV_COLUMNS].join(",")];
    for (const f of e.findings) lines.push([f.tenantId, ...findingCsvCells(f, e.evaluatedAt)].map(csvCell).join(","));
    return `${lines.join("\n")}\n`;
  }
  const money = (n: number) => `${n.toFixed(2)} ${e.currency}`;
  const header = ["TENANT", "RULE", "ACTION", "USER / SKU", "MONTHLY", "CONFIDENCE"];
  const rows = e.findings.map((f) => [f.tenantId, f.ruleId, f.action, f.user ? f.user.userPrincipalName : (f.sku?.skuPartNumber ?? ""), money(f.savings.monthly), f.confidence.level]);
  const widths = header.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const line = (cells: string[]) => cells.map((c, i) => (c.length > widths[i]! ? `${c.slice(0, widths[i]! - 1)}…` : c.padEnd(widths[i]!))).join("  ").trimEnd();
  const out = [line(header), ...rows.map(line), ""];
  const tenantWidth = Math.max(6, ...e.tenants.map((t) => t.tenantId.length));
  out.push(`${"TENANT".padEnd(tenantWidth)}  ${"USERS".padStart(8)}  ${"FINDINGS".padStart(8)}  ACTIONABLE SAVINGS`);
  for (const t of e.tenants) {
    out.push(`${t.tenantId.padEnd(tenantWidth)}  ${String(t.users).padStart(8)}  ${String(t.findings).padStart(8)}  ${money(t.overall.monthly)}/month${t.gaps.length > 0 ? `  (not collected: ${t.gaps.map((g) => g.source).join(", ")})` : ""}`);
  }
  out.push(`${e.tenants.length} tenants, ${e.findings.length} findings; actionable savings ${money(e.totals.overall.monthly)}/month, ${money(e.totals.overall.annual)}/year`);
  return `${out.join("\n")}\n`;
}
