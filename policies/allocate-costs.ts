/**
 * Who pays: spend, idle spend and savings per department, company, country or one attribute
 * (an `extensionAttributeN` or `employeeOrgData.costCenter`) — the cost allocation finance asks for.
 * Pure: reads a snapshot and the evaluation `evaluate` produced from it; no rule logic of its own.
 *
 * - spend: the monthly price of every seat users hold (a SKU held directly and through a group is one
 *   seat), from the policy's one price lookup;
 * - idle spend: the monthly price of the seats the evaluation proposes to reclaim (findings whose rule
 *   action is `reclaim`, whether actionable now or lowered to review), each user and SKU once;
 * - savings: the findings' monthly savings that can be acted on now; review savings: those of review
 *   findings. Seat findings (unassigned seats) belong to no user and are reported as `unallocated`.
 */
import type { Evaluation, Snapshot, SnapshotUser } from "../core/user-facts.ts";
import type { Policy } from "./policy-schema.ts";
import { monthlyPriceLookup } from "./price-lookup.ts";

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
 * now or lowered to review), keyed `userId + "\u0000" + SKUPARTNUMBER` (upper case), each seat once.
 */
export function idleSeatsOf(evaluation: Evaluation): Set<string> {
  const out = new Set<string>();
  for (const f of evaluation.findings) {
    if (f.user === null || f.ruleAction !== "reclaim") continue;
    for (const l of f.licenses) out.add(seatKey(f.user.id, l.skuPartNumber));
  }
  return out;
}

/** The key of one user's seat of a SKU in `idleSeatsOf`. */
export function seatKey(userId: string, skuPartNumber: string): string {
  return `${userId}\u0000${skuPartNumber.toUpperCase()}`;
}

/** The allocation key of one user for a dimension. */
export function allocationKeyOf(user: SnapshotUser, options: AllocationOptions): string | null {
  const v = options.by === "department" ? user.department : options.by === "company" ? user.companyName : options.by === "country" ? user.country : (user.attributes[options.attribute ?? ""] ?? null);
  return v === null || v.trim() === "" ? null : v;
}

/** Spend, idle spend and savings per value of one dimension. */
export function allocateCosts(snapshot: Snapshot, evaluation: Evaluation, policy: Pick<Policy, "prices" | "currency">, options: AllocationOptions): CostAllocation {
  if (options.by === "attribute" && !ALLOCATION_ATTRIBUTE_PATTERN.test(options.attribute ?? "")) {
    throw new RangeError(`allocation by attribute needs extensionAttribute1…15, employeeOrgData.costCenter or employeeOrgData.division (got "${options.attribute ?? ""}")`);
  }
  const priceOf = monthlyPriceLookup(policy);
  // Cents, so that sums of many prices do not drift.
  const cents = (n: number) => Math.round(n * 100);
  const rows = new Map<string | null, { users: number; licensedUsers: number; seats: number; spend: number; idleSeats: number; idleSpend: number; findings: number; savings: number; reviewSavings: number }>();
  const keyOfUser = new Map<string, string | null>();
  const row = (key: string | null) => {
    let r = rows.get(key);
    if (!r) rows.set(key, (r = { users: 0, licensedUsers: 0, seats: 0, spend: 0, idleSeats: 0, idleSpend: 0, findings: 0, savings: 0, reviewSavings: 0 }));
    return r;
  };
  // Prices in cents per SKU as spelled in the snapshot, looked up once per spelling.
  const priceCents = new Map<string, number>();
  const centsOf = (sku: string) => {
    let c = priceCents.get(sku);
    if (c === undefined) priceCents.set(sku, (c = cents(priceOf(sku))));
    return c;
  };
  for (const user of snapshot.users) {
    const key = allocationKeyOf(user, options);
    keyOfUser.set(user.id, key);
    const r = row(key);
    r.users += 1;
    const n = user.licenses.length;
    if (n === 0) continue;
    r.licensedUsers += 1;
    // A SKU held directly and through a group is one seat.
    const seats = n === 1 ? [user.licenses[0]!.skuPartNumber] : [...new Map(user.licenses.map((l) => [l.skuPartNumber.toUpperCase(), l.skuPartNumber])).values()];
    r.seats += seats.length;
    for (const sku of seats) r.spend += centsOf(sku);
  }
  const idle = new Set<string>();
  const unallocated = { findings: 0, savings: 0 };
  for (const f of evaluation.findings) {
    if (f.user === null) {
      unallocated.findings += 1;
      if (f.action !== "review") unallocated.savings += cents(f.savings.monthly);
      continue;
    }
    const r = row(keyOfUser.has(f.user.id) ? keyOfUser.get(f.user.id)! : null);
    r.findings += 1;
    if (f.action === "review") r.reviewSavings += cents(f.savings.monthly);
    else r.savings += cents(f.savings.monthly);
    if (f.ruleAction !== "reclaim") continue;
    for (const l of f.licenses) {
      const seat = seatKey(f.user.id, l.skuPartNumber);
      if (idle.has(seat)) continue;
      idle.add(seat);
      r.idleSeats += 1;
      r.idleSpend += centsOf(l.skuPartNumber);
    }
  }
  const money = (r: { spend: number; idleSpend: number; savings: number; reviewSavings: number }) => ({ spend: r.spend / 100, idleSpend: r.idleSpend / 100, savings: r.savings / 100, reviewSavings: r.reviewSavings / 100 });
  const out: AllocationRow[] = [...rows].map(([key, r]) => ({ key, ...r, ...money(r) }));
  out.sort((a, b) => (a.key === null ? 1 : 0) - (b.key === null ? 1 : 0) || b.spend - a.spend || (a.key ?? "").localeCompare(b.key ?? ""));
  const sum = { users: 0, licensedUsers: 0, seats: 0, spend: 0, idleSeats: 0, idleSpend: 0, findings: 0, savings: 0, reviewSavings: 0 };
  for (const r of rows.values()) for (const k of Object.keys(sum) as (keyof typeof sum)[]) sum[k] += r[k];
  return {
    allocationVersion: ALLOCATION_VERSION,
    by: options.by,
    attribute: options.by === "attribute" ? (options.attribute ?? null) : null,
    currency: policy.currency,
    rows: out,
    total: { ...sum, ...money(sum) },
    unallocated: { findings: unallocated.findings, savings: unallocated.savings / 100 },
  };
}
