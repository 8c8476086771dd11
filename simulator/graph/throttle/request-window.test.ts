import { describe, expect, it } from "vitest";
import { createRequestWindow, record, windowUsedFraction, windowWait } from "./request-window.ts";

describe("request window", () => {
  it("admits the limit within the window and waits for the oldest request to leave it", () => {
    const w = createRequestWindow(3, 1_000);
    for (const t of [0, 100, 200]) {
      expect(windowWait(w, t)).toBe(0);
      record(w, t);
    }
    expect(windowUsedFraction(w, 200)).toBe(1);
    expect(windowWait(w, 300)).toBe(700);
    expect(windowWait(w, 1_000)).toBe(0);
    record(w, 1_000);
    expect(windowWait(w, 1_000)).toBe(100);
  });
});
