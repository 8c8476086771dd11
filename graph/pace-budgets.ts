/**
 * Client-side pacing budgets per Graph throttling scope, from Microsoft's documented limits
 * (../shared/reference/graph-api-facts.md §8), so that 429s are rare rather than the mechanism.
 */
import type { BucketBudget } from "./token-bucket.ts";

/** A pacing scope: which documented limit a request counts against. */
export type PaceScope =
  /** Identity and access (users, groups, servicePrincipals, subscribedSkus): resource units per app+tenant. */
  | "identity"
  /** Identity and access writes (assignLicense): 3,000 per 150 s per app+tenant. */
  | "identityWrite"
  /** Identity and access reports (auditLogs/signIns, authenticationMethods reports): 5 per 10 s. */
  | "identityReports"
  /** One Microsoft 365 usage report API as CSV: 14 per 10 min per app+tenant, per report. */
  | `reportCsv:${string}`
  /** One Microsoft 365 usage report API as JSON (beta): 100 per 10 min per app+tenant, per report. */
  | `reportJson:${string}`
  /** Not paced (pre-authenticated download URLs). */
  | "none";

/** Resource units per 10 s for identity and access by tenant size (S < 50 users, M 50–500, L > 500). */
export function identityBudget(userCount: number | undefined): BucketBudget {
  const capacity = userCount === undefined || userCount < 50 ? 3500 : userCount <= 500 ? 5000 : 8000;
  return { capacity, windowMs: 10_000 };
}

/**
 * The budget of a scope and how it is counted: resource units refill continuously (`bucket`);
 * "N requests per window" limits are paced as a sliding window (`window`), their strictest reading.
 * `userCount` picks the identity tier; unknown → the smallest (safe).
 */
export function budgetFor(scope: PaceScope, userCount: number | undefined): (BucketBudget & { kind: "bucket" | "window" }) | undefined {
  if (scope === "none") return undefined;
  if (scope === "identity") return { kind: "bucket", ...identityBudget(userCount) };
  if (scope === "identityWrite") return { kind: "bucket", capacity: 3000, windowMs: 150_000 };
  if (scope === "identityReports") return { kind: "window", capacity: 5, windowMs: 10_000 };
  if (scope.startsWith("reportCsv:")) return { kind: "window", capacity: 14, windowMs: 600_000 };
  return { kind: "window", capacity: 100, windowMs: 600_000 };
}

/**
 * Resource-unit cost of an identity-and-access GET: base cost (users 2, groups/{id}/members 3,
 * transitiveMembers 5, subscribedSkus 3, appRoleAssignments 2, others 1), `$select` −1, `$expand` +1,
 * `$top` < 20 −1, never below 1.
 */
export function identityCost(url: string): number {
  const u = new URL(url, "https://graph.invalid");
  const path = u.pathname.replace(/^\/(v1\.0|beta)/, "");
  let cost = 1;
  if (/^\/users\/?$/.test(path) || /^\/users\/[^/]+$/.test(path)) cost = 2;
  else if (/\/transitiveMembers$/.test(path)) cost = 5;
  else if (/^\/groups\/[^/]+\/members$/.test(path)) cost = 3;
  else if (/^\/subscribedSkus$/.test(path)) cost = 3;
  else if (/\/appRoleAssign(ments|edTo)$/.test(path)) cost = 2;
  const q = u.searchParams;
  if (q.has("$select")) cost -= 1;
  if (q.has("$expand")) cost += 1;
  const top = Number(q.get("$top"));
  if (q.has("$top") && top < 20) cost -= 1;
  return Math.max(1, cost);
}
