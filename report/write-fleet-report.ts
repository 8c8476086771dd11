/**
 * The report of several tenants (the I/O edge): each tenant's own report written beside the fleet
 * page (`fleet.html` → `fleet-<tenant>.html`), then the fleet page linking them. Every file owner-only.
 */
import { basename, dirname, extname, join } from "node:path";
import type { SqlDatabase } from "../store/sql-database.ts";
import { buildFleetReportModel } from "./build-fleet-report-model.ts";
import { renderFleetReportHtml } from "./render-fleet-report-html.ts";
import { buildReportFromStore, readReportAssets, writeReportFile, type ReportFromStoreOptions } from "./write-report.ts";

/** Writes the fleet page to `out` and one report per tenant beside it; returns the files written, the fleet page first. */
export async function writeFleetReport(db: SqlDatabase, out: string, tenants: readonly string[], options: Omit<ReportFromStoreOptions, "tenantId" | "plan">): Promise<string[]> {
  const assets = await readReportAssets();
  const stem = basename(out, extname(out));
  const reports = [];
  const files: string[] = [];
  for (const tenantId of tenants) {
    const href = `${stem}-${tenantId.replace(/[^a-z0-9.-]/gi, "_")}.html`;
    const { model, html } = await buildReportFromStore(db, { ...options, tenantId }, assets);
    await writeReportFile(join(dirname(out), href), html);
    files.push(join(dirname(out), href));
    reports.push({ model, href });
  }
  await writeReportFile(out, renderFleetReportHtml(buildFleetReportModel(reports, options.now), assets.css));
  return [out, ...files];
}
