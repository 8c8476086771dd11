/**
 * The one answer to "what does a seat of SKU X cost per month?" for a composed policy, in the
 * policy's currency. Evaluation, cost allocation and the report all ask it here, so that richer
 * pricing (terms, a price book) changes one place. Pure.
 */
import type { Policy } from "./policy-schema.ts";

/** Monthly price per seat by skuPartNumber (case-insensitive); 0 when the policy names no price. */
export function monthlyPriceLookup(policy: Pick<Policy, "prices">): (skuPartNumber: string) => number {
  const prices = new Map(Object.entries(policy.prices).map(([k, v]) => [k.toUpperCase(), v]));
  return (skuPartNumber) => prices.get(skuPartNumber.toUpperCase()) ?? 0;
}
