import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Evaluation, Finding, SavingsTotal } from "../core/user-facts.ts";
import { combineEvaluations } from "./combine-evaluations.ts";
import { formatFleetEvaluation } from "./format-fleet-evaluation.ts";

const cents = fc.integer({ min: 0, max: 1_000_000 }).map((c) => c / 100);

function total(monthly: number, findings: number, now: number): SavingsTotal {
  return { findings, monthly, annual: Math.round(monthly * 1200) / 100, realizable: { now, within30Days: now, within90Days: monthly, atRenewal: monthly } };
}

/** A tenant's evaluation: only the fields the fleet evaluation reads are meaningful. */
function evaluation(tenantId: string, monthly: number, now: number, findings: number): Evaluation {
  const finding = (i: number) => ({ ruleId: "LIC.BLOCKED.1v1", action: "reclaim", user: { id: `${tenantId}-${i}`, userPrincipalName: `u${i}@${tenantId}` }, savings: { monthly: 0 } }) as unknown as Finding;
  return {
    evaluationVersion: 1,
    evaluatedAt: "2026-11-20T08:00:00.000Z",
    snapshot: { tenantId, collectedAt: "2026-11-20T07:00:00.000Z", users: 10 },
    currency: "USD",
    renewalDates: { known: true, detail: null },
    findings: Array.from({ length: findings }, (_, i) => finding(i)),
    totals: { overall: total(monthly, findings, now), byRule: {}, bySku: {}, byDepartment: {}, byAction: {} },
    gaps: [],
    suppressedByProtection: {},
  } as unknown as Evaluation;
}

describe("combineEvaluations", () => {
  it("totals the fleet as the sum of its tenants and tags every finding with its tenant", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.record({ id: fc.stringMatching(/^[a-z]{1,8}\.example$/), monthly: cents, now: cents, findings: fc.integer({ min: 0, max: 5 }) }), { selector: (t) => t.id, maxLength: 12 }), (tenants) => {
        const fleet = combineEvaluations(tenants.map((t) => evaluation(t.id, t.monthly, Math.min(t.now, t.monthly), t.findings)));
        const sum = (f: (t: (typeof tenants)[number]) => number) => Math.round(tenants.reduce((a, t) => a + f(t), 0) * 100) / 100;
        expect(fleet.totals.overall.monthly).toBeCloseTo(sum((t) => t.monthly), 2);
        expect(fleet.totals.overall.annual).toBeCloseTo(fleet.totals.overall.monthly * 12, 2);
        expect(fleet.totals.overall.realizable.now).toBeCloseTo(sum((t) => Math.min(t.now, t.monthly)), 2);
        expect(fleet.totals.overall.findings).toBe(tenants.reduce((a, t) => a + t.findings, 0));
        expect(Object.keys(fleet.totals.byTenant)).toEqual(tenants.map((t) => t.id));
        expect(fleet.findings.map((f) => f.tenantId)).toEqual(tenants.flatMap((t) => Array<string>(t.findings).fill(t.id)));
        for (const f of fleet.findings) expect(f.user!.id.startsWith(`${f.tenantId}-`)).toBe(true);
      }),
    );
  });

  it("refuses to total evaluations in different currencies", () => {
    const eur = { ...evaluation("b.example", 1, 1, 0), currency: "EUR" };
    expect(() => combineEvaluations([evaluation("a.example", 1, 1, 0), eur])).toThrow("several currencies (USD, EUR)");
  });

  it("prints savings per tenant and overall", () => {
    const text = formatFleetEvaluation(combineEvaluations([evaluation("a.example", 10, 10, 0), evaluation("b.example", 2.5, 0, 0)]), "table");
    expect(text).toMatch(/^a\.example +10 +0 +10\.00 USD\/month$/m);
    expect(text).toContain("2 tenants, 0 findings; actionable savings 12.50 USD/month, 150.00 USD/year");
  });
});
