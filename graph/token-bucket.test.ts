import { describe, expect, it } from "vitest";
import { createTokenBucket } from "./token-bucket.ts";

describe("token bucket", () => {
  it("lets a burst of the capacity through, then spaces requests at the refill rate", () => {
    const b = createTokenBucket({ capacity: 5, windowMs: 10_000 }, 0);
    expect([1, 2, 3, 4, 5].map(() => b.reserve(1, 0))).toEqual([0, 0, 0, 0, 0]);
    expect(b.reserve(1, 0)).toBe(2000);
    expect(b.reserve(1, 0)).toBe(4000);
  });

  it("refills over time up to the capacity only", () => {
    const b = createTokenBucket({ capacity: 14, windowMs: 600_000 }, 0);
    for (let i = 0; i < 14; i++) b.reserve(1, 0);
    expect(b.reserve(1, Math.ceil(600_000 / 14))).toBe(0);
    const later = createTokenBucket({ capacity: 2, windowMs: 1000 }, 0);
    expect(later.reserve(2, 1_000_000)).toBe(0);
    expect(later.reserve(1, 1_000_000)).toBe(500);
  });

  it("charges the cost of expensive requests", () => {
    const b = createTokenBucket({ capacity: 10, windowMs: 1000 }, 0);
    expect(b.reserve(10, 0)).toBe(0);
    expect(b.reserve(5, 0)).toBe(500);
  });

  it("holds everything back while paused by a Retry-After", () => {
    const b = createTokenBucket({ capacity: 100, windowMs: 1000 }, 0);
    b.pause(3000, 0);
    expect(b.reserve(1, 1000)).toBe(2000);
    // After the pause the bucket restarts empty and refills at its rate (100 per s → 10 ms per unit).
    expect(b.reserve(1, 3000)).toBe(20);
    expect(b.reserve(1, 4000)).toBe(0);
  });
});
