import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { evaluateCommand } from "../cli/evaluate-command.ts";
import { reportError } from "../cli/main.ts";
import type { CliIo } from "../cli/command.ts";
import { TEST_NOW, baseSnapshot, baseUser } from "../policies/testing/snapshot-builders.ts";

async function run(args: string[]) {
  const streams = { stdout: "", stderr: "" };
  const io: CliIo = { out: (t) => void (streams.stdout += t), err: (t) => void (streams.stderr += t), env: {} };
  let code: number;
  try {
    code = await evaluateCommand.run(args, io);
  } catch (error) {
    code = reportError(error, io);
  }
  return { code, ...streams };
}

const dir = mkdtempSync(join(tmpdir(), "seatwise-evaluate-by-"));
const snapshotFile = join(dir, "snapshot.json");
writeFileSync(
  snapshotFile,
  JSON.stringify(
    baseSnapshot([
      baseUser({ department: "Sales", companyName: "Contoso", country: "DE", attributes: { extensionAttribute1: "CC-1" } }),
      baseUser({ department: "=HYPERLINK(\"x\")", accountEnabled: false, companyName: "Contoso", country: "FR", attributes: { extensionAttribute1: "CC-2" } }),
    ]),
  ),
);
const base = ["--snapshot", snapshotFile, "--now", TEST_NOW.toISOString()];

describe("seatwise evaluate --by", () => {
  it("prints spend, idle spend and savings per department", async () => {
    const r = await run([...base, "--by", "department"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^DEPARTMENT\s+USERS\s+LICENSED\s+SEATS\s+SPEND\s+IDLE SEATS\s+IDLE SPEND\s+FINDINGS\s+SAVINGS\s+IN REVIEW/);
    expect(r.stdout).toMatch(/\(total\)\s+2\s+2\s+2\s+72\.00\s+1\s+36\.00\s+1\s+36\.00\s+0\.00/);
  });

  it("writes JSON and formula-safe CSV, by company and by attribute", async () => {
    const json = JSON.parse((await run([...base, "--by", "company", "--format", "json"])).stdout);
    expect(json).toMatchObject({ allocationVersion: 1, by: "company", currency: "USD", rows: [{ key: "Contoso", users: 2, spend: 72, idleSpend: 36 }] });
    const csv = (await run([...base, "--by", "department", "--format", "csv"])).stdout.trim().split("\n");
    expect(csv[0]).toBe("department,users,licensedUsers,seats,spend,idleSeats,idleSpend,findings,savings,reviewSavings,currency");
    expect(csv.some((l) => l.startsWith("\"'=HYPERLINK"))).toBe(true);
    const attr = await run([...base, "--by", "attribute", "--attribute", "extensionAttribute1", "--format", "csv"]);
    expect(attr.stdout).toContain("CC-2,1,1,1,36,1,36,1,36,0,USD");
  });

  it("refuses an unknown dimension or attribute with exit 2", async () => {
    expect(await run([...base, "--by", "team"])).toMatchObject({ code: 2, stderr: expect.stringContaining("--by must be one of department, company, country, attribute") });
    expect(await run([...base, "--by", "attribute"])).toMatchObject({ code: 2 });
    expect(await run([...base, "--by", "attribute", "--attribute", "costCenter"])).toMatchObject({ code: 2, stderr: expect.stringContaining('got "costCenter"') });
  });
});
