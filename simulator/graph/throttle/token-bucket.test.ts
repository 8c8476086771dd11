import { describe, expect, it } from "vitest";
import { createTokenBucket, take, usedFraction, waitFor } from "./token-bucket.ts";

describe("token bucket", () => {
  it("allows the capacity at once, then says how long until the next cost fits", () => {
    const b = createTokenBucket(10, 1_000, 0);
    for (let i = 0; i < 5; i++) {
      expect(waitFor(b, 2, 0)).toBe(0);
      take(b, 2, 0);
    }
    expect(usedFraction(b)).toBe(1);
    // 2 units at 10 per 1,000 ms take 200 ms.
    expect(waitFor(b, 2, 0)).toBe(200);
    expect(waitFor(b, 2, 150)).toBeCloseTo(50, 9);
    expect(waitFor(b, 2, 200)).toBe(0);
  });

  it("refills continuously but never above capacity", () => {
    const b = createTokenBucket(100, 10_000, 0);
    take(b, 100, 0);
    expect(waitFor(b, 1, 50)).toBeCloseTo(50, 9);
    expect(waitFor(b, 100, 1_000_000)).toBe(0);
    expect(b.tokens).toBe(100);
  });

  it("never admits a cost above the capacity", () => {
    expect(waitFor(createTokenBucket(5, 1_000, 0), 6, 0)).toBe(Number.POSITIVE_INFINITY);
  });
});
