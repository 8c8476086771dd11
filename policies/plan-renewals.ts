/**
 * When removed seats save money. A seat removed from a user saves nothing until the subscription's
 * seat count is lowered, which under Microsoft's New Commerce Experience happens at the term's renewal:
 * today for a monthly term (it renews within the month), at `nextLifecycleDateTime` for an annual or
 * three-year term (the seat is paid for until then), and at `nextLifecycleDateTime` for a term that
 * cannot be inferred. Without the subscriptions (no `Organization.Read.All`), every saving counts from
 * today, and the evaluation says so.
 *
 * Graph pools a SKU's seats over its subscriptions and does not say which seat belongs to which.
 * `planRenewals` therefore lets the paid, enabled subscriptions whose seats can be cut first take the
 * freed seats first, each up to its `totalLicenses`: the SKU's unassigned seats, then the seats the
 * findings free, in finding order. Assigned seats that no paid, enabled subscription covers fall to
 * the SKU's trial, Warning and Suspended subscriptions (lapsing first): those users lose service when
 * it lapses. Pure: `now` is passed in.
 */
import { inferSubscriptionTerm } from "../core/subscription-term.ts";
import type { Realizable, Snapshot, SnapshotSubscription, SubscriptionTerm } from "../core/user-facts.ts";
import type { Policy } from "./policy-schema.ts";

const DAY_MS = 86_400_000;
/** A monthly term renewing further out than this is dated at its renewal, not today. */
const MONTH_DAYS = 31;

/** One subscription with what evaluation derives from it. */
export interface SubscriptionView {
  sub: SnapshotSubscription;
  term: SubscriptionTerm;
  /** Where the term came from: the policy's `terms:` or the dates. */
  termSource: "policy" | "inferred";
  /** Enabled and not a trial: its seat count is what the tenant pays for and can lower. */
  paid: boolean;
  /** When a seat dropped from it starts to save money. */
  realizable: Realizable;
  /** Whole days to `nextLifecycleDateTime` (negative when past), null without a date. */
  daysToRenewal: number | null;
  inRenewalWindow: boolean;
  /** Last day to lower the renewal quantity (YYYY-MM-DD), null without a date. */
  actBy: string | null;
  /** Seats the allocation gave it, by kind. */
  unassignedSeats: number;
  reclaimedSeats: number;
  usersAtRisk: number;
}

/** A share of freed seats and when they save money. */
export interface SeatPart {
  seats: number;
  realizable: Realizable;
  term: SubscriptionTerm;
}

/** What freed seats count as on a subscription: unassigned, freed by an actionable finding, or only proposed (review). */
export type SeatKind = "unassigned" | "reclaimed" | "proposed";

export interface RenewalPlan {
  /** The subscriptions were collected: savings are dated by renewals. */
  known: boolean;
  /** Why savings count from today, when they do. */
  detail: string | null;
  /** The evaluation day (YYYY-MM-DD). */
  today: string;
  /** Every subscription, in snapshot order. */
  subscriptions: SubscriptionView[];
  /** Allocates `seats` freed seats of a SKU to its subscriptions (those that can be cut first take them first). */
  take(skuPartNumber: string, seats: number, kind: SeatKind): SeatPart[];
  /**
   * Unassigned seats the paid subscriptions hold: assigned seats fill the paid subscriptions first, so
   * unassigned seats beyond them are trial (or lapsing) seats that cost nothing to drop. All of
   * `available` when the subscriptions are unknown.
   */
  paidUnassigned(sku: { skuPartNumber: string; purchased: number; consumed: number }): number;
  /** Whether a paid subscription of the SKU is in its renewal window, and days to the SKU's next renewal. */
  window(skuPartNumber: string): { open: boolean; daysToNextRenewal: number | null };
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function termOf(sub: SnapshotSubscription, terms: Policy["terms"]): { term: SubscriptionTerm; source: "policy" | "inferred" } {
  for (const [key, term] of Object.entries(terms)) {
    if (key.toLowerCase() === sub.id.toLowerCase()) return { term, source: "policy" };
  }
  for (const [key, term] of Object.entries(terms)) {
    if (key.toUpperCase() === sub.skuPartNumber.toUpperCase()) return { term, source: "policy" };
  }
  return { term: inferSubscriptionTerm(sub.createdDateTime, sub.nextLifecycleDateTime), source: "inferred" };
}

/** Plans the renewals of a snapshot's subscriptions. */
export function planRenewals(snapshot: Snapshot, policy: Pick<Policy, "terms" | "settings">, now: number): RenewalPlan {
  const today = day(now);
  const source = snapshot.sources.subscriptions;
  const known = source?.status === "collected";
  const detail = known
    ? null
    : `subscriptions not collected (${source?.reason ?? "notRun"}${source?.missingPermission ? `: needs ${source.missingPermission}` : ""}): renewal dates are unknown, every saving is counted from today`;
  const { renewalWindowDays, renewalActByDays, monthlyTermsInRenewalWindow } = policy.settings;
  const views: SubscriptionView[] = (known ? snapshot.subscriptions : []).map((sub) => {
    const { term, source: termSource } = termOf(sub, policy.terms);
    const next = sub.nextLifecycleDateTime ? Date.parse(sub.nextLifecycleDateTime) : NaN;
    const hasDate = !Number.isNaN(next);
    const daysToRenewal = hasDate ? Math.floor((next - now) / DAY_MS) : null;
    const future = daysToRenewal !== null && daysToRenewal >= 0;
    let realizable: Realizable;
    if (term === "monthly" && (!future || daysToRenewal! <= MONTH_DAYS)) realizable = { from: today, basis: "monthlyTerm", subscriptionId: sub.id };
    else if (future) realizable = { from: day(next), basis: term === "unknown" ? "unknownTerm" : "renewal", subscriptionId: sub.id };
    else realizable = { from: today, basis: "unknownTerm", subscriptionId: sub.id };
    return {
      sub,
      term,
      termSource,
      paid: sub.status === "Enabled" && !sub.isTrial,
      realizable,
      daysToRenewal,
      inRenewalWindow: (term === "monthly" && monthlyTermsInRenewalWindow) || (future && daysToRenewal! <= renewalWindowDays),
      actBy: hasDate ? day(next - renewalActByDays * DAY_MS) : null,
      unassignedSeats: 0,
      reclaimedSeats: 0,
      usersAtRisk: 0,
    };
  });

  // Per SKU: the paid subscriptions, those whose seats can be cut first first; then the lapsing ones.
  const bySku = new Map<string, SubscriptionView[]>();
  for (const v of views) {
    const key = v.sub.skuPartNumber.toUpperCase();
    bySku.set(key, [...(bySku.get(key) ?? []), v]);
  }
  const slots = new Map<string, { views: SubscriptionView[]; index: number; left: number }>();
  for (const [key, list] of bySku) {
    const paid = list.filter((v) => v.paid).sort((a, b) => a.realizable.from.localeCompare(b.realizable.from) || a.sub.id.localeCompare(b.sub.id));
    slots.set(key, { views: paid, index: 0, left: paid[0]?.sub.totalLicenses ?? 0 });
  }
  for (const sku of snapshot.skus) {
    const list = bySku.get(sku.skuPartNumber.toUpperCase());
    if (!list) continue;
    const covered = list.filter((v) => v.paid).reduce((n, v) => n + v.sub.totalLicenses, 0);
    let uncovered = Math.max(0, sku.consumed - covered);
    const lapsing = list.filter((v) => !v.paid).sort((a, b) => (a.sub.nextLifecycleDateTime ?? "").localeCompare(b.sub.nextLifecycleDateTime ?? "") || a.sub.id.localeCompare(b.sub.id));
    for (const v of lapsing) {
      v.usersAtRisk = Math.min(uncovered, v.sub.totalLicenses);
      uncovered -= v.usersAtRisk;
    }
  }

  const fallback = (basis: Realizable["basis"]): Realizable => ({ from: today, basis, subscriptionId: null });
  return {
    known,
    detail,
    today,
    subscriptions: views,
    take(skuPartNumber, seats, kind) {
      if (seats <= 0) return [];
      if (!known) return [{ seats, realizable: fallback("noSubscriptions"), term: "unknown" }];
      const slot = slots.get(skuPartNumber.toUpperCase());
      if (!slot || slot.views.length === 0) return [{ seats, realizable: fallback("unknownTerm"), term: "unknown" }];
      const parts: SeatPart[] = [];
      let rest = seats;
      while (rest > 0) {
        const v = slot.views[slot.index]!;
        const last = slot.index === slot.views.length - 1;
        // More seats freed than the subscriptions hold (counts changed meanwhile): the last one takes the rest.
        const n = last ? rest : Math.min(rest, slot.left);
        if (n > 0) {
          if (kind === "unassigned") v.unassignedSeats += n;
          else if (kind === "reclaimed") v.reclaimedSeats += n;
          const prev = parts.at(-1);
          if (prev && prev.realizable.subscriptionId === v.sub.id) prev.seats += n;
          else parts.push({ seats: n, realizable: v.realizable, term: v.term });
          rest -= n;
          slot.left -= n;
        }
        if (slot.left <= 0 && !last) {
          slot.index += 1;
          slot.left = slot.views[slot.index]!.sub.totalLicenses;
        }
      }
      return parts;
    },
    paidUnassigned(sku) {
      const available = Math.max(0, sku.purchased - sku.consumed);
      const list = bySku.get(sku.skuPartNumber.toUpperCase());
      if (!known || !list) return available;
      const paid = list.filter((v) => v.paid).reduce((n, v) => n + v.sub.totalLicenses, 0);
      return Math.min(available, Math.max(0, paid - sku.consumed));
    },
    window(skuPartNumber) {
      if (!known) return { open: true, daysToNextRenewal: null };
      const paid = slots.get(skuPartNumber.toUpperCase())?.views ?? [];
      if (paid.length === 0) return { open: true, daysToNextRenewal: null };
      const upcoming = paid.map((v) => v.daysToRenewal).filter((d): d is number => d !== null && d >= 0);
      return { open: paid.some((v) => v.inRenewalWindow), daysToNextRenewal: upcoming.length > 0 ? Math.min(...upcoming) : null };
    },
  };
}
