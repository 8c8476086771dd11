import { statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { UsageError } from "../core/errors.ts";
import { safeMessageLine } from "../core/redact.ts";
import { parseCron } from "../collector/schedule/parse-cron.ts";
import { runSchedule } from "../collector/schedule/run-schedule.ts";
import { evaluate } from "../policies/evaluate.ts";
import { formatEvaluation } from "../policies/format-evaluation.ts";
import { readPolicy } from "../policies/read-policy.ts";
import { collectOnce, log } from "./collect-command.ts";
import type { CliIo, Command } from "./command.ts";
import { collectFleet } from "./collect-fleet.ts";
import { readFleet, type FleetTenant } from "./read-fleet.ts";
import type { FleetPlan } from "../collector/fleet/plan-fleet.ts";
import { combineEvaluations } from "../policies/combine-evaluations.ts";
import { formatFleetEvaluation } from "../policies/format-fleet-evaluation.ts";
import { readStoreSnapshot } from "./read-store-snapshot.ts";
import { buildReportFromStore, writeReportFile } from "../report/write-report.ts";
import { openStore } from "../store/open-store.ts";
import { writeFleetReport } from "../report/write-fleet-report.ts";
import type { Evaluation } from "../core/user-facts.ts";
import { readStoreOption, readToolConfig } from "./read-tool-config.ts";
import { writeFileAtomic } from "../core/write-file-atomic.ts";

const usage = `Usage: seatwise schedule --cron "MIN HOUR DOM MON DOW" [--config FILE] [--db FILE] [--policy FILE ...] [--runs N]
       seatwise schedule --cron "MIN HOUR DOM MON DOW" --fleet FLEET.yaml|DIR [--policy FILE ...] [--out FILE] [--runs N]

Runs collection, then evaluation of the new snapshot, on a cron schedule (five fields, UTC), in this
one process until stopped (Ctrl-C or SIGTERM). Never two runs at once: a run that overruns its next
slot skips that slot. A failed run is logged and the schedule goes on. After each run the evaluation
is written as JSON beside the store (evaluation-latest.json) with the HTML report
(report-latest.html; its path is logged with each finished run); for a PostgreSQL store, beside the
configuration file. Logs are JSON lines on standard error.

With --fleet, each run collects every tenant of the fleet (as \`seatwise collect --fleet\`), then
evaluates every tenant it collected into one fleet evaluation (evaluate --all-tenants JSON) written to
--out (default: evaluation-latest.json beside the fleet's first store, or beside the fleet file for
PostgreSQL) and, when the fleet has one
store, the fleet report beside it (report-latest.html, as report --all-tenants). A run where a tenant
failed is logged as failed, naming the tenants; the others' snapshots and the evaluation are kept.

  --cron EXPR     e.g. "0 3 * * *" (daily at 03:00 UTC)
  --fleet F       a fleet file or folder of tenant configurations (see seatwise collect --help)
  --runs N        stop after N runs (default: never)`;

export const scheduleCommand: Command = {
  summary: "collect and evaluate on a cron schedule, one run at a time",
  usage,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      strict: true,
      options: { cron: { type: "string" }, config: { type: "string", default: "seatwise.yaml" }, db: { type: "string" }, policy: { type: "string", multiple: true }, runs: { type: "string" }, fleet: { type: "string" }, out: { type: "string" } },
    });
    if (!values.cron) throw new UsageError(`--cron is required\n\n${usage}`);
    const parsed = parseCron(values.cron);
    if (!parsed.ok) throw new UsageError(`--cron: column ${parsed.problem.col}: ${parsed.problem.path}: ${parsed.problem.message}`);
    const maxRuns = values.runs === undefined ? undefined : Number(values.runs);
    if (maxRuns !== undefined && (!Number.isInteger(maxRuns) || maxRuns < 1)) throw new UsageError(`--runs: "${values.runs}" must be a positive integer`);
    const policyFiles = values.policy ?? [];
    const policy = readPolicy(policyFiles); // fail fast on a bad policy, before waiting for the first slot
    let job: () => Promise<unknown>;
    if (values.fleet !== undefined) {
      if (values.db !== undefined || args.some((a) => a === "--config" || a.startsWith("--config="))) throw new UsageError("--fleet takes the stores from the fleet and its tenants' files: drop --config and --db");
      const fleet = values.fleet;
      const plan = readFleet(fleet, io.env); // fail fast on a bad fleet; each run re-reads it, so edits apply to the next run
      const out = values.out ?? join(fleetOutDir(fleet, plan), "evaluation-latest.json");
      job = () => runScheduledFleet(fleet, { policyFiles, out, now: () => new Date() }, io);
    } else {
      if (values.out !== undefined) throw new UsageError("--out goes with --fleet");
      const config = readToolConfig(values.config, io.env);
      const store = readStoreOption(values.db, io.env, config) ?? config.store;
      // Beside a SQLite store; beside the configuration for a PostgreSQL one.
      const outDir = dirname(store.engine === "sqlite" ? store.path : resolve(config.file));
      job = async () => {
        const summary = await collectOnce(config, { store, tasks: config.tasks, policyFiles, asJson: true }, io);
        if (summary.status !== "complete") throw new Error(`collection ${summary.runId} failed: ${summary.error ?? "unknown error"}`);
        // Writes: the report records the run's summary for the trend.
        const db = await openStore(store, { mode: "write" });
        let report;
        try {
          report = await buildReportFromStore(db, { policy, now: new Date(), tenantId: config.tenantId });
        } finally {
          await db.close();
        }
        const evaluation = report.evaluation;
        const reportFile = join(outDir, "report-latest.html");
        await writeFileAtomic(join(outDir, "evaluation-latest.json"), formatEvaluation(evaluation, "json"));
        await writeReportFile(reportFile, report.html);
        return { runId: summary.runId, findings: evaluation.findings.length, totals: evaluation.totals, report: resolve(reportFile) };
      };
    }
    const ac = new AbortController();
    const stop = () => ac.abort();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    try {
      await runSchedule({
        schedule: parsed.schedule,
        signal: ac.signal,
        ...(maxRuns === undefined ? {} : { maxRuns }),
        clock: {
          now: () => new Date(),
          sleep: (ms, signal) =>
            new Promise<void>((resolve) => {
              const t = setTimeout(resolve, ms);
              signal.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
            }),
        },
        onEvent: (e) => log(true, io, { event: `schedule.${e.type}`, ...e, ...(e.type === "failed" ? { error: safeMessageLine(e.error instanceof Error ? e.error.message : String(e.error)) } : {}) }, ""),
        job,
      });
    } finally {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
    }
    return 0;
  },
};

/**
 * One scheduled fleet run: collect every tenant, evaluate those collected into one fleet evaluation
 * written to `out`, then fail (naming them) when a tenant failed. Exported for tests.
 */
export async function runScheduledFleet(fleet: string, options: { policyFiles: readonly string[]; out: string; now: () => Date }, io: CliIo): Promise<{ tenants: number; findings: number; monthlySavings: number; report: string | null }> {
  const plan = readFleet(fleet, io.env);
  const summary = await collectFleet(plan, { policyFiles: options.policyFiles, asJson: true }, io);
  const policy = readPolicy(options.policyFiles);
  const collected = summary.tenants.filter((t) => t.status !== "failed").map((t) => t.tenantId);
  let evaluations: Evaluation[] = [];
  let report: string | null = null;
  if (plan.stores.length === 1) {
    // One store (the usual fleet): the fleet report and each tenant's, evaluated once for both.
    const db = await openStore(plan.tenants[0]!.input.storeLocation, { mode: "write" });
    try {
      const written = await writeFleetReport(db, join(dirname(options.out), "report-latest.html"), collected, { policy, now: options.now(), attribute: null });
      evaluations = written.evaluations;
      report = resolve(written.files[0]!);
    } finally {
      await db.close();
    }
  } else {
    for (const tenantId of collected) {
      const store = plan.tenants.find((t) => t.tenantId === tenantId)!.input.storeLocation;
      evaluations.push(await evaluate(await readStoreSnapshot(store, tenantId), policy, { now: options.now() }));
    }
  }
  const combined = combineEvaluations(evaluations);
  await writeFileAtomic(options.out, formatFleetEvaluation(combined, "json"));
  const failed = summary.tenants.filter((t) => t.status === "failed");
  if (failed.length > 0) throw new Error(`${failed.length} of ${summary.tenants.length} tenants failed: ${failed.map((t) => `${t.tenantId} (${t.error ?? "unknown error"})`).join("; ")}`);
  return { tenants: summary.tenants.length, findings: combined.findings.length, monthlySavings: combined.totals.overall.monthly, report };
}

/** Where a fleet's evaluation and report go by default: beside its first SQLite store, else beside the fleet file (or in the fleet folder). */
function fleetOutDir(fleet: string, plan: FleetPlan<FleetTenant>): string {
  const first = plan.tenants[0]!.input.storeLocation;
  if (first.engine === "sqlite") return dirname(first.path);
  return statSync(fleet).isDirectory() ? resolve(fleet) : dirname(resolve(fleet));
}
