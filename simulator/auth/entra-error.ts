/**
 * Error answers of the simulated Entra token endpoint, in the body shape the Microsoft identity
 * platform uses (../shared/reference/graph-examples/error-token-invalid_scope.json and
 * graph-api-facts.md §11): `error`, `error_description` ("AADSTSnnnnn: ...\r\nTrace ID: ...\r\n
 * Correlation ID: ...\r\nTimestamp: ..."), `error_codes`, `timestamp`, `trace_id`, `correlation_id`,
 * `error_uri`.
 */
import { randomUUID } from "node:crypto";

/** OAuth 2.0 `error` values the simulator answers with (RFC 6749 §5.2). */
export const OAUTH_ERRORS = ["invalid_request", "invalid_client", "invalid_grant", "unauthorized_client", "unsupported_grant_type", "invalid_scope"] as const;
export type OAuthError = (typeof OAUTH_ERRORS)[number];

/** A token endpoint refusal before it is serialized. */
export interface EntraRefusal {
  /** HTTP status: 400 for request errors, 401 for failed client authentication. */
  status: 400 | 401;
  error: OAuthError;
  /** The AADSTS number, e.g. 700027. */
  code: number;
  /** Text after "AADSTSnnnnn: ". Never contains assertion or token material. */
  message: string;
}

/** The serialized error answer. */
export interface EntraErrorBody {
  error: OAuthError;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  error_uri: string;
}

/** Entra's timestamp format: `2016-01-09 02:02:12Z`. */
export function entraTimestamp(now: Date): string {
  return `${now.toISOString().slice(0, 10)} ${now.toISOString().slice(11, 19)}Z`;
}

/**
 * Serializes a refusal. `correlationId` is the caller's `client-request-id` when it sent one (Entra
 * echoes it); `authorityHost` is the origin the `error_uri` points at.
 */
export function entraErrorBody(refusal: EntraRefusal, options: { now: Date; authorityHost: string; correlationId?: string; traceId?: string }): EntraErrorBody {
  const traceId = options.traceId ?? randomUUID();
  const correlationId = options.correlationId ?? randomUUID();
  const timestamp = entraTimestamp(options.now);
  return {
    error: refusal.error,
    error_description: `AADSTS${refusal.code}: ${refusal.message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [refusal.code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `${options.authorityHost}/error?code=${refusal.code}`,
  };
}
