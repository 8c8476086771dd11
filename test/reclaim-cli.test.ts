/**
 * `seatwise reclaim plan|apply|rollback|history` end to end: the simulator's generated files, the
 * collector's store, the plan file, exit codes (3 for refusals) and what is printed.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectCommand } from "../cli/collect-command.ts";
import { EXIT } from "../cli/exit-codes.ts";
import { reportError } from "../cli/main.ts";
import type { CliIo, Command } from "../cli/command.ts";
import { createReclaimCommand } from "../cli/reclaim-command.ts";
import type { Terminal } from "../cli/reclaim-command.ts";
import type { RunningSimulator } from "../simulator/contract.ts";
import { startSimulator } from "../simulator/start-simulator.ts";
import { writeSimulatorFiles } from "../simulator/write-simulator-files.ts";
import type { SimulatorFiles } from "../simulator/write-simulator-files.ts";
import { reclaimPlanSchema } from "../reclaim/plan-schema.ts";

const NOW = new Date("2026-11-20T08:00:00Z");
let sim: RunningSimulator;
let files: SimulatorFiles;
let dir: string;

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIo = { out: (t) => void out.push(t), err: (t) => void err.push(t), env: {} };
  return { io: value, out: () => out.join(""), err: () => err.join("") };
}

/** Runs a command the way cli/main.ts does: errors become exit codes. */
async function run(command: Command, args: string[]) {
  const c = io();
  let code: number;
  try {
    code = await command.run(args, c.io);
  } catch (error) {
    code = reportError(error, c.io);
  }
  return { code, out: c.out(), err: c.err() };
}

const noTerminal: Terminal = { isTty: () => false, ask: async () => "" };
const reclaim = createReclaimCommand(noTerminal);
// Per user, in a stable order: Graph's order of assignments carries no meaning, and a rollback re-adds at the end.
const licenses = () =>
  Array.from({ length: sim.tenant.userCount }, (_, i) =>
    sim.tenant
      .userAt(i)
      .licenses.map(({ lastUpdatedDateTime: _t, ...l }) => l)
      .sort((a, b) => `${a.skuId}|${a.assignedByGroup ?? ""}`.localeCompare(`${b.skuId}|${b.assignedByGroup ?? ""}`)),
  );

beforeAll(async () => {
  sim = await startSimulator({ users: 100, seed: 77, timeScale: 0.01, now: NOW });
  dir = mkdtempSync(join(tmpdir(), "seatwise-reclaim-cli-"));
  files = await writeSimulatorFiles(sim, dir);
  const collected = await run(collectCommand, ["--config", files.readerConfig, "--tasks", "applicationRoster,applicationAccess,licenseInformation,hrRoster"]);
  expect(collected.err).not.toMatch(/unexpected/);
}, 30_000);

afterAll(async () => {
  await sim?.close();
});

describe("seatwise reclaim", () => {
  it("plans, dry-runs, refuses to execute without --yes off a terminal, applies, shows history and rolls back", async () => {
    const db = join(files.dir, "seatwise.sqlite");
    const planFile = join(dir, "plan.json");
    const original = licenses();

    const planned = await run(reclaim, ["plan", "--db", db, "--max", "100", "--out", planFile, "--now", NOW.toISOString()]);
    expect(planned.code).toBe(EXIT.ok);
    const plan = reclaimPlanSchema.parse(JSON.parse(readFileSync(planFile, "utf8")));
    expect(plan.actions.length).toBeGreaterThan(0);
    expect(planned.out).toContain(`Would change ${plan.actions.length} user(s)`);

    const dry = await run(reclaim, ["apply", planFile, "--config", files.reclaimerConfig, "--max", "100"]);
    expect(dry.err).toBe("");
    expect(dry.code).toBe(EXIT.ok);
    for (const a of plan.actions) expect(dry.out).toContain(a.userPrincipalName);
    expect(dry.out).toContain("Dry run: nothing was changed");
    expect(licenses()).toEqual(original);

    const unconfirmed = await run(reclaim, ["apply", planFile, "--config", files.reclaimerConfig, "--max", "100", "--execute"]);
    expect(unconfirmed.code).toBe(EXIT.refused);
    expect(unconfirmed.err).toMatch(/--yes/);
    expect(licenses()).toEqual(original);

    const applied = await run(reclaim, ["apply", planFile, "--config", files.reclaimerConfig, "--max", "100", "--execute", "--yes"]);
    expect(applied.err).toBe("");
    expect(applied.code).toBe(EXIT.ok);
    expect(applied.out).toMatch(new RegExp(`${plan.actions.length} done, 0 already, 0 skipped, 0 failed`));
    expect(licenses()).not.toEqual(original);
    const applyRunId = /apply run ([0-9a-f-]{36})/.exec(applied.out)![1]!;

    const history = await run(reclaim, ["history", "--db", db]);
    expect(history.out).toContain(applyRunId);
    expect(history.out).toContain(`realized ${plan.totals.monthlySavings.toFixed(2)} USD/month`);

    const rollbackDry = await run(reclaim, ["rollback", applyRunId, "--config", files.reclaimerConfig]);
    expect(rollbackDry.out).toContain(`would restore ${plan.actions.length} user(s)`);
    const rolled = await run(reclaim, ["rollback", applyRunId, "--config", files.reclaimerConfig, "--execute", "--yes"]);
    expect(rolled.code).toBe(EXIT.ok);
    expect(licenses()).toEqual(original);
    expect((await run(reclaim, ["history", "--db", db])).out).toContain(`rollback of ${applyRunId}`);
  });

  it("refuses (exit 3) an identity without LicenseAssignment.ReadWrite.All before sending a single write", async () => {
    const db = join(files.dir, "seatwise.sqlite");
    const planFile = join(dir, "plan-reader.json");
    const at = new Date(NOW.getTime() + 60_000).toISOString();
    expect((await run(reclaim, ["plan", "--db", db, "--max", "100", "--out", planFile, "--now", at])).code).toBe(EXIT.ok);
    const original = licenses();
    const writesBefore = sim.stats.byEndpoint["users.assignLicense"]?.requests ?? 0;
    const attempt = await run(reclaim, ["apply", planFile, "--config", files.readerConfig, "--db", db, "--max", "100", "--execute", "--yes"]);
    expect(attempt.code).toBe(EXIT.refused);
    expect(attempt.err).toMatch(/missing-permission.*LicenseAssignment\.ReadWrite\.All/);
    expect(attempt.err.split("\n").filter(Boolean)).toHaveLength(1);
    expect(sim.stats.byEndpoint["users.assignLicense"]?.requests ?? 0).toBe(writesBefore);
    expect(licenses()).toEqual(original);
  });

  it("exits 3 for a stale snapshot and for a plan over the cap", async () => {
    const db = join(files.dir, "seatwise.sqlite");
    // `seatwise collect` stamps the snapshot with the real clock: 8 days from now it is stale.
    const stale = await run(reclaim, ["plan", "--db", db, "--out", join(dir, "stale.json"), "--now", new Date(Date.now() + 8 * 86_400_000).toISOString()]);
    expect(stale.code).toBe(EXIT.refused);
    expect(stale.err).toMatch(/stale-snapshot/);
    const capped = await run(reclaim, ["plan", "--db", db, "--out", join(dir, "capped.json"), "--now", NOW.toISOString()]);
    expect(capped.code).toBe(EXIT.refused);
    expect(capped.err).toMatch(/cap-exceeded.*--max N/);
  });

  it("asks on a terminal and changes nothing unless the answer is yes", async () => {
    const planFile = join(dir, "plan-ask.json");
    const at = new Date(NOW.getTime() + 120_000).toISOString();
    expect((await run(reclaim, ["plan", "--db", join(files.dir, "seatwise.sqlite"), "--max", "100", "--out", planFile, "--now", at])).code).toBe(EXIT.ok);
    const questions: string[] = [];
    const declining = createReclaimCommand({ isTty: () => true, ask: async (q) => (questions.push(q), "no") });
    const original = licenses();
    const declined = await run(declining, ["apply", planFile, "--config", files.reclaimerConfig, "--max", "100", "--execute"]);
    expect(declined.code).toBe(EXIT.refused);
    expect(questions[0]).toMatch(/Type "yes" to continue/);
    expect(licenses()).toEqual(original);
  });

  it("reports an invalid plan file with its line and field, exit 2", async () => {
    const planFile = join(dir, "broken.json");
    const plan = JSON.parse(readFileSync(join(dir, "plan.json"), "utf8")) as { planVersion: number };
    plan.planVersion = 2;
    writeFileSync(planFile, JSON.stringify(plan, null, 2));
    const result = await run(reclaim, ["apply", planFile]);
    expect(result.code).toBe(EXIT.invalidInput);
    expect(result.err).toMatch(/broken\.json:2:\d+: planVersion: /);
  });

  it("refuses (exit 3) to plan with a protect group of your own policy that the collection did not find", async () => {
    const policyFile = join(dir, "own-groups.yaml");
    writeFileSync(policyFile, 'version: 1\nextends: default\nprotect:\n  groups: ["Finance Admins"]\n');
    const out = join(dir, "never.json");
    const result = await run(reclaim, ["plan", "--db", join(files.dir, "seatwise.sqlite"), "--policy", policyFile, "--max", "100", "--out", out, "--now", NOW.toISOString()]);
    expect(result.code).toBe(EXIT.refused);
    expect(result.err).toMatch(/unknown-protect-group.*"Finance Admins"/);
    expect(existsSync(out)).toBe(false);
  });

  it("prints the history as a table, or as JSON with --format json (--json kept as its alias)", async () => {
    const db = join(files.dir, "seatwise.sqlite");
    const table = await run(reclaim, ["history", "--db", db]);
    expect(table.code).toBe(EXIT.ok);
    expect(table.out).toMatch(/apply of plan /);
    const json = await run(reclaim, ["history", "--db", db, "--format", "json"]);
    expect(json.code).toBe(EXIT.ok);
    const entries = JSON.parse(json.out) as { runId: string; kind: string; counts: Record<string, number> }[];
    expect(entries.some((e) => e.kind === "apply" && table.out.includes(e.runId))).toBe(true);
    expect((await run(reclaim, ["history", "--db", db, "--json"])).out).toBe(json.out);
    const bad = await run(reclaim, ["history", "--db", db, "--format", "xml"]);
    expect(bad.code).toBe(EXIT.invalidInput);
    expect(bad.err).toMatch(/--format: expected table or json, got "xml"/);
  });
});
