import { describe, expect, it } from "vitest";
import { backoffDelay, isRetryableStatus, parseRetryAfter } from "./retry-timing.ts";

describe("parseRetryAfter", () => {
  it("reads fractional seconds as Graph sends them", () => {
    expect(parseRetryAfter("2.128", 0)).toBe(2128);
    expect(parseRetryAfter("10", 0)).toBe(10_000);
    expect(parseRetryAfter("0.0004", 0)).toBe(1);
  });

  it("reads an HTTP-date relative to now", () => {
    const now = Date.parse("2026-11-26T10:00:00Z");
    expect(parseRetryAfter("Thu, 26 Nov 2026 10:00:05 GMT", now)).toBe(5000);
    expect(parseRetryAfter("Thu, 26 Nov 2026 09:59:00 GMT", now)).toBe(0);
  });

  it("returns undefined for a missing or malformed value", () => {
    expect(parseRetryAfter(undefined, 0)).toBeUndefined();
    expect(parseRetryAfter("", 0)).toBeUndefined();
    expect(parseRetryAfter("soon", 0)).toBeUndefined();
    expect(parseRetryAfter("-1", 0)).toBeUndefined();
  });
});

describe("backoffDelay", () => {
  it("grows exponentially up to the cap, scaled by jitter", () => {
    expect(backoffDelay(0, 0.999, { baseMs: 100, capMs: 1000 })).toBe(99);
    expect(backoffDelay(3, 0.5, { baseMs: 100, capMs: 1000 })).toBe(400);
    expect(backoffDelay(10, 0.5, { baseMs: 100, capMs: 1000 })).toBe(500);
    expect(backoffDelay(2, 0, { baseMs: 100 })).toBe(0);
  });
});

describe("isRetryableStatus", () => {
  it("retries throttling and transient gateway errors only", () => {
    expect([429, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 500].some(isRetryableStatus)).toBe(false);
  });
});
