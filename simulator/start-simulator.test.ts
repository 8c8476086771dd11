import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSimulator } from "./contract.ts";
import { buildClientAssertion } from "./auth/build-client-assertion.ts";
import { postTokenForm, requestSim } from "./server/fake-sim-parts.ts";
import { startSimulator } from "./start-simulator.ts";

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ users: 10, seed: 5 });
});

afterAll(() => sim.close());

async function tokenFor(identity: "reader" | "reclaimer"): Promise<string> {
  const id = sim[identity];
  const aud = `${sim.baseUrl}/${sim.tenant.tenantId}/oauth2/v2.0/token`;
  const res = await postTokenForm(
    sim.baseUrl,
    sim.tenant.tenantId,
    {
      client_id: id.clientId,
      scope: "https://graph.microsoft.com/.default",
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: buildClientAssertion({ identity: id, audience: aud }),
      grant_type: "client_credentials",
    },
    sim.caPem,
  );
  expect(res.status).toBe(200);
  return String((res.json() as { access_token: string }).access_token);
}

describe("startSimulator", () => {
  it("wires the generated tenant, the token endpoint and the Graph routes behind one HTTPS origin", async () => {
    expect(sim.tenant.userCount).toBe(10);
    expect(sim.tenant.apps.map((a) => a.clientId)).toEqual([sim.reader.clientId, sim.reclaimer.clientId]);
    const token = await tokenFor("reader");
    const res = await requestSim(`${sim.baseUrl}/v1.0/users?$select=id`, { ca: sim.caPem, headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect((res.json() as { value: unknown[] }).value).toHaveLength(10);
    expect(sim.stats.requests).toBeGreaterThan(0);
  });

  it("lets Graph refuse the reclaimer a read permission it does not hold", async () => {
    const token = await tokenFor("reclaimer");
    const res = await requestSim(`${sim.baseUrl}/v1.0/subscribedSkus`, { ca: sim.caPem, headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(403);
  });

  it("answers Graph's 401 without a token and a Graph-style 404 outside Graph and Entra", async () => {
    expect((await requestSim(`${sim.baseUrl}/v1.0/users`, { ca: sim.caPem })).status).toBe(401);
    expect((await requestSim(`${sim.baseUrl}/elsewhere`, { ca: sim.caPem })).status).toBe(404);
  });
});
