/**
 * Test harness for the Graph pipeline: the handler on a plain node:http server at 127.0.0.1 with a
 * fake token verifier (tokens are issued here, in memory), so route and pipeline tests run against a
 * real socket without the TLS server or the token endpoint.
 */
import { createServer, type Server } from "node:http";
import type { AccessClaims, AccessTokenVerifier, SimFaults, SimStats } from "../contract.ts";
import type { SimTenant } from "../model.ts";
import { createGraphHandler } from "./create-graph-handler.ts";
import type { GraphRoute } from "./route.ts";
import { buildTestTenant } from "./test-tenant.ts";

export interface TestGraph {
  baseUrl: string;
  tenant: SimTenant;
  stats: SimStats;
  /** Issues a token for `roles` (app id `appid`, default `test-app`); `expired` makes one the verifier refuses. */
  token(roles: readonly string[], options?: { appid?: string; expired?: boolean }): string;
  /** fetch against the server with `Authorization: Bearer <token>` when a token is given. */
  request(path: string, init?: { method?: string; token?: string; headers?: Record<string, string>; body?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

export interface TestGraphOptions {
  tenant?: SimTenant;
  timeScale?: number;
  faults?: SimFaults;
  clock?: () => number;
  routes?: readonly GraphRoute[];
}

/** Starts the Graph handler on an ephemeral port. */
export async function startTestGraph(options: TestGraphOptions = {}): Promise<TestGraph> {
  const tenant = options.tenant ?? buildTestTenant();
  const issued = new Map<string, AccessClaims>();
  let counter = 0;
  const tokens: AccessTokenVerifier = {
    verify(bearer) {
      const c = issued.get(bearer);
      return c !== undefined && c.exp * 1000 > Date.now() ? c : null;
    },
  };
  let baseUrl = "";
  const graph = createGraphHandler({
    tenant,
    tokens,
    timeScale: options.timeScale ?? 1,
    faults: options.faults ?? { rate: 0 },
    baseUrl: () => baseUrl,
    clock: options.clock,
    routes: options.routes,
  });
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      graph.handle(req, res, Buffer.concat(chunks)).catch(() => {
        res.writeHead(500);
        res.end();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const addr = server.address();
  if (addr === null || typeof addr === "string") throw new Error("test server has no port");
  baseUrl = `http://127.0.0.1:${addr.port}`;
  return {
    baseUrl,
    tenant,
    stats: graph.stats,
    token(roles, opts = {}) {
      const exp = Math.floor(Date.now() / 1000) + (opts.expired ? -60 : 3600);
      const claims: AccessClaims = { appid: opts.appid ?? "test-app", tid: tenant.tenantId, roles: [...roles], exp };
      const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
      const t = `${part({ alg: "RS256", typ: "JWT" })}.${part({ ...claims, n: counter++ })}.sig`;
      issued.set(t, claims);
      return t;
    },
    request(path, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
      let body: string | undefined;
      if (init.body !== undefined) {
        body = JSON.stringify(init.body);
        headers["content-type"] ??= "application/json";
      }
      return fetch(`${baseUrl}${path}`, { method: init.method ?? "GET", headers, body, redirect: "manual" });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
