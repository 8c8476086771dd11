/**
 * Graph's throttling limits per app+tenant (../shared/reference/graph-api-facts.md §8), with windows
 * multiplied by a time scale so a large tenant can be collected in seconds:
 * - identity and access: token bucket of resource units per 10 s by tenant size (S < 50 users 3,500;
 *   M 50–500 5,000; L > 500 8,000); writes additionally 3,000 units per 150 s;
 *   cost = the route's base cost, `$select` −1, `$expand` +1, `$top` < 20 −1, at least 1;
 * - Microsoft 365 reports: per report API, 14 CSV or 100 JSON requests per 10 minutes;
 * - identity and access reports: 5 requests per 10 s.
 * The clock is injected (milliseconds), so the policy is testable without sleeping.
 */
import type { ThrottleClass } from "../route.ts";
import { queryOption } from "../odata/query-options.ts";
import { createRequestWindow, record, windowUsedFraction, windowWait, type RequestWindow } from "./request-window.ts";
import { createTokenBucket, take, usedFraction, waitFor, type TokenBucket } from "./token-bucket.ts";

/** Graph's documented numbers (unscaled). */
export const GRAPH_THROTTLE_LIMITS = {
  identity: { small: 3_500, medium: 5_000, large: 8_000, windowMs: 10_000 },
  identityWrite: { units: 3_000, windowMs: 150_000 },
  reportsCsv: { requests: 14, windowMs: 600_000 },
  reportsJson: { requests: 100, windowMs: 600_000 },
  identityReports: { requests: 5, windowMs: 10_000 },
} as const;

/** Resource units per 10 s for an app in a tenant of this many users. */
export function identityCapacity(userCount: number): number {
  const l = GRAPH_THROTTLE_LIMITS.identity;
  return userCount < 50 ? l.small : userCount <= 500 ? l.medium : l.large;
}

/** Resource-unit cost of an identity request: base, `$select` −1, `$expand` +1, `$top` < 20 −1, at least 1. */
export function identityCost(base: number, query: URLSearchParams): number {
  let cost = base;
  if (queryOption(query, "$select") !== null) cost -= 1;
  if (queryOption(query, "$expand") !== null) cost += 1;
  const top = queryOption(query, "$top");
  if (top !== null && Number(top) < 20) cost -= 1;
  return Math.max(1, cost);
}

/** Retry-After as Graph writes it: seconds, up to 3 decimals (e.g. `2.128`), at least 0.001. */
export function formatRetryAfter(ms: number): string {
  return String(Math.max(1, Math.ceil(ms)) / 1000);
}

export type ThrottleVerdict =
  | { allowed: true; headers: Record<string, string> }
  | { allowed: false; retryAfterMs: number; headers: Record<string, string> };

export interface Throttle {
  /** Charges the request against its limits, or refuses it with the time until it would fit. */
  admit(appId: string, tenantId: string, cls: ThrottleClass, query: URLSearchParams): ThrottleVerdict;
}

export interface ThrottleOptions {
  /** Multiplies every window (and so every Retry-After). 1 = real Graph. */
  timeScale: number;
  /** Milliseconds, monotonic enough for windows. */
  clock: () => number;
  /** Tenant size, for the identity bucket. */
  userCount: number;
}

/** Percentage header value once usage reaches 80 % (Graph sends it only then). */
function percentageHeader(fraction: number): Record<string, string> {
  return fraction >= 0.8 ? { "x-ms-throttle-limit-percentage": String(Math.floor(fraction * 100) / 100) } : {};
}

export function createThrottle(options: ThrottleOptions): Throttle {
  if (!(options.timeScale > 0)) throw new RangeError(`timeScale must be > 0 (got ${options.timeScale})`);
  const scale = options.timeScale;
  const buckets = new Map<string, TokenBucket>();
  const windows = new Map<string, RequestWindow>();
  const capacity = identityCapacity(options.userCount);

  const bucket = (key: string, cap: number, windowMs: number, now: number): TokenBucket => {
    let b = buckets.get(key);
    if (b === undefined) buckets.set(key, (b = createTokenBucket(cap, windowMs * scale, now)));
    return b;
  };
  const window = (key: string, limit: number, windowMs: number): RequestWindow => {
    let w = windows.get(key);
    if (w === undefined) windows.set(key, (w = createRequestWindow(limit, windowMs * scale)));
    return w;
  };
  const refuse = (ms: number, scope: string, information: string): ThrottleVerdict => ({
    allowed: false,
    retryAfterMs: ms,
    headers: { "Retry-After": formatRetryAfter(ms), "x-ms-throttle-scope": scope, "x-ms-throttle-information": information },
  });

  return {
    admit(appId, tenantId, cls, query) {
      const now = options.clock();
      const who = `${appId}/${tenantId}`;
      switch (cls.kind) {
        case "none":
          return { allowed: true, headers: {} };
        case "identity": {
          const cost = identityCost(cls.cost, query);
          const read = bucket(`ru|${who}`, capacity, GRAPH_THROTTLE_LIMITS.identity.windowMs, now);
          const readWait = waitFor(read, cost, now);
          if (readWait > 0) return refuse(readWait, `Tenant_Application/ReadWrite/${who}`, "ResourceUnitLimitExceeded");
          let fraction: number;
          if (cls.write) {
            const w = GRAPH_THROTTLE_LIMITS.identityWrite;
            const write = bucket(`write|${who}`, w.units, w.windowMs, now);
            const writeWait = waitFor(write, cost, now);
            if (writeWait > 0) return refuse(writeWait, `Tenant_Application/Write/${who}`, "WriteLimitExceeded");
            take(write, cost, now);
            take(read, cost, now);
            fraction = Math.max(usedFraction(read), usedFraction(write));
          } else {
            take(read, cost, now);
            fraction = usedFraction(read);
          }
          return { allowed: true, headers: { "x-ms-resource-unit": String(cost), ...percentageHeader(fraction) } };
        }
        case "reports": {
          // The report key may name its format ("getX:json"); otherwise `$format` decides (CSV by default).
          const json = cls.report.endsWith(":json") || (!cls.report.endsWith(":csv") && (queryOption(query, "$format") ?? "").toLowerCase() === "application/json");
          const l = json ? GRAPH_THROTTLE_LIMITS.reportsJson : GRAPH_THROTTLE_LIMITS.reportsCsv;
          const report = cls.report.replace(/:(csv|json)$/, "");
          const w = window(`report|${json ? "json" : "csv"}|${report}|${who}`, l.requests, l.windowMs);
          const wait = windowWait(w, now);
          if (wait > 0) return refuse(wait, `Tenant_Application/Reports/${who}`, "ReportRequestLimitExceeded");
          record(w, now);
          return { allowed: true, headers: percentageHeader(windowUsedFraction(w, now)) };
        }
        case "identityReports": {
          const l = GRAPH_THROTTLE_LIMITS.identityReports;
          const w = window(`idreports|${who}`, l.requests, l.windowMs);
          const wait = windowWait(w, now);
          if (wait > 0) return refuse(wait, `Tenant_Application/IdentityReports/${who}`, "RequestLimitExceeded");
          record(w, now);
          return { allowed: true, headers: percentageHeader(windowUsedFraction(w, now)) };
        }
      }
    },
  };
}
