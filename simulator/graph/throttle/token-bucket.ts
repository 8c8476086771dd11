/**
 * A token bucket with an injected clock (milliseconds): `capacity` units, refilled continuously at
 * `capacity` per `windowMs`. Graph's identity-and-access limits are expressed this way (resource units
 * per 10 seconds). Pure apart from updating the bucket passed in; no timers.
 */

export interface TokenBucket {
  readonly capacity: number;
  readonly windowMs: number;
  /** Units available at `updatedAt`. */
  tokens: number;
  updatedAt: number;
}

/** A full bucket at time `now`. */
export function createTokenBucket(capacity: number, windowMs: number, now: number): TokenBucket {
  if (!(capacity > 0) || !(windowMs > 0)) throw new RangeError(`token bucket needs capacity > 0 and windowMs > 0 (got ${capacity}, ${windowMs})`);
  return { capacity, windowMs, tokens: capacity, updatedAt: now };
}

/** Refills the bucket up to `now` (a clock that goes backwards refills nothing). */
export function refill(bucket: TokenBucket, now: number): void {
  if (now > bucket.updatedAt) {
    bucket.tokens = Math.min(bucket.capacity, bucket.tokens + ((now - bucket.updatedAt) * bucket.capacity) / bucket.windowMs);
    bucket.updatedAt = now;
  }
}

/** Milliseconds until `cost` units are available (0 when they are now). Refills first. */
export function waitFor(bucket: TokenBucket, cost: number, now: number): number {
  refill(bucket, now);
  if (bucket.tokens >= cost) return 0;
  if (cost > bucket.capacity) return Number.POSITIVE_INFINITY;
  return ((cost - bucket.tokens) * bucket.windowMs) / bucket.capacity;
}

/** Takes `cost` units; call only after `waitFor` returned 0 for the same `now`. */
export function take(bucket: TokenBucket, cost: number, now: number): void {
  refill(bucket, now);
  bucket.tokens -= cost;
}

/** Share of the capacity in use, in [0, 1]. */
export function usedFraction(bucket: TokenBucket): number {
  return Math.max(0, Math.min(1, 1 - bucket.tokens / bucket.capacity));
}
