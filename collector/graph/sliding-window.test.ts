import { describe, expect, it } from "vitest";
import { createSlidingWindow } from "./sliding-window.ts";

describe("sliding window pacer", () => {
  it("sends the capacity at once, then never more than capacity in any window", () => {
    const w = createSlidingWindow({ capacity: 5, windowMs: 10_000 });
    const waits = Array.from({ length: 12 }, () => w.reserve(1, 0));
    expect(waits).toEqual([0, 0, 0, 0, 0, 10_000, 10_000, 10_000, 10_000, 10_000, 20_000, 20_000]);
    // Any 10-second window holds at most 5 sends.
    for (const start of waits) expect(waits.filter((t) => t >= start && t < start + 10_000).length).toBeLessThanOrEqual(5);
  });

  it("counts time already passed and honours a pause", () => {
    const w = createSlidingWindow({ capacity: 2, windowMs: 1000 });
    expect(w.reserve(1, 0)).toBe(0);
    expect(w.reserve(1, 400)).toBe(0);
    expect(w.reserve(1, 500)).toBe(500);
    w.pause(5000, 600);
    expect(w.reserve(1, 700)).toBe(4900);
  });
});
