/**
 * The report of several tenants (the I/O edge): each tenant's own report written beside the fleet
 * page (`fleet.html` → `fleet-<tenant>.html`), then the fleet page linking them. Every file owner-only.
 */
import { basename, dirname, extname, join } from "node:path";
import type { Evaluation } from "../core/user-facts.ts";
import type { SqlDatabase } from "../store/sql-database.ts";
import { buildFleetReportModel } from "./build-fleet-report-model.ts";
import { renderFleetReportHtml } from "./render-fleet-report-html.ts";
import { buildReportFromStore, readReportAssets, writeReportFile, type ReportFromStoreOptions } from "./write-report.ts";

/**
 * Writes the fleet page to `out` and one report per tenant beside it; returns the files written (the
 * fleet page first) and each tenant's evaluation.
 */
export async function writeFleetReport(db: SqlDatabase, out: string, tenants: readonly string[], options: Omit<ReportFromStoreOptions, "tenantId" | "plan">): Promise<{ files: string[]; evaluations: Evaluation[] }> {
  const assets = await readReportAssets();
  const stem = basename(out, extname(out));
  const reports = [];
  const files: string[] = [];
  const evaluations: Evaluation[] = [];
  for (const tenantId of tenants) {
    const href = `${stem}-${tenantId.replace(/[^a-z0-9.-]/gi, "_")}.html`;
    const { model, html, evaluation } = await buildReportFromStore(db, { ...options, tenantId }, assets);
    evaluations.push(evaluation);
    await writeReportFile(join(dirname(out), href), html);
    files.push(join(dirname(out), href));
    reports.push({ model, href });
  }
  await writeReportFile(out, renderFleetReportHtml(buildFleetReportModel(reports, options.now), assets.css));
  return { files: [out, ...files], evaluations };
}
