/**
 * `seatwise reclaim plan|apply|rollback|history`: argv → one function of policies/reclaim → print.
 */
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { RefusalError, UsageError } from "../core/errors.ts";
import { sameTenant } from "../core/normalize-tenant-id.ts";
import { openStore, type StoreMode } from "../store/open-store.ts";
import { createReclaimJournalRepository } from "../store/reclaim-journal-repository.ts";
import type { SqlDatabase } from "../store/sql-database.ts";
import type { StoreLocation } from "../store/store-location.ts";
import { readPricedPolicy } from "../policies/price-book.ts";
import type { TokenProvider } from "../graph/create-token-provider.ts";
import { dryRunSummary } from "../reclaim/dry-run-summary.ts";
import { checkPlanActions, executeReclaimPlan, executeRollback, planRollback } from "../reclaim/execute-reclaim.ts";
import type { ExecutionSummary, ExecutorDeps } from "../reclaim/execute-reclaim.ts";
import { verifyPlanForApply } from "../reclaim/verify-plan-for-apply.ts";
import { restoringChange } from "../reclaim/license-state.ts";
import type { LicenseChange } from "../reclaim/license-state.ts";
import { readPlanFile } from "../reclaim/read-plan-file.ts";
import { buildPlanFromStore } from "../reclaim/build-plan-from-store.ts";
import { formatReclaimHistory, readReclaimHistory } from "../reclaim/reclaim-history.ts";
import type { LicenseState } from "../reclaim/plan-schema.ts";
import { EXIT } from "./exit-codes.ts";
import type { CliIo, Command } from "./command.ts";
import { connectGraph } from "./connect-graph.ts";
import { readStoreOption, readToolConfig } from "./read-tool-config.ts";
import { writeFileAtomic } from "../core/write-file-atomic.ts";

const usage = `Usage:
  seatwise reclaim plan --db FILE|URL [--policy FILE ...] [--prices FILE.csv] [--rule ID ...] [--max N] [--max-age-days N] --out plan.json
  seatwise reclaim apply plan.json --config reclaimer.yaml [--db FILE|URL] [--policy FILE ...] [--prices FILE.csv] [--max N]
                         [--max-age-days N] [--reapply-after-rollback] [--execute] [--yes]
  seatwise reclaim rollback APPLY_RUN_ID --config reclaimer.yaml [--db FILE|URL] [--execute] [--yes]
  seatwise reclaim history --db FILE|URL [--tenant ID] [--format table|json]

--db takes a SQLite file or a postgres:// URL (password from PGPASSWORD, never on the command line).
plan and history only read the store; apply and rollback --execute create or migrate it.

plan      Builds a reclamation plan (planVersion 1) from the store's latest snapshot: per user the
          directly assigned SKUs to remove (and the SKU to add, for a downgrade), the rules and
          evidence, and the user's current assignedLicenses as the precondition. Group-assigned
          licenses are listed as "remove from group …", never planned. Refuses (exit 3) a snapshot
          older than --max-age-days (default 7), rules whose activity evidence was concealed or
          missing, and more users than the cap (min(50, 10 % of licensed users)) unless --max N
          sets the cap explicitly, and a protect group of your policy the collection did not find.
          --rule limits the plan to some rules. --prices takes a CSV price book (skuPartNumber,
          term, currency, price) over the policy's prices. Downgrades Graph would refuse (no
          usageLocation, no free seat) are listed with the fix, not planned.
apply     A plan can only be narrowed: delete actions, or SKUs from an action's remove. Apply
          rebuilds the plan from the store (the plan's collection run, the policy of --policy and
          --prices, default the shipped pack) and refuses (exit 3) anything else edited, a user
          protected in the newest snapshot, a snapshot older than --max-age-days (default 7), more
          users than --max (default min(50, 10 % of licensed users)), a plan already rolled back
          (unless --reapply-after-rollback), and an identity without LicenseAssignment.ReadWrite.All.
          Dry run by default: prints exactly what would change. --execute writes with the
          reclamation identity of --config (asks for confirmation on a terminal unless --yes; without
          a terminal --yes is required). Each user is re-read first and skipped when changed since the
          plan. Journaled in the store (the configuration's store, or --db): run apply again to resume
          after a crash or kill, or to retry users Graph refused; nothing is applied twice.
rollback  Restores exactly the before-state (licenses and disabled plans) of every user an apply run
          changed, skipping users changed since. Dry run unless --execute.
history   Apply and rollback runs with their counts and realized monthly savings (--json is
          kept as an alias of --format json).

--now DATE (plan, apply) evaluates as of DATE instead of the clock, for replaying a snapshot; like
          --max-age-days it moves the snapshot-age check, so it is an explicit operator decision.

Exit 0 on success, 1 when something failed (per-user failures included), 2 for invalid input,
3 when a safety limit refused.`;

/** The terminal the command asks for confirmation on; tests pass their own. */
export interface Terminal {
  isTty(): boolean;
  ask(question: string): Promise<string>;
}

const processTerminal: Terminal = {
  isTty: () => process.stdin.isTTY === true && process.stderr.isTTY === true,
  async ask(question) {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return await rl.question(question);
    } finally {
      rl.close();
    }
  },
};

/** Builds the command with a given terminal (the registered command uses the process's). */
export function createReclaimCommand(terminal: Terminal = processTerminal): Command {
  return {
    summary: "plan, review, apply and roll back license reclamation (dry run unless --execute)",
    usage,
    async run(args, io) {
      const [sub, ...rest] = args;
      if (sub === "plan") return planSubcommand(rest, io);
      if (sub === "apply") return applySubcommand(rest, io, terminal);
      if (sub === "rollback") return rollbackSubcommand(rest, io, terminal);
      if (sub === "history") return historySubcommand(rest, io);
      throw new UsageError(`reclaim: expected plan, apply, rollback or history${sub ? `, got "${sub}"` : ""}\n\n${usage}`);
    },
  };
}

/** `seatwise reclaim`. */
export const reclaimCommand: Command = createReclaimCommand();

function positiveInt(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new UsageError(`--${name}: expected a whole number of at least 1, got "${raw}"`);
  return Number(raw);
}

/** The store of --db, else of --config, else SEATWISE_STORE; `what` names the subcommand for the error. */
function storeFor(what: string, db: string | undefined, config: string | undefined, io: CliIo): StoreLocation {
  const store = readStoreOption(db, io.env, config ? readToolConfig(config, io.env) : undefined);
  if (!store) throw new UsageError(`reclaim ${what}: --db FILE|URL is required`);
  return store;
}

const open = (store: StoreLocation, mode: StoreMode) => openStore(store, { mode });

async function planSubcommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      db: { type: "string" },
      tenant: { type: "string" },
      policy: { type: "string", multiple: true },
      prices: { type: "string" },
      rule: { type: "string", multiple: true },
      max: { type: "string" },
      "max-age-days": { type: "string" },
      out: { type: "string" },
      now: { type: "string" },
    },
  });
  const store = storeFor("plan", values.db, undefined, io);
  if (!values.out) throw new UsageError("reclaim plan: --out FILE is required");
  const now = values.now ? new Date(values.now) : new Date();
  if (Number.isNaN(now.getTime())) throw new UsageError(`--now: not a date: "${values.now}"`);
  const policy = readPricedPolicy(values.policy ?? [], values.prices);
  const db = await open(store, "read");
  try {
    const maxUsers = positiveInt("max", values.max);
    const maxSnapshotAgeDays = positiveInt("max-age-days", values["max-age-days"]);
    const plan = await buildPlanFromStore(db, policy, {
      now,
      ...(values.tenant ? { tenantId: values.tenant } : {}),
      ...(values.rule ? { rules: values.rule } : {}),
      ...(maxUsers !== undefined ? { maxUsers } : {}),
      ...(maxSnapshotAgeDays !== undefined ? { maxSnapshotAgeDays } : {}),
    });
    await writeFileAtomic(values.out, `${JSON.stringify(plan, null, 2)}\n`);
    io.out(dryRunSummary(plan));
    io.out(`Plan written to ${values.out}. Review it, then: seatwise reclaim apply ${values.out} --config reclaimer.yaml --execute\n`);
    return EXIT.ok;
  } finally {
    await db.close();
  }
}

async function confirm(io: CliIo, terminal: Terminal, yes: boolean, question: string): Promise<void> {
  if (yes) return;
  if (!terminal.isTty()) throw new RefusalError("confirmation-required", "--execute without a terminal needs --yes (nothing was changed)");
  const answer = await terminal.ask(`${question} Type "yes" to continue: `);
  if (answer.trim().toLowerCase() !== "yes") throw new RefusalError("not-confirmed", "not confirmed; nothing was changed");
  io.err("confirmed\n");
}

/** Graph client, token provider and journal for a reclamation identity's configuration. */
async function connect(configFile: string, dbOverride: string | undefined, io: CliIo) {
  const config = readToolConfig(configFile, io.env);
  const { graph, tokens, close } = connectGraph(config);
  let db: SqlDatabase;
  try {
    db = await open(readStoreOption(dbOverride, io.env, config) ?? config.store, "write");
  } catch (error) {
    close();
    throw error;
  }
  return {
    config,
    graph,
    tokens,
    db,
    close: async () => {
      close();
      await db.close();
    },
  };
}

function printExecution(s: ExecutionSummary, currency: string, io: CliIo): number {
  for (const a of s.actions) io.out(`  ${a.status.padEnd(8)} ${a.userPrincipalName}${a.reason ? `: ${a.reason}` : ""}\n`);
  io.out(
    `${s.kind} run ${s.runId}${s.resumed ? " (resumed)" : ""}: ${s.status}; ${s.counts.done} done, ${s.counts.already} already, ${s.counts.skipped} skipped, ${s.counts.failed} failed; ` +
      `${s.writes} assignLicense call(s); realized ${s.realizedMonthlySavings.toFixed(2)} ${currency}/month\n`,
  );
  if (s.aborted) io.err(`seatwise: stopped: ${s.aborted}\n`);
  return s.status === "complete" && s.counts.failed === 0 ? EXIT.ok : EXIT.failure;
}

/** The application permission every license write needs. */
const WRITE_ROLE = "LicenseAssignment.ReadWrite.All";

/**
 * Refuses (exit 3) before any write when the identity's token does not carry `LicenseAssignment.ReadWrite.All`
 * (the reader's configuration, a reclaimer whose grant was revoked): nothing is sent.
 */
async function requireWriteRole(tokens: TokenProvider, configFile: string): Promise<void> {
  const { roles } = await tokens.getToken();
  if (!roles.includes(WRITE_ROLE)) {
    throw new RefusalError(
      "missing-permission",
      `the identity of ${configFile} is not granted ${WRITE_ROLE} (its token has: ${roles.join(", ") || "no roles"}); use the reclamation identity's configuration (reclaimer.yaml); nothing was changed`,
    );
  }
}

async function applySubcommand(args: string[], io: CliIo, terminal: Terminal): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      config: { type: "string", default: "seatwise.yaml" },
      db: { type: "string" },
      policy: { type: "string", multiple: true },
      prices: { type: "string" },
      max: { type: "string" },
      "max-age-days": { type: "string" },
      "reapply-after-rollback": { type: "boolean", default: false },
      execute: { type: "boolean", default: false },
      yes: { type: "boolean", default: false },
      now: { type: "string" },
    },
  });
  if (positionals.length !== 1) throw new UsageError("reclaim apply: expected one plan file");
  const plan = readPlanFile(positionals[0]!);
  checkPlanActions(plan, positionals[0]!);
  const maxUsers = positiveInt("max", values.max);
  const maxSnapshotAgeDays = positiveInt("max-age-days", values["max-age-days"]);
  const now = values.now ? new Date(values.now) : new Date();
  if (Number.isNaN(now.getTime())) throw new UsageError(`--now: not a date: "${values.now}"`);
  const policy = readPricedPolicy(values.policy ?? [], values.prices);
  const verifyOptions = {
    now,
    ...(maxUsers !== undefined ? { maxUsers } : {}),
    ...(maxSnapshotAgeDays !== undefined ? { maxSnapshotAgeDays } : {}),
    reapplyAfterRollback: values["reapply-after-rollback"],
  };
  if (!values.execute) {
    // The dry run only reads (the store and the journal).
    const db = await open(storeFor("apply", values.db, values.config, io), "read");
    try {
      const verified = await verifyPlanForApply(db, createReclaimJournalRepository(db), plan, policy, verifyOptions);
      io.out(dryRunSummary(verified.plan));
      io.out("Run again with --execute to apply.\n");
      return EXIT.ok;
    } finally {
      await db.close();
    }
  }
  const conn = await connect(values.config, values.db, io);
  try {
    if (!sameTenant(conn.config.tenantId, plan.tenantId)) {
      throw new RefusalError("tenant-mismatch", `the plan is for tenant ${plan.tenantId} but ${values.config} is for tenant ${conn.config.tenantId}`);
    }
    await requireWriteRole(conn.tokens, values.config);
    const journal = createReclaimJournalRepository(conn.db);
    const verified = await verifyPlanForApply(conn.db, journal, plan, policy, verifyOptions);
    await confirm(io, terminal, values.yes, `Apply plan ${plan.planId}: change ${plan.actions.length} user(s) in tenant ${plan.tenantId}.`);
    const deps: ExecutorDeps = { graph: conn.graph, journal, now: () => new Date(), protectedNow: verified.protectedNow };
    return printExecution(await executeReclaimPlan(verified.plan, deps), plan.totals.currency, io);
  } finally {
    await conn.close();
  }
}

async function rollbackSubcommand(args: string[], io: CliIo, terminal: Terminal): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: { config: { type: "string", default: "seatwise.yaml" }, db: { type: "string" }, execute: { type: "boolean", default: false }, yes: { type: "boolean", default: false } },
  });
  if (positionals.length !== 1) throw new UsageError("reclaim rollback: expected one APPLY_RUN_ID (see `seatwise reclaim history`)");
  const applyRunId = positionals[0]!;
  if (!values.execute) {
    // The preview only reads the journal.
    const db = await open(storeFor("rollback", values.db, values.config, io), "read");
    try {
      const preview = await planRollback(applyRunId, createReclaimJournalRepository(db));
      io.out(`Rollback of apply run ${applyRunId} (tenant ${preview.tenantId}) would restore ${preview.actions.length} user(s):\n`);
      for (const a of preview.actions) {
        const change: LicenseChange = restoringChange(a.after as LicenseState, a.before as LicenseState);
        io.out(`  ${a.userPrincipalName}: ${[...change.addLicenses.map((l) => `add ${l.skuId}${l.disabledPlans.length ? ` (${l.disabledPlans.length} plans disabled)` : ""}`), ...change.removeLicenses.map((s) => `remove ${s}`)].join(", ")}\n`);
      }
      io.out("Dry run: nothing was changed. Run again with --execute to restore.\n");
      return EXIT.ok;
    } finally {
      await db.close();
    }
  }
  const conn = await connect(values.config, values.db, io);
  try {
    const journal = createReclaimJournalRepository(conn.db);
    const run = await journal.run(applyRunId);
    if (run && !sameTenant(conn.config.tenantId, run.tenantId)) {
      throw new RefusalError("tenant-mismatch", `apply run ${applyRunId} was for tenant ${run.tenantId} but ${values.config} is for tenant ${conn.config.tenantId}`);
    }
    await requireWriteRole(conn.tokens, values.config);
    const preview = await planRollback(applyRunId, journal);
    await confirm(io, terminal, values.yes, `Roll back apply run ${applyRunId}: restore ${preview.actions.length} user(s) in tenant ${preview.tenantId}.`);
    return printExecution(await executeRollback(applyRunId, { graph: conn.graph, journal, now: () => new Date() }), preview.currency, io);
  } finally {
    await conn.close();
  }
}

async function historySubcommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: { db: { type: "string" }, config: { type: "string" }, tenant: { type: "string" }, format: { type: "string" }, json: { type: "boolean", default: false } },
  });
  const format = values.format ?? (values.json ? "json" : "table");
  if (format !== "table" && format !== "json") throw new UsageError(`--format: expected table or json, got "${format}"`);
  if (values.json && values.format !== undefined && values.format !== "json") throw new UsageError(`--json is --format json; it contradicts --format ${values.format}`);
  const db = await open(storeFor("history", values.db, values.config, io), "read");
  try {
    const entries = await readReclaimHistory(createReclaimJournalRepository(db), values.tenant);
    io.out(format === "json" ? `${JSON.stringify(entries, null, 2)}\n` : formatReclaimHistory(entries));
    return EXIT.ok;
  } finally {
    await db.close();
  }
}
