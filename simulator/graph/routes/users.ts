/**
 * `GET /users`, `GET /users/$count`, `GET /users/{id | userPrincipalName}` (v1.0 and beta).
 *
 * Page sizes (MGD v1.0 user-list.md@008316a): default 100, `$top` 1..999; with signInActivity in
 * `$select` or `$filter` a page holds at most 120 users. The 120 figure is the one the cited v1.0 doc
 * states (later doc versions say 999, beta 500); we keep the smallest documented cap so clients that
 * follow `@odata.nextLink` instead of trusting `$top` are the ones that work.
 *
 * Throttling: every user GET costs 2 resource units ("GET users 2", graph-api-facts.md §8), the same
 * figure the collector's pacing (`graph/pace-budgets.ts`) assumes.
 */
import { isAuthorized } from "../../../core/permissions.ts";
import type { SimTenant, SimUser } from "../../model.ts";
import { compileUserFilter, type UserFilter } from "../odata/compile-user-filter.ts";
import { GraphQueryError } from "../odata/graph-query-error.ts";
import { nextLink, odataContext, readPageState } from "../odata/paging.ts";
import { parseFilter } from "../odata/parse-filter.ts";
import { assertQueryOptions, countNotSupported, isEventual, parseCount, parseSelect, parseTop, queryOption } from "../odata/query-options.ts";
import type { GraphRequest, GraphResponse, GraphRoute } from "../route.ts";
import { canonicalUserProperty, compileUserProjection, toUserJson } from "../user-json.ts";

/** Page size limits of `GET /users`. */
export const USERS_PAGE = { defaultSize: 100, max: 999, signInActivityCap: 120 } as const;

/**
 * Users examined per page at most: a selective filter over a huge tenant returns a short (even empty)
 * page with a nextLink rather than scanning everything at once, as Graph may.
 */
export const USERS_SCAN_BUDGET = 100_000;

const USER_TYPE = "microsoft.graph.user";

/** Refuses signInActivity without AuditLog.Read.All or without a premium (Entra ID P1/P2) tenant. */
export function assertSignInActivityAllowed(req: GraphRequest, tenant: SimTenant): void {
  if (!isAuthorized("users.signInActivity", req.claims.roles)) {
    throw new GraphQueryError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
  }
  if (!tenant.modes.premium) {
    throw new GraphQueryError(403, "Authentication_RequestFromNonPremiumTenantOrB2CTenant", "Neither tenant is B2C or tenant doesn't have premium license");
  }
}

function advancedRefused(op: string): GraphQueryError {
  return new GraphQueryError(
    400,
    "Request_UnsupportedQuery",
    `Operator '${op}' is not supported because the 'ConsistencyLevel:eventual' header is missing. Refer to https://aka.ms/graph-docs/advanced-queries for more information`,
  );
}

function readFilter(req: GraphRequest): UserFilter | null {
  const text = queryOption(req.query, "$filter");
  if (text === null || text.trim() === "") return null;
  return compileUserFilter(parseFilter(text));
}

function countMatches(tenant: SimTenant, filter: UserFilter | null): number {
  if (filter === null) return tenant.userCount;
  let n = 0;
  for (let i = 0; i < tenant.userCount; i++) if (filter.test(tenant.userAt(i))) n++;
  return n;
}

/**
 * `$expand=manager` or `$expand=manager($select=id,displayName)` on the users list: each user gets a
 * `manager` object (a user, projected by the inner `$select`), omitted when the user has none.
 * Other navigation properties are refused as Graph refuses unknown ones.
 */
function readManagerExpand(req: GraphRequest): ((user: SimUser, tenant: SimTenant) => Record<string, unknown> | undefined) | null {
  const text = queryOption(req.query, "$expand");
  if (text === null || text.trim() === "") return null;
  const m = /^manager(?:\(\$select=([A-Za-z0-9_,]+)\))?$/.exec(text.trim());
  if (!m) throw new GraphQueryError(400, "BadRequest", `Parsing OData Select and Expand failed: Could not find a property named '${text.split("(")[0]}' on type 'microsoft.graph.user'.`);
  const inner = m[1] ? m[1].split(",").map((p) => canonicalUserProperty(p) ?? p) : ["id", "displayName", "userPrincipalName", "mail"];
  return (user, tenant) => {
    if (!user.managerId) return undefined;
    const index = tenant.indexOf(user.managerId);
    if (index < 0) return undefined;
    return { "@odata.type": "#microsoft.graph.user", ...toUserJson(tenant.userAt(index), inner) };
  };
}

function listUsers(req: GraphRequest, tenant: SimTenant): GraphResponse {
  assertQueryOptions(req.query, ["$select", "$filter", "$top", "$count", "$skiptoken", "$expand"]);
  const expandManager = readManagerExpand(req);
  const select = parseSelect(req.query, canonicalUserProperty, USER_TYPE);
  const filter = readFilter(req);
  const count = parseCount(req.query);
  const eventual = isEventual(req);
  if (count && !eventual) throw countNotSupported();
  if (filter?.advanced && !(eventual && count)) throw advancedRefused(filter.advanced);
  const signIn = (select?.includes("signInActivity") ?? false) || (filter?.signInActivity ?? false);
  if (signIn) assertSignInActivityAllowed(req, tenant);
  const top = parseTop(req.query, { defaultSize: USERS_PAGE.defaultSize, max: USERS_PAGE.max, cap: signIn ? USERS_PAGE.signInActivityCap : undefined });

  const state = readPageState(req);
  let position = state?.p ?? 0;
  // The total travels in the page token so later pages do not rescan the tenant.
  const total = count ? (state?.c ?? countMatches(tenant, filter)) : null;
  const value: Record<string, unknown>[] = [];
  const project = compileUserProjection(select, { version: req.version });
  const scanEnd = Math.min(tenant.userCount, position + USERS_SCAN_BUDGET);
  while (position < scanEnd && value.length < top) {
    const user: SimUser = tenant.userAt(position);
    position++;
    if (filter !== null && !filter.test(user)) continue;
    const json = project(user);
    const manager = expandManager?.(user, tenant);
    value.push(manager ? { ...json, manager } : json);
  }
  const body: Record<string, unknown> = { "@odata.context": odataContext(req, "users", select) };
  if (total !== null) body["@odata.count"] = total;
  if (position < tenant.userCount) body["@odata.nextLink"] = nextLink(req, total === null ? { p: position } : { p: position, c: total });
  body.value = value;
  return { status: 200, json: body };
}

function countUsers(req: GraphRequest, tenant: SimTenant): GraphResponse {
  assertQueryOptions(req.query, ["$filter"]);
  if (!isEventual(req)) throw countNotSupported();
  const filter = readFilter(req);
  if (filter?.signInActivity) assertSignInActivityAllowed(req, tenant);
  return { status: 200, text: String(countMatches(tenant, filter)) };
}

function getUser(req: GraphRequest, tenant: SimTenant): GraphResponse {
  assertQueryOptions(req.query, ["$select"]);
  const select = parseSelect(req.query, canonicalUserProperty, USER_TYPE);
  const key = req.params.id ?? "";
  const index = tenant.indexOf(key);
  if (index < 0) {
    throw new GraphQueryError(404, "Request_ResourceNotFound", `Resource '${key}' does not exist or one of its queried reference-property objects are not present.`);
  }
  if (select?.includes("signInActivity")) assertSignInActivityAllowed(req, tenant);
  const json = toUserJson(tenant.userAt(index), select, { version: req.version });
  return { status: 200, json: { "@odata.context": odataContext(req, "users", select, true), ...json } };
}

export const USER_ROUTES: GraphRoute[] = [
  {
    method: "GET",
    pattern: "/users",
    versions: ["v1.0", "beta"],
    endpoint: "users.list",
    throttle: { kind: "identity", cost: 2 },
    handle: (req, ctx) => listUsers(req, ctx.tenant),
  },
  {
    method: "GET",
    pattern: "/users/$count",
    versions: ["v1.0", "beta"],
    endpoint: "users.list",
    throttle: { kind: "identity", cost: 2 },
    handle: (req, ctx) => countUsers(req, ctx.tenant),
  },
  {
    method: "GET",
    pattern: "/users/{id}",
    versions: ["v1.0", "beta"],
    endpoint: "users.get",
    throttle: { kind: "identity", cost: 2 },
    handle: (req, ctx) => getUser(req, ctx.tenant),
  },
];
