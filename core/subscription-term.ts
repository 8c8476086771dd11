/**
 * A subscription's term, inferred. Graph's companySubscription has no term, billing-cycle or
 * auto-renew field; the span from `createdDateTime` to `nextLifecycleDateTime` is the only hint
 * (as CIPP does): about a month → monthly, about one or three years → annual, otherwise unknown.
 * A policy's `terms:` overrides the inference per SKU or per subscription. Pure.
 */
import type { SubscriptionTerm } from "./user-facts.ts";

const DAY_MS = 86_400_000;

/** Spans (days) counted as a monthly term: calendar months are 28 to 31 days, plus a day of slack. */
export const MONTHLY_SPAN_DAYS = { min: 27, max: 32 } as const;
/** Largest distance (days) from 1 or 3 years still counted as annual (leap days, co-termed starts). */
export const ANNUAL_SPAN_SLACK_DAYS = 31;

/** Infers the term from the span of a subscription's dates; `unknown` when either date is missing. */
export function inferSubscriptionTerm(createdDateTime: string | null, nextLifecycleDateTime: string | null): SubscriptionTerm {
  if (createdDateTime === null || nextLifecycleDateTime === null) return "unknown";
  const start = Date.parse(createdDateTime);
  const end = Date.parse(nextLifecycleDateTime);
  if (Number.isNaN(start) || Number.isNaN(end) || end <= start) return "unknown";
  const days = (end - start) / DAY_MS;
  if (days >= MONTHLY_SPAN_DAYS.min && days <= MONTHLY_SPAN_DAYS.max) return "monthly";
  for (const years of [1, 3]) if (Math.abs(days - 365.25 * years) <= ANNUAL_SPAN_SLACK_DAYS) return "annual";
  return "unknown";
}
