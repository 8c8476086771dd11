/**
 * The one module of the collector that talks HTTP: a keep-alive HTTPS client over `node:https`
 * that can trust an extra CA (`caFile`: the simulator's CA or a TLS-inspecting proxy) on top of
 * the system roots. Everything else sees the narrow `HttpTransport` port.
 */
import { Agent, request as httpsRequest } from "node:https";
import { createSecureContext, rootCertificates, type SecureContext } from "node:tls";
import { SeatwiseError } from "../core/errors.ts";

export interface HttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Abort when no response arrives within this many ms. Default 100,000 (Graph's own timeout is 100 s). */
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  /** Lower-cased header names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
}

export interface HttpTransport {
  send(request: HttpRequest): Promise<HttpResponse>;
  /**
   * Like `send`, but a 2xx body goes to `onChunk` as it arrives (large downloads are never held
   * whole); the returned body is empty then. Other statuses keep their (small) body.
   */
  stream(request: HttpRequest, onChunk: (chunk: Buffer) => void): Promise<HttpResponse>;
  close(): void;
}

/** The connection failed or dropped before a complete response (retryable). */
export class TransportError extends SeatwiseError {
  readonly code: string;
  readonly method: string;
  readonly url: string;
  constructor(code: string, method: string, url: string, cause?: unknown) {
    super("transport", `${method} ${url}: connection failed (${code})`, { cause });
    this.code = code;
    this.method = method;
    this.url = url;
  }
}

export interface HttpsTransportOptions {
  /** Extra PEM CA certificates trusted in addition to the system roots. */
  caPem?: string;
  /** Concurrent sockets per origin. Default 16. */
  maxSockets?: number;
  /**
   * Sockets across every origin (Graph, the token endpoint, report downloads): a fleet's per-tenant
   * share. Node's agent may open one more for a request to an origin that has none while at the
   * limit, and closes a freed socket while over it. Default unlimited.
   */
  maxTotalSockets?: number;
}

const contexts = new Map<string, SecureContext>();

/**
 * One TLS context per extra CA, shared by every transport and connection: given as `ca`, Node parses
 * the ~150 system roots again for each new connection (measured: 3.3 s of CPU for the 119
 * connections of a 20-tenant fleet collection).
 */
export function secureContextTrusting(caPem: string): SecureContext {
  let context = contexts.get(caPem);
  if (context === undefined) {
    context = createSecureContext({ ca: [...rootCertificates, caPem] });
    contexts.set(caPem, context);
  }
  return context;
}

/** Creates a keep-alive HTTPS transport. Call `close()` when done. */
export function createHttpsTransport(options: HttpsTransportOptions = {}): HttpTransport {
  const agent = new Agent({
    keepAlive: true,
    maxSockets: options.maxSockets ?? 16,
    ...(options.maxTotalSockets ? { maxTotalSockets: options.maxTotalSockets } : {}),
    ...(options.caPem ? { secureContext: secureContextTrusting(options.caPem) } : {}),
  });
  return {
    send: (req) => send(agent, req),
    stream: (req, onChunk) => send(agent, req, onChunk),
    close: () => agent.destroy(),
  };
}

function send(agent: Agent, req: HttpRequest, onChunk?: (chunk: Buffer) => void): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const url = new URL(req.url);
    if (url.protocol !== "https:") {
      reject(new TransportError("ERR_INSECURE_URL", req.method, redact(url)));
      return;
    }
    const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body);
    const r = httpsRequest(
      url,
      {
        agent,
        method: req.method,
        headers: { ...req.headers, ...(body ? { "content-length": String(body.length) } : {}) },
        timeout: req.timeoutMs ?? 100_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        const streaming = onChunk !== undefined && (res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300;
        res.on("data", (c: Buffer) => (streaming ? onChunk(c) : chunks.push(c)));
        res.on("error", (e) => reject(new TransportError((e as NodeJS.ErrnoException).code ?? "ERR_RESPONSE", req.method, redact(url), e)));
        res.on("aborted", () => reject(new TransportError("ECONNRESET", req.method, redact(url))));
        res.on("end", () => {
          if (!res.complete) {
            reject(new TransportError("ECONNRESET", req.method, redact(url)));
            return;
          }
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
          resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks) });
        });
      },
    );
    r.on("timeout", () => r.destroy(Object.assign(new Error("timeout"), { code: "ETIMEDOUT" })));
    r.on("error", (e) => reject(new TransportError((e as NodeJS.ErrnoException).code ?? "ERR_REQUEST", req.method, redact(url), e)));
    r.end(body);
  });
}

/** URL for messages: pre-authenticated download URLs carry a token in the path or query, so drop both past the host for those. */
function redact(url: URL): string {
  return url.pathname.startsWith("/v1.0/") || url.pathname.startsWith("/beta/") ? `${url.origin}${url.pathname}` : `${url.origin}/…`;
}
