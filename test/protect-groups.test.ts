/**
 * Protect groups named by the shipped pack are suggestions; groups the user's own policy names are
 * not. The composed policy says which is which, and collect reports the missing ones as a note or a
 * warning, never a failed run.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliIo } from "../cli/command.ts";
import { main } from "../cli/main.ts";
import { readPolicy } from "../policies/read-policy.ts";
import type { RunningSimulator } from "../simulator/contract.ts";
import { startSimulator } from "../simulator/start-simulator.ts";
import { writeSimulatorFiles, type SimulatorFiles } from "../simulator/write-simulator-files.ts";

function policyFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "seatwise-protect-")), "policy.yaml");
  writeFileSync(file, text);
  return file;
}

describe("suggested protect groups", () => {
  it("marks every group of the shipped pack as a suggestion when no policy file is given", () => {
    const policy = readPolicy([]);
    expect(policy.protect.groups).toEqual(["Emergency Access Accounts", "Break Glass Accounts", "Seatwise-Protected"]);
    expect(policy.suggestedProtectGroups).toEqual(policy.protect.groups);
  });

  it("makes a group the user's policy names (in any case) its own, even when the shipped pack names it too", () => {
    const file = policyFile(`version: 1\nextends: default\nprotect:\n  groups: ["break glass accounts", "Finance Admins"]\n`);
    const policy = readPolicy([file]);
    expect(policy.protect.groups).toEqual(["Emergency Access Accounts", "Break Glass Accounts", "Seatwise-Protected", "break glass accounts", "Finance Admins"]);
    expect(policy.suggestedProtectGroups).toEqual(["Emergency Access Accounts", "Seatwise-Protected"]);
  });
});

describe("collect with protect groups that do not exist (simulated tenant without \"Break Glass Accounts\")", () => {
  let sim: RunningSimulator;
  let files: SimulatorFiles;
  let dir: string;
  beforeAll(async () => {
    sim = await startSimulator({ users: 40, seed: 3, timeScale: 0.001 });
    dir = mkdtempSync(join(tmpdir(), "seatwise-protect-collect-"));
    files = await writeSimulatorFiles(sim, dir);
  });
  afterAll(async () => {
    await sim.close();
  });

  async function collect(policyFiles: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = "";
    let err = "";
    const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), env: {} };
    const code = await main(["collect", "--config", files.readerConfig, "--db", join(dir, `store-${policyFiles.length}.sqlite`), ...policyFiles.flatMap((f) => ["--policy", f])], io);
    return { code, out, err };
  }

  it("exits 0 with the shipped pack, noting the suggested group it did not find", async () => {
    expect(sim.tenant.groups.some((g) => g.displayName === "Break Glass Accounts")).toBe(false);
    const r = await collect([]);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out) as { completeCoverage: boolean; coverage: { part: string; notFound?: unknown }[] };
    expect(summary.completeCoverage).toBe(true);
    expect(summary.coverage.filter((c) => c.part === "groups.list").map((c) => c.notFound)).toContainEqual([{ name: "Break Glass Accounts", suggested: true }]);
  });

  it("exits 0 with a warning when the user's own policy names a group that does not exist", async () => {
    const r = await collect([policyFile(`version: 1\nextends: default\nprotect:\n  groups: ["Finance Admins"]\n`)]);
    expect(r.code).toBe(0);
    const parts = (JSON.parse(r.out) as { coverage: { part: string; reason?: string; detail?: string }[] }).coverage.filter((c) => c.part === "groups.list");
    expect(parts.length).toBeGreaterThan(0);
    for (const c of parts) {
      expect(c.reason).toBe("protect-groups-not-found");
      expect(c.detail).toMatch(/^warning: no group named "Finance Admins" \(protected by your policy; reclaim plan refuses/);
    }
  });
});
