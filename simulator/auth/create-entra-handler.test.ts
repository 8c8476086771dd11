import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../contract.ts";
import { assembleSimulator } from "../server/assemble-simulator.ts";
import { fakeCreateGraphHandler, fakeGenerateTenant, postTokenForm, requestSim } from "../server/fake-sim-parts.ts";
import { buildClientAssertion } from "./build-client-assertion.ts";
import { createAppIdentity, generateRsaKeyPair } from "./certificates.ts";
import type { SimIdentity } from "../contract.ts";
import { decodeJwt } from "./jwt.ts";

const GRAPH_SCOPE = "https://graph.microsoft.com/.default";
const ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
// Keys of ../shared/reference/graph-examples/token-response-success.json plus ext_expires_in (toolchain facts D).
const SUCCESS_KEYS = ["access_token", "expires_in", "ext_expires_in", "token_type"];
// Keys of ../shared/reference/graph-examples/error-token-invalid_scope.json plus error_uri (newer doc versions).
const ERROR_KEYS = ["correlation_id", "error", "error_codes", "error_description", "error_uri", "timestamp", "trace_id"];

let sim: RunningSimulator;
let stranger: SimIdentity;
let tenantId: string;
let tokenUrl: string;

beforeAll(async () => {
  sim = await assembleSimulator({ users: 10, seed: 7 }, { generateTenant: fakeGenerateTenant, createGraphHandler: fakeCreateGraphHandler });
  stranger = createAppIdentity(sim.reader.clientId, "Stranger", await generateRsaKeyPair());
  tenantId = sim.tenant.tenantId;
  tokenUrl = `${sim.baseUrl}/${tenantId}/oauth2/v2.0/token`;
});

afterAll(() => sim.close());

function form(assertion: string, overrides: Record<string, string> = {}): Record<string, string> {
  return { client_id: sim.reader.clientId, scope: GRAPH_SCOPE, client_assertion_type: ASSERTION_TYPE, client_assertion: assertion, grant_type: "client_credentials", ...overrides };
}

async function refusal(body: Record<string, string>, tenant = tenantId) {
  const res = await postTokenForm(sim.baseUrl, tenant, body, sim.caPem);
  const json = res.json() as Record<string, unknown>;
  return { status: res.status, error: json["error"], code: (json["error_codes"] as number[] | undefined)?.[0], json };
}

describe("Entra token endpoint", () => {
  it("issues a bearer token in Entra's success shape for a valid PS256 assertion", async () => {
    const res = await postTokenForm(sim.baseUrl, tenantId, form(buildClientAssertion({ identity: sim.reader, audience: tokenUrl })), sim.caPem);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    expect(res.headers["cache-control"]).toContain("no-store");
    const body = res.json() as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(SUCCESS_KEYS);
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599 });
    const claims = decodeJwt(String(body["access_token"]))!.payload;
    expect(claims["roles"]).toEqual(sim.tenant.apps[0]!.roles);
    expect(claims["appid"]).toBe(sim.reader.clientId);
  });

  it("issues the reclaimer only LicenseAssignment.ReadWrite.All and User.Read.All", async () => {
    const assertion = buildClientAssertion({ identity: sim.reclaimer, audience: tokenUrl, alg: "RS256" });
    const res = await postTokenForm(sim.baseUrl, tenantId, form(assertion, { client_id: sim.reclaimer.clientId }), sim.caPem);
    expect(decodeJwt(String((res.json() as Record<string, unknown>)["access_token"]))!.payload["roles"]).toEqual(["LicenseAssignment.ReadWrite.All", "User.Read.All"]);
  });

  it("issues a token the Graph side accepts", async () => {
    const res = await postTokenForm(sim.baseUrl, tenantId, form(buildClientAssertion({ identity: sim.reader, audience: tokenUrl })), sim.caPem);
    const token = String((res.json() as Record<string, unknown>)["access_token"]);
    const graph = await requestSim(`${sim.baseUrl}/v1.0/me-token`, { ca: sim.caPem, headers: { authorization: `Bearer ${token}` } });
    expect(graph.status).toBe(200);
    expect((graph.json() as { claims: { roles: string[] } }).claims.roles).toEqual(sim.tenant.apps[0]!.roles);
  });

  it("accepts Graph named by its app id or by the simulator's origin, and the Graph side accepts that audience", async () => {
    for (const scope of ["00000003-0000-0000-c000-000000000000/.default", `${sim.baseUrl}/.default`]) {
      const res = await postTokenForm(sim.baseUrl, tenantId, form(buildClientAssertion({ identity: sim.reader, audience: tokenUrl }), { scope }), sim.caPem);
      expect(res.status).toBe(200);
      const token = String((res.json() as Record<string, unknown>)["access_token"]);
      expect(decodeJwt(token)!.payload["aud"]).toBe(scope.slice(0, -"/.default".length));
      const graph = await requestSim(`${sim.baseUrl}/v1.0/me-token`, { ca: sim.caPem, headers: { authorization: `Bearer ${token}` } });
      expect(graph.status).toBe(200);
    }
  });

  it("accepts the tenant's domain in the path and in the audience", async () => {
    const domain = sim.tenant.domains[0]!;
    const aud = `${sim.baseUrl}/${domain}/oauth2/v2.0/token`;
    const res = await postTokenForm(sim.baseUrl, domain, form(buildClientAssertion({ identity: sim.reader, audience: aud })), sim.caPem);
    expect(res.status).toBe(200);
  });

  it("answers errors in Entra's body shape with the caller's correlation id", async () => {
    const correlation = "0a0b0c0d-1111-4222-8333-444455556666";
    const res = await requestSim(tokenUrl, {
      ca: sim.caPem,
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "client-request-id": correlation },
      body: new URLSearchParams(form(buildClientAssertion({ identity: sim.reader, audience: tokenUrl }), { scope: "https://foo.microsoft.com/.default" })).toString(),
    });
    expect(res.status).toBe(400);
    const body = res.json() as Record<string, string>;
    expect(Object.keys(body).sort()).toEqual(ERROR_KEYS);
    expect(body["error"]).toBe("invalid_scope");
    expect(body["error_codes"]).toEqual([70011]);
    expect(body["correlation_id"]).toBe(correlation);
    expect(body["timestamp"]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z$/);
    expect(body["error_description"]).toBe(
      `AADSTS70011: The provided value for the input parameter 'scope' is not valid. The scope https://foo.microsoft.com/.default is not valid.\r\nTrace ID: ${body["trace_id"]}\r\nCorrelation ID: ${correlation}\r\nTimestamp: ${body["timestamp"]}`,
    );
    expect(body["error_uri"]).toBe(`${sim.baseUrl}/error?code=70011`);
  });

  it("refuses a scope without /.default with AADSTS1002012", async () => {
    const r = await refusal(form(buildClientAssertion({ identity: sim.reader, audience: tokenUrl }), { scope: "https://graph.microsoft.com/User.Read.All" }));
    expect(r).toMatchObject({ status: 400, error: "invalid_scope", code: 1002012 });
  });

  it("refuses an assertion signed by another key with 401 AADSTS700027", async () => {
    const r = await refusal(form(buildClientAssertion({ identity: sim.reader, audience: tokenUrl, signingKeyPem: stranger.privateKeyPem })));
    expect(r).toMatchObject({ status: 401, error: "invalid_client", code: 700027 });
  });

  it("refuses a certificate that is not registered with AADSTS700027", async () => {
    const r = await refusal(form(buildClientAssertion({ identity: stranger, audience: tokenUrl })));
    expect(r).toMatchObject({ status: 401, error: "invalid_client", code: 700027 });
  });

  it("refuses an unknown client with AADSTS700016", async () => {
    const unknown = "bbbbbbbb-0000-4000-8000-000000000009";
    const r = await refusal(form(buildClientAssertion({ identity: { ...sim.reader, clientId: unknown }, audience: tokenUrl }), { client_id: unknown }));
    expect(r).toMatchObject({ status: 400, error: "unauthorized_client", code: 700016 });
    expect(String(r.json["error_description"])).toContain(`Application with identifier '${unknown}' was not found in the directory`);
  });

  it("refuses an expired assertion with AADSTS700024", async () => {
    const r = await refusal(form(buildClientAssertion({ identity: sim.reader, audience: tokenUrl, nowSeconds: Math.floor(Date.now() / 1000) - 3600 })));
    expect(r).toMatchObject({ status: 401, error: "invalid_client", code: 700024 });
  });

  it("refuses a replayed assertion", async () => {
    const assertion = buildClientAssertion({ identity: sim.reader, audience: tokenUrl });
    expect((await postTokenForm(sim.baseUrl, tenantId, form(assertion), sim.caPem)).status).toBe(200);
    expect(await refusal(form(assertion))).toMatchObject({ status: 401, error: "invalid_client", code: 70002 });
  });

  it("refuses an assertion addressed to another audience", async () => {
    const aud = `https://login.microsoftonline.com/${tenantId}/oauth2/v2.0/token`;
    expect(await refusal(form(buildClientAssertion({ identity: sim.reader, audience: aud })))).toMatchObject({ status: 401, error: "invalid_client", code: 700023 });
  });

  it("refuses an unknown tenant with AADSTS90002", async () => {
    const other = "99999999-0000-4000-8000-000000000000";
    const aud = `${sim.baseUrl}/${other}/oauth2/v2.0/token`;
    const r = await refusal(form(buildClientAssertion({ identity: sim.reader, audience: aud })), other);
    expect(r).toMatchObject({ status: 400, error: "invalid_request", code: 90002 });
  });

  it("names the missing parameter with AADSTS900144", async () => {
    const body = form(buildClientAssertion({ identity: sim.reader, audience: tokenUrl }));
    delete body["grant_type"];
    const r = await refusal(body);
    expect(r).toMatchObject({ status: 400, error: "invalid_request", code: 900144 });
    expect(String(r.json["error_description"])).toContain("'grant_type'");
  });

  it("refuses another grant type and a client secret", async () => {
    expect(await refusal(form("x", { grant_type: "password" }))).toMatchObject({ status: 400, error: "unsupported_grant_type", code: 70003 });
    expect(await refusal({ client_id: sim.reader.clientId, scope: GRAPH_SCOPE, grant_type: "client_credentials", client_secret: "s3cret" })).toMatchObject({ status: 401, code: 7000215 });
  });

  it("refuses GET on the token endpoint with AADSTS900561", async () => {
    const res = await requestSim(tokenUrl, { ca: sim.caPem });
    expect(res.status).toBe(400);
    expect((res.json() as { error_codes: number[] }).error_codes).toEqual([900561]);
  });

  it("never echoes the assertion in an error", async () => {
    const assertion = buildClientAssertion({ identity: sim.reader, audience: tokenUrl, signingKeyPem: stranger.privateKeyPem });
    const res = await postTokenForm(sim.baseUrl, tenantId, form(assertion), sim.caPem);
    expect(res.text).not.toContain(assertion.split(".")[2]!);
    expect(res.text).not.toContain(assertion.split(".")[1]!);
  });

  it("serves the tenant's OpenID configuration and signing keys", async () => {
    const res = await requestSim(`${sim.baseUrl}/${tenantId}/v2.0/.well-known/openid-configuration`, { ca: sim.caPem });
    expect(res.status).toBe(200);
    const config = res.json() as Record<string, string>;
    expect(config["token_endpoint"]).toBe(tokenUrl);
    const keys = await requestSim(config["jwks_uri"]!, { ca: sim.caPem });
    expect((keys.json() as { keys: { kid: string }[] }).keys).toHaveLength(1);
    const unknown = await requestSim(`${sim.baseUrl}/nope.example/v2.0/.well-known/openid-configuration`, { ca: sim.caPem });
    expect(unknown.status).toBe(400);
  });
});
