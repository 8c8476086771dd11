import { describe, expect, it } from "vitest";
import type { SnapshotUser } from "../core/user-facts.ts";
import { evaluate } from "../policies/evaluate.ts";
import { readPolicy } from "../policies/read-policy.ts";
import { TEST_NOW, baseSnapshot, baseUser, license, idleUser } from "../policies/testing/snapshot-builders.ts";
import { buildReportModel, runSummaryOf } from "./build-report-model.ts";

const policy = readPolicy([]);
const idle = idleUser;

async function model(users: SnapshotUser[], change: (s: ReturnType<typeof baseSnapshot>) => void = () => undefined, trend: Parameters<typeof buildReportModel>[0]["trend"] = []) {
  const snapshot = baseSnapshot(users);
  change(snapshot);
  const evaluation = await evaluate(snapshot, policy, { now: TEST_NOW });
  const m = buildReportModel({ snapshot, evaluation, policy, coverage: [], trend, runId: "run-2", generatedAt: TEST_NOW });
  return { evaluation, summary: runSummaryOf(m), model: m };
}

describe("buildReportModel", () => {
  it("carries the evaluation's totals and every finding, decodable from the compact rows", async () => {
    const { model: m, evaluation } = await model([baseUser(), idle({ displayName: "<b>Ann</b>", department: "Sales" }), baseUser({ accountEnabled: false, licenses: [license("SPE_E3"), license("POWER_BI_PRO")] })]);
    const t = m.tenant;
    expect(t.headline.now.monthly).toBe(evaluation.totals.overall.monthly);
    expect(t.headline.reclaim.monthly).toBe(evaluation.totals.byAction.reclaim?.monthly);
    expect(t.headline.realizable).toEqual(evaluation.totals.overall.realizable);
    expect(t.headline).toMatchObject({ licensedUsers: 3, activeUsers: 1, unknownActivity: 0 });
    expect(t.findings).toHaveLength(evaluation.findings.length);
    t.findings.forEach((row, i) => {
      const f = evaluation.findings[i]!;
      expect(t.strings[row[0]]).toBe(f.user?.userPrincipalName);
      expect(row[1] < 0 ? null : t.strings[row[1]]).toBe(f.user?.displayName ?? null);
      expect(t.rules[row[3]]!.id).toBe(f.ruleId);
      expect(m.actions[row[4]]).toBe(f.action);
      expect(row[6]).toBe(f.savings.monthly);
      expect(row[11] < 0 ? null : t.strings[row[11]]).toBe(f.savings.realizableFrom);
      expect(row[9].map(([fact, value, state]) => ({ fact: t.strings[fact], value, ...t.evidenceStates[state] }))).toEqual(f.evidence);
    });
  });

  it("splits each SKU's seats into active, idle, other and unassigned", async () => {
    const { model: m } = await model([baseUser(), idle(), baseUser({ accountEnabled: false })], (s) => {
      s.skus[0]!.purchased = 5;
    });
    expect(m.tenant.money.utilisation).toEqual([expect.objectContaining({ sku: "SPE_E3", purchased: 5, assigned: 3, active: 1, idle: 2, other: 0, unassigned: 2 })]);
  });

  it("names the rules a missing source weakens", async () => {
    const { model: m } = await model([idle()], (s) => {
      s.sources.signInActivity = { status: "unavailable", asOf: null, reason: "noPremium" };
    });
    const gap = m.tenant.coverage.gaps.find((g) => g.source === "signInActivity")!;
    expect(gap.rules).toEqual(expect.arrayContaining(["LIC.INACTIVE.1v1", "LIC.NEVER_SIGNED_IN.1v1"]));
    expect(gap.rules).not.toContain("LIC.BLOCKED.1v1");
    expect(m.tenant.coverage.lowered).toEqual([{ ruleId: "LIC.INACTIVE.1v1", findings: 1 }]);
  });

  it("puts this evaluation's summary on the current run of the trend; other currencies stay unknown", async () => {
    const older = { evaluatedAt: "x", currency: "EUR", licensedUsers: 9, activeUsers: 5, spend: 1, idleSpend: 1, savings: 1 };
    const { model: m, summary } = await model([baseUser(), idle()], () => undefined, [
      { runId: "run-1", collectedAt: "2026-11-01T00:00:00Z", licensedUsers: 9, summary: older },
      { runId: "run-0", collectedAt: "2026-11-02T00:00:00Z", licensedUsers: 4, summary: null },
      { runId: "run-2", collectedAt: "2026-11-03T00:00:00Z", licensedUsers: 2, summary: null },
    ]);
    expect(m.tenant.trend).toEqual([
      { collectedAt: "2026-11-01T00:00:00Z", licensedUsers: 9, activeUsers: 5, idleSpend: null },
      { collectedAt: "2026-11-02T00:00:00Z", licensedUsers: 4, activeUsers: null, idleSpend: null },
      { collectedAt: "2026-11-03T00:00:00Z", licensedUsers: 2, activeUsers: 1, idleSpend: summary.idleSpend },
    ]);
    expect(summary.idleSpend).toBeGreaterThan(0);
  });
});
