import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../cli/main.ts";

describe("seatwise demo", () => {
  it("runs simulator → config → MSAL token → collection → evaluation → plan dry run, end to end", async () => {
    const out = mkdtempSync(join(tmpdir(), "seatwise-demo-test-"));
    let stdout = "";
    let stderr = "";
    const code = await main(["demo", "--users", "150", "--seed", "3", "--out", out], { out: (t) => (stdout += t), err: (t) => (stderr += t), env: {} });
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toMatch(/3\. token: MSAL obtained an app-only token; granted: .*User\.Read\.All/);
    expect(stdout).toMatch(/4\. collect: run complete into .*seatwise\.sqlite/);
    expect(stdout).toMatch(/150 users, \d+ licensed/);
    expect(stdout).toMatch(/SPE_E3 +\d+ \/ +\d+ used/);
    expect(stdout).toMatch(/5\. evaluate: \d+ findings/);
    expect(stdout).toMatch(/reclaim precision 1\.000, recall 1\.000; .*; 0 traps touched/);
    expect(stdout).toMatch(/dry run of `seatwise reclaim apply .*plan\.json/);
    expect(stdout).toContain("Dry run: nothing was changed.");
    expect(JSON.parse(readFileSync(join(out, "plan.json"), "utf8")).planVersion).toBe(1);
    // Key files are owner-only; the generated configuration is what a user would edit.
    expect(statSync(join(out, "reader.pem")).mode & 0o077).toBe(0);
    expect(readFileSync(join(out, "seatwise.yaml"), "utf8")).toContain("caFile: ./ca.pem");
  });
});
