/**
 * Who pays: spend, idle spend and savings per department, company, country or one attribute
 * (an `extensionAttributeN` or `employeeOrgData.costCenter`) — the cost allocation finance asks for.
 * Pure: reads a snapshot and the evaluation `evaluate` produced from it; no rule logic of its own.
 *
 * - spend: the monthly price of every seat users hold (a SKU held directly and through a group is one
 *   seat), from the policy's one price lookup (`seatPrice`, the SKU's default price: a user's seat is
 *   not tied to one subscription's term);
 * - idle spend: the monthly price of the seats the evaluation proposes to reclaim (findings whose rule
 *   action is `reclaim`, whether actionable now or lowered to review), each user and SKU once;
 * - savings: the findings' monthly savings that can be acted on now; review savings: those of review
 *   findings. Seat findings (unassigned seats) belong to no user and are reported as `unallocated`;
 *   subscription findings restate seats the others count and are left out (as in the evaluation's totals).
 */
import type { Evaluation, Snapshot, SnapshotUser } from "../core/user-facts.ts";
import type { Policy } from "./policy-schema.ts";
import { seatPrice } from "./seat-price.ts";

export const ALLOCATION_DIMENSIONS = ["department", "company", "country", "attribute"] as const;
export type AllocationDimension = (typeof ALLOCATION_DIMENSIONS)[number];

/** Attributes `--by attribute` accepts: extensionAttribute1…15 and employeeOrgData's costCenter and division. */
export const ALLOCATION_ATTRIBUTE_PATTERN = /^(extensionAttribute([1-9]|1[0-5])|employeeOrgData\.(costCenter|division))$/;

export interface AllocationOptions {
  by: AllocationDimension;
  /** Required when `by` is `attribute`: e.g. `extensionAttribute1` or `employeeOrgData.costCenter`. */
  attribute?: string;
}

/** Money is per month, in the policy's currency. */
export interface AllocationRow {
  /** The department, company, country or attribute value; null when the user has none. */
  key: string | null;
  users: number;
  licensedUsers: number;
  seats: number;
  spend: number;
  idleSeats: number;
  idleSpend: number;
  /** Findings of users in this row. */
  findings: number;
  savings: number;
  reviewSavings: number;
}

export const ALLOCATION_VERSION = 1;

export interface CostAllocation {
  allocationVersion: typeof ALLOCATION_VERSION;
  by: AllocationDimension;
  attribute: string | null;
  currency: string;
  /** Highest spend first; the row of users without a value last. */
  rows: AllocationRow[];
  total: Omit<AllocationRow, "key">;
  /** Seat findings (unassigned seats): savings no user's row carries. */
  unallocated: { findings: number; savings: number };
}

/**
 * The seats the evaluation proposes to reclaim: findings whose rule action is `reclaim` (actionable
 * now or lowered to review), as user id → upper-case skuPartNumbers, each seat once.
 */
export function idleSeatsOf(evaluation: Evaluation): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const f of evaluation.findings) {
    if (f.user === null || f.ruleAction !== "reclaim") continue;
    let seats = out.get(f.user.id);
    if (!seats) out.set(f.user.id, (seats = new Set()));
    for (const l of f.licenses) seats.add(l.skuPartNumber.toUpperCase());
  }
  return out;
}

/** The allocation key of one user for a dimension. */
export function allocationKeyOf(user: SnapshotUser, options: AllocationOptions): string | null {
  const v = options.by === "department" ? user.department : options.by === "company" ? user.companyName : options.by === "country" ? user.country : (user.attributes[options.attribute ?? ""] ?? null);
  return v === null || v.trim() === "" ? null : v;
}

/** Spend, idle spend and savings per value of one dimension. */
export function allocateCosts(snapshot: Snapshot, evaluation: Evaluation, policy: Pick<Policy, "prices" | "termPrices" | "currency">, options: AllocationOptions): CostAllocation {
  return allocateCostsBy(snapshot, evaluation, policy, [options])[0]!;
}

type Sums = { users: number; licensedUsers: number; seats: number; spend: number; idleSeats: number; idleSpend: number; findings: number; savings: number; reviewSavings: number };
const zero = (): Sums => ({ users: 0, licensedUsers: 0, seats: 0, spend: 0, idleSeats: 0, idleSpend: 0, findings: 0, savings: 0, reviewSavings: 0 });

/**
 * `allocateCosts` for several dimensions at once: seats, prices and findings are tallied per user
 * once, then grouped per dimension. Money is summed in cents, so that many prices do not drift.
 */
export function allocateCostsBy(snapshot: Snapshot, evaluation: Evaluation, policy: Pick<Policy, "prices" | "termPrices" | "currency">, dimensions: readonly AllocationOptions[]): CostAllocation[] {
  for (const options of dimensions) {
    if (options.by === "attribute" && !ALLOCATION_ATTRIBUTE_PATTERN.test(options.attribute ?? "")) {
      throw new RangeError(`allocation by attribute needs extensionAttribute1…15, employeeOrgData.costCenter or employeeOrgData.division (got "${options.attribute ?? ""}")`);
    }
  }
  const priceOf = (sku: string) => seatPrice(policy, sku);
  const cents = (n: number) => Math.round(n * 100);
  const priceCents = new Map<string, number>();
  const centsOf = (sku: string) => {
    let c = priceCents.get(sku);
    if (c === undefined) priceCents.set(sku, (c = cents(priceOf(sku))));
    return c;
  };
  // Per user (snapshot order), plus one slot for findings of users the snapshot does not hold.
  const users = snapshot.users;
  const n = users.length;
  const per: Sums[] = new Array<Sums>(n + 1);
  const indexOf = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const user = users[i]!;
    indexOf.set(user.id, i);
    const t = zero();
    t.users = 1;
    const held = user.licenses.length;
    if (held > 0) {
      t.licensedUsers = 1;
      // A SKU held directly and through a group is one seat.
      if (held === 1) {
        t.seats = 1;
        t.spend = centsOf(user.licenses[0]!.skuPartNumber);
      } else {
        const seats = new Map(user.licenses.map((l) => [l.skuPartNumber.toUpperCase(), l.skuPartNumber]));
        t.seats = seats.size;
        for (const sku of seats.values()) t.spend += centsOf(sku);
      }
    }
    per[i] = t;
  }
  per[n] = zero();
  const idle = new Map<number, Set<string>>();
  const unallocated = { findings: 0, savings: 0 };
  for (const f of evaluation.findings) {
    // A subscription finding restates seats the user and seat findings already count.
    if (f.target === "subscription") continue;
    if (f.user === null) {
      unallocated.findings += 1;
      if (f.action !== "review") unallocated.savings += cents(f.savings.monthly);
      continue;
    }
    const i = indexOf.get(f.user.id) ?? n;
    const t = per[i]!;
    t.findings += 1;
    if (f.action === "review") t.reviewSavings += cents(f.savings.monthly);
    else t.savings += cents(f.savings.monthly);
    if (f.ruleAction !== "reclaim") continue;
    let seen = idle.get(i);
    if (!seen) idle.set(i, (seen = new Set()));
    for (const l of f.licenses) {
      const sku = l.skuPartNumber.toUpperCase();
      if (seen.has(sku)) continue;
      seen.add(sku);
      t.idleSeats += 1;
      t.idleSpend += centsOf(l.skuPartNumber);
    }
  }
  const money = (r: Sums) => ({ spend: r.spend / 100, idleSpend: r.idleSpend / 100, savings: r.savings / 100, reviewSavings: r.reviewSavings / 100 });
  const keys = Object.keys(zero()) as (keyof Sums)[];
  return dimensions.map((options) => {
    const rows = new Map<string | null, Sums>();
    const total = zero();
    for (let i = 0; i <= n; i++) {
      const t = per[i]!;
      const key = i < n ? allocationKeyOf(users[i]!, options) : null;
      if (i === n && t.findings === 0) continue;
      let r = rows.get(key);
      if (!r) rows.set(key, (r = zero()));
      for (const k of keys) {
        r[k] += t[k];
        total[k] += t[k];
      }
    }
    const out: AllocationRow[] = [...rows].map(([key, r]) => ({ key, ...r, ...money(r) }));
    out.sort((a, b) => (a.key === null ? 1 : 0) - (b.key === null ? 1 : 0) || b.spend - a.spend || (a.key ?? "").localeCompare(b.key ?? ""));
    return {
      allocationVersion: ALLOCATION_VERSION,
      by: options.by,
      attribute: options.by === "attribute" ? (options.attribute ?? null) : null,
      currency: policy.currency,
      rows: out,
      total: { ...total, ...money(total) },
      unallocated: { findings: unallocated.findings, savings: unallocated.savings / 100 },
    };
  });
}
