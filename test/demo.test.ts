import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../cli/main.ts";

/** Runs the CLI in-process and captures its output. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { out: (t) => (stdout += t), err: (t) => (stderr += t), env: {} });
  return { code, stdout, stderr };
}

const out = mkdtempSync(join(tmpdir(), "seatwise-demo-test-"));
let demo: Awaited<ReturnType<typeof cli>>;
beforeAll(async () => {
  demo = await cli(["demo", "--users", "150", "--seed", "3", "--out", out]);
});

describe("seatwise demo", () => {
  it("runs simulator → config → MSAL token → collection → evaluation → plan dry run, end to end", async () => {
    expect(demo.stderr).toBe("");
    expect(demo.code).toBe(0);
    const stdout = demo.stdout;
    expect(stdout).toMatch(/3\. token: MSAL obtained an app-only token; granted: .*User\.Read\.All/);
    expect(stdout).toMatch(/4\. collect: run complete into .*seatwise\.sqlite/);
    expect(stdout).toMatch(/150 users, \d+ licensed/);
    expect(stdout).toMatch(/SPE_E3 +\d+ \/ +\d+ used/);
    expect(stdout).toMatch(/5\. evaluate: \d+ findings/);
    // Savings dated by the subscriptions' renewals, and the subscriptions to act on.
    expect(stdout).toMatch(/actionable savings per month from: now [\d.]+ USD, within 30 days [\d.]+ USD, within 90 days [\d.]+ USD, at renewal [\d.]+ USD/);
    expect(stdout).toMatch(/in review: \d+ findings; confirming them would save [\d.]+ USD\/month \(not in the actionable savings\)/);
    expect(stdout).toMatch(/LIC\.SUBSCRIPTION_LAPSING\.1v1: PROJECTPREMIUM Warning: \d+ users lose service/);
    expect(stdout).toMatch(/LIC\.SEATS_REDUCE_AT_RENEWAL\.1v1: \S+ \((monthly|annual|unknown)\) renews \d{4}-\d{2}-\d{2}: drop \d+ of \d+ seats by/);
    expect(stdout).toMatch(/reclaim precision 1\.000, recall 1\.000; .*; 0 traps touched/);
    expect(stdout).toMatch(/dry run of `seatwise reclaim apply .*plan\.json/);
    expect(stdout).toContain("Dry run: nothing was changed.");
    expect(JSON.parse(readFileSync(join(out, "plan.json"), "utf8")).planVersion).toBe(1);
    // Key files are owner-only; the generated configuration is what a user would edit.
    expect(statSync(join(out, "reader.pem")).mode & 0o077).toBe(0);
    expect(readFileSync(join(out, "seatwise.yaml"), "utf8")).toContain("caFile: ./ca.pem");
  });

  it("leaves a store the other commands read: export, evaluate, reclaim plan and history", async () => {
    const db = join(out, "seatwise.sqlite");
    const users = await cli(["export", "users", "--db", db]);
    expect(users.code).toBe(0);
    expect(users.stdout.split("\r\n")[0]).toContain("UPN,Display Name,Licenses,License Source");
    expect(users.stdout.split("\r\n").filter(Boolean)).toHaveLength(151);
    const hr = await cli(["export", "hr", "--db", db, "--config", join(out, "seatwise.yaml"), "--format", "json"]);
    expect(JSON.parse(hr.stdout).every((r: Record<string, unknown>) => r["User Type"] !== "Guest")).toBe(true);
    const evaluation = await cli(["evaluate", "--db", db, "--format", "json"]);
    expect(JSON.parse(evaluation.stdout).findings.length).toBeGreaterThan(0);
    const plan = await cli(["reclaim", "plan", "--db", db, "--rule", "LIC.BLOCKED.1v1", "--out", join(out, "blocked.json")]);
    expect(plan.code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, "blocked.json"), "utf8")).planVersion).toBe(1);
    const history = await cli(["reclaim", "history", "--db", db]);
    expect(history.code).toBe(0);
  });
});
