/**
 * The one price lookup: what a seat of a SKU costs per month, in the policy's currency, on a given
 * commitment term. Evaluation, cost allocation, the reclamation plan and the report all read prices
 * through `seatPrice`. Pure.
 */
import type { SubscriptionTerm } from "../core/user-facts.ts";
import type { Policy } from "./policy-schema.ts";

/** The price fields of a policy (`policy.prices`, `policy.termPrices`, after any price book). */
export type PolicyPrices = Pick<Policy, "prices" | "termPrices">;

type Lookup = (skuPartNumber: string, term?: SubscriptionTerm) => number;
const lookups = new WeakMap<PolicyPrices, Lookup>();

function buildLookup(policy: PolicyPrices): Lookup {
  const plain = new Map<string, number>();
  for (const [k, v] of Object.entries(policy.prices)) plain.set(k.toUpperCase(), v);
  const byTerm = new Map<string, { annual?: number; monthly?: number }>();
  for (const [k, v] of Object.entries(policy.termPrices)) byTerm.set(k.toUpperCase(), v);
  return (skuPartNumber, term) => {
    const key = skuPartNumber.toUpperCase();
    if (term === "monthly" || term === "annual") {
      const p = byTerm.get(key)?.[term];
      if (p !== undefined) return p;
    }
    return plain.get(key) ?? 0;
  };
}

/**
 * Monthly price of one seat of `skuPartNumber` (case-insensitive) in the policy's currency: the price
 * for `term` when the policy (or its price book) gives one, else the SKU's default price (its
 * annual-commitment price when both are given), else 0. `term` omitted or `unknown` → the default.
 */
export function seatPrice(policy: PolicyPrices, skuPartNumber: string, term?: SubscriptionTerm): number {
  let lookup = lookups.get(policy);
  if (!lookup) {
    lookup = buildLookup(policy);
    lookups.set(policy, lookup);
  }
  return lookup(skuPartNumber, term);
}
