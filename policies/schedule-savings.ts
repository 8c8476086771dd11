/**
 * Dates every finding's savings with the renewal plan: each freed seat gets the date its subscription's
 * seat count can be lowered (`realizable`) and the price of a seat on that subscription's term; a
 * finding's savings become a schedule (monthly amount by start date) with its `realizableFrom` and the
 * amount saved until then. Pure; changes the findings it is given (they are fresh from `evaluate`).
 */
import type { Finding, FindingSavings, Realizable, RealizableTotals, Snapshot, SubscriptionTerm } from "../core/user-facts.ts";
import type { RenewalPlan, SeatPart } from "./plan-renewals.ts";
import { pricedAction, type Policy, type PolicyRule } from "./policy-schema.ts";
import { seatPrice } from "./seat-price.ts";

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** The schedule of savings without amounts, shared (frozen): an evaluation keeps every finding until it returns. */
const NO_SCHEDULE = Object.freeze([]) as unknown as FindingSavings["schedule"];

/** Savings from dated parts: amounts by start date, the date the whole amount is saved, and what is saved before. */
export function savingsOf(parts: readonly { monthly: number; realizable: Realizable }[], currency: string): FindingSavings {
  // Nothing to date (review findings, freed seats already counted): the empty savings, without the machinery.
  if (parts.length === 0) return { monthly: 0, annual: 0, currency, realizableFrom: null, monthlyUntilRealizable: 0, basis: null, schedule: NO_SCHEDULE };
  // One part (most findings free one seat): the general case below, without its Map, arrays and sort.
  if (parts.length === 1 && parts[0]!.monthly > 0) {
    const { monthly: amount, realizable } = parts[0]!;
    const monthly = round2(amount);
    return { monthly, annual: round2(monthly * 12), currency, realizableFrom: realizable.from, monthlyUntilRealizable: 0, basis: realizable.basis, schedule: [{ from: realizable.from, monthly, basis: realizable.basis }] };
  }
  const byDate = new Map<string, { from: string; monthly: number; basis: Realizable["basis"] }>();
  for (const p of parts) {
    if (p.monthly <= 0) continue;
    const k = `${p.realizable.from}|${p.realizable.basis}`;
    const e = byDate.get(k) ?? { from: p.realizable.from, monthly: 0, basis: p.realizable.basis };
    e.monthly += p.monthly;
    byDate.set(k, e);
  }
  const schedule = [...byDate.values()].map((e) => ({ ...e, monthly: round2(e.monthly) })).sort((a, b) => a.from.localeCompare(b.from) || a.basis.localeCompare(b.basis));
  const monthly = round2(schedule.reduce((n, e) => n + e.monthly, 0));
  const last = schedule.at(-1) ?? null;
  return {
    monthly,
    annual: round2(monthly * 12),
    currency,
    realizableFrom: last?.from ?? null,
    monthlyUntilRealizable: last === null ? 0 : round2(schedule.filter((e) => e.from < last.from).reduce((n, e) => n + e.monthly, 0)),
    basis: last?.basis ?? null,
    schedule,
  };
}

/**
 * The monthly savings of one freed seat of `sku` on `term`, for the action the finding is priced as:
 * its rule's reclaim or downgrade, or what confirming a review would do (`ifConfirmed`).
 */
function seatSaving(policy: Policy, rule: PolicyRule | undefined, sku: string, term: SubscriptionTerm, fallback: number): number {
  const priced = rule === undefined ? null : pricedAction(rule);
  if (priced === "reclaim") return seatPrice(policy, sku, term);
  if (priced === "downgrade") {
    const to = rule!.downgrade.find((d) => d.from.toUpperCase() === sku.toUpperCase())?.to;
    return to === undefined ? fallback : Math.max(0, seatPrice(policy, sku, term) - seatPrice(policy, to, term));
  }
  return fallback;
}

/**
 * Dates the findings' savings. The SKUs' unassigned seats take the subscriptions that can be cut first;
 * then the seats of actionable findings (reclaim, downgrade), then those of findings to review.
 */
export function scheduleSavings(findings: readonly Finding[], plan: RenewalPlan, policy: Policy, snapshot: Snapshot): void {
  const unassigned = new Map<string, SeatPart[]>();
  for (const sku of snapshot.skus) unassigned.set(sku.skuPartNumber.toUpperCase(), plan.take(sku.skuPartNumber, plan.paidUnassigned(sku), "unassigned"));
  const rules = new Map(policy.rules.map((r) => [r.id, r]));
  const ordered = [...findings.filter((f) => f.action !== "review"), ...findings.filter((f) => f.action === "review")];
  for (const f of ordered) {
    if (f.target === "sku" && f.sku) {
      const parts = unassigned.get(f.sku.skuPartNumber.toUpperCase()) ?? [];
      const base = f.sku.available > 0 ? f.savings.monthly / f.sku.available : 0;
      f.savings = savingsOf(
        parts.map((p) => ({ monthly: p.seats * (p.term === "unknown" ? base : seatPrice(policy, f.sku!.skuPartNumber, p.term)), realizable: p.realizable })),
        f.savings.currency,
      );
      continue;
    }
    if (f.target !== "user") continue;
    for (const l of f.licenses) {
      if (l.monthlySavings <= 0) continue;
      const [part] = plan.take(l.skuPartNumber, 1, f.action === "review" ? "proposed" : "reclaimed");
      l.realizable = part!.realizable;
      if (part!.term !== "unknown") {
        l.monthlyPrice = seatPrice(policy, l.skuPartNumber, part!.term);
        l.monthlySavings = round2(seatSaving(policy, rules.get(f.ruleId), l.skuPartNumber, part!.term, l.monthlySavings));
      }
    }
    f.savings = savingsOf(
      f.licenses.filter((l) => l.realizable !== null).map((l) => ({ monthly: l.monthlySavings, realizable: l.realizable! })),
      f.savings.currency,
    );
  }
}

/** The evaluation day and the days 30 and 90 days later (YYYY-MM-DD); null: every amount counts as now. */
export type Horizons = { today: string; d30: string; d90: string } | null;

const DAY_MS = 86_400_000;

/** Horizons of an evaluation day (YYYY-MM-DD), or null. */
export function horizonsOf(today: string | null): Horizons {
  if (today === null) return null;
  const at = (days: number) => new Date(Date.parse(`${today}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
  return { today, d30: at(30), d90: at(90) };
}

/** One amount by when it arrives: now, within 30 and 90 days, at renewal (all). Undated amounts count from today. */
export function realizableBuckets(monthly: number, schedule: FindingSavings["schedule"], h: Horizons): RealizableTotals {
  const out: RealizableTotals = { now: 0, within30Days: 0, within90Days: 0, atRenewal: 0 };
  const dated = schedule.length > 0 ? schedule : monthly > 0 ? [{ from: h?.today ?? "", monthly }] : [];
  for (const e of dated) {
    if (h === null || e.from <= h.today) out.now += e.monthly;
    if (h === null || e.from <= h.d30) out.within30Days += e.monthly;
    if (h === null || e.from <= h.d90) out.within90Days += e.monthly;
    out.atRenewal += e.monthly;
  }
  return { now: round2(out.now), within30Days: round2(out.within30Days), within90Days: round2(out.within90Days), atRenewal: round2(out.atRenewal) };
}
