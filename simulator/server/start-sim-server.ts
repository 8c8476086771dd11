/**
 * The simulator's HTTPS server on loopback: TLS with the simulator CA's server certificate, reads
 * each request body fully, then hands it to one `SimHandler`. `close()` ends every connection at
 * once, so tests can start and stop many servers.
 */
import { createServer } from "node:https";
import type { Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { SimHandler } from "../contract.ts";

/** Largest request body accepted (a 20-request `$batch` is far below this). */
export const MAX_REQUEST_BODY_BYTES = 16 * 1024 * 1024;

/** A listening simulator server. */
export interface SimServer {
  /** `https://127.0.0.1:<port>`. */
  url: string;
  port: number;
  /** Stops accepting, destroys open connections, resolves when the server is closed. */
  close(): Promise<void>;
}

export interface SimServerOptions {
  /** Port on 127.0.0.1; 0 = any free port. Default 0. */
  port?: number;
  /** Server certificate and its private key (PEM). */
  certificatePem: string;
  privateKeyPem: string;
  handle: SimHandler;
}

function sendServerError(res: ServerResponse, status: number, code: string, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const requestId = randomUUID();
  const body = Buffer.from(JSON.stringify({ error: { code, message, innerError: { date: new Date().toISOString().slice(0, 19), "request-id": requestId, "client-request-id": requestId } } }));
  res.writeHead(status, { "content-type": "application/json", "content-length": String(body.length), "request-id": requestId });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BODY_BYTES) {
        resolve(null);
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** Starts the HTTPS server on 127.0.0.1. */
export async function startSimServer(options: SimServerOptions): Promise<SimServer> {
  const sockets = new Set<Socket>();
  const server = createServer({ cert: options.certificatePem, key: options.privateKeyPem, keepAlive: true }, (req, res) => {
    readBody(req).then(
      async (body) => {
        if (body === null) return sendServerError(res, 413, "RequestEntityTooLarge", `The request body exceeds ${MAX_REQUEST_BODY_BYTES} bytes.`);
        try {
          await options.handle(req, res, body);
        } catch {
          // The handler's error may carry request data (tokens); answer generically, log nothing.
          sendServerError(res, 500, "InternalServerError", "The simulator failed to process the request.");
        }
      },
      () => res.destroy(),
    );
  });
  // Track raw TCP sockets (before and after the TLS handshake) so close() can end them all.
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  // A client that drops mid-handshake is routine for a simulator that injects faults.
  server.on("tlsClientError", (_err, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | null = null;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
