import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { evaluateCommand } from "../cli/evaluate-command.ts";
import { reportError } from "../cli/main.ts";
import type { CliIo } from "../cli/command.ts";
import { TEST_NOW, baseSnapshot, baseUser } from "../policies/testing/snapshot-builders.ts";
import { openStore } from "../store/open-store.ts";

function io(): CliIo & { stdout: string; stderr: string } {
  const out = { stdout: "", stderr: "" };
  return Object.assign(out, { out: (t: string) => void (out.stdout += t), err: (t: string) => void (out.stderr += t), env: {} });
}

/** Runs the command the way cli/main.ts does: errors become text and an exit code. */
async function run(args: string[]) {
  const streams = io();
  let code: number;
  try {
    code = await evaluateCommand.run(args, streams);
  } catch (error) {
    code = reportError(error, streams);
  }
  return { code, ...streams };
}

const dir = mkdtempSync(join(tmpdir(), "seatwise-evaluate-"));
const snapshotFile = join(dir, "snapshot.json");
writeFileSync(snapshotFile, JSON.stringify(baseSnapshot([baseUser(), baseUser({ accountEnabled: false, userPrincipalName: "gone@contoso.example" })]), null, 2));
const now = ["--now", TEST_NOW.toISOString()];

describe("seatwise evaluate", () => {
  it("prints a findings table with the savings", async () => {
    const r = await run(["--snapshot", snapshotFile, ...now]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/LIC\.BLOCKED\.1v1\s+reclaim\s+high\s+gone@contoso\.example/);
    expect(r.stdout).toContain("1 findings; actionable savings 36.00 USD/month, 432.00 USD/year");
  });

  it("writes the versioned JSON document to --out", async () => {
    const out = join(dir, "evaluation.json");
    const r = await run(["--snapshot", snapshotFile, "--format", "json", "--out", out, ...now]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(JSON.parse(readFileSync(out, "utf8"))).toMatchObject({ evaluationVersion: 1, findings: [{ ruleId: "LIC.BLOCKED.1v1", user: { userPrincipalName: "gone@contoso.example" } }] });
  });

  it("applies layered policy files", async () => {
    const local = join(dir, "local.yaml");
    writeFileSync(local, "version: 1\nextends: default\nrules:\n  - id: LIC.BLOCKED.1v1\n    enabled: false\n");
    const r = await run(["--snapshot", snapshotFile, "--policy", local, "--format", "csv", ...now]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
  });

  it("follows extends paths relative to the extending file", async () => {
    const sub = mkdtempSync(join(dir, "layer-"));
    writeFileSync(join(dir, "base.yaml"), "version: 1\nextends: default\nrules:\n  - id: LIC.BLOCKED.1v1\n    enabled: false\n");
    writeFileSync(join(sub, "team.yaml"), "version: 1\nextends: ../base.yaml\ncurrency: EUR\n");
    const r = await run(["--snapshot", snapshotFile, "--policy", join(sub, "team.yaml"), "--format", "csv", ...now]);
    expect(r.code).toBe(0);
    // base.yaml turns LIC.BLOCKED off: nothing left to report.
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
  });

  it("exits 2 with file:line:col for an invalid policy file", async () => {
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, "version: 1\nextends: default\nrules:\n  - id: LIC.BLOCKED.1v1\n    conditions:\n      all:\n        - { fact: lastLogin, operator: equal, value: true }\n");
    const r = await run(["--snapshot", snapshotFile, "--policy", bad, ...now]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}:7:19: rules[0].conditions.all[0].fact: unknown fact "lastLogin" (did you mean "lastSignIn"?)`);
  });

  it("exits 2 with file:line:col for an invalid snapshot", async () => {
    const bad = join(dir, "bad.json");
    writeFileSync(bad, '{\n  "snapshotVersion": 2\n}\n');
    const r = await run(["--snapshot", bad, ...now]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:2:22: snapshotVersion: `));
  });

  it("exits 2 on usage errors: one source of data, a known format", async () => {
    expect((await run([])).code).toBe(2);
    expect((await run(["--snapshot", snapshotFile, "--format", "xml"])).stderr).toContain("--format must be one of table, json, csv");
    const both = await run(["--db", "x.sqlite", "--snapshot", snapshotFile]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("give exactly one of --db FILE and --snapshot FILE");
  });

  it("refuses a missing store with exit 2 and creates nothing", async () => {
    const missing = join(mkdtempSync(join(tmpdir(), "seatwise-eval-db-")), "missing.sqlite");
    const result = await run(["--db", missing]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${missing}: no store here (nothing was created)`);
    expect(existsSync(missing)).toBe(false);
  });

  it("says so when the store holds no complete collection run", async () => {
    const empty = join(mkdtempSync(join(tmpdir(), "seatwise-eval-db-")), "empty.sqlite");
    await (await openStore({ engine: "sqlite", path: empty }, { mode: "write" })).close();
    const result = await run(["--db", empty]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("no complete collection run; run `seatwise collect` first");
  });
});
