/**
 * The Microsoft Graph client of the collector and the reclamation executor: `$select`-driven
 * requests, paging through `@odata.nextLink`, client-side pacing per documented throttling scope,
 * `Retry-After` honoured (fractional too), capped exponential backoff with jitter for 502/503/504
 * and dropped connections, bounded concurrency, and errors that keep status, Graph error code,
 * request id, method and URL. Tokens come from the injected provider and never reach a message.
 */
import { GraphError } from "../core/errors.ts";
import type { TokenProvider } from "./create-token-provider.ts";
import { TransportError, type HttpResponse, type HttpTransport } from "./https-transport.ts";
import { budgetFor, identityCost, type PaceScope } from "./pace-budgets.ts";
import { backoffDelay, isRetryableStatus, parseRetryAfter } from "./retry-timing.ts";
import { createSlidingWindow } from "./sliding-window.ts";
import { createTokenBucket, type TokenBucket } from "./token-bucket.ts";

export interface GraphClientOptions {
  /** e.g. https://graph.microsoft.com */
  graphEndpoint: string;
  transport: HttpTransport;
  tokens: TokenProvider;
  /** Requests in flight at once. Default 4. */
  maxConcurrency?: number;
  /** Attempts per request including the first. Default 8. */
  maxAttempts?: number;
  /** Known tenant size (picks the identity throttling tier). Default unknown (smallest tier). */
  userCount?: number;
  /**
   * Multiplies every pacing window (1 = Microsoft's documented limits). Only for a simulator started
   * with the same `--time-scale`, so benchmarks keep the real ratios in less time. Default 1.
   */
  timeScale?: number;
  clock?: Clock;
  /** Uniform random in [0,1) for jitter. Default Math.random. */
  random?: () => number;
  /** Progress events (requests, waits, retries) for logs and benchmarks. */
  onEvent?: (event: GraphEvent) => void;
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export type GraphEvent =
  | { type: "request"; method: string; path: string; status: number; attempt: number }
  | { type: "paced"; scope: PaceScope; waitMs: number }
  | { type: "throttled"; scope: PaceScope; retryAfterMs: number; path: string }
  | { type: "retry"; reason: string; waitMs: number; path: string; attempt: number };

export interface GraphCall {
  method?: "GET" | "POST" | "PATCH";
  /** Path under the version (`/users?$select=id`) or an absolute `@odata.nextLink`. */
  path: string;
  version?: "v1.0" | "beta";
  headers?: Record<string, string>;
  body?: unknown;
  /** Throttling scope; default `identity` for v1.0/beta directory calls. */
  scope?: PaceScope;
}

export interface GraphResult {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  requestId: string;
}

export interface GraphClient {
  /** Sends one call (paced, retried) and returns the raw result for any 2xx/3xx status; throws GraphError otherwise. */
  send(call: GraphCall): Promise<GraphResult>;
  getJson<T>(call: GraphCall): Promise<T>;
  /** Yields each page's `value` array, following `@odata.nextLink`. */
  pages<T>(call: GraphCall): AsyncGenerator<T[]>;
  /** Fetches a usage report CSV through the 302 pre-authenticated download (one request + one download). */
  download(call: GraphCall): Promise<Buffer>;
  /**
   * Like `download`, streaming the body to `onChunk` as it arrives (nothing held whole). When a
   * download breaks off and is retried, `onRestart` is called first: the consumer starts over.
   */
  downloadStream(call: GraphCall, onChunk: (chunk: Buffer) => void, onRestart?: () => void): Promise<void>;
  /** Sends up to 20 requests in one `$batch`; throttled or transiently failed items are retried. */
  batch(items: BatchItem[], options?: { version?: "v1.0" | "beta"; scope?: PaceScope }): Promise<BatchResponse[]>;
  /** Sets the tenant size once known (identity throttling tier). */
  setUserCount(n: number): void;
  /** Counters for summaries and benchmarks. */
  readonly stats: { requests: number; throttled: number; retries: number; pacedMs: number };
}

export interface BatchItem {
  id: string;
  method: "GET" | "POST" | "PATCH";
  /** Relative to the version, e.g. `/users/42/assignLicense`. */
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface BatchResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

const realClock: Clock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

export function createGraphClient(options: GraphClientOptions): GraphClient {
  const clock = options.clock ?? realClock;
  const random = options.random ?? Math.random;
  const maxAttempts = options.maxAttempts ?? 8;
  const origin = new URL(options.graphEndpoint).origin;
  let userCount = options.userCount;
  const buckets = new Map<PaceScope, TokenBucket>();
  const stats = { requests: 0, throttled: 0, retries: 0, pacedMs: 0 };
  const emit = options.onEvent ?? (() => undefined);

  // Bounded concurrency: a simple FIFO semaphore.
  let active = 0;
  const waiting: (() => void)[] = [];
  const limit = options.maxConcurrency ?? 4;
  const acquire = async () => {
    if (active < limit) {
      active++;
      return;
    }
    await new Promise<void>((r) => waiting.push(r));
  };
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };

  const bucket = (scope: PaceScope): TokenBucket | undefined => {
    const documented = budgetFor(scope, userCount);
    if (!documented) return undefined;
    const budget = { ...documented, windowMs: documented.windowMs * (options.timeScale ?? 1) };
    let b = buckets.get(scope);
    if (!b) {
      b = budget.kind === "window" ? createSlidingWindow(budget) : createTokenBucket(budget, clock.now());
      buckets.set(scope, b);
    }
    return b;
  };

  const urlOf = (call: GraphCall) => (/^https:\/\//.test(call.path) ? call.path : `${origin}/${call.version ?? "v1.0"}${call.path}`);

  async function send(call: GraphCall): Promise<GraphResult> {
    const method = call.method ?? "GET";
    const url = urlOf(call);
    if (new URL(url).origin !== origin) {
      throw new GraphError({ status: 0, code: "UnexpectedOrigin", message: "refusing to send the token to another host", requestId: "", method, url: new URL(url).origin });
    }
    const scope = call.scope ?? "identity";
    const shownPath = new URL(url).pathname;
    for (let attempt = 1; ; attempt++) {
      const b = bucket(scope);
      if (b) {
        const cost = scope === "identity" ? identityCost(url) : 1;
        const wait = b.reserve(cost, clock.now());
        if (wait > 0) {
          stats.pacedMs += wait;
          emit({ type: "paced", scope, waitMs: wait });
          await clock.sleep(wait);
        }
      }
      let res: HttpResponse;
      const token = await options.tokens.getToken();
      await acquire();
      try {
        stats.requests++;
        res = await options.transport.send({
          method,
          url,
          headers: {
            authorization: `Bearer ${token.token}`,
            accept: "application/json",
            ...(call.body !== undefined ? { "content-type": "application/json" } : {}),
            ...call.headers,
          },
          ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}),
        });
      } catch (error) {
        // A write that lost its answer may have been applied: never resend it blindly.
        if (error instanceof TransportError && attempt < maxAttempts && scope !== "identityWrite") {
          const waitMs = backoffDelay(attempt - 1, random());
          stats.retries++;
          emit({ type: "retry", reason: error.code, waitMs, path: shownPath, attempt });
          release();
          await clock.sleep(waitMs);
          continue;
        }
        release();
        throw error;
      }
      release();
      b?.answered?.(clock.now());
      emit({ type: "request", method, path: shownPath, status: res.status, attempt });
      if (res.status < 400) return { status: res.status, headers: res.headers, body: res.body, requestId: res.headers["request-id"] ?? "" };
      // Writes are resent only after a 429 (Graph did not process them); a 5xx may hide an applied write.
      if (isRetryableStatus(res.status) && attempt < maxAttempts && (scope !== "identityWrite" || res.status === 429)) {
        const retryAfter = parseRetryAfter(res.headers["retry-after"], clock.now());
        const waitMs = retryAfter ?? backoffDelay(attempt - 1, random());
        if (res.status === 429) {
          stats.throttled++;
          emit({ type: "throttled", scope, retryAfterMs: waitMs, path: shownPath });
          b?.pause(waitMs, clock.now());
        } else {
          emit({ type: "retry", reason: String(res.status), waitMs, path: shownPath, attempt });
        }
        stats.retries++;
        await clock.sleep(waitMs);
        continue;
      }
      throw toGraphError(res, method, url);
    }
  }

  async function getJson<T>(call: GraphCall): Promise<T> {
    const res = await send(call);
    return parseJson<T>(res, call.method ?? "GET", urlOf(call));
  }

  async function* pages<T>(call: GraphCall): AsyncGenerator<T[]> {
    let next: string | undefined = urlOf(call);
    while (next) {
      const page: { value?: T[]; "@odata.nextLink"?: string } = await getJson({ ...call, path: next });
      yield page.value ?? [];
      next = page["@odata.nextLink"];
    }
  }

  async function download(call: GraphCall): Promise<Buffer> {
    const chunks: Buffer[] = [];
    await downloadStream(call, (c) => chunks.push(c));
    return Buffer.concat(chunks);
  }

  async function downloadStream(call: GraphCall, onChunk: (chunk: Buffer) => void, onRestart: () => void = () => undefined): Promise<void> {
    const res = await send(call);
    if (res.status === 200) {
      onChunk(res.body);
      return;
    }
    const location = res.headers.location;
    if (res.status !== 302 || !location) {
      throw new GraphError({ status: res.status, code: "UnexpectedResponse", message: "expected 302 with a Location header", requestId: res.requestId, method: "GET", url: redactQuery(urlOf(call)) });
    }
    // The pre-authenticated URL needs (and must not get) an Authorization header.
    for (let attempt = 1; ; attempt++) {
      if (attempt > 1) onRestart();
      try {
        const dl = await options.transport.stream({ method: "GET", url: location }, onChunk);
        if (dl.status === 200) return;
        if (!isRetryableStatus(dl.status) || attempt >= maxAttempts) throw toGraphError(dl, "GET", "(report download URL)");
      } catch (error) {
        if (!(error instanceof TransportError) || attempt >= maxAttempts) throw error;
      }
      stats.retries++;
      await clock.sleep(backoffDelay(attempt - 1, random()));
    }
  }

  async function batch(items: BatchItem[], batchOptions: { version?: "v1.0" | "beta"; scope?: PaceScope } = {}): Promise<BatchResponse[]> {
    if (items.length > 20) throw new GraphError({ status: 0, code: "BatchTooLarge", message: `a $batch holds at most 20 requests, got ${items.length}`, requestId: "", method: "POST", url: "/$batch" });
    const done = new Map<string, BatchResponse>();
    let pending = items;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const res = await getJson<{ responses: BatchResponse[] }>({
        method: "POST",
        path: "/$batch",
        version: batchOptions.version ?? "v1.0",
        scope: batchOptions.scope ?? "identity",
        body: { requests: pending.map((i) => ({ id: i.id, method: i.method, url: i.url, headers: { ...(i.body !== undefined ? { "content-type": "application/json" } : {}), ...i.headers }, ...(i.body !== undefined ? { body: i.body } : {}) })) },
      });
      let waitMs = 0;
      const retry: BatchItem[] = [];
      for (const r of res.responses) {
        const item = pending.find((i) => i.id === r.id);
        if (!item) continue;
        const writeItem = item.method !== "GET";
        if (isRetryableStatus(r.status) && attempt < maxAttempts && (!writeItem || r.status === 429)) {
          const headers = lowerKeys(r.headers ?? {});
          const after = parseRetryAfter(headers["retry-after"], clock.now()) ?? backoffDelay(attempt - 1, random());
          if (r.status === 429) stats.throttled++;
          waitMs = Math.max(waitMs, after);
          retry.push(item);
        } else {
          done.set(r.id, { ...r, headers: lowerKeys(r.headers ?? {}) });
        }
      }
      pending = retry;
      if (pending.length > 0) {
        stats.retries++;
        emit({ type: "throttled", scope: batchOptions.scope ?? "identity", retryAfterMs: waitMs, path: "/$batch" });
        bucket(batchOptions.scope ?? "identity")?.pause(waitMs, clock.now());
        await clock.sleep(waitMs);
      }
    }
    return items.map((i) => done.get(i.id) ?? { id: i.id, status: 0, headers: {}, body: { error: { code: "MissingBatchResponse", message: "no response for this item" } } });
  }

  return { send, getJson, pages, download, downloadStream, batch, setUserCount: (n) => void (userCount = n), stats };
}

function lowerKeys(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}

function parseJson<T>(res: GraphResult, method: string, url: string): T {
  try {
    return JSON.parse(res.body.toString("utf8")) as T;
  } catch {
    throw new GraphError({ status: res.status, code: "InvalidJson", message: "the response is not JSON", requestId: res.requestId, method, url: redactQuery(url) });
  }
}

/** Graph error from a response: `error.code`, `error.message`, request id from header or innerError. */
export function toGraphError(res: HttpResponse, method: string, url: string): GraphError {
  let code = "";
  let message = `HTTP ${res.status}`;
  let innerRequestId = "";
  try {
    const body = JSON.parse(res.body.toString("utf8")) as { error?: { code?: string; message?: string; innerError?: Record<string, string> } };
    code = body.error?.code ?? "";
    message = body.error?.message ?? message;
    innerRequestId = body.error?.innerError?.["request-id"] ?? "";
  } catch {
    // Not JSON (a gateway page): keep the status only.
  }
  return new GraphError({ status: res.status, code, message, requestId: res.headers["request-id"] ?? innerRequestId, method, url: redactQuery(url) });
}

/** Drops `$skiptoken` values (opaque, long) from URLs in messages; keeps the rest readable. */
function redactQuery(url: string): string {
  return url.replace(/([?&]\$skiptoken=)[^&]*/i, "$1…");
}
