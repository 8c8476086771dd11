/**
 * The contract of one simulated Graph route. Route modules are pure functions of the request and
 * the tenant; the Graph handler (`create-graph-handler.ts`) does authentication, authorization,
 * throttling, faults, request ids and serialization around them.
 */
import type { GraphEndpoint } from "../../core/permissions.ts";
import type { AccessClaims } from "../contract.ts";
import type { SimTenant } from "../model.ts";

export type GraphVersion = "v1.0" | "beta";

export interface GraphRequest {
  method: string;
  version: GraphVersion;
  /** Path after the version, without query, e.g. `/users/42/assignLicense`. */
  path: string;
  /** Values of `{name}` placeholders of the route pattern, URL-decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  /** Parsed JSON body, or undefined. */
  body: unknown;
  claims: AccessClaims;
  /** The `request-id` this response will carry. */
  requestId: string;
  /** e.g. https://127.0.0.1:5555 (used to build `@odata.nextLink` and `@odata.context`). */
  baseUrl: string;
}

export interface GraphResponse {
  status: number;
  headers?: Record<string, string>;
  /** Serialized as application/json (odata.metadata=minimal). */
  json?: unknown;
  /** Sent as text/plain (e.g. `/users/$count`). */
  text?: string;
  /** Sent as application/octet-stream. */
  bytes?: Buffer;
}

/** How a route is throttled (../shared/reference/graph-api-facts.md §8). */
export type ThrottleClass =
  /** Identity and access: token bucket of resource units per app+tenant; `cost` is the base cost. */
  | { kind: "identity"; cost: number; write?: boolean }
  /** Microsoft 365 reports: per report API, CSV 14 / JSON 100 requests per 10 minutes per app+tenant. */
  | { kind: "reports"; report: string }
  /** Identity and access reports (auditLogs, authenticationMethods reports): 5 requests per 10 s per app+tenant. */
  | { kind: "identityReports" }
  /** Not throttled (e.g. the pre-authenticated report download). */
  | { kind: "none" };

export interface GraphContext {
  tenant: SimTenant;
  /** The tenant's clock. */
  now(): Date;
  /** Stores a pre-authenticated download (report CSV) and returns its absolute URL (valid a few minutes). */
  putDownload(body: Buffer, contentType: string): string;
}

export interface GraphRoute {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** Path pattern after the version with `{name}` placeholders, e.g. `/users/{id}/assignLicense`. */
  pattern: string;
  versions: readonly GraphVersion[];
  /** The endpoint key whose documented permissions authorize this route. */
  endpoint: GraphEndpoint;
  throttle: ThrottleClass | ((req: GraphRequest) => ThrottleClass);
  handle(req: GraphRequest, ctx: GraphContext): GraphResponse | Promise<GraphResponse>;
}

/** Builds a Graph error body exactly as Graph sends it: `{ error: { code, message, innerError } }`. */
export function graphError(status: number, code: string, message: string, req: Pick<GraphRequest, "requestId" | "headers">, now: Date): GraphResponse {
  const date = now.toISOString().slice(0, 19);
  const clientRequestId = req.headers["client-request-id"] ?? req.requestId;
  return {
    status,
    json: { error: { code, message, innerError: { date, "request-id": req.requestId, "client-request-id": clientRequestId } } },
  };
}
