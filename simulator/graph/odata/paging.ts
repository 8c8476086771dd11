/**
 * Stateless server-driven paging: the position travels in an opaque `$skiptoken` (base64url of a small
 * JSON record plus a check value), and `@odata.nextLink` repeats the original query with the new token,
 * so any simulator instance over the same tenant can serve the next page.
 */
import { createHash } from "node:crypto";
import type { GraphRequest } from "../route.ts";
import { GraphQueryError } from "./graph-query-error.ts";
import { queryOption } from "./query-options.ts";

/** What a page token remembers: numbers only (positions, counts). */
export type PageState = Record<string, number>;

function check(body: string): string {
  return createHash("sha256").update("seatwise-page|").update(body).digest("base64url").slice(0, 8);
}

/** Encodes page state as an opaque token. */
export function encodeSkipToken(state: PageState): string {
  const body = JSON.stringify(state);
  return Buffer.from(`${check(body)}.${body}`, "utf8").toString("base64url");
}

function expired(): GraphQueryError {
  return new GraphQueryError(400, "Directory_ExpiredPageToken", "The specified page token value has expired and can no longer be included in your request.");
}

/** Decodes a token made by `encodeSkipToken`; a tampered or foreign token answers 400 `Directory_ExpiredPageToken`. */
export function decodeSkipToken(token: string): PageState {
  const text = Buffer.from(token, "base64url").toString("utf8");
  const dot = text.indexOf(".");
  if (dot < 0) throw expired();
  const body = text.slice(dot + 1);
  if (check(body) !== text.slice(0, dot)) throw expired();
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw expired();
  }
  if (typeof parsed !== "object" || parsed === null) throw expired();
  const out: PageState = {};
  for (const [k, v] of Object.entries(parsed)) {
    if (typeof v !== "number" || !Number.isFinite(v)) throw expired();
    out[k] = v;
  }
  return out;
}

/** The request's page state, or null on a first page (no `$skiptoken`). */
export function readPageState(req: Pick<GraphRequest, "query">): PageState | null {
  const token = queryOption(req.query, "$skiptoken");
  return token === null ? null : decodeSkipToken(token);
}

/** Encodes a query string the way Graph writes its links: `$` kept literal, values percent-encoded. */
function encodeQuery(pairs: [string, string][]): string {
  return pairs.map(([k, v]) => `${encodeURIComponent(k).replace(/%24/g, "$")}=${encodeURIComponent(v).replace(/%24/g, "$")}`).join("&");
}

/** The absolute URL of this request's resource (no query), e.g. `https://127.0.0.1:5555/v1.0/users`. */
export function resourceUrl(req: Pick<GraphRequest, "baseUrl" | "version" | "path">): string {
  return `${req.baseUrl}/${req.version}${req.path}`;
}

/** `@odata.nextLink`: the same request with `$skiptoken` replaced by a token for `state`. */
export function nextLink(req: Pick<GraphRequest, "baseUrl" | "version" | "path" | "query">, state: PageState): string {
  const pairs: [string, string][] = [];
  for (const [k, v] of req.query) if (k.toLowerCase() !== "$skiptoken") pairs.push([k, v]);
  pairs.push(["$skiptoken", encodeSkipToken(state)]);
  return `${resourceUrl(req)}?${encodeQuery(pairs)}`;
}

/** `@odata.context` for a collection or entity: `{base}/{version}/$metadata#{entitySet}[(select)][/$entity]`. */
export function odataContext(req: Pick<GraphRequest, "baseUrl" | "version">, entitySet: string, select: readonly string[] | null, entity = false): string {
  const sel = select === null ? "" : `(${select.join(",")})`;
  return `${req.baseUrl}/${req.version}/$metadata#${entitySet}${sel}${entity ? "/$entity" : ""}`;
}
