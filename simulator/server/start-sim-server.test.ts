import { Agent } from "node:https";
import { connect } from "node:tls";
import { beforeAll, describe, expect, it } from "vitest";
import type { SimHandler } from "../contract.ts";
import { createCertificateAuthority, generateRsaKeyPair, issueServerCertificate } from "../auth/certificates.ts";
import type { CertifiedKey } from "../auth/certificates.ts";
import type { EntraEndpoints } from "../auth/create-entra-handler.ts";
import { createSimRouter } from "./create-sim-router.ts";
import { requestSim } from "./fake-sim-parts.ts";
import { startSimServer } from "./start-sim-server.ts";

let ca: CertifiedKey;
let serverCert: CertifiedKey;
let otherCa: CertifiedKey;

beforeAll(async () => {
  const [k1, k2, k3] = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair(), generateRsaKeyPair()]);
  ca = createCertificateAuthority(k1!);
  serverCert = issueServerCertificate(ca, k2!);
  otherCa = createCertificateAuthority(k3!);
});

function start(handle: SimHandler, port = 0) {
  return startSimServer({ port, certificatePem: serverCert.certificatePem, privateKeyPem: serverCert.privateKeyPem, handle });
}

const echo: SimHandler = async (req, res, body) => {
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify({ method: req.method, url: req.url, body: body.toString("utf8") }));
};

describe("simulator HTTPS server", () => {
  it("serves on 127.0.0.1 over TLS trusted through the simulator CA and passes the full body", async () => {
    const server = await start(echo);
    try {
      expect(server.url).toBe(`https://127.0.0.1:${server.port}`);
      const res = await requestSim(`${server.url}/v1.0/users?$top=1`, { ca: ca.certificatePem, method: "POST", body: "x".repeat(200_000) });
      expect(res.json()).toEqual({ method: "POST", url: "/v1.0/users?$top=1", body: "x".repeat(200_000) });
    } finally {
      await server.close();
    }
  });

  it("is refused by a client that trusts another CA", async () => {
    const server = await start(echo);
    try {
      await expect(requestSim(`${server.url}/v1.0/x`, { ca: otherCa.certificatePem })).rejects.toThrow(/certificate/i);
    } finally {
      await server.close();
    }
  });

  it("presents a certificate valid for localhost too", async () => {
    const server = await start(echo);
    try {
      const res = await requestSim(`https://localhost:${server.port}/v1.0/x`, { ca: ca.certificatePem });
      expect(res.status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it("answers a handler failure with a generic Graph-style 500", async () => {
    const server = await start(async () => {
      throw new Error("secret-token-material");
    });
    try {
      const res = await requestSim(`${server.url}/v1.0/x`, { ca: ca.certificatePem });
      expect(res.status).toBe(500);
      expect((res.json() as { error: { code: string } }).error.code).toBe("InternalServerError");
      expect(res.text).not.toContain("secret-token-material");
    } finally {
      await server.close();
    }
  });

  it("closes promptly while keep-alive and half-open connections are still open", async () => {
    const server = await start(echo);
    const agent = new Agent({ keepAlive: true, ca: ca.certificatePem });
    await requestSim(`${server.url}/v1.0/x`, { ca: ca.certificatePem, agent });
    // A raw TCP+TLS connection that never sends a request.
    const idle = connect({ host: "127.0.0.1", port: server.port, ca: ca.certificatePem });
    await new Promise((r) => idle.once("secureConnect", r));
    const idleClosed = new Promise((r) => idle.once("close", r));
    await server.close();
    await idleClosed;
    agent.destroy();
    await expect(requestSim(`${server.url}/v1.0/x`, { ca: ca.certificatePem })).rejects.toThrow(/ECONNREFUSED/);
  });

  it("starts and stops many servers in a row on free ports", async () => {
    const ports = new Set<number>();
    for (let i = 0; i < 10; i++) {
      const server = await start(echo);
      ports.add(server.port);
      await requestSim(`${server.url}/v1.0/x`, { ca: ca.certificatePem });
      await server.close();
    }
    expect(ports.size).toBeGreaterThan(1);
  });

  it("listens on the requested port", async () => {
    const probe = await start(echo);
    const port = probe.port;
    await probe.close();
    const server = await start(echo, port);
    try {
      expect(server.url).toBe(`https://127.0.0.1:${port}`);
    } finally {
      await server.close();
    }
  });
});

describe("simulator router", () => {
  const entra: EntraEndpoints = {
    owns: (p) => p.endsWith("/oauth2/v2.0/token"),
    handle: async (_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("entra");
    },
  };
  const graph: SimHandler = async (_req, res) => {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("graph");
  };

  it("routes token requests to Entra, Graph versions and downloads to Graph, and answers a Graph-style 404 otherwise", async () => {
    const server = await start(createSimRouter({ entra, graph }));
    try {
      const get = (path: string) => requestSim(`${server.url}${path}`, { ca: ca.certificatePem, headers: { "client-request-id": "c-1" } });
      expect((await get("/t/oauth2/v2.0/token?client-request-id=1")).text).toBe("entra");
      expect((await get("/v1.0/users")).text).toBe("graph");
      expect((await get("/beta/reports/x")).text).toBe("graph");
      expect((await get("/_download/abc")).text).toBe("graph");
      const missing = await get("/nothing/here");
      expect(missing.status).toBe(404);
      const body = missing.json() as { error: { code: string; message: string; innerError: Record<string, string> } };
      expect(body.error.code).toBe("NotFound");
      expect(Object.keys(body.error.innerError).sort()).toEqual(["client-request-id", "date", "request-id"]);
      expect(body.error.innerError["client-request-id"]).toBe("c-1");
      expect(missing.headers["request-id"]).toBe(body.error.innerError["request-id"]);
    } finally {
      await server.close();
    }
  });
});
