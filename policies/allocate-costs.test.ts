import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocateCosts } from "./allocate-costs.ts";
import { evaluate } from "./evaluate.ts";
import { readPolicy } from "./read-policy.ts";
import type { Policy } from "./policy-schema.ts";
import { TEST_NOW, baseSnapshot, baseUser, license, idleUser } from "./testing/snapshot-builders.ts";

const policy = readPolicy([]);
const idle = idleUser;
const price = (sku: string) => policy.prices[sku] ?? policy.prices[Object.keys(policy.prices).find((k) => k.toUpperCase() === sku.toUpperCase()) ?? ""] ?? 0;

describe("allocateCosts", () => {
  it("charges every seat to its department and the idle seats' price as idle spend", async () => {
    const users = [
      baseUser({ department: "Sales" }),
      idle({ department: "Sales" }),
      baseUser({ department: "Finance", licenses: [license("SPE_E3"), license("SPE_E3", "g1")] }),
      baseUser({ department: null, licenses: [] }),
    ];
    const snapshot = baseSnapshot(users);
    const evaluation = await evaluate(snapshot, policy, { now: TEST_NOW });
    const a = allocateCosts(snapshot, evaluation, policy, { by: "department" });
    const e3 = price("SPE_E3");
    expect(e3).toBeGreaterThan(0);
    const sales = a.rows.find((r) => r.key === "Sales")!;
    expect(sales).toMatchObject({ users: 2, licensedUsers: 2, seats: 2, spend: 2 * e3, idleSeats: 1, idleSpend: e3, findings: 1, savings: e3 });
    // A SKU held directly and through a group is one seat.
    expect(a.rows.find((r) => r.key === "Finance")).toMatchObject({ seats: 1, spend: e3, idleSpend: 0, savings: 0 });
    expect(a.rows.at(-1)).toMatchObject({ key: null, users: 1, licensedUsers: 0, spend: 0 });
    expect(a.total).toMatchObject({ users: 4, seats: 3, spend: 3 * e3, idleSpend: e3, savings: e3 });
  });

  it("groups by company, country and an attribute", async () => {
    const users = [
      idle({ companyName: "Contoso Ltd", country: "DE", attributes: { extensionAttribute1: "CC-1010", "employeeOrgData.costCenter": "4711" } }),
      baseUser({ companyName: "Fabrikam", country: "FR", attributes: {} }),
    ];
    const snapshot = baseSnapshot(users);
    const evaluation = await evaluate(snapshot, policy, { now: TEST_NOW });
    expect(allocateCosts(snapshot, evaluation, policy, { by: "company" }).rows.map((r) => r.key)).toEqual(["Contoso Ltd", "Fabrikam"]);
    expect(allocateCosts(snapshot, evaluation, policy, { by: "country" }).rows.find((r) => r.key === "DE")?.idleSeats).toBe(1);
    const cc = allocateCosts(snapshot, evaluation, policy, { by: "attribute", attribute: "employeeOrgData.costCenter" });
    expect(cc.rows.map((r) => [r.key, r.idleSeats])).toEqual([["4711", 1], [null, 0]]);
    expect(cc.attribute).toBe("employeeOrgData.costCenter");
    expect(() => allocateCosts(snapshot, evaluation, policy, { by: "attribute", attribute: "extensionAttribute16" })).toThrow(/extensionAttribute1…15/);
  });

  it("reconciles with the evaluation's totals and the seats' prices for any tenant", async () => {
    const departments = ["Sales", "Finance", "<img src=x>", null] as const;
    const skus = ["SPE_E3", "SPE_E5", "POWER_BI_PRO", "VISIOCLIENT"] as const;
    const userArb = fc.record({
      department: fc.constantFrom(...departments),
      idle: fc.boolean(),
      blocked: fc.boolean(),
      skus: fc.subarray([...skus]),
      viaGroup: fc.boolean(),
    });
    const priceArb = fc.record({ SPE_E3: fc.integer({ min: 0, max: 6000 }), SPE_E5: fc.integer({ min: 0, max: 9000 }), POWER_BI_PRO: fc.integer({ min: 0, max: 2000 }), VISIOCLIENT: fc.integer({ min: 0, max: 2000 }) });
    await fc.assert(
      fc.asyncProperty(fc.array(userArb, { maxLength: 25 }), priceArb, async (specs, cents) => {
        const prices: Policy["prices"] = { ...policy.prices };
        for (const [k, v] of Object.entries(cents)) prices[k] = v / 100;
        const p: Policy = { ...policy, prices };
        const users = specs.map((s) => {
          const licenses = s.skus.map((sku, i) => license(sku, s.viaGroup && i === 0 ? "group-1" : null));
          return s.idle ? idle({ department: s.department, accountEnabled: !s.blocked, licenses }) : baseUser({ department: s.department, accountEnabled: !s.blocked, licenses });
        });
        const snapshot = baseSnapshot(users);
        const evaluation = await evaluate(snapshot, p, { now: TEST_NOW });
        const a = allocateCosts(snapshot, evaluation, p, { by: "department" });
        const spend = users.reduce((n, u) => n + [...new Set(u.licenses.map((l) => l.skuPartNumber))].reduce((m, s) => m + Math.round((prices[s] ?? 0) * 100), 0), 0) / 100;
        expect(a.total.spend).toBeCloseTo(spend, 6);
        expect(a.rows.reduce((n, r) => n + r.spend, 0)).toBeCloseTo(a.total.spend, 6);
        expect(a.total.savings + a.unallocated.savings).toBeCloseTo(evaluation.totals.overall.monthly, 6);
        expect(a.total.reviewSavings).toBeCloseTo(evaluation.totals.byAction.review?.monthly ?? 0, 6);
        expect(a.total.findings + a.unallocated.findings).toBe(evaluation.findings.length);
        expect(a.total.users).toBe(users.length);
        for (const r of a.rows) {
          expect(r.idleSpend).toBeLessThanOrEqual(r.spend + 1e-9);
          expect(r.idleSeats).toBeLessThanOrEqual(r.seats);
        }
      }),
      { numRuns: 60 },
    );
  });
});
