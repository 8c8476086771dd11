/**
 * Client-side pacing, pure: a token bucket that refills continuously. `reserve` takes the cost
 * at once (the balance may go negative, which queues later callers fairly behind earlier ones)
 * and answers how long the caller must wait before sending.
 */
export interface BucketBudget {
  /** Units available per window (and the burst size). */
  capacity: number;
  /** Window length in ms over which `capacity` refills. */
  windowMs: number;
}

export interface TokenBucket {
  /** Deducts `cost` and returns the ms to wait before the request may go out (0 = now). */
  reserve(cost: number, nowMs: number): number;
  /** Pushes the whole bucket back: nothing may be sent for `ms` (a 429 told us so). */
  pause(ms: number, nowMs: number): void;
  /** A request sent under this budget got its answer at `nowMs` (window pacers count from then). */
  answered?(nowMs: number): void;
}

export function createTokenBucket(budget: BucketBudget, startMs: number): TokenBucket {
  const ratePerMs = budget.capacity / budget.windowMs;
  let balance = budget.capacity;
  let updatedMs = startMs;
  let pausedUntil = startMs;
  const refill = (nowMs: number) => {
    if (nowMs <= updatedMs) return;
    // Nothing accrues while a server-imposed pause lasts.
    const accrualStart = Math.max(updatedMs, pausedUntil);
    if (nowMs > accrualStart) balance = Math.min(budget.capacity, balance + (nowMs - accrualStart) * ratePerMs);
    updatedMs = nowMs;
  };
  return {
    reserve(cost, nowMs) {
      refill(nowMs);
      balance -= cost;
      const untilPositive = balance >= 0 ? 0 : Math.ceil(-balance / ratePerMs);
      return Math.max(untilPositive, pausedUntil - nowMs, 0);
    },
    pause(ms, nowMs) {
      refill(nowMs);
      pausedUntil = Math.max(pausedUntil, nowMs + ms);
      balance = Math.min(balance, 0);
    },
  };
}
