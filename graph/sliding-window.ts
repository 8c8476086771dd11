/**
 * Client-side pacing for limits stated as "N requests per window" (usage reports: 14 per 10
 * minutes; identity and access reports: 5 per 10 s), pure: never more than `capacity` sends in any
 * window, the strictest reading of such a limit, so a server counting a sliding window never
 * answers 429. Same interface as the token bucket.
 */
import type { BucketBudget, TokenBucket } from "./token-bucket.ts";

/**
 * Slack added to each window: the server starts its window when a request arrives, not when it was
 * sent, so a send exactly one window after the first could still land inside the server's window.
 */
export function windowSlackMs(windowMs: number): number {
  return Math.ceil(25 + windowMs * 0.01);
}

export function createSlidingWindow(budget: BucketBudget): TokenBucket {
  const windowMs = budget.windowMs + windowSlackMs(budget.windowMs);
  /** Send times, ascending (the last `capacity` matter); `answered` ones were moved to their answer time. */
  const sends: { at: number; answered: boolean }[] = [];
  let pausedUntil = 0;
  return {
    reserve(_cost, nowMs) {
      let at = Math.max(nowMs, pausedUntil, sends.at(-1)?.at ?? 0);
      if (sends.length >= budget.capacity) at = Math.max(at, sends[sends.length - budget.capacity]!.at + windowMs);
      sends.push({ at, answered: false });
      if (sends.length > budget.capacity) sends.splice(0, sends.length - budget.capacity);
      return at - nowMs;
    },
    pause(ms, nowMs) {
      pausedUntil = Math.max(pausedUntil, nowMs + ms);
    },
    // The server counted the request somewhere between sending and answering: counting from the
    // answer is the safe bound, whatever the latency.
    answered(nowMs) {
      const first = sends.find((s) => !s.answered);
      if (!first) return;
      first.at = Math.max(first.at, nowMs);
      first.answered = true;
      sends.sort((a, b) => a.at - b.at);
    },
  };
}
