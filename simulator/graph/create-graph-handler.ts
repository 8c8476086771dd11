/**
 * The simulated Microsoft Graph request pipeline: URL → version → route → bearer authentication →
 * authorization (`ENDPOINT_PERMISSIONS`) → throttling → route handler → Graph-shaped response with
 * `request-id`, `client-request-id` and `Date`. Also serves `POST /$batch` (items run through the same
 * pipeline) and the pre-authenticated `GET /_download/{token}` URLs routes hand out. A seeded share of
 * requests gets a fault (503, 504, dropped connection, slow response) before anything else happens.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { isAuthorized } from "../../core/permissions.ts";
import type { AccessClaims, AccessTokenVerifier, SimFaults, SimHandler, SimStats } from "../contract.ts";
import type { SimTenant } from "../model.ts";
import { createFaultInjector, type FaultDecision } from "./faults/create-fault-injector.ts";
import { GraphQueryError } from "./odata/graph-query-error.ts";
import { type GraphContext, type GraphRequest, type GraphResponse, type GraphRoute, type GraphVersion, graphError } from "./route.ts";
import { ALL_ROUTES } from "./routes/index.ts";
import { parseBatch, runBatch, type BatchItemRequest } from "./routes/batch.ts";
import { createGraphStats, type GraphStats } from "./stats.ts";
import { createThrottle, type Throttle } from "./throttle/create-throttle.ts";

/** `Content-Type` of Graph JSON responses. */
export const GRAPH_JSON_CONTENT_TYPE = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

/** How long a pre-authenticated download URL stays valid (real time; not scaled). */
export const DOWNLOAD_TTL_MS = 5 * 60_000;

const VERSIONS: readonly GraphVersion[] = ["v1.0", "beta"];

export interface GraphHandlerOptions {
  tenant: SimTenant;
  tokens: AccessTokenVerifier;
  /** Multiplies throttling windows, Retry-After and slow-fault delays. 1 = real Graph. */
  timeScale: number;
  faults: SimFaults;
  /** The server's origin, e.g. `https://127.0.0.1:5555` (known only once it listens). */
  baseUrl: () => string;
  /** Milliseconds clock for throttling, download expiry and the tenant clock. Default `Date.now`. */
  clock?: () => number;
  /** The routes served. Default `ALL_ROUTES`. */
  routes?: readonly GraphRoute[];
}

/** A request in the pipeline, before a route is chosen (top-level or a `$batch` item). */
interface PipelineRequest {
  method: string;
  version: GraphVersion;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  body: unknown;
  requestId: string;
}

interface PipelineResult {
  response: GraphResponse;
  /** Stats key: the route's endpoint, or a path class. */
  key: string;
}

interface CompiledRoute {
  route: GraphRoute;
  segments: { regex: RegExp; names: string[] }[];
}

function compileRoute(route: GraphRoute): CompiledRoute {
  const segments = route.pattern
    .split("/")
    .filter((s) => s !== "")
    .map((seg) => {
      const names: string[] = [];
      let source = "";
      for (const part of seg.split(/(\{[A-Za-z_][A-Za-z0-9_]*\})/)) {
        if (part === "") continue;
        const m = /^\{(.+)\}$/.exec(part);
        if (m) {
          names.push(m[1]!);
          source += "(.+?)";
        } else source += part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      }
      // Graph matches path segments case-insensitively (`/Users` works).
      return { regex: new RegExp(`^${source}$`, "i"), names };
    });
  return { route, segments };
}

function matchSegments(c: CompiledRoute, segs: readonly string[], upTo = segs.length): Record<string, string> | null {
  if (upTo > c.segments.length || (upTo === segs.length && c.segments.length !== segs.length)) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < upTo; i++) {
    const m = c.segments[i]!.regex.exec(segs[i]!);
    if (!m) return null;
    c.segments[i]!.names.forEach((n, k) => (params[n] = m[k + 1]!));
  }
  return params;
}

function decodeSegments(path: string): string[] | null {
  try {
    return path
      .split("/")
      .filter((s) => s !== "")
      .map((s) => decodeURIComponent(s));
  } catch {
    return null;
  }
}

function headerRecord(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) out[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
  return out;
}

function tokenExpired(bearer: string, nowMs: number): boolean {
  // Only to choose Graph's message; the verifier already refused the token.
  try {
    const payload = JSON.parse(Buffer.from(bearer.split(".")[1] ?? "", "base64url").toString("utf8")) as { exp?: unknown };
    return typeof payload.exp === "number" && payload.exp * 1000 <= nowMs;
  } catch {
    return false;
  }
}

/** The 429 body exactly as graph-examples/error-429-throttled.json. */
function throttledBody(requestId: string, now: Date): unknown {
  return {
    error: {
      code: "TooManyRequests",
      innerError: { code: "429", date: now.toISOString().slice(0, 19), message: "Please retry after", "request-id": requestId, status: "429" },
      message: "Please retry again later.",
    },
  };
}

function parseJsonBody(raw: Buffer, headers: Record<string, string | undefined>): { ok: true; body: unknown } | { ok: false } {
  if (raw.length === 0) return { ok: true, body: undefined };
  const type = (headers["content-type"] ?? "").toLowerCase();
  if (type !== "" && !type.includes("json")) return { ok: true, body: raw.toString("utf8") };
  try {
    return { ok: true, body: JSON.parse(raw.toString("utf8")) };
  } catch {
    return { ok: false };
  }
}

/** Creates the Graph handler and its counters. */
export function createGraphHandler(options: GraphHandlerOptions): { handle: SimHandler; stats: SimStats } {
  const { tenant, tokens } = options;
  const clock = options.clock ?? Date.now;
  const startedAt = clock();
  const routes = (options.routes ?? ALL_ROUTES).map(compileRoute);
  const stats: GraphStats = createGraphStats();
  const throttle: Throttle = createThrottle({ timeScale: options.timeScale, clock, userCount: tenant.userCount });
  const faults = createFaultInjector(options.faults, tenant.seed, options.timeScale);
  const downloads = new Map<string, { body: Buffer; contentType: string; expiresAt: number }>();

  const tenantNow = (): Date => new Date(tenant.now.getTime() + Math.max(0, clock() - startedAt));

  const ctx: GraphContext = {
    tenant,
    now: tenantNow,
    putDownload(body, contentType) {
      const now = clock();
      for (const [k, d] of downloads) if (d.expiresAt <= now) downloads.delete(k);
      const token = randomBytes(24).toString("base64url");
      downloads.set(token, { body, contentType, expiresAt: now + DOWNLOAD_TTL_MS });
      return `${options.baseUrl()}/_download/${token}`;
    },
  };

  const error = (status: number, code: string, message: string, p: Pick<PipelineRequest, "requestId" | "headers">): GraphResponse =>
    graphError(status, code, message, p, tenantNow());

  /** Runs one request (top-level or batch item) through route matching, auth, throttling and the route. */
  const execute = async (p: PipelineRequest): Promise<PipelineResult> => {
    const segs = decodeSegments(p.path);
    if (segs === null) return { key: "unmatched", response: error(400, "BadRequest", `Invalid URI: '${p.path}'.`, p) };
    const byPattern = routes.filter((c) => c.route.versions.includes(p.version) && matchSegments(c, segs) !== null);
    if (byPattern.length === 0) {
      // Name the first segment no route knows, as Graph does.
      let k = segs.length;
      while (k > 0 && !routes.some((c) => c.route.versions.includes(p.version) && matchSegments(c, segs, k) !== null)) k--;
      const segment = segs[Math.min(k, segs.length - 1)] ?? "";
      return { key: "unmatched", response: error(400, "BadRequest", `Resource not found for the segment '${segment}'.`, p) };
    }
    const compiled = byPattern.find((c) => c.route.method === p.method);
    if (compiled === undefined) {
      return { key: "unmatched", response: error(405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.", p) };
    }
    const route = compiled.route;
    const key = route.endpoint;

    const auth = p.headers["authorization"] ?? "";
    const bearer = /^Bearer\s+(.+)$/i.exec(auth.trim())?.[1]?.trim() ?? "";
    if (bearer === "") return { key, response: withAuthenticate(error(401, "InvalidAuthenticationToken", "Access token is empty.", p)) };
    const claims: AccessClaims | null = tokens.verify(bearer);
    if (claims === null || claims.tid !== tenant.tenantId) {
      const message = claims === null && tokenExpired(bearer, Date.now()) ? "Lifetime validation failed, the token is expired." : "Access token validation failure. Invalid audience.";
      return { key, response: withAuthenticate(error(401, "InvalidAuthenticationToken", message, p)) };
    }
    if (!isAuthorized(route.endpoint, claims.roles)) {
      return { key, response: error(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.", p) };
    }

    const req: GraphRequest = {
      method: p.method,
      version: p.version,
      path: p.path,
      params: matchSegments(compiled, segs)!,
      query: p.query,
      headers: p.headers,
      body: p.body,
      claims,
      requestId: p.requestId,
      baseUrl: options.baseUrl(),
    };
    const cls = typeof route.throttle === "function" ? route.throttle(req) : route.throttle;
    const verdict = throttle.admit(claims.appid, claims.tid, cls, p.query);
    if (!verdict.allowed) {
      stats.countThrottled(key);
      return { key, response: { status: 429, headers: verdict.headers, json: throttledBody(p.requestId, tenantNow()) } };
    }
    let response: GraphResponse;
    try {
      response = await route.handle(req, ctx);
    } catch (e) {
      if (!(e instanceof GraphQueryError)) throw e;
      response = error(e.status, e.code, e.message, p);
    }
    return { key, response: { ...response, headers: { ...verdict.headers, ...response.headers } } };
  };

  const runBatchRequest = async (p: PipelineRequest): Promise<GraphResponse> => {
    let items: BatchItemRequest[];
    try {
      items = parseBatch(p.body);
    } catch (e) {
      if (!(e instanceof GraphQueryError)) throw e;
      return error(e.status, e.code, e.message, p);
    }
    const result = await runBatch(items, async (item) => {
      const url = new URL(item.url.startsWith("/") ? item.url : `/${item.url}`, "https://graph.invalid");
      const itemRequestId = randomUUID();
      const headers: Record<string, string | undefined> = { ...item.headers, authorization: p.headers["authorization"] };
      const inner: PipelineRequest = { method: item.method, version: p.version, path: url.pathname, query: url.searchParams, headers, body: item.body, requestId: itemRequestId };
      let out: PipelineResult;
      if (item.body !== undefined && item.headers["content-type"] === undefined) {
        out = { key: "unmatched", response: error(400, "BadRequest", "Content-Type header must be specified for a request with a body.", inner) };
      } else out = await execute(inner);
      stats.countRequest(out.key);
      const r = out.response;
      const itemHeaders: Record<string, string> = { ...r.headers };
      let body: unknown;
      if (r.json !== undefined) {
        itemHeaders["Content-Type"] = GRAPH_JSON_CONTENT_TYPE;
        body = r.json;
      } else if (r.text !== undefined) {
        itemHeaders["Content-Type"] = "text/plain";
        body = r.text;
      } else if (r.bytes !== undefined) {
        itemHeaders["Content-Type"] ??= "application/octet-stream";
        body = r.bytes.toString("base64");
      }
      return body === undefined ? { status: r.status, headers: itemHeaders } : { status: r.status, headers: itemHeaders, body };
    });
    return { status: 200, json: result };
  };

  const send = (res: ServerResponse, p: Pick<PipelineRequest, "requestId" | "headers">, key: string, r: GraphResponse): void => {
    let payload: Buffer;
    let contentType: string | undefined;
    if (r.json !== undefined) {
      payload = Buffer.from(JSON.stringify(r.json), "utf8");
      contentType = GRAPH_JSON_CONTENT_TYPE;
    } else if (r.text !== undefined) {
      payload = Buffer.from(r.text, "utf8");
      contentType = "text/plain";
    } else if (r.bytes !== undefined) {
      payload = r.bytes;
      contentType = "application/octet-stream";
    } else payload = Buffer.alloc(0);
    const headers: Record<string, string> = {
      "request-id": p.requestId,
      "client-request-id": p.headers["client-request-id"] ?? p.requestId,
      Date: new Date().toUTCString(),
      "Cache-Control": "no-cache",
      "OData-Version": "4.0",
      "x-ms-ags-diagnostic": JSON.stringify({ ServerInfo: { DataCenter: "Simulated", Slice: "E", Ring: "5", ScaleUnit: "000", RoleInstance: "SEATWISE-SIM" } }),
    };
    if (contentType !== undefined) headers["Content-Type"] = contentType;
    // A route's own headers win (e.g. a download's content type, a report's Location).
    for (const [k, v] of Object.entries(r.headers ?? {})) {
      for (const existing of Object.keys(headers)) if (existing.toLowerCase() === k.toLowerCase()) delete headers[existing];
      headers[k] = v;
    }
    headers["Content-Length"] = String(payload.length);
    stats.countBytes(key, payload.length);
    res.writeHead(r.status, headers);
    res.end(payload);
  };

  const serveDownload = (req: IncomingMessage, res: ServerResponse, p: Pick<PipelineRequest, "requestId" | "headers">, token: string): void => {
    stats.countRequest("download");
    const d = downloads.get(token);
    if (req.method !== "GET" || d === undefined || d.expiresAt <= clock()) {
      if (d !== undefined && d.expiresAt <= clock()) downloads.delete(token);
      return send(res, p, "download", error(404, "itemNotFound", "The download link does not exist or has expired.", p));
    }
    send(res, p, "download", { status: 200, headers: { "Content-Type": d.contentType }, bytes: d.body });
  };

  const applyFault = async (fault: FaultDecision, res: ServerResponse, p: PipelineRequest, key: string): Promise<boolean> => {
    switch (fault.kind) {
      case "none":
        return false;
      case "slow":
        stats.countFault();
        await new Promise((r) => setTimeout(r, fault.delayMs));
        return false;
      case "drop":
        stats.countFault();
        res.socket?.destroy();
        return true;
      case "503": {
        stats.countFault();
        const r = error(503, "serviceNotAvailable", "The service is temporarily unavailable. Please retry after a delay.", p);
        send(res, p, key, fault.retryAfterSeconds === null ? r : { ...r, headers: { "Retry-After": String(fault.retryAfterSeconds) } });
        return true;
      }
      case "504":
        stats.countFault();
        send(res, p, key, error(504, "UnknownError", "The gateway timed out waiting for the service.", p));
        return true;
    }
  };

  const handle: SimHandler = async (req, res, rawBody) => {
    const headers = headerRecord(req);
    const requestId = randomUUID();
    const url = new URL(req.url ?? "/", "https://graph.invalid");
    const method = (req.method ?? "GET").toUpperCase();
    stats.countHttpRequest();
    const base = { requestId, headers };

    const download = /^\/_download\/([^/]+)$/.exec(url.pathname);
    if (download) return serveDownload(req, res, base, download[1]!);

    const m = /^\/([^/]+)(\/.*)?$/.exec(url.pathname);
    const version = m?.[1];
    const path = m?.[2] ?? "/";
    const isBatch = /^\/\$batch$/i.test(path);
    const key = isBatch ? "$batch" : "unmatched";
    if (isBatch) stats.countRequest(key);

    if (await applyFault(faults.next(), res, { method, version: "v1.0", path, query: url.searchParams, headers, body: undefined, requestId }, key)) return;

    if (version === undefined || !(VERSIONS as readonly string[]).includes(version)) {
      stats.countRequest("unmatched");
      return send(res, base, "unmatched", error(400, "BadRequest", `Invalid version: ${version ?? ""}`, base));
    }
    const parsed = parseJsonBody(rawBody, headers);
    if (!parsed.ok) {
      if (!isBatch) stats.countRequest("unmatched");
      return send(res, base, key, error(400, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.", base));
    }
    const p: PipelineRequest = { method, version: version as GraphVersion, path, query: url.searchParams, headers, body: parsed.body, requestId };
    if (isBatch) {
      if (method !== "POST") return send(res, base, key, error(405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.", base));
      return send(res, base, key, await runBatchRequest(p));
    }
    const out = await execute(p);
    stats.countRequest(out.key);
    send(res, base, out.key, out.response);
  };

  return { handle, stats };
}

/** 401s carry Graph's `WWW-Authenticate` challenge. */
function withAuthenticate(r: GraphResponse): GraphResponse {
  return {
    ...r,
    headers: { ...r.headers, "WWW-Authenticate": 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"' },
  };
}
