import { describe, expect, it } from "vitest";
import { createThrottle, formatRetryAfter, identityCapacity, identityCost } from "./create-throttle.ts";

const q = (s: string) => new URLSearchParams(s);

describe("identity cost and capacity", () => {
  it("applies the documented cost modifiers with a floor of 1", () => {
    expect(identityCost(2, q(""))).toBe(2);
    expect(identityCost(2, q("$select=id"))).toBe(1);
    expect(identityCost(2, q("$select=id&$top=5"))).toBe(1);
    expect(identityCost(3, q("$expand=manager"))).toBe(4);
    expect(identityCost(3, q("$top=19"))).toBe(2);
    expect(identityCost(3, q("$top=20"))).toBe(3);
  });

  it("sizes the bucket by tenant size", () => {
    expect([identityCapacity(49), identityCapacity(50), identityCapacity(500), identityCapacity(501)]).toEqual([3_500, 5_000, 5_000, 8_000]);
  });

  it("writes Retry-After in seconds with up to three decimals", () => {
    expect(formatRetryAfter(2127.2)).toBe("2.128");
    expect(formatRetryAfter(10_000)).toBe("10");
    expect(formatRetryAfter(0.2)).toBe("0.001");
  });
});

describe("createThrottle", () => {
  it("throttles per app and tenant, scales the window and reports usage above 80 %", () => {
    let now = 0;
    const t = createThrottle({ timeScale: 0.1, clock: () => now, userCount: 10 });
    const cls = { kind: "identity", cost: 1 } as const;
    for (let i = 0; i < 2_799; i++) t.admit("a", "t", cls, q(""));
    const at80 = t.admit("a", "t", cls, q(""));
    expect(at80).toEqual({ allowed: true, headers: { "x-ms-resource-unit": "1", "x-ms-throttle-limit-percentage": "0.8" } });
    for (let i = 0; i < 700; i++) t.admit("a", "t", cls, q(""));
    const refused = t.admit("a", "t", cls, q(""));
    // 1 RU at 3,500 per 1 s (10 s × 0.1) → 0.286 ms.
    expect(refused).toMatchObject({ allowed: false, headers: { "Retry-After": "0.001", "x-ms-throttle-scope": "Tenant_Application/ReadWrite/a/t" } });
    expect(t.admit("b", "t", cls, q("")).allowed).toBe(true);
    now += 1;
    expect(t.admit("a", "t", cls, q("")).allowed).toBe(true);
  });

  it("limits writes to 3,000 units per 150 s on top of the read bucket", () => {
    const now = 0;
    // 8,000 read units per 10 s leave room; the write bucket is the one that runs dry.
    const t = createThrottle({ timeScale: 1, clock: () => now, userCount: 1_000 });
    const write = { kind: "identity", cost: 1, write: true } as const;
    let ok = 0;
    for (let i = 0; i < 3_000; i++) {
      if (t.admit("a", "t", write, q("")).allowed) ok++;
    }
    expect(ok).toBe(3_000);
    const refused = t.admit("a", "t", write, q(""));
    expect(refused.allowed).toBe(false);
    expect(refused.headers["x-ms-throttle-information"]).toBe("WriteLimitExceeded");
  });

  it("allows 14 CSV and 100 JSON requests per report per 10 minutes, separately per report", () => {
    let now = 0;
    const t = createThrottle({ timeScale: 0.01, clock: () => now, userCount: 10 });
    const csv = { kind: "reports", report: "getOffice365ActiveUserDetail" } as const;
    for (let i = 0; i < 14; i++) expect(t.admit("a", "t", csv, q("")).allowed).toBe(true);
    const refused = t.admit("a", "t", csv, q(""));
    // The window is 600 s × 0.01 = 6 s; all 14 requests came at t=0.
    expect(refused).toMatchObject({ allowed: false, retryAfterMs: 6_000, headers: { "Retry-After": "6" } });
    expect(t.admit("a", "t", { kind: "reports", report: "getMailboxUsageDetail" }, q("")).allowed).toBe(true);
    for (let i = 0; i < 100; i++) expect(t.admit("a", "t", csv, q("$format=application/json")).allowed).toBe(true);
    expect(t.admit("a", "t", { kind: "reports", report: "getOffice365ActiveUserDetail:json" }, q("")).allowed).toBe(false);
    now += 6_000;
    expect(t.admit("a", "t", csv, q("")).allowed).toBe(true);
  });

  it("allows 5 identity-report requests per 10 s", () => {
    const now = 0;
    const t = createThrottle({ timeScale: 1, clock: () => now, userCount: 10 });
    const cls = { kind: "identityReports" } as const;
    for (let i = 0; i < 5; i++) expect(t.admit("a", "t", cls, q("")).allowed).toBe(true);
    expect(t.admit("a", "t", cls, q(""))).toMatchObject({ allowed: false, headers: { "Retry-After": "10" } });
    expect(t.admit("a", "t", { kind: "none" }, q("")).allowed).toBe(true);
  });
});
