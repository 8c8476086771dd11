/**
 * Test fixtures: a tiny tenant and a Graph handler that only checks the bearer token, so the
 * server, the Entra endpoints and the output files can be tested without the real tenant generator
 * and Graph routes. Not used by `startSimulator`.
 */
import { request as httpsRequest } from "node:https";
import type { Agent } from "node:https";
import type { AccessTokenVerifier, SimFaults, SimHandler, SimStats } from "../contract.ts";
import type { SimAppRegistration, SimModes, SimTenant, SimUser } from "../model.ts";
import type { GenerateTenant } from "./assemble-simulator.ts";

function fakeUser(i: number, domain: string): SimUser {
  const hex = i.toString(16).padStart(12, "0");
  return {
    index: i,
    id: `00000000-0000-4000-8000-${hex}`,
    userPrincipalName: `user${i}@${domain}`,
    displayName: `User ${i}`,
    givenName: "User",
    surname: String(i),
    mail: `user${i}@${domain}`,
    otherMails: [],
    proxyAddresses: [],
    userType: "Member",
    accountEnabled: i % 3 !== 2,
    createdDateTime: "2024-01-01T00:00:00Z",
    department: "Sales",
    companyName: null,
    jobTitle: null,
    employeeId: null,
    officeLocation: null,
    streetAddress: null,
    city: null,
    state: null,
    postalCode: null,
    country: "France",
    usageLocation: "FR",
    preferredLanguage: null,
    onPremisesSyncEnabled: null,
    onPremisesExtensionAttributes: {},
    managerId: null,
    licenses: [],
    signInActivity: { lastSignInDateTime: null, lastNonInteractiveSignInDateTime: null, lastSuccessfulSignInDateTime: null },
    mfa: { isMfaRegistered: false, isMfaCapable: false, isAdmin: false, isSsprRegistered: false, methodsRegistered: [], defaultMethod: "none" },
    mailbox: { kind: "user", storageUsedBytes: 0, itemCount: 0, hasArchive: false, createdDate: null },
    apps: { windows: false, mac: false, mobile: false, web: false, lastActivityDate: null, activations: [] },
    oneDrive: { storageUsedBytes: 0, fileCount: 0, activeFileCount: 0, lastActivityDate: null },
    activity: { exchange: null, oneDrive: null, sharePoint: null, teams: null, yammer: null, skypeForBusiness: null, outlook: null, powerBi: null, project: null, visio: null, dynamics: null, copilot: null },
    copilot: null,
    persona: i % 3 === 2 ? "blocked" : "regular",
    truth: { reclaim: i % 3 === 2 ? ["05e9a617-0261-4cee-bb44-138d3ef5d965"] : [], reclaimViaGroup: [], downgrade: [], traps: i === 0 ? ["breakGlass"] : [], review: [] },
  };
}

/** A tenant of `users` lazily built users with the given apps; nothing else in it. */
export function fakeTenant(options: { users: number; seed: number; now: Date; modes: SimModes; apps: SimAppRegistration[] }): SimTenant {
  const domain = "contoso.onmicrosoft.com";
  return {
    tenantId: "11111111-2222-4333-8444-555555555555",
    displayName: "Contoso",
    domains: [domain, "contoso.com"],
    now: options.now,
    seed: options.seed,
    modes: options.modes,
    userCount: options.users,
    userAt: (i) => fakeUser(i, domain),
    indexOf: (idOrUpn) => {
      const m = /^user(\d+)@/i.exec(idOrUpn);
      const i = m ? Number(m[1]) : -1;
      return i >= 0 && i < options.users ? i : -1;
    },
    skus: [],
    consumedUnits: () => 0,
    groups: [],
    servicePrincipals: [],
    apps: options.apps,
    signIns: () => [],
    setLicenses: () => undefined,
  };
}

export const fakeGenerateTenant: GenerateTenant = fakeTenant;

/**
 * A Graph handler that answers `GET /v1.0/me-token` with the verified claims of the bearer token,
 * 401 `InvalidAuthenticationToken` when the token does not verify, and counts requests.
 */
export function fakeCreateGraphHandler(options: { tenant: SimTenant; tokens: AccessTokenVerifier; timeScale: number; faults: SimFaults; baseUrl: () => string }): { handle: SimHandler; stats: SimStats } {
  const stats: SimStats = {
    requests: 0,
    throttled: 0,
    faults: 0,
    bytesOut: 0,
    byEndpoint: {},
    reset() {
      stats.requests = 0;
    },
  };
  const handle: SimHandler = async (req, res) => {
    stats.requests++;
    const auth = String(req.headers.authorization ?? "");
    const claims = auth.startsWith("Bearer ") ? options.tokens.verify(auth.slice(7)) : null;
    const body = claims
      ? { claims, baseUrl: options.baseUrl() }
      : { error: { code: "InvalidAuthenticationToken", message: "Access token validation failure.", innerError: {} } };
    res.writeHead(claims ? 200 : 401, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  return { handle, stats };
}

/** A response read fully by `requestSim`. */
export interface SimTestResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json(): unknown;
}

/** One HTTPS request to a simulator, trusting only `ca` (no global trust store involved). */
export function requestSim(url: string, options: { ca: string; method?: string; headers?: Record<string, string>; body?: string; agent?: Agent }): Promise<SimTestResponse> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { method: options.method ?? "GET", headers: options.headers, ca: options.ca, agent: options.agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) as unknown });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

/** POSTs a form to the token endpoint of `tenant` at `baseUrl`. */
export function postTokenForm(baseUrl: string, tenant: string, form: Record<string, string>, ca: string): Promise<SimTestResponse> {
  return requestSim(`${baseUrl}/${tenant}/oauth2/v2.0/token`, {
    ca,
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
  });
}
