/**
 * `seatwise reclaim apply` against hand-edited plans, the way issue 9 found them executed: each is
 * refused with exit 3 and one line naming what changed, and not one assignLicense request reaches
 * the simulator. Also: the cap and the age limit come from apply's command line, protection is
 * checked against the newest snapshot every time, and a rolled-back plan needs an explicit flag.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectCommand } from "../cli/collect-command.ts";
import { EXIT } from "../cli/exit-codes.ts";
import { reportError } from "../cli/main.ts";
import type { CliIo, Command } from "../cli/command.ts";
import { createReclaimCommand } from "../cli/reclaim-command.ts";
import type { RunningSimulator } from "../simulator/contract.ts";
import { startSimulator } from "../simulator/start-simulator.ts";
import { writeSimulatorFiles } from "../simulator/write-simulator-files.ts";
import type { SimulatorFiles } from "../simulator/write-simulator-files.ts";
import { reclaimPlanSchema } from "../reclaim/plan-schema.ts";
import type { ReclaimPlan } from "../reclaim/plan-schema.ts";

const NOW = new Date("2026-11-20T08:00:00Z");
const TASKS = "applicationRoster,applicationAccess,licenseInformation,hrRoster";
let sim: RunningSimulator;
let files: SimulatorFiles;
let dir: string;
let db: string;
let planFile: string;
let plan: ReclaimPlan;

async function run(command: Command, args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => void out.push(t), err: (t) => void err.push(t), env: {} };
  let code: number;
  try {
    code = await command.run(args, io);
  } catch (error) {
    code = reportError(error, io);
  }
  return { code, out: out.join(""), err: err.join("") };
}

const reclaim = createReclaimCommand({ isTty: () => false, ask: async () => "" });
// Per user, in a stable order: Graph's order of assignments carries no meaning, and a rollback re-adds at the end.
const licenses = () =>
  Array.from({ length: sim.tenant.userCount }, (_, i) =>
    sim.tenant
      .userAt(i)
      .licenses.map(({ lastUpdatedDateTime: _t, ...l }) => l)
      .sort((a, b) => `${a.skuId}|${a.assignedByGroup ?? ""}`.localeCompare(`${b.skuId}|${b.assignedByGroup ?? ""}`)),
  );
const writes = () => sim.stats.byEndpoint["users.assignLicense"]?.requests ?? 0;
const clone = (p: ReclaimPlan): ReclaimPlan => JSON.parse(JSON.stringify(p)) as ReclaimPlan;
let edits = 0;

/** Writes an edited plan, applies it with --execute --yes, and checks: exit 3, one line, nothing sent, nothing changed. */
async function expectRefused(edited: ReclaimPlan, args: string[], pattern: RegExp) {
  const file = join(dir, `edited-${edits++}.json`);
  writeFileSync(file, JSON.stringify(edited, null, 2));
  const before = licenses();
  const sent = writes();
  const result = await run(reclaim, ["apply", file, "--config", files.reclaimerConfig, "--execute", "--yes", ...args]);
  expect(result.err).toMatch(pattern);
  expect(result.code).toBe(EXIT.refused);
  expect(result.err.trim().split("\n")).toHaveLength(1);
  expect(writes()).toBe(sent);
  expect(licenses()).toEqual(before);
  return result;
}

beforeAll(async () => {
  sim = await startSimulator({ users: 100, seed: 77, timeScale: 0.01, now: NOW });
  dir = mkdtempSync(join(tmpdir(), "seatwise-reclaim-hostile-"));
  files = await writeSimulatorFiles(sim, dir);
  db = join(files.dir, "seatwise.sqlite");
  expect((await run(collectCommand, ["--config", files.readerConfig, "--tasks", TASKS])).code).not.toBe(EXIT.invalidInput);
  planFile = join(dir, "plan.json");
  const planned = await run(reclaim, ["plan", "--db", db, "--max", "100", "--out", planFile, "--now", NOW.toISOString()]);
  expect(planned.code).toBe(EXIT.ok);
  plan = reclaimPlanSchema.parse(JSON.parse(readFileSync(planFile, "utf8")));
}, 60_000);

afterAll(async () => {
  await sim?.close();
});

describe("reclaim apply refuses a hand-edited plan", () => {
  it("an action moved to a break-glass account", async () => {
    const index = Array.from({ length: sim.tenant.userCount }, (_, i) => i).find((i) => sim.tenant.userAt(i).userPrincipalName.startsWith("breakglass"))!;
    const target = sim.tenant.userAt(index);
    const edited = clone(plan);
    edited.actions[0] = { ...edited.actions[0]!, userId: target.id, userPrincipalName: target.userPrincipalName, displayName: target.displayName };
    await expectRefused(edited, ["--max", "100"], new RegExp(`plan-edited.*actions\\[0\\] \\(${target.userPrincipalName.replace(/\./g, "\\.")}\\): user ${target.id} is not in the plan rebuilt`));
  });

  it("an add: SPE_E5 slipped into a remove action", async () => {
    const e5 = sim.tenant.skus.find((s) => s.skuPartNumber === "SPE_E5")!;
    const edited = clone(plan);
    const i = edited.actions.findIndex((a) => a.kind === "remove");
    const a = edited.actions[i]!;
    a.add.push({ skuId: e5.skuId.toLowerCase(), skuPartNumber: "SPE_E5", disabledPlans: [], replaces: [a.remove[0]!.skuId] });
    await expectRefused(edited, ["--max", "100"], new RegExp(`plan-edited.*actions\\[${i}\\] .*add: \\["SPE_E5"\\] is not the policy's downgrade target`));
  });

  it("limits.maxUsers raised in the file: the cap comes from apply's command line, and the edit itself is refused", async () => {
    const edited = clone(plan);
    edited.limits.maxUsers = 1000;
    await expectRefused(edited, [], /cap-exceeded.*more than the cap of \d+ \(the smaller of 50 users/);
    await expectRefused(edited, ["--max", "100"], /plan-edited.*planId: .* does not match the plan rebuilt from the store/);
  });

  it("the snapshot age limit raised in the file: apply's limit holds", async () => {
    const edited = clone(plan);
    edited.limits.maxSnapshotAgeDays = 60;
    const later = new Date(Date.parse(plan.snapshot.collectedAt) + 10 * 86_400_000).toISOString();
    await expectRefused(edited, ["--max", "100", "--now", later], /stale-plan.*older than the 7-day limit/);
  });

  it("a plan over the cap, unedited, without --max at apply", async () => {
    expect(plan.actions.length).toBeGreaterThan(Math.floor(plan.snapshot.licensedUsers / 10));
    await expectRefused(plan, [], /cap-exceeded/);
  });

  it("an edited plan id, an edited precondition, a deleted add of a downgrade", async () => {
    await expectRefused({ ...clone(plan), planId: "0123456789abcdef" }, ["--max", "100"], /plan-edited.*planId: 0123456789abcdef/);
    const pre = clone(plan);
    pre.actions[1]!.precondition.accountEnabled = !pre.actions[1]!.precondition.accountEnabled;
    await expectRefused(pre, ["--max", "100"], /plan-edited.*actions\[1\] .*precondition/);
    const down = clone(plan);
    const d = down.actions.findIndex((a) => a.add.length > 0);
    expect(d).toBeGreaterThanOrEqual(0);
    down.actions[d]!.add = [];
    await expectRefused(down, ["--max", "100"], new RegExp(`plan-edited.*actions\\[${d}\\] .*add: \\[\\] is not the policy's downgrade target`));
  });

  it("a user the policy given to apply protects, in the same snapshot (not only when a newer one exists)", async () => {
    const policyFile = join(dir, "protect.yaml");
    writeFileSync(policyFile, `version: 1\nextends: default\nprotect:\n  users: ["${plan.actions[2]!.userPrincipalName}"]\n`);
    await expectRefused(plan, ["--max", "100", "--policy", policyFile], /plan-edited.*actions\[2\] .*not in the plan rebuilt from the store .*protected/);
  });

  it("a user who joined a protected group since the plan (newest snapshot), then applies a narrowed plan without them", async () => {
    const group = sim.tenant.groups.find((g) => g.displayName === "Seatwise-Protected")!;
    const target = plan.actions[3]!;
    const members = group.memberIndexes as number[];
    members.push(sim.tenant.indexOf(target.userId));
    try {
      expect((await run(collectCommand, ["--config", files.readerConfig, "--tasks", TASKS])).code).not.toBe(EXIT.invalidInput);
      await expectRefused(plan, ["--max", "100"], new RegExp(`protected.*actions\\[3\\] \\(${target.userPrincipalName.replace(/\./g, "\\.")}\\): member of protected group "Seatwise-Protected"`));
      // The reviewer narrows the plan (deletes that action): it applies, and rolls back.
      const narrowed = clone(plan);
      narrowed.actions.splice(3, 1);
      const file = join(dir, "narrowed.json");
      writeFileSync(file, JSON.stringify(narrowed, null, 2));
      const original = licenses();
      const applied = await run(reclaim, ["apply", file, "--config", files.reclaimerConfig, "--max", "100", "--execute", "--yes"]);
      expect(applied.err).toBe("");
      expect(applied.code).toBe(EXIT.ok);
      expect(applied.out).toMatch(new RegExp(`${narrowed.actions.length} done, 0 already, 0 skipped, 0 failed`));
      expect(licenses()[sim.tenant.indexOf(target.userId)]).toEqual(original[sim.tenant.indexOf(target.userId)]);
      const applyRunId = /apply run ([0-9a-f-]{36})/.exec(applied.out)![1]!;

      // Rollback, too, needs the write permission in the token, checked before any write.
      const sent = writes();
      const byReader = await run(reclaim, ["rollback", applyRunId, "--config", files.readerConfig, "--db", db, "--execute", "--yes"]);
      expect(byReader.code).toBe(EXIT.refused);
      expect(byReader.err).toMatch(/missing-permission/);
      expect(writes()).toBe(sent);

      // Rolled back: applying the same plan again is refused unless asked for explicitly.
      expect((await run(reclaim, ["rollback", applyRunId, "--config", files.reclaimerConfig, "--execute", "--yes"])).code).toBe(EXIT.ok);
      expect(licenses()).toEqual(original);
      await expectRefused(narrowed, ["--max", "100"], /rolled-back.*--reapply-after-rollback/);
      const again = await run(reclaim, ["apply", file, "--config", files.reclaimerConfig, "--max", "100", "--execute", "--yes", "--reapply-after-rollback"]);
      expect(again.code).toBe(EXIT.ok);
      expect(again.out).toMatch(new RegExp(`${narrowed.actions.length} done`));
      const againRunId = /apply run ([0-9a-f-]{36})/.exec(again.out)![1]!;
      expect(againRunId).not.toBe(applyRunId);
      expect((await run(reclaim, ["rollback", againRunId, "--config", files.reclaimerConfig, "--execute", "--yes"])).code).toBe(EXIT.ok);
      expect(licenses()).toEqual(original);
    } finally {
      members.pop();
    }
  }, 60_000);
});
