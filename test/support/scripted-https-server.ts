/**
 * A tiny HTTPS server for client tests: each request is answered by the next scripted responder
 * (or a default route table), with a certificate from the simulator's own CA helpers. Records every
 * request it saw (method, path, headers) so tests assert request counts and headers.
 */
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { createCertificateAuthority, generateRsaKeyPair, issueServerCertificate } from "../../simulator/auth/certificates.ts";

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

export type Responder = (req: SeenRequest, res: ServerResponse) => void;

export interface ScriptedServer {
  origin: string;
  caPem: string;
  seen: SeenRequest[];
  /** Responders used in order; when exhausted, `fallback` answers. */
  script: Responder[];
  fallback: Responder;
  close(): Promise<void>;
}

export async function startScriptedServer(): Promise<ScriptedServer> {
  const [caKey, serverKey] = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair()]);
  const ca = createCertificateAuthority(caKey);
  const cert = issueServerCertificate(ca, serverKey);
  const sockets = new Set<Socket>();
  const state: ScriptedServer = {
    origin: "",
    caPem: ca.certificatePem,
    seen: [],
    script: [],
    fallback: (_req, res) => json(res, 404, { error: { code: "NotFound", message: "no script" } }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer({ key: cert.privateKeyPem, cert: cert.certificatePem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const seen = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      state.seen.push(seen);
      (state.script.shift() ?? state.fallback)(seen, res);
    });
  });
  server.on("secureConnection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  state.origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

/** Writes a JSON response with Graph-like headers. */
export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", "request-id": `req-${status}`, ...headers });
  res.end(JSON.stringify(body));
}
