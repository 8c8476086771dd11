/**
 * Renders a fleet run's summary: a table (one line per tenant, then the totals) or JSON lines (one
 * object per tenant, then one `fleet` line). Pure.
 */
import type { FleetSummary } from "./run-fleet.ts";

export const FLEET_SUMMARY_FORMATS = ["table", "json"] as const;
export type FleetSummaryFormat = (typeof FLEET_SUMMARY_FORMATS)[number];

export function formatFleetSummary(summary: FleetSummary, format: FleetSummaryFormat): string {
  const counts = { complete: 0, incomplete: 0, failed: 0 };
  for (const t of summary.tenants) counts[t.status]++;
  if (format === "json") {
    const lines = summary.tenants.map((t) => JSON.stringify({ type: "tenant", ...t, durationMs: Math.round(t.durationMs) }));
    lines.push(JSON.stringify({ type: "fleet", ok: summary.ok, tenants: summary.tenants.length, ...counts, durationMs: Math.round(summary.durationMs) }));
    return `${lines.join("\n")}\n`;
  }
  const header = ["TENANT", "STATUS", "REQUESTS", "THROTTLED", "NOT COLLECTED", "SECONDS", "RUN / ERROR"];
  const rows = summary.tenants.map((t) => [t.tenantId, t.status, String(t.requests), String(t.throttled), String(t.notCollected), (t.durationMs / 1000).toFixed(1), t.error ?? t.runId ?? ""]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  // The last column (run id or error) is not padded: an error message may be long.
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join("  ").trimEnd();
  const out = [line(header), ...rows.map(line), ""];
  out.push(`${summary.tenants.length} tenants in ${(summary.durationMs / 1000).toFixed(1)} s: ${counts.complete} complete, ${counts.incomplete} incomplete, ${counts.failed} failed`);
  return `${out.join("\n")}\n`;
}
