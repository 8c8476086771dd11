import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../cli/main.ts";
import { createRunRepository } from "../store/run-repository.ts";
import { createRunSummaryRepository } from "../store/run-summary-repository.ts";
import { createSnapshotRepository } from "../store/snapshot-repository.ts";
import { migrate } from "../store/migrate.ts";
import { openSqliteDatabase } from "../store/open-sqlite-database.ts";
import { STORE_MIGRATIONS } from "../store/store-migrations.ts";

async function cli(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { out: (t) => (stdout += t), err: (t) => (stderr += t), env: {} });
  return { code, stdout, stderr };
}

const dir = mkdtempSync(join(tmpdir(), "seatwise-report-command-"));
const db = join(dir, "store.sqlite");
const E3 = "05e9a617-0261-4cee-bb44-138d3ef5d965";

beforeAll(async () => {
  const store = openSqliteDatabase(db);
  await migrate(store, STORE_MIGRATIONS);
  const runs = createRunRepository(store);
  const snapshots = createSnapshotRepository(store);
  const run = await runs.begin("tenant-a", [], new Date("2026-11-25T10:00:00Z"));
  await snapshots.saveUsers(run, [
    { id: "u1", userPrincipalName: "ann@contoso.example", displayName: "Ann", accountEnabled: false, createdDateTime: "2024-01-01T00:00:00Z", department: "Sales", employeeOrgData: { costCenter: "4711", division: null }, licenseAssignmentStates: [{ skuId: E3, assignedByGroup: null, disabledPlans: [], state: "Active", error: null }] },
    { id: "u2", userPrincipalName: "bo@contoso.example", displayName: "Bo", accountEnabled: true, department: "IT", licenseAssignmentStates: [] },
  ]);
  await snapshots.saveSkus(run, [{ id: "s", skuId: E3, skuPartNumber: "SPE_E3", capabilityStatus: "Enabled", consumedUnits: 1, prepaidUnits: { enabled: 3, suspended: 0, warning: 0 } }], () => undefined);
  await snapshots.saveCoverage(run, [
    { task: "applicationRoster", part: "users.list", status: "collected", items: 2 },
    { task: "applicationRoster", part: "subscribedSkus.list", status: "collected", items: 1 },
    { task: "applicationRoster", part: "users.signInActivity", status: "skipped", reason: "no-premium-license", detail: "needs Entra ID P1" },
  ]);
  await runs.finish(run, "complete", {}, new Date("2026-11-25T10:05:00Z"));
  await store.close();
});

describe("seatwise report", () => {
  it("writes the report, prints its path and records the run's summary for the trend", async () => {
    const out = join(dir, "r.html");
    const r = await cli(["report", "--db", db, "--out", out, "--now", "2026-11-26T00:00:00Z", "--attribute", "employeeOrgData.costCenter"]);
    expect(r).toMatchObject({ code: 0, stderr: "", stdout: `${out}\n` });
    const html = readFileSync(out, "utf8");
    const model = JSON.parse(html.match(/<script type="application\/json" id="seatwise-data">(.*?)<\/script>/s)![1]!);
    expect(model.tenant.headline).toMatchObject({ licensedUsers: 1, spend: 36, idleSpend: 36 });
    expect(model.tenant.allocation.attribute).toMatchObject({ attribute: "employeeOrgData.costCenter", rows: [{ key: "4711", users: 1, idleSpend: 36 }, { key: null, users: 1 }] });
    expect(model.tenant.coverage.parts).toHaveLength(3);
    expect(model.tenant.coverage.gaps.find((g: { source: string }) => g.source === "signInActivity")).toMatchObject({ reason: "noPremium" });
    const store = openSqliteDatabase(db);
    const [point] = await createRunSummaryRepository(store).trend("tenant-a");
    await store.close();
    expect(point?.summary).toMatchObject({ licensedUsers: 1, spend: 36, idleSpend: 36, currency: "USD" });
  });

  it("refuses bad input with exit 2 and writes nothing", async () => {
    const out = join(dir, "never.html");
    expect(await cli(["report", "--db", db])).toMatchObject({ code: 2, stderr: expect.stringContaining("--db FILE and --out FILE are required") });
    expect(await cli(["report", "--db", db, "--out", out, "--attribute", "costCenter"])).toMatchObject({ code: 2, stderr: expect.stringContaining('got "costCenter"') });
    const badPlan = join(dir, "bad-plan.json");
    writeFileSync(badPlan, '{\n  "planVersion": 2\n}\n');
    const bad = await cli(["report", "--db", db, "--out", out, "--plan", badPlan]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad-plan\.json:2:\d+: planVersion: /);
    const other = join(dir, "other-plan.json");
    const demoPlan = {
      planVersion: 1, planId: "p", createdAt: "2026-11-25T10:06:00Z", tenantId: "tenant-b",
      snapshot: { runId: "run-1", collectedAt: "2026-11-25T10:05:00Z", ageDays: 0, licensedUsers: 1 },
      policy: { files: [], currency: "USD", rules: [], protect: { users: [], groups: [], departments: [] } },
      limits: { maxSnapshotAgeDays: 7, maxUsers: 1, overridden: false },
      actions: [], groupRemovals: [], notPlanned: [], cannotSucceed: [],
      totals: { users: 0, removals: 0, downgrades: 0, groupRemovals: 0, monthlySavings: 0, annualSavings: 0, currency: "USD", bySku: {} },
    };
    writeFileSync(other, JSON.stringify(demoPlan));
    expect(await cli(["report", "--db", db, "--out", out, "--plan", other])).toMatchObject({ code: 2, stderr: expect.stringContaining("the plan is for tenant tenant-b, the store's snapshot is of tenant tenant-a") });
    expect(existsSync(out)).toBe(false);
  });
});
