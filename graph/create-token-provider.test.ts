import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../simulator/contract.ts";
import { assembleSimulator } from "../simulator/server/assemble-simulator.ts";
import { fakeCreateGraphHandler, fakeGenerateTenant } from "../simulator/server/fake-sim-parts.ts";
import { createTokenProvider } from "./create-token-provider.ts";
import { createHttpsTransport } from "./https-transport.ts";

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await assembleSimulator({ users: 10, seed: 5 }, { generateTenant: fakeGenerateTenant, createGraphHandler: fakeCreateGraphHandler });
});

afterAll(async () => {
  await sim.close();
});

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function provider(authorityHost: string, caPem?: string) {
  const transport = createHttpsTransport(caPem ? { caPem } : {});
  const tokens = createTokenProvider({
    authorityHost,
    graphEndpoint: sim.baseUrl,
    tenantId: sim.tenant.tenantId,
    clientId: sim.reader.clientId,
    credential: sim.reader,
    transport,
  });
  return { tokens, close: () => transport.close() };
}

async function failure(p: { tokens: { getToken(): Promise<unknown> }; close(): void }): Promise<Error> {
  try {
    await p.tokens.getToken();
  } catch (error) {
    return error as Error;
  } finally {
    p.close();
  }
  throw new Error("expected getToken to fail");
}

describe("createTokenProvider failures", () => {
  it("gets a token from the simulator when its CA is trusted", async () => {
    const p = provider(sim.baseUrl, sim.caPem);
    try {
      expect((await p.tokens.getToken()).roles.length).toBeGreaterThan(0);
    } finally {
      p.close();
    }
  });

  it("names the host and the TLS cause when the endpoint's certificate is not trusted", async () => {
    const error = await failure(provider(sim.baseUrl));
    const host = new URL(sim.baseUrl).host;
    expect(error.message).toMatch(new RegExp(`^cannot get an access token from ${host.replace(/\./g, "\\.")}: TLS: .*\\((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\\); .*caFile`));
    expect(error.message).not.toContain("network_error");
    expect(error.message).not.toContain("\n");
  });

  it("names the host and the socket cause when nothing listens there", async () => {
    const port = await closedPort();
    const error = await failure(provider(`https://127.0.0.1:${port}`, sim.caPem));
    expect(error.message).toBe(`cannot get an access token from 127.0.0.1:${port}: connection refused (ECONNREFUSED)`);
  });
});
