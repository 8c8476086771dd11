/**
 * Pure helpers for OData system query options as Graph handles them: which options a route accepts,
 * `$select`, `$top`, `$count` and the `ConsistencyLevel: eventual` requirement of advanced queries.
 * Each throws `GraphQueryError` with the status, code and message Graph uses.
 */
import type { GraphRequest } from "../route.ts";
import { GraphQueryError } from "./graph-query-error.ts";

/** System query options the simulator knows about. */
export const QUERY_OPTIONS = ["$select", "$filter", "$top", "$count", "$skiptoken", "$skip", "$orderby", "$expand", "$search", "$format"] as const;
export type QueryOption = (typeof QUERY_OPTIONS)[number];

/**
 * Refuses query options the route does not support. `$skip` gets Graph's own wording for directory
 * resources; other options get `Request_UnsupportedQuery`. Non-`$` parameters are ignored as Graph does.
 */
export function assertQueryOptions(query: URLSearchParams, allowed: readonly QueryOption[]): void {
  for (const key of new Set(query.keys())) {
    if (!key.startsWith("$")) continue;
    const lower = key.toLowerCase();
    if ((allowed as readonly string[]).includes(lower)) continue;
    if (lower === "$skip") throw new GraphQueryError(400, "Request_BadRequest", "'$skip' is not supported by the service.");
    if ((QUERY_OPTIONS as readonly string[]).includes(lower)) {
      throw new GraphQueryError(400, "Request_UnsupportedQuery", `Unsupported query option '${key}' for this resource.`);
    }
    throw new GraphQueryError(400, "BadRequest", `Query option '${key}' is not allowed. Make sure that the query option is supported and spelled correctly.`);
  }
}

/** A query option's value, matching the option name case-insensitively (Graph accepts `$TOP`). */
export function queryOption(query: URLSearchParams, name: QueryOption): string | null {
  for (const [k, v] of query) if (k.toLowerCase() === name) return v;
  return null;
}

/**
 * Parses `$select` against a resource's properties. Returns null when absent; canonical names in request
 * order otherwise. An unknown property answers 400 `BadRequest` as Graph does.
 * @param canonical maps a requested name to its canonical spelling, undefined when unknown
 * @param typeName e.g. `microsoft.graph.user`
 */
export function parseSelect(query: URLSearchParams, canonical: (name: string) => string | undefined, typeName: string): string[] | null {
  const raw = queryOption(query, "$select");
  if (raw === null) return null;
  const out: string[] = [];
  for (const part of raw.split(",")) {
    const name = part.trim();
    if (name === "") continue;
    const c = canonical(name);
    if (c === undefined) throw new GraphQueryError(400, "BadRequest", `Could not find a property named '${name}' on type '${typeName}'.`);
    if (!out.includes(c)) out.push(c);
  }
  if (out.length === 0) throw new GraphQueryError(400, "BadRequest", "Invalid $select clause: the select list is empty.");
  return out;
}

/**
 * The page size: `$top` when given (1..max, else 400 as Graph answers), otherwise `defaultSize`.
 * `cap` then bounds the result silently (Graph returns at most `cap` items per page, e.g. 120 with
 * signInActivity, without refusing a larger `$top`).
 */
export function parseTop(query: URLSearchParams, limits: { defaultSize: number; max: number; cap?: number }): number {
  const raw = queryOption(query, "$top");
  let size = limits.defaultSize;
  if (raw !== null) {
    const n = /^\s*\d+\s*$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < 1 || n > limits.max) {
      throw new GraphQueryError(400, "Request_BadRequest", `Invalid page size specified: '${raw}'. Must be between 1 and ${limits.max} inclusive.`);
    }
    size = n;
  }
  return limits.cap === undefined ? size : Math.min(size, limits.cap);
}

/** True when `$count=true` was asked for; 400 for values other than true/false. */
export function parseCount(query: URLSearchParams): boolean {
  const raw = queryOption(query, "$count");
  if (raw === null) return false;
  const lower = raw.trim().toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  throw new GraphQueryError(400, "BadRequest", `Invalid value '${raw}' for $count query option found. The $count query option requires a Boolean value.`);
}

/** True when the request carries `ConsistencyLevel: eventual`. */
export function isEventual(req: Pick<GraphRequest, "headers">): boolean {
  return (req.headers["consistencylevel"] ?? "").trim().toLowerCase() === "eventual";
}

/** `$count` on directory objects needs `ConsistencyLevel: eventual`; Graph answers this otherwise. */
export function countNotSupported(): GraphQueryError {
  return new GraphQueryError(400, "Request_BadRequest", "$count is not currently supported.");
}
