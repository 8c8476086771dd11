/**
 * The report's I/O edge: reads the latest complete snapshot, its coverage and the tenant's run trend
 * from the store, evaluates it with the policy (the same `evaluate` the evaluate command runs), records
 * the run's summary for future trends, builds the model, renders the HTML with the inlined assets, and
 * writes the file owner-only (it holds tenant data).
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { UsageError } from "../core/errors.ts";
import { writeFileAtomic } from "../core/write-file-atomic.ts";
import type { Evaluation } from "../core/user-facts.ts";
import { evaluate } from "../policies/evaluate.ts";
import type { Policy } from "../policies/policy-schema.ts";
import type { ReclaimPlan } from "../reclaim/plan-schema.ts";
import { readSnapshotFromStore } from "../store/read-snapshot-from-store.ts";
import { createRunRepository } from "../store/run-repository.ts";
import { createRunSummaryRepository } from "../store/run-summary-repository.ts";
import { createSnapshotRepository } from "../store/snapshot-repository.ts";
import type { SqlDatabase } from "../store/sql-database.ts";
import { buildReportModel, runSummaryOf } from "./build-report-model.ts";
import type { ReportModel } from "./build-report-model.ts";
import { renderReportHtml } from "./render-report-html.ts";
import type { ReportAssets } from "./render-report-html.ts";

const here = dirname(fileURLToPath(import.meta.url));

/** Chart.js's minified UMD build (it keeps its MIT licence banner), the page script and the style sheet. */
export async function readReportAssets(): Promise<ReportAssets> {
  const chartDir = dirname(createRequire(import.meta.url).resolve("chart.js"));
  const [chartJs, pageJs, css] = await Promise.all([
    readFile(join(chartDir, "chart.umd.min.js"), "utf8"),
    readFile(join(here, "assets", "report-page.js"), "utf8"),
    readFile(join(here, "assets", "report.css"), "utf8"),
  ]);
  return { chartJs, pageJs, css };
}

export interface ReportFromStoreOptions {
  policy: Policy;
  /** Evaluation time. */
  now: Date;
  /** The tenant, when the store holds several. */
  tenantId?: string;
  plan?: ReclaimPlan | null;
  /** Also allocate costs by this attribute (`extensionAttributeN`, `employeeOrgData.costCenter`). */
  attribute?: string | null;
}

export interface BuiltReport {
  model: ReportModel;
  evaluation: Evaluation;
  html: string;
}

/**
 * Evaluates the store's latest complete snapshot and builds the report. Records the run's summary
 * (licensed and active users, spend, idle spend, savings) in the store, for the trend of later reports.
 */
export async function buildReportFromStore(db: SqlDatabase, options: ReportFromStoreOptions, assets?: ReportAssets): Promise<BuiltReport> {
  const snapshot = await readSnapshotFromStore(db, options.tenantId);
  if (options.plan && options.plan.tenantId !== snapshot.tenantId) {
    throw new UsageError(`--plan: the plan is for tenant ${options.plan.tenantId}, the store's snapshot is of tenant ${snapshot.tenantId}`);
  }
  const run = await createRunRepository(db).latestComplete(snapshot.tenantId);
  const snapshots = createSnapshotRepository(db);
  const summaries = createRunSummaryRepository(db);
  const evaluation = await evaluate(snapshot, options.policy, { now: options.now });
  const model = buildReportModel({
    snapshot,
    evaluation,
    policy: options.policy,
    coverage: run ? await snapshots.coverage(run.runId) : [],
    trend: await summaries.trend(snapshot.tenantId),
    runId: run?.runId ?? null,
    organization: run ? ((await snapshots.runFact(run.runId, "organizationDisplayName")) ?? null) : null,
    plan: options.plan ?? null,
    attribute: options.attribute ?? null,
    generatedAt: options.now,
  });
  if (run) await summaries.save(run.runId, runSummaryOf(model));
  return { model, evaluation, html: renderReportHtml(model, assets ?? (await readReportAssets())) };
}

/** Writes the report owner-only (0600): it names the tenant's people. */
export async function writeReportFile(path: string, html: string): Promise<void> {
  await writeFileAtomic(path, html, 0o600);
}
