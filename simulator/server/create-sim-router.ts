/**
 * Routes a simulator request: Entra paths (token endpoint, metadata) to the Entra handler, Graph
 * paths (`/v1.0/`, `/beta/`, the pre-authenticated `/_download/`) to the Graph handler, anything
 * else to a Graph-style 404.
 */
import { randomUUID } from "node:crypto";
import type { SimHandler } from "../contract.ts";
import type { EntraEndpoints } from "../auth/create-entra-handler.ts";

/** Path prefixes the Graph handler owns. */
export const GRAPH_PATH_PREFIXES = ["/v1.0/", "/beta/", "/_download/"] as const;

/** Builds the request router of the simulator. */
export function createSimRouter(parts: { entra: EntraEndpoints; graph: SimHandler }): SimHandler {
  return async (req, res, body) => {
    const pathname = new URL(req.url ?? "/", "https://simulator.invalid").pathname;
    if (GRAPH_PATH_PREFIXES.some((p) => pathname.startsWith(p) || pathname === p.slice(0, -1))) return parts.graph(req, res, body);
    if (parts.entra.owns(pathname)) return parts.entra.handle(req, res, body);
    const requestId = randomUUID();
    const header = req.headers["client-request-id"];
    const clientRequestId = (Array.isArray(header) ? header[0] : header) ?? requestId;
    const payload = Buffer.from(
      JSON.stringify({
        error: {
          code: "NotFound",
          message: `No resource exists at the path '${pathname}'.`,
          innerError: { date: new Date().toISOString().slice(0, 19), "request-id": requestId, "client-request-id": clientRequestId },
        },
      }),
    );
    res.writeHead(404, { "content-type": "application/json", "content-length": String(payload.length), "request-id": requestId, "client-request-id": clientRequestId });
    res.end(payload);
  };
}
