import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { REALIZABLE_BASES, type Finding, type Snapshot, type SnapshotSubscription } from "../core/user-facts.ts";
import { savingsOf } from "./schedule-savings.ts";
import { evaluate } from "./evaluate.ts";
import { composePolicy } from "./compose-policy.ts";
import { readPolicy } from "./read-policy.ts";
import type { Policy } from "./policy-schema.ts";
import { TEST_NOW, baseSnapshot, baseUser, daysAgo, license, subscription } from "./testing/snapshot-builders.ts";

const policy = readPolicy([]);
const TODAY = TEST_NOW.toISOString().slice(0, 10);
const DAY = 86_400_000;
const dayAhead = (days: number) => new Date(TEST_NOW.getTime() + days * DAY).toISOString().slice(0, 10);

/** A blocked E3 user (LIC.BLOCKED reclaims the seat) plus `active` active E3 users; E3 held by `subs`. */
function tenant(subs: SnapshotSubscription[], options: { active?: number; purchased?: number } = {}): Snapshot {
  const users = [baseUser({ accountEnabled: false, licenses: [license("SPE_E3")] }), ...Array.from({ length: options.active ?? 0 }, () => baseUser())];
  const s = baseSnapshot(users);
  return { ...s, skus: s.skus.map((k) => ({ ...k, purchased: options.purchased ?? k.purchased })), subscriptions: subs };
}

async function blockedFinding(snapshot: Snapshot, p: Policy = policy): Promise<Finding> {
  const e = await evaluate(snapshot, p, { now: TEST_NOW });
  return e.findings.find((f) => f.ruleId === "LIC.BLOCKED.1v1")!;
}

describe("savings dated by the subscription's term", () => {
  it("a seat on an annual term saves from its renewal, nothing until then, at the annual price", async () => {
    const sub = subscription("SPE_E3", 1, { term: "annual", renewsInDays: 120 });
    const f = await blockedFinding(tenant([sub]));
    expect(f.licenses[0]!.realizable).toEqual({ from: dayAhead(120), basis: "renewal", subscriptionId: sub.id });
    expect(f.savings).toMatchObject({ monthly: 36, realizableFrom: dayAhead(120), monthlyUntilRealizable: 0, basis: "renewal" });
  });

  it("a seat on a monthly term saves from today, at the monthly-term price", async () => {
    const f = await blockedFinding(tenant([subscription("SPE_E3", 1, { term: "monthly", renewsInDays: 12 })]));
    expect(f.savings).toMatchObject({ monthly: 43.2, realizableFrom: TODAY, basis: "monthlyTerm", schedule: [{ from: TODAY, monthly: 43.2, basis: "monthlyTerm" }] });
  });

  it("a seat on a term the dates do not reveal saves from its next lifecycle date, at the default price", async () => {
    const f = await blockedFinding(tenant([subscription("SPE_E3", 1, { term: "unknown", renewsInDays: 75 })]));
    expect(f.savings).toMatchObject({ monthly: 36, realizableFrom: dayAhead(75), basis: "unknownTerm" });
  });

  it("the policy's terms override the inference, by SKU or by subscription id", async () => {
    const sub = subscription("SPE_E3", 1, { term: "unknown", renewsInDays: 20 });
    const bySku = withFile(`version: 1\nextends: default\nterms: { SPE_E3: monthly }\n`);
    expect((await blockedFinding(tenant([sub]), bySku)).savings).toMatchObject({ monthly: 43.2, realizableFrom: TODAY, basis: "monthlyTerm" });
    const byId = withFile(`version: 1\nextends: default\nterms: { "${sub.id}": annual }\n`);
    expect((await blockedFinding(tenant([sub]), byId)).savings).toMatchObject({ monthly: 36, realizableFrom: dayAhead(20), basis: "renewal" });
  });

  it("without the subscriptions every saving counts from today and the evaluation says why", async () => {
    const s = tenant([subscription("SPE_E3", 1, { term: "annual", renewsInDays: 120 })]);
    const missing: Snapshot = { ...s, subscriptions: [], sources: { ...s.sources, subscriptions: { status: "unavailable", asOf: null, reason: "missingPermission", missingPermission: "Organization.Read.All" } } };
    const e = await evaluate(missing, policy, { now: TEST_NOW });
    const f = e.findings.find((x) => x.ruleId === "LIC.BLOCKED.1v1")!;
    expect(f.savings).toMatchObject({ monthly: 36, realizableFrom: TODAY, basis: "noSubscriptions" });
    expect(e.renewalDates).toEqual({ known: false, detail: expect.stringContaining("needs Organization.Read.All") as string });
    expect(e.totals.overall.realizable.now).toBe(36);
  });

  it("freed seats fill the subscription that can be cut first, then the next, up to each one's seats", async () => {
    // 4 seats: 2 monthly (cut today), 2 annual (cut in 200 days); 1 unassigned, the blocked user's, 2 in use.
    const monthly = subscription("SPE_E3", 2, { term: "monthly", renewsInDays: 12 });
    const annual = subscription("SPE_E3", 2, { term: "annual", renewsInDays: 200 });
    const e = await evaluate(tenant([annual, monthly], { active: 2, purchased: 4 }), policy, { now: TEST_NOW });
    const f = e.findings.find((x) => x.ruleId === "LIC.BLOCKED.1v1")!;
    // The unassigned seat takes one monthly seat, the blocked user's seat the other.
    expect(f.licenses[0]!.realizable?.subscriptionId).toBe(monthly.id);
    const reduce = e.findings.filter((x) => x.ruleId === "LIC.SEATS_REDUCE_AT_RENEWAL.1v1");
    expect(reduce.map((x) => [x.subscription?.id, x.subscription?.seatsToDrop])).toEqual([[monthly.id, 2]]);
    expect(reduce[0]!.subscription?.actBy).toBe(dayAhead(12 - 7));
  });
});

describe("trial seats", () => {
  it("unassigned seats that are trial seats save nothing and are not dropped at renewal", async () => {
    // 10 seats: 5 paid (renewing in 30 days) + a 5-seat trial; 6 assigned (the blocked user and 5 active).
    const paid = subscription("SPE_E3", 5, { term: "annual", renewsInDays: 30 });
    const trial = subscription("SPE_E3", 5, { isTrial: true, term: "monthly", renewsInDays: 10 });
    const e = await evaluate(tenant([paid, trial], { active: 5, purchased: 10 }), policy, { now: TEST_NOW });
    const unassigned = e.findings.find((f) => f.ruleId === "LIC.SEATS_UNASSIGNED.2v1")!;
    expect(unassigned.sku?.available).toBe(4);
    expect(unassigned.savings.monthly).toBe(0);
    const reduce = e.findings.find((f) => f.ruleId === "LIC.SEATS_REDUCE_AT_RENEWAL.1v1")!;
    expect(reduce.subscription).toMatchObject({ id: paid.id, seatsToDrop: 1 });
    // One assigned seat is beyond the paid ones: its user loses service when the trial lapses.
    expect(e.findings.find((f) => f.ruleId === "LIC.TRIAL_LAPSING.1v1")?.subscription).toMatchObject({ id: trial.id, usersAtRisk: 1 });
  });
});

describe("totals by when savings arrive", () => {
  it("count each amount now, within 30 or 90 days and at renewal by its date (annual terms renewing today, in 20, 60 and 200 days)", async () => {
    const renewsIn = [0, 20, 60, 200];
    const users = renewsIn.map(() => baseUser({ accountEnabled: false, licenses: [license("SPE_E3")] }));
    const s = baseSnapshot(users);
    const subs = renewsIn.map((d) => subscription("SPE_E3", 1, { term: "annual", renewsInDays: d + 0.25 }));
    const e = await evaluate({ ...s, subscriptions: subs }, policy, { now: TEST_NOW });
    expect(e.totals.overall.realizable).toEqual({ now: 36, within30Days: 72, within90Days: 108, atRenewal: 144 });
    expect(e.totals.overall.monthly).toBe(144);
  });

  it("never count more now than within 30 days, within 90 days or at renewal, and at renewal the whole amount", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ days: fc.integer({ min: -5, max: 400 }), term: fc.constantFrom("monthly", "annual", "unknown") as fc.Arbitrary<"monthly" | "annual" | "unknown"> }), { minLength: 1, maxLength: 6 }), async (specs) => {
        const users = specs.map(() => baseUser({ accountEnabled: false, createdDateTime: daysAgo(400), licenses: [license("SPE_E3")] }));
        const s = baseSnapshot(users);
        const subs = specs.map((x) => subscription("SPE_E3", 1, { term: x.term, renewsInDays: x.days }));
        const e = await evaluate({ ...s, subscriptions: subs }, policy, { now: TEST_NOW });
        const r = e.totals.overall.realizable;
        expect(r.now).toBeLessThanOrEqual(r.within30Days);
        expect(r.within30Days).toBeLessThanOrEqual(r.within90Days);
        expect(r.within90Days).toBeLessThanOrEqual(r.atRenewal);
        expect(r.atRenewal).toBeCloseTo(e.totals.overall.monthly, 2);
        for (const f of e.findings) {
          const sum = f.savings.schedule.reduce((n, x) => n + x.monthly, 0);
          expect(sum).toBeCloseTo(f.savings.monthly, 2);
        }
      }),
      { numRuns: 40 },
    );
  });
});

function withFile(text: string): Policy {
  const result = composePolicy(["local.yaml"], {
    read: (file) => (file === "local.yaml" ? text : readFileSync(new URL("./default.yaml", import.meta.url), "utf8")),
    resolve: (ref) => (ref === "default" ? "default.yaml" : ref),
  });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.policy;
}

describe("savingsOf", () => {
  it("gives one part's savings exactly as the general case does", () => {
    const part = fc.record({
      monthly: fc.double({ min: 0, max: 10_000, noNaN: true }),
      realizable: fc.record({ from: fc.constantFrom("2026-11-26", "2026-12-20", "2027-03-01"), basis: fc.constantFrom(...REALIZABLE_BASES), subscriptionId: fc.option(fc.uuid()) }),
    });
    fc.assert(
      fc.property(part, (p) => {
        // A second part worth nothing changes nothing but takes the general path.
        expect(savingsOf([p], "USD")).toEqual(savingsOf([p, { ...p, monthly: 0 }], "USD"));
      }),
      { numRuns: 2000 },
    );
  });
});
