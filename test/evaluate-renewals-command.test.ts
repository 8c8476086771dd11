import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { evaluateCommand } from "../cli/evaluate-command.ts";
import { reportError } from "../cli/main.ts";
import type { CliIo } from "../cli/command.ts";
import { TEST_NOW, baseSnapshot, baseUser, license, subscription } from "../policies/testing/snapshot-builders.ts";

async function run(args: string[]) {
  const out = { stdout: "", stderr: "" };
  const io: CliIo = Object.assign(out, { out: (t: string) => void (out.stdout += t), err: (t: string) => void (out.stderr += t), env: {} });
  let code: number;
  try {
    code = await evaluateCommand.run(args, io);
  } catch (error) {
    code = reportError(error, io);
  }
  return { code, ...out };
}

const dir = mkdtempSync(join(tmpdir(), "seatwise-renewals-"));
const snapshotFile = join(dir, "snapshot.json");
// Two blocked E3 users: one seat on a monthly term (saves today), one on an annual term renewing in 45 days.
const users = [baseUser({ accountEnabled: false, licenses: [license("SPE_E3")] }), baseUser({ accountEnabled: false, licenses: [license("SPE_E3")] })];
const snapshot = { ...baseSnapshot(users), subscriptions: [subscription("SPE_E3", 1, { term: "monthly", renewsInDays: 10 }), subscription("SPE_E3", 1, { term: "annual", renewsInDays: 45 })] };
writeFileSync(snapshotFile, JSON.stringify(snapshot));
const now = ["--now", TEST_NOW.toISOString()];

describe("seatwise evaluate: renewal-dated savings and price books", () => {
  it("prints when each saving arrives and the totals now, within 30 and 90 days and at renewal", async () => {
    const r = await run(["--snapshot", snapshotFile, ...now]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/LIC\.BLOCKED\.1v1 .* 43\.20 USD\s+now\s+high/);
    expect(r.stdout).toMatch(/LIC\.BLOCKED\.1v1 .* 36\.00 USD\s+from 2027-01-10\s+high/);
    expect(r.stdout).toMatch(/LIC\.SEATS_REDUCE_AT_RENEWAL\.1v1\s+notify\s+medium\s+SPE_E3 annual term: drop 1\/1 seats by 2027-01-03\s+36\.00 USD\s+from 2027-01-10/);
    expect(r.stdout).toContain("per month from: now 43.20 USD, within 30 days 43.20 USD, within 90 days 79.20 USD, at renewal 79.20 USD");
  });

  it("gives each finding's share of the totals in CSV columns", async () => {
    const r = await run(["--snapshot", snapshotFile, "--format", "csv", ...now]);
    const [header, ...rows] = r.stdout.trim().split("\n").map((l) => l.split(","));
    const col = (name: string) => header!.indexOf(name);
    const blocked = rows.filter((row) => row[0] === "LIC.BLOCKED.1v1");
    expect(blocked.map((row) => [row[col("realizableFrom")], row[col("savingsBasis")], row[col("savingsNow")], row[col("savingsWithin90Days")], row[col("monthlySavings")]])).toEqual([
      ["2026-11-26", "monthlyTerm", "43.2", "43.2", "43.2"],
      ["2027-01-10", "renewal", "0", "36", "36"],
    ]);
  });

  it("applies a price book in the policy's currency", async () => {
    const book = join(dir, "prices.csv");
    writeFileSync(book, "skuPartNumber,term,currency,price\nSPE_E3,monthly,USD,50\nSPE_E3,annual,USD,40\n");
    const r = await run(["--snapshot", snapshotFile, "--prices", book, ...now]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("at renewal 90.00 USD");
  });

  it("refuses a price book row in another currency: one line with file:line:col, exit 2, nothing written", async () => {
    const book = join(dir, "eur.csv");
    writeFileSync(book, "skuPartNumber,term,currency,price\nSPE_E3,annual,USD,36\nSPE_E5,annual,EUR,52\n");
    const out = join(dir, "never.json");
    const r = await run(["--snapshot", snapshotFile, "--prices", book, "--out", out, ...now]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual([`${book}:3:15: currency: "EUR" is not the policy's currency USD: convert the price book to USD (Seatwise never guesses exchange rates)`]);
    expect(existsSync(out)).toBe(false);
  });
});
