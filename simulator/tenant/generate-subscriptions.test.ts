import { describe, expect, it } from "vitest";
import { inferSubscriptionTerm } from "../../core/subscription-term.ts";
import type { SimModes, SimTenant } from "../model.ts";
import { generateTenant } from "./generate-tenant.ts";

const NOW = new Date("2026-11-26T12:00:00Z");
const DAY = 86_400_000;
const PREMIUM: SimModes = { premium: true, concealedNames: false, reportLagDays: 2 };
const make = (users: number, seed = 7): SimTenant => generateTenant({ users, seed, now: NOW, modes: PREMIUM, apps: [] });

describe("generateTenant: subscriptions", () => {
  const tenant = make(2000);
  const subs = tenant.subscriptions ?? [];

  it("splits every SKU's prepaid units over its subscriptions, by status", () => {
    for (const sku of tenant.skus) {
      const own = subs.filter((s) => s.skuId === sku.skuId);
      expect(own.map((s) => s.id)).toEqual(sku.subscriptionIds);
      const sum = (status: string) => own.filter((s) => s.status === status).reduce((n, s) => n + s.totalLicenses, 0);
      expect({ enabled: sum("Enabled"), warning: sum("Warning"), suspended: sum("Suspended") }).toEqual({
        enabled: sku.prepaidUnits.enabled,
        warning: sku.prepaidUnits.warning,
        suspended: sku.prepaidUnits.suspended,
      });
    }
  });

  it("mixes monthly, annual and unknown terms, a trial, a Warning and a Suspended subscription", () => {
    expect(subs.length).toBeGreaterThan(tenant.skus.length);
    const enabled = subs.filter((s) => s.status === "Enabled" && !s.isTrial);
    expect(new Set(enabled.map((s) => s.truthTerm))).toEqual(new Set(["monthly", "annual", "unknown"]));
    expect(subs.filter((s) => s.isTrial)).toHaveLength(1);
    expect(subs.filter((s) => s.status === "Warning")).toHaveLength(1);
    expect(subs.filter((s) => s.status === "Suspended")).toHaveLength(1);
    // Several subscriptions for at least one SKU.
    expect(tenant.skus.some((sku) => sku.subscriptionIds.length >= 3)).toBe(true);
  });

  it("gives terms whose dates reveal them, as the collector infers them", () => {
    for (const s of subs.filter((x) => x.status === "Enabled" && !x.isTrial)) expect(inferSubscriptionTerm(s.createdDateTime, s.nextLifecycleDateTime)).toBe(s.truthTerm);
  });

  it("spreads renewals of committed terms over the coming year", () => {
    const committed = subs.filter((s) => s.status === "Enabled" && !s.isTrial && s.truthTerm !== "monthly");
    const days = committed.map((s) => (Date.parse(s.nextLifecycleDateTime) - NOW.getTime()) / DAY);
    for (const d of days) expect(d).toBeGreaterThan(0);
    for (const d of days) expect(d).toBeLessThanOrEqual(366);
    // Quarters of the year: renewals fall in at least three of them.
    expect(new Set(days.map((d) => Math.floor(d / 91.5))).size).toBeGreaterThanOrEqual(3);
  });

  it("is deterministic from the seed", () => {
    expect(JSON.stringify(make(2000).subscriptions)).toBe(JSON.stringify(subs));
    expect(JSON.stringify(make(2000, 8).subscriptions)).not.toBe(JSON.stringify(subs));
  });
});
