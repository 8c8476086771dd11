import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { UsageError } from "../core/errors.ts";
import { safeMessageLine } from "../core/redact.ts";
import { parseCron } from "../collector/schedule/parse-cron.ts";
import { runSchedule } from "../collector/schedule/run-schedule.ts";
import { formatEvaluation } from "../policies/format-evaluation.ts";
import { readPolicy } from "../policies/read-policy.ts";
import { collectOnce, log } from "./collect-command.ts";
import type { Command } from "./command.ts";
import { buildReportFromStore, writeReportFile } from "../report/write-report.ts";
import { openStore } from "../store/open-store.ts";
import { readStoreOption, readToolConfig } from "./read-tool-config.ts";
import { writeFileAtomic } from "../core/write-file-atomic.ts";

const usage = `Usage: seatwise schedule --cron "MIN HOUR DOM MON DOW" [--config FILE] [--db FILE] [--policy FILE ...] [--runs N]

Runs collection, then evaluation of the new snapshot, on a cron schedule (five fields, UTC), in this
one process until stopped (Ctrl-C or SIGTERM). Never two runs at once: a run that overruns its next
slot skips that slot. A failed run is logged and the schedule goes on. After each run the evaluation
is written as JSON beside the store (evaluation-latest.json) with the HTML report
(report-latest.html; its path is logged with each finished run); for a PostgreSQL store, beside the
configuration file. Logs are JSON lines on standard error.

  --cron EXPR     e.g. "0 3 * * *" (daily at 03:00 UTC)
  --runs N        stop after N runs (default: never)`;

export const scheduleCommand: Command = {
  summary: "collect and evaluate on a cron schedule, one run at a time",
  usage,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      strict: true,
      options: { cron: { type: "string" }, config: { type: "string", default: "seatwise.yaml" }, db: { type: "string" }, policy: { type: "string", multiple: true }, runs: { type: "string" } },
    });
    if (!values.cron) throw new UsageError(`--cron is required\n\n${usage}`);
    const parsed = parseCron(values.cron);
    if (!parsed.ok) throw new UsageError(`--cron: column ${parsed.problem.col}: ${parsed.problem.path}: ${parsed.problem.message}`);
    const maxRuns = values.runs === undefined ? undefined : Number(values.runs);
    if (maxRuns !== undefined && (!Number.isInteger(maxRuns) || maxRuns < 1)) throw new UsageError(`--runs: "${values.runs}" must be a positive integer`);
    const config = readToolConfig(values.config, io.env);
    const policyFiles = values.policy ?? [];
    const policy = readPolicy(policyFiles); // fail fast on a bad policy, before waiting for the first slot
    const store = readStoreOption(values.db, io.env, config) ?? config.store;
    // Beside a SQLite store; beside the configuration for a PostgreSQL one.
    const outDir = dirname(store.engine === "sqlite" ? store.path : resolve(config.file));
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
        job: async () => {
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
        },
      });
    } finally {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
    }
    return 0;
  },
};
