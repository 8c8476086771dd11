import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ValidationError } from "../core/errors.ts";
import { evaluate } from "../policies/evaluate.ts";
import { FACTS } from "../policies/facts.ts";
import { csvCell } from "../core/csv.ts";
import { formatEvaluation } from "../policies/format-evaluation.ts";
import { OPERATORS } from "../policies/operators.ts";
import { readPolicy } from "../policies/read-policy.ts";
import { parseSnapshot } from "../policies/read-snapshot.ts";
import { TEST_NOW, baseSnapshot, baseUser, collected, dateDaysAgo, license, idleUser } from "../policies/testing/snapshot-builders.ts";
import { snapshotFromSimTenant } from "../policies/testing/facts-from-sim-user.ts";
import { generateTenant } from "../simulator/tenant/generate-tenant.ts";

const policy = readPolicy([]);
const idle = idleUser;

describe("confidence", () => {
  it("is high when every source is collected and fresh", async () => {
    const [f] = (await evaluate(baseSnapshot([idle()]), policy, { now: TEST_NOW })).findings;
    expect(f).toMatchObject({ action: "reclaim", confidence: { level: "high" } });
  });

  it("drops to medium on stale evidence and turns reclaim into review", async () => {
    const snapshot = baseSnapshot([idle()]);
    snapshot.sources.signInActivity = collected(20);
    const [f] = (await evaluate(snapshot, policy, { now: TEST_NOW })).findings;
    expect(f).toMatchObject({ action: "review", ruleAction: "reclaim", confidence: { level: "medium" } });
    expect(f?.confidence.reasons).toContain(`lastSignIn: signInActivity data is stale (as of ${dateDaysAgo(20)})`);
  });

  it("drops to low without Entra ID P1 (no sign-in data) and turns reclaim into review", async () => {
    const user = baseUser({ signInActivity: null, mfa: null, activity: { exchange: dateDaysAgo(150) }, apps: null, mailbox: null, oneDrive: null });
    const snapshot = baseSnapshot([user]);
    snapshot.sources.signInActivity = { status: "unavailable", asOf: null, reason: "noPremium" };
    snapshot.sources.mfaRegistration = { status: "unavailable", asOf: null, reason: "noPremium" };
    const evaluation = await evaluate(snapshot, policy, { now: TEST_NOW });
    const [f] = evaluation.findings;
    expect(f).toMatchObject({ ruleId: "LIC.NEVER_SIGNED_IN.1v1", action: "review", confidence: { level: "low" } });
    expect(f?.evidence.find((e) => e.fact === "lastSignIn")).toMatchObject({ value: null, status: "noPremium", asOf: null });
    expect(evaluation.gaps.map((g) => [g.source, g.reason])).toEqual([
      ["signInActivity", "noPremium"],
      ["mfaRegistration", "noPremium"],
    ]);
    expect(evaluation.totals.overall.findings).toBe(0);
  });

  it("drops to low when report names are concealed", async () => {
    const snapshot = baseSnapshot([baseUser({ accountEnabled: false, mailbox: null })]);
    snapshot.sources.mailboxUsage = { status: "unavailable", asOf: null, reason: "concealedNames" };
    const [f] = (await evaluate(snapshot, policy, { now: TEST_NOW })).findings;
    expect(f).toMatchObject({ ruleId: "LIC.BLOCKED.1v1", action: "review", confidence: { level: "low" } });
  });
});

describe("totals", () => {
  it("add up per rule, SKU, department and action", async () => {
    const users = [
      baseUser({ accountEnabled: false, department: "Sales" }),
      baseUser({ accountEnabled: false, department: "Finance", licenses: [license("SPE_E5"), license("VISIOCLIENT")] }),
      baseUser({ department: "Finance", licenses: [license("SPE_E5")] }),
    ];
    const { totals } = await evaluate(baseSnapshot(users), policy, { now: TEST_NOW });
    expect(totals.byRule["LIC.BLOCKED.1v1"]).toMatchObject({ findings: 2, monthly: 36 + 57 + 15, annual: (36 + 57 + 15) * 12 });
    expect(totals.byRule["LIC.DOWNGRADE.E5_E3.1v1"]).toMatchObject({ findings: 1, monthly: 21, annual: 252 });
    expect(totals.byDepartment.Finance).toMatchObject({ findings: 2, monthly: 57 + 15 + 21, annual: (57 + 15 + 21) * 12 });
    expect(totals.bySku.SPE_E5).toMatchObject({ findings: 2, monthly: 78, annual: 936 });
    expect(totals.overall.monthly).toBe(36 + 57 + 15 + 21);
  });
});

describe("memoized evaluation", () => {
  it("gives exactly what running the engine for every user gives", { timeout: 30_000 }, async () => {
    const now = new Date("2026-11-26T12:00:00Z");
    const tenant = generateTenant({ users: 1500, seed: 11, now, modes: { premium: true, concealedNames: false, reportLagDays: 2 }, apps: [] });
    const snapshot = snapshotFromSimTenant(tenant);
    const memo = await evaluate(snapshot, policy, { now });
    const direct = await evaluate(snapshot, policy, { now, memoize: false });
    expect(memo.findings.length).toBeGreaterThan(100);
    expect(memo.findings.some((f) => f.ruleId === "LIC.COPILOT_IDLE.1v1")).toBe(true);
    expect(memo).toEqual(direct);
    // In rule order, then by UPN as localeCompare orders them.
    const order = new Map(policy.rules.map((r, i) => [r.id, i]));
    const name = (f: (typeof memo.findings)[number]) => f.user?.userPrincipalName ?? f.sku?.skuPartNumber ?? "";
    const expected = [...memo.findings].sort((a, b) => order.get(a.ruleId)! - order.get(b.ruleId)! || name(a).localeCompare(name(b)));
    expect(memo.findings.map((f) => `${f.ruleId} ${name(f)}`)).toEqual(expected.map((f) => `${f.ruleId} ${name(f)}`));
  });

  it("agrees with the engine without Entra ID P1 and with concealed report names too", { timeout: 30_000 }, async () => {
    const now = new Date("2026-11-26T12:00:00Z");
    for (const modes of [{ premium: false, concealedNames: false, reportLagDays: 2 }, { premium: true, concealedNames: true, reportLagDays: 2 }]) {
      const snapshot = snapshotFromSimTenant(generateTenant({ users: 600, seed: 12, now, modes, apps: [] }));
      expect(await evaluate(snapshot, policy, { now })).toEqual(await evaluate(snapshot, policy, { now, memoize: false }));
    }
  });
});

describe("output", () => {
  it("renders table, JSON and CSV", async () => {
    const evaluation = await evaluate(baseSnapshot([baseUser({ accountEnabled: false, userPrincipalName: "=cmd@contoso.example" })]), policy, { now: TEST_NOW });
    expect(formatEvaluation(evaluation, "table")).toMatch(/LIC\.BLOCKED\.1v1\s+reclaim\s+high\s+=cmd@contoso\.example\s+SPE_E3\s+36\.00 USD\s+now\s+high/);
    expect(JSON.parse(formatEvaluation(evaluation, "json"))).toMatchObject({ evaluationVersion: 1, findings: [{ ruleId: "LIC.BLOCKED.1v1" }] });
    const csv = formatEvaluation(evaluation, "csv").split("\n");
    expect(csv[0]).toMatch(/^ruleId,ruleName,action,/);
    expect(csv[1]).toContain(",'=cmd@contoso.example,");
  });

  it("neutralises spreadsheet formulas and quotes CSV cells", async () => {
    expect(csvCell("+1")).toBe("'+1");
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell(["x", "y"])).toBe("x; y");
    expect(csvCell(-3)).toBe("-3");
  });
});

describe("snapshot files", () => {
  it("reports invalid snapshots with file, line and column", async () => {
    const text = JSON.stringify({ snapshotVersion: 1, tenantId: "t", collectedAt: "2026-11-26T00:00:00Z", sources: {}, skus: [], users: [{ id: "u1", userPrincipalName: "a@b", userType: "Member", accountEnabled: "yes", createdDateTime: null, licenses: [] }] }, null, 2);
    try {
      parseSnapshot(text, "snap.json");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).message).toMatch(/^snap\.json:\d+:\d+: users\[0\]\.accountEnabled: .*\(got "yes"\)/);
    }
  });

  it("accepts a valid snapshot", async () => {
    const snapshot = baseSnapshot([baseUser()]);
    expect(parseSnapshot(JSON.stringify(snapshot), "s.json")).toEqual(snapshot);
  });
});

describe("FACTS.md", () => {
  it("documents every fact and operator", async () => {
    const doc = readFileSync(new URL("../policies/FACTS.md", import.meta.url), "utf8");
    for (const f of FACTS) expect(doc, f.name).toContain(`| \`${f.name}\` | ${f.type}`);
    for (const o of OPERATORS) expect(doc, o.name).toContain(`| \`${o.name}\` |`);
  });
});
