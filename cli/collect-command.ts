import { parseArgs } from "node:util";
import { UsageError } from "../core/errors.ts";
import { TASKS, type Task } from "../core/permissions.ts";
import { collect, type CollectSummary } from "../collector/collect.ts";
import type { GraphEvent } from "../graph/graph-client.ts";
import type { SqlDatabase } from "../store/sql-database.ts";
import { openStore } from "../store/open-store.ts";
import { createRunRepository } from "../store/run-repository.ts";
import { createSnapshotRepository } from "../store/snapshot-repository.ts";
import type { StoreLocation } from "../store/store-location.ts";
import { readPolicy } from "../policies/read-policy.ts";
import { EXIT } from "./exit-codes.ts";
import type { CliIo, Command } from "./command.ts";
import { connectGraph } from "./connect-graph.ts";
import { collectFleet } from "./collect-fleet.ts";
import { readFleet } from "./read-fleet.ts";
import { formatFleetSummary } from "../collector/fleet/format-fleet-summary.ts";
import { readStoreOption, readToolConfig, type ToolConfig } from "./read-tool-config.ts";

const usage = `Usage: seatwise collect [--config FILE] [--db FILE] [--tasks LIST] [--policy FILE ...] [--json]
       seatwise collect --fleet FLEET.yaml|DIR [--policy FILE ...] [--json]

Collects from Microsoft Graph into the store (default: the config's store, ./seatwise.sqlite),
creating it or bringing its schema up to date first.
Reads the granted permissions from the access token first and skips, with the reason, whatever
they do not allow. The new snapshot becomes visible only when the run completes.

  --config FILE   tool configuration (default ./seatwise.yaml)
  --db FILE|URL   the store, overriding the configuration's: a SQLite file or a postgres:// URL
                  (password from PGPASSWORD, never on the command line)
  --tasks LIST    comma-separated tasks, overriding the configuration's tasks
  --policy FILE   policy files whose protected groups' members are collected (default: the shipped pack)
  --json          structured JSON log lines instead of the terminal progress (default when not a TTY)
  --fleet F       collect every tenant of a fleet file (version: 1, tenants: [{ config: FILE }], optional
                  store, maxConcurrentTenants, maxOpenConnections), or of every *.yaml in folder F,
                  concurrently into one store; each tenant paced on its own. The summary lists each
                  tenant's outcome (a table, or JSON lines with --json).

A protect group that matches no group in the tenant is a note when only the shipped pack names it
(a suggested name) and a warning when your policy does (reclaim plan refuses it); neither fails the
run. A group whose query Graph refuses fails alone.

Exit 0 when everything planned was collected (for a fleet: in every tenant), 1 when something was
skipped or failed (the summary says what and why), 2 for configuration errors.`;

export const collectCommand: Command = {
  summary: "collect users, licenses and activity from Microsoft Graph into the store",
  usage,
  async run(args, io) {
    const { values } = parseArgs({ args, strict: true, options: { config: { type: "string", default: "seatwise.yaml" }, db: { type: "string" }, tasks: { type: "string" }, policy: { type: "string", multiple: true }, json: { type: "boolean", default: false }, fleet: { type: "string" } } });
    if (values.fleet !== undefined) {
      if (values.db !== undefined || values.tasks !== undefined || args.some((a) => a === "--config" || a.startsWith("--config="))) throw new UsageError("--fleet takes the store and tasks from the fleet and its tenants' files: drop --config, --db and --tasks");
      const asJson = values.json || !process.stdout.isTTY;
      const summary = await collectFleet(readFleet(values.fleet, io.env), { policyFiles: values.policy ?? [], asJson }, io);
      io.out(formatFleetSummary(summary, asJson ? "json" : "table"));
      return summary.ok ? EXIT.ok : EXIT.failure;
    }
    const config = readToolConfig(values.config, io.env);
    const summary = await collectOnce(config, { store: readStoreOption(values.db, io.env, config), tasks: values.tasks === undefined ? config.tasks : parseTasks(values.tasks), policyFiles: values.policy ?? [], asJson: values.json || !process.stdout.isTTY }, io);
    printSummary(summary, values.json || !process.stdout.isTTY, io);
    return summary.status === "complete" && summary.completeCoverage ? EXIT.ok : EXIT.failure;
  },
};

/** One collection run with the given configuration (used by `collect` and `schedule`). */
export async function collectOnce(config: ToolConfig, options: { store?: StoreLocation | undefined; tasks: readonly Task[]; policyFiles: readonly string[]; asJson: boolean }, io: CliIo): Promise<CollectSummary> {
  const policy = readPolicy(options.policyFiles);
  const protectGroups = policy.protect.groups;
  const suggestedProtectGroups = policy.suggestedProtectGroups ?? [];
  const asJson = options.asJson;
  const { tokens, graph, close } = connectGraph(config, { onEvent: (e) => logEvent(e, asJson, io) });
  let db: SqlDatabase;
  try {
    db = await openStore(options.store ?? config.store, { mode: "write" });
  } catch (error) {
    close();
    throw error;
  }
  try {
    const runs = createRunRepository(db);
    const summary = await collect(
      { tenantId: config.tenantId, tasks: options.tasks, protectGroups, suggestedProtectGroups, now: () => new Date(), onProgress: (p) => log(asJson, io, { event: "part", ...p }, `  ${p.task}: ${p.part} (${p.items} items)`) },
      { tokens, graph, runs, snapshots: createSnapshotRepository(db) },
    );
    const expired = await runs.expire(config.tenantId, config.retainSnapshots);
    if (expired > 0) log(asJson, io, { event: "expired", runs: expired }, `  removed ${expired} old collection run(s) (retainSnapshots: ${config.retainSnapshots})`);
    return summary;
  } finally {
    close();
    await db.close();
  }
}

function parseTasks(raw: string): Task[] {
  const list = raw.split(",").map((s) => s.trim()).filter(Boolean);
  for (const t of list) if (!(TASKS as readonly string[]).includes(t)) throw new UsageError(`--tasks: unknown task "${t}" (known: ${TASKS.join(", ")})`);
  return list as Task[];
}

export function log(asJson: boolean, io: CliIo, data: Record<string, unknown>, text: string): void {
  if (asJson) io.err(`${JSON.stringify({ time: new Date().toISOString(), ...data })}\n`);
  else io.err(`${text}\n`);
}

function logEvent(e: GraphEvent, asJson: boolean, io: CliIo): void {
  if (e.type === "request") return;
  const text = e.type === "paced" ? `  pacing ${e.scope}: waiting ${e.waitMs} ms` : e.type === "throttled" ? `  throttled on ${e.path}: waiting ${e.retryAfterMs} ms` : `  retrying ${e.path} after ${e.reason} in ${e.waitMs} ms`;
  log(asJson, io, { event: e.type, ...e }, text);
}

function printSummary(s: CollectSummary, asJson: boolean, io: CliIo): void {
  if (asJson) {
    io.out(`${JSON.stringify(s)}\n`);
    return;
  }
  io.out(`run ${s.runId}: ${s.status}${s.error ? ` (${s.error})` : ""}; ${s.requests} Graph requests, ${s.throttled} throttled\n`);
  for (const c of s.coverage) io.out(`  ${c.status.padEnd(9)} ${c.task}: ${c.part}${c.status === "collected" ? ` (${c.items})` : ` — ${c.reason}: ${c.detail}`}\n`);
  // Protect groups that match no group: a note for the shipped pack's suggestions, a warning for the user's own.
  const notes = new Set(s.coverage.filter((c) => c.status === "collected" && c.notFound).flatMap((c) => (c.detail ?? "").split("; ")));
  for (const note of notes) io.err(`seatwise: ${note}\n`);
}
