/**
 * Small OData helpers shared by the simulated report, sign-in, directory and license routes:
 * `$top`, `$skiptoken`, `$select`, `$filter` clause splitting, `@odata.nextLink`, and the Graph error
 * bodies these routes answer (../shared/reference/graph-api-facts.md §2–§8).
 */
import { graphError } from "../../route.ts";
import type { GraphContext, GraphRequest, GraphResponse } from "../../route.ts";

/** Directory page sizes: default 100, maximum 999. */
export const DIRECTORY_PAGE_SIZE = 100;
export const DIRECTORY_MAX_PAGE_SIZE = 999;

/** A query problem the route answers with a Graph error instead of data. */
export interface QueryProblem {
  status: number;
  code: string;
  message: string;
}

/** Turns a problem into Graph's error body, stamped with the request id and the tenant clock. */
export function problemResponse(p: QueryProblem, req: GraphRequest, ctx: GraphContext): GraphResponse {
  return graphError(p.status, p.code, p.message, req, ctx.now());
}

/**
 * The message Graph sends with 403 `Authentication_RequestFromNonPremiumTenantOrB2CTenant`. This is the
 * live variant recorded by several third-party code bases; Microsoft's docs quote "Neither tenant is B2C
 * or tenant doesn't have premium license". Clients must match on the code (graph-api-facts.md §3).
 */
export const NON_PREMIUM_MESSAGE = "Tenant is not a B2C tenant and doesn't have premium license";

/** 403 for premium-only data in a tenant without Entra ID P1/P2. */
export function nonPremium(req: GraphRequest, ctx: GraphContext): GraphResponse {
  return graphError(403, "Authentication_RequestFromNonPremiumTenantOrB2CTenant", NON_PREMIUM_MESSAGE, req, ctx.now());
}

/** 404 as directory routes answer for an unknown object id. */
export function resourceNotFound(id: string, req: GraphRequest, ctx: GraphContext): GraphResponse {
  return graphError(404, "Request_ResourceNotFound", `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`, req, ctx.now());
}

/**
 * Reads `$top` (also accepted without the `$`, as Graph does). Returns the default when absent,
 * `max` when larger than `max` and `clamp` is set, or a problem for a non-positive or non-numeric
 * value, or one above `max` when `clamp` is false (directory objects answer 400 there).
 */
export function readTop(query: URLSearchParams, dflt: number, max: number, clamp: boolean): number | QueryProblem {
  const raw = query.get("$top") ?? query.get("top");
  if (raw === null) return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) return { status: 400, code: "BadRequest", message: `Invalid value '${raw}' for query parameter $top.` };
  if (n > max) {
    if (clamp) return max;
    // Directory objects' message for an oversized page (seen in public scripts; code unverified).
    return { status: 400, code: "Request_UnsupportedQuery", message: `Invalid page size specified: '${n}'. Must be between 1 and ${max} inclusive.` };
  }
  return n;
}

/** True when the value is a problem rather than data. */
export function isProblem(v: unknown): v is QueryProblem {
  return typeof v === "object" && v !== null && "status" in v && "code" in v && "message" in v;
}

/** Encodes a resume position as an opaque `$skiptoken` (base64url of a small JSON value). */
export function encodeSkipToken(position: unknown): string {
  return Buffer.from(JSON.stringify(position), "utf8").toString("base64url");
}

/** Decodes a `$skiptoken`; undefined when absent, a problem when it is not one we issued. */
export function readSkipToken<T>(query: URLSearchParams, valid: (v: unknown) => v is T): T | undefined | QueryProblem {
  const raw = query.get("$skiptoken") ?? query.get("$skipToken");
  if (raw === null) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
    if (valid(v)) return v;
  } catch {
    // fall through: an unreadable token is answered like any other invalid token
  }
  return { status: 400, code: "BadRequest", message: `Invalid $skiptoken '${raw}'.` };
}

/**
 * The `@odata.nextLink` for the next page: the same path and query, with `$skiptoken` replaced.
 * Graph keeps the caller's query options in the link so following it needs no other state.
 */
export function nextLink(req: GraphRequest, skipToken: string): string {
  const q = new URLSearchParams(req.query);
  q.delete("$skiptoken");
  q.delete("$skipToken");
  q.set("$skiptoken", skipToken);
  // URLSearchParams encodes `$` and `/` as %24 and %2F; Graph's links keep them literal
  // (`...?$format=application/json&$skiptoken=...`).
  const query = q.toString().replace(/%24/g, "$").replace(/%2F/gi, "/");
  return `${req.baseUrl}/${req.version}${req.path}?${query}`;
}

/** `@odata.context` for a path under `$metadata#`. */
export function odataContext(req: GraphRequest, fragment: string): string {
  return `${req.baseUrl}/${req.version}/$metadata#${fragment}`;
}

/** The `$select` names (trimmed, as given), or null when absent. */
export function readSelect(query: URLSearchParams): string[] | null {
  const raw = query.get("$select") ?? query.get("select");
  if (raw === null || raw.trim() === "") return null;
  return raw.split(",").map((s) => s.trim()).filter((s) => s !== "");
}

/**
 * Projects an object onto `$select`: only the selected properties (matched case-insensitively, in the
 * object's own order) plus any `@odata.*` annotations. Null select returns the object unchanged.
 */
export function project(obj: Record<string, unknown>, select: readonly string[] | null): Record<string, unknown> {
  if (select === null) return obj;
  const wanted = new Set(select.map((s) => s.toLowerCase()));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (k.startsWith("@odata.") || wanted.has(k.toLowerCase())) out[k] = v;
  return out;
}

/**
 * Splits a `$filter` on top-level ` and ` (case-insensitive), respecting quoted literals and
 * parentheses, so `a eq 'x and y' and b eq 1` gives two clauses.
 */
export function splitAnd(filter: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < filter.length; i++) {
    const c = filter[i];
    if (c === "'") quoted = !quoted;
    else if (!quoted && c === "(") depth++;
    else if (!quoted && c === ")") depth--;
    else if (!quoted && depth === 0 && /\s/.test(c!) && /^\s+and\s+/i.test(filter.slice(i))) {
      out.push(filter.slice(start, i).trim());
      const m = /^\s+and\s+/i.exec(filter.slice(i))!;
      i += m[0].length - 1;
      start = i + 1;
    }
  }
  out.push(filter.slice(start).trim());
  return out.filter((s) => s !== "");
}

/** Unquotes an OData string literal (`'let''s'` → `let's`); undefined when not a quoted literal. */
export function unquote(literal: string): string | undefined {
  const m = /^'((?:[^']|'')*)'$/.exec(literal.trim());
  return m === null ? undefined : m[1]!.replace(/''/g, "'");
}

/** 400 for a `$filter` the route does not support, in Graph's wording for unsupported queries. */
export function unsupportedFilter(clause: string): QueryProblem {
  return { status: 400, code: "BadRequest", message: `Invalid filter clause: '${clause}' is not supported.` };
}

function isOffset(v: unknown): v is { o: number } {
  return typeof v === "object" && v !== null && Number.isInteger((v as { o?: unknown }).o) && (v as { o: number }).o >= 0;
}

/**
 * One page of `count` items from the `$skiptoken` offset: `$top` (default 100, max 999),
 * `@odata.nextLink`. `itemAt` receives the `$select` list (null when absent) and returns the item
 * already projected. Shared by the directory collection routes.
 */
export function directoryPage(
  req: GraphRequest,
  ctx: GraphContext,
  contextFragment: string,
  count: number,
  itemAt: (i: number, select: readonly string[] | null) => Record<string, unknown>,
): GraphResponse {
  const top = readTop(req.query, DIRECTORY_PAGE_SIZE, DIRECTORY_MAX_PAGE_SIZE, false);
  if (isProblem(top)) return problemResponse(top, req, ctx);
  const cursor = readSkipToken(req.query, isOffset);
  if (isProblem(cursor)) return problemResponse(cursor, req, ctx);
  const select = readSelect(req.query);
  const start = cursor?.o ?? 0;
  const end = Math.min(count, start + top);
  const value: Record<string, unknown>[] = [];
  for (let i = start; i < end; i++) value.push(itemAt(i, select));
  const body: Record<string, unknown> = { "@odata.context": odataContext(req, contextFragment) };
  if (end < count) body["@odata.nextLink"] = nextLink(req, encodeSkipToken({ o: end }));
  body["value"] = value;
  return { status: 200, json: body };
}
