import { describe, expect, it } from "vitest";
import { createSlidingWindow, windowSlackMs } from "./sliding-window.ts";

describe("sliding window pacer", () => {
  it("sends the capacity at once, then never more than capacity in any window", () => {
    const w = createSlidingWindow({ capacity: 5, windowMs: 10_000 });
    const waits = Array.from({ length: 12 }, () => w.reserve(1, 0));
    const W = 10_000 + windowSlackMs(10_000);
    expect(waits).toEqual([0, 0, 0, 0, 0, W, W, W, W, W, 2 * W, 2 * W]);
    // Any 10-second window holds at most 5 sends.
    for (const start of waits) expect(waits.filter((t) => t >= start && t < start + 10_000).length).toBeLessThanOrEqual(5);
  });

  it("counts time already passed and honours a pause", () => {
    const w = createSlidingWindow({ capacity: 2, windowMs: 1000 });
    expect(w.reserve(1, 0)).toBe(0);
    expect(w.reserve(1, 400)).toBe(0);
    expect(w.reserve(1, 500)).toBe(500 + windowSlackMs(1000));
    w.pause(5000, 600);
    expect(w.reserve(1, 700)).toBe(4900);
  });

  it("counts a window from the answer, so server-side latency never causes a 429", () => {
    const w = createSlidingWindow({ capacity: 1, windowMs: 1000 });
    expect(w.reserve(1, 0)).toBe(0);
    w.answered?.(300); // the server may have counted it as late as 300
    expect(w.reserve(1, 400)).toBe(300 + 1000 + windowSlackMs(1000) - 400);
  });
});
