/**
 * Client-side pacing for limits stated as "N requests per window" (usage reports: 14 per 10
 * minutes; identity and access reports: 5 per 10 s), pure: never more than `capacity` sends in any
 * window, the strictest reading of such a limit, so a server counting a sliding window never
 * answers 429. Same interface as the token bucket.
 */
import type { BucketBudget, TokenBucket } from "./token-bucket.ts";

export function createSlidingWindow(budget: BucketBudget): TokenBucket {
  /** Scheduled send times, ascending (the last `capacity` matter). */
  const sends: number[] = [];
  let pausedUntil = 0;
  return {
    reserve(_cost, nowMs) {
      let at = Math.max(nowMs, pausedUntil, sends.at(-1) ?? 0);
      if (sends.length >= budget.capacity) at = Math.max(at, sends[sends.length - budget.capacity]! + budget.windowMs);
      sends.push(at);
      if (sends.length > budget.capacity) sends.splice(0, sends.length - budget.capacity);
      return at - nowMs;
    },
    pause(ms, nowMs) {
      pausedUntil = Math.max(pausedUntil, nowMs + ms);
    },
  };
}
