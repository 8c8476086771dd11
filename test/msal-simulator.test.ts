/**
 * A client nobody here wrote — @azure/msal-node — against the simulator's Entra token endpoint.
 * Once in a child process with an unmodified MSAL network stack (trusting the simulator CA through
 * NODE_EXTRA_CA_CERTS), otherwise in-process with a network client over node:https that trusts the CA
 * and records every request MSAL makes.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfidentialClientApplication } from "@azure/msal-node";
import type { Configuration, INetworkModule, NetworkRequestOptions, NetworkResponse } from "@azure/msal-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSimulator, SimIdentity } from "../simulator/contract.ts";
import { buildClientAssertion } from "../simulator/auth/build-client-assertion.ts";
import { createAppIdentity, generateRsaKeyPair } from "../simulator/auth/certificates.ts";
import { msalAuthorityOptions } from "../core/msal-authority-options.ts";
import { assembleSimulator } from "../simulator/server/assemble-simulator.ts";
import { fakeCreateGraphHandler, fakeGenerateTenant } from "../simulator/server/fake-sim-parts.ts";
import { writeSimulatorFiles } from "../simulator/write-simulator-files.ts";
import type { SimulatorFiles } from "../simulator/write-simulator-files.ts";

const SCOPES = ["https://graph.microsoft.com/.default"];
let sim: RunningSimulator;
let dir: string;
let files: SimulatorFiles;
let stranger: SimIdentity;

beforeAll(async () => {
  sim = await assembleSimulator({ users: 10, seed: 11 }, { generateTenant: fakeGenerateTenant, createGraphHandler: fakeCreateGraphHandler });
  dir = await mkdtemp(join(tmpdir(), "seatwise-msal-"));
  files = await writeSimulatorFiles(sim, dir);
  stranger = createAppIdentity(sim.reader.clientId, "Stranger", await generateRsaKeyPair());
});

afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

/** An MSAL network module over node:https that trusts `ca` and records each request as "METHOD path". */
function recordingNetworkClient(ca: string, log: string[]): INetworkModule {
  function send<T>(method: "GET" | "POST", url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    log.push(`${method} ${new URL(url).pathname}`);
    return new Promise((resolve, reject) => {
      const req = request(url, { method, headers: options?.headers, ca }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
          resolve({ headers, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as T, status: res.statusCode ?? 0 });
        });
      });
      req.on("error", reject);
      req.end(options?.body);
    });
  }
  return { sendGetRequestAsync: (url, options) => send("GET", url, options), sendPostRequestAsync: (url, options) => send("POST", url, options) };
}

function app(auth: Partial<Configuration["auth"]>, log: string[] = [], authority = msalAuthorityOptions(sim.baseUrl, sim.tenant.tenantId)): ConfidentialClientApplication {
  return new ConfidentialClientApplication({
    auth: { clientId: sim.reader.clientId, ...authority, ...auth },
    system: { networkClient: recordingNetworkClient(sim.caPem, log) },
  });
}

function rolesOf(accessToken: string): unknown {
  return (JSON.parse(Buffer.from(accessToken.split(".")[1]!, "base64url").toString("utf8")) as { roles?: unknown }).roles;
}

/** Runs `code` as an ES module in a child `node` (cwd = repo, so `@azure/msal-node` resolves) with stdin `input`. */
function runChild(code: string, input: string, env: Record<string, string>, base: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", code], { cwd: process.cwd(), env: { ...base, ...env }, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (exitCode) => resolve({ code: exitCode, stdout, stderr }));
    child.stdin.end(input);
  });
}

const CHILD = `
import { ConfidentialClientApplication } from "@azure/msal-node";
import { readFileSync } from "node:fs";
const input = JSON.parse(readFileSync(0, "utf8"));
const cca = new ConfidentialClientApplication({ auth: {
  clientId: input.clientId, ...input.authority,
  clientCertificate: { thumbprintSha256: input.thumbprintSha256, privateKey: readFileSync(input.pemFile, "utf8") },
} });
const result = await cca.acquireTokenByClientCredential({ scopes: ["https://graph.microsoft.com/.default"] });
process.stdout.write(JSON.stringify({ tokenType: result.tokenType, accessToken: result.accessToken }));
`;

describe("@azure/msal-node against the simulator", () => {
  it("obtains a token with reader.pem (PS256, x5t#S256) through MSAL's own network stack trusting ca.pem", async () => {
    const out = await runChild(
      CHILD,
      JSON.stringify({ clientId: sim.reader.clientId, thumbprintSha256: sim.reader.thumbprintSha256, pemFile: files.readerPem, authority: msalAuthorityOptions(sim.baseUrl, sim.tenant.tenantId) }),
      { NODE_EXTRA_CA_CERTS: files.caFile },
    );
    expect(out.stderr.replace(/.*ExperimentalWarning.*\n?/g, "")).toBe("");
    expect(out.code).toBe(0);
    const result = JSON.parse(out.stdout) as { tokenType: string; accessToken: string };
    expect(result.tokenType).toBe("Bearer");
    expect(rolesOf(result.accessToken)).toEqual(sim.tenant.apps[0]!.roles);
  });

  it("fails in that child process when the simulator CA is not trusted", async () => {
    const env = { ...process.env };
    delete env["NODE_EXTRA_CA_CERTS"];
    const out = await runChild(
      CHILD,
      JSON.stringify({ clientId: sim.reader.clientId, thumbprintSha256: sim.reader.thumbprintSha256, pemFile: files.readerPem, authority: msalAuthorityOptions(sim.baseUrl, sim.tenant.tenantId) }),
      {},
      env,
    );
    expect(out.code).not.toBe(0);
    // MSAL 7 sends with the global fetch; the TLS failure surfaces as its network_error.
    expect(out.stderr).toContain("network_error");
  });

  it("obtains a token with reader.pem (RS256, SHA-1 x5t) with a single POST and no metadata request", async () => {
    const log: string[] = [];
    const pem = await readFile(files.readerPem, "utf8");
    const result = await app({ clientCertificate: { thumbprint: sim.reader.thumbprintSha1, privateKey: pem } }, log).acquireTokenByClientCredential({ scopes: SCOPES });
    expect(rolesOf(result!.accessToken)).toEqual(sim.tenant.apps[0]!.roles);
    expect(log).toEqual([`POST /${sim.tenant.tenantId}/oauth2/v2.0/token`]);
  });

  it("fetches the simulator's OpenID configuration when only knownAuthorities is set", async () => {
    const log: string[] = [];
    const { authority, knownAuthorities } = msalAuthorityOptions(sim.baseUrl, sim.tenant.tenantId);
    const cca = app({ clientCertificate: { thumbprintSha256: sim.reader.thumbprintSha256, privateKey: sim.reader.privateKeyPem } }, log, { authority, knownAuthorities, authorityMetadata: "" });
    const result = await cca.acquireTokenByClientCredential({ scopes: SCOPES });
    expect(rolesOf(result!.accessToken)).toEqual(sim.tenant.apps[0]!.roles);
    expect(log).toEqual([`GET /${sim.tenant.tenantId}/v2.0/.well-known/openid-configuration`, `POST /${sim.tenant.tenantId}/oauth2/v2.0/token`]);
  });

  it("gives the reclaimer only its two permissions", async () => {
    const cca = app({ clientId: sim.reclaimer.clientId, clientCertificate: { thumbprintSha256: sim.reclaimer.thumbprintSha256, privateKey: sim.reclaimer.privateKeyPem } });
    const result = await cca.acquireTokenByClientCredential({ scopes: SCOPES });
    expect(rolesOf(result!.accessToken)).toEqual(["LicenseAssignment.ReadWrite.All", "User.Read.All"]);
  });

  it("is refused with AADSTS700027 when the assertion is signed by another key", async () => {
    const cca = app({ clientCertificate: { thumbprintSha256: sim.reader.thumbprintSha256, privateKey: stranger.privateKeyPem } });
    await expect(cca.acquireTokenByClientCredential({ scopes: SCOPES })).rejects.toMatchObject({ errorCode: "invalid_client", message: expect.stringContaining("AADSTS700027") });
  });

  it("is refused with AADSTS700016 for an unknown client", async () => {
    const cca = app({ clientId: "cccccccc-0000-4000-8000-000000000000", clientCertificate: { thumbprintSha256: sim.reader.thumbprintSha256, privateKey: sim.reader.privateKeyPem } });
    await expect(cca.acquireTokenByClientCredential({ scopes: SCOPES })).rejects.toMatchObject({ errorCode: "unauthorized_client", message: expect.stringContaining("AADSTS700016") });
  });

  it("is refused with AADSTS700024 for an expired assertion", async () => {
    const aud = `${sim.baseUrl}/${sim.tenant.tenantId}/oauth2/v2.0/token`;
    const cca = app({ clientAssertion: buildClientAssertion({ identity: sim.reader, audience: aud, nowSeconds: Math.floor(Date.now() / 1000) - 7200 }) });
    await expect(cca.acquireTokenByClientCredential({ scopes: SCOPES })).rejects.toMatchObject({ errorCode: "invalid_client", message: expect.stringContaining("AADSTS700024") });
  });

  it("refuses a replayed jti", async () => {
    const aud = `${sim.baseUrl}/${sim.tenant.tenantId}/oauth2/v2.0/token`;
    const assertion = buildClientAssertion({ identity: sim.reader, audience: aud });
    await app({ clientAssertion: assertion }).acquireTokenByClientCredential({ scopes: SCOPES });
    await expect(app({ clientAssertion: assertion }).acquireTokenByClientCredential({ scopes: SCOPES })).rejects.toMatchObject({ errorCode: "invalid_client", message: expect.stringContaining("AADSTS70002") });
  });

  it("refuses an assertion for another audience", async () => {
    const aud = `https://login.microsoftonline.com/${sim.tenant.tenantId}/oauth2/v2.0/token`;
    const cca = app({ clientAssertion: buildClientAssertion({ identity: sim.reader, audience: aud }) });
    await expect(cca.acquireTokenByClientCredential({ scopes: SCOPES })).rejects.toMatchObject({ errorCode: "invalid_client", message: expect.stringContaining("AADSTS700023") });
  });

  it("sees MSAL resend its cached assertion under skipCache, which the simulator refuses as a replay", async () => {
    const cca = app({ clientCertificate: { thumbprintSha256: sim.reader.thumbprintSha256, privateKey: sim.reader.privateKeyPem } });
    await cca.acquireTokenByClientCredential({ scopes: SCOPES });
    await expect(cca.acquireTokenByClientCredential({ scopes: SCOPES, skipCache: true })).rejects.toMatchObject({ message: expect.stringContaining("AADSTS70002") });
  });

  it("serves MSAL's cached token without another request", async () => {
    const log: string[] = [];
    const cca = app({ clientCertificate: { thumbprintSha256: sim.reader.thumbprintSha256, privateKey: sim.reader.privateKeyPem } }, log);
    await cca.acquireTokenByClientCredential({ scopes: SCOPES });
    const second = await cca.acquireTokenByClientCredential({ scopes: SCOPES });
    expect(second?.fromCache).toBe(true);
    expect(log).toHaveLength(1);
  });
});
