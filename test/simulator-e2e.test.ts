/**
 * End to end over HTTPS: the simulator started in-process, Seatwise's own collector plumbing
 * (MSAL with the reader certificate, the Graph client) against it, as the demo and the collector use it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTokenProvider } from "../graph/create-token-provider.ts";
import { createGraphClient } from "../graph/graph-client.ts";
import { createHttpsTransport, type HttpTransport } from "../graph/https-transport.ts";
import type { RunningSimulator } from "../simulator/contract.ts";
import { startSimulator } from "../simulator/start-simulator.ts";

const USERS = 2500;
let sim: RunningSimulator;
let transport: HttpTransport;

function clientFor(identity: "reader" | "reclaimer") {
  const id = sim[identity];
  const tokens = createTokenProvider({
    authorityHost: sim.baseUrl,
    graphEndpoint: sim.baseUrl,
    tenantId: sim.tenant.tenantId,
    clientId: id.clientId,
    credential: { privateKeyPem: id.privateKeyPem, thumbprintSha256: id.thumbprintSha256, certificatePem: id.certificatePem },
    transport,
  });
  return { tokens, graph: createGraphClient({ graphEndpoint: sim.baseUrl, transport, tokens, maxAttempts: 1 }) };
}

beforeAll(async () => {
  sim = await startSimulator({ users: USERS, seed: 42, readerRoles: ["User.Read.All", "Organization.Read.All"], timeScale: 0.001 });
  transport = createHttpsTransport({ caPem: sim.caPem });
});
afterAll(async () => {
  transport.close();
  await sim.close();
});

describe("simulator end to end", () => {
  it("gives the reader an app-only token whose roles are exactly its grants", async () => {
    const token = await clientFor("reader").tokens.getToken();
    expect(token.roles.sort()).toEqual(["Organization.Read.All", "User.Read.All"]);
  });

  it("pages through every user with @odata.nextLink", async () => {
    const { graph } = clientFor("reader");
    const ids = new Set<string>();
    let pages = 0;
    for await (const page of graph.pages<{ id: string }>({ path: "/users?$select=id&$top=999" })) {
      pages++;
      for (const u of page) ids.add(u.id);
    }
    expect(ids.size).toBe(USERS);
    expect(pages).toBe(Math.ceil(USERS / 999));
  });

  it("answers 403 Authorization_RequestDenied for a route the app holds no permission for", async () => {
    const { graph } = clientFor("reader");
    await expect(graph.getJson({ path: "/reports/authenticationMethods/userRegistrationDetails" })).rejects.toMatchObject({
      status: 403,
      code: "Authorization_RequestDenied",
    });
  });

  it("lets the reclaimer read a user but not list sign-ins", async () => {
    const { graph } = clientFor("reclaimer");
    const first = sim.tenant.userAt(0);
    const user = await graph.getJson<{ id: string }>({ path: `/users/${first.id}?$select=id,assignedLicenses` });
    expect(user.id).toBe(first.id);
    await expect(graph.getJson({ path: "/auditLogs/signIns" })).rejects.toMatchObject({ status: 403 });
  });
});

describe("simulator throttling", () => {
  it("answers 429 with a Retry-After once the documented resource-unit budget is spent", async () => {
    // A small tenant (< 50 users) has 3,500 resource units per 10 s; GET subscribedSkus costs 3.
    // Time scale 10 stretches the window to 100 s so refill is negligible during the test: a tight
    // loop without client pacing must be throttled after about 1,167 requests, not before 1,000.
    const small = await startSimulator({ users: 20, seed: 7, timeScale: 10 });
    const http = createHttpsTransport({ caPem: small.caPem });
    try {
      const tokens = createTokenProvider({
        authorityHost: small.baseUrl,
        graphEndpoint: small.baseUrl,
        tenantId: small.tenant.tenantId,
        clientId: small.reader.clientId,
        credential: small.reader,
        transport: http,
      });
      const token = (await tokens.getToken()).token;
      let sent = 0;
      let throttled: { retryAfter: string | undefined; body: string } | undefined;
      while (sent < 2000 && !throttled) {
        const res = await http.send({ method: "GET", url: `${small.baseUrl}/v1.0/subscribedSkus`, headers: { authorization: `Bearer ${token}` } });
        sent++;
        if (res.status === 429) throttled = { retryAfter: res.headers["retry-after"], body: res.body.toString("utf8") };
      }
      expect(throttled).toBeDefined();
      expect(sent).toBeGreaterThan(1000);
      expect(Number(throttled!.retryAfter)).toBeGreaterThan(0);
      expect(JSON.parse(throttled!.body).error.code).toBe("TooManyRequests");
    } finally {
      http.close();
      await small.close();
    }
  });
});
