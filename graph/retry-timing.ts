/**
 * Retry timing, pure: how long to wait after a throttled or failed Graph response.
 * Graph's Retry-After may be fractional seconds ("2.128"); an HTTP-date is accepted too.
 */

/** Milliseconds to wait per a Retry-After header value, or undefined when absent or unparsable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  // IMF-fixdate, e.g. "Thu, 26 Nov 2026 10:00:05 GMT" (RFC 9110 §5.6.7).
  if (!/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/** Options of the capped exponential backoff. */
export interface BackoffOptions {
  /** First delay in ms. Default 500. */
  baseMs?: number;
  /** Upper bound in ms. Default 30,000. */
  capMs?: number;
}

/**
 * Capped exponential backoff with full jitter (AWS architecture blog's "full jitter"): a uniform
 * delay in [0, min(cap, base · 2^attempt)]. `random` is injected (a number in [0,1)).
 */
export function backoffDelay(attempt: number, random: number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 500;
  const cap = options.capMs ?? 30_000;
  const ceiling = Math.min(cap, base * 2 ** Math.max(0, attempt));
  return Math.floor(random * ceiling);
}

/** Statuses worth retrying: throttling and transient server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 503 || status === 504 || status === 502;
}
