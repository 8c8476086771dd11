/**
 * The simulated Entra ID endpoints: the token endpoint `POST /{tenant}/oauth2/v2.0/token` (client
 * credentials with a certificate assertion, ../shared/reference/graph-api-facts.md §11) and the
 * metadata @azure/msal-node may fetch: `GET /{tenant}/v2.0/.well-known/openid-configuration`,
 * `GET /common/discovery/instance` and the tenant's `jwks_uri`. Assertions and tokens are never
 * logged or echoed.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { SimHandler } from "../contract.ts";
import type { SimAppRegistration, SimTenant } from "../model.ts";
import { MICROSOFT_GRAPH_APP_ID } from "../../core/permissions.ts";
import { GRAPH_RESOURCE } from "./create-access-token-service.ts";
import type { AccessTokenService } from "./create-access-token-service.ts";
import { entraErrorBody } from "./entra-error.ts";
import type { EntraRefusal } from "./entra-error.ts";
import { ASSERTION_CLOCK_SKEW_SECONDS, verifyClientAssertion } from "./verify-client-assertion.ts";

/** The only client assertion type the Microsoft identity platform accepts. */
export const JWT_BEARER_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/** The Entra part of the simulator's HTTP surface. */
export interface EntraEndpoints {
  /** True when `pathname` belongs to the Entra endpoints (token, metadata). */
  owns(pathname: string): boolean;
  handle: SimHandler;
}

const TOKEN_PATH = /^\/([^/]+)\/oauth2\/v2\.0\/token\/?$/i;
const OPENID_PATH = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration\/?$/i;
const KEYS_PATH = /^\/([^/]+)\/discovery\/v2\.0\/keys\/?$/i;
const INSTANCE_PATH = /^\/common\/discovery\/instance\/?$/i;

/** Expired `jti`s are purged from the replay memory once per this many token requests. */
const REPLAY_SWEEP_EVERY = 256;

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function refusal(status: 400 | 401, error: EntraRefusal["error"], code: number, message: string): EntraRefusal {
  return { status, error, code, message };
}

/** AADSTS900144 (Entra error-code table: missing required request parameter). */
function missing(name: string): EntraRefusal {
  return refusal(400, "invalid_request", 900144, `The request body must contain the following parameter: '${name}'.`);
}

/**
 * Creates the Entra endpoints for `tenant`. `baseUrl` is the simulator's origin (known once the
 * server listens); `clock` is the wall clock in ms (default `Date.now`) — assertion and token times
 * are real time, never the tenant's data clock.
 */
export function createEntraHandler(options: { tenant: SimTenant; tokens: AccessTokenService; baseUrl: () => string; clock?: () => number }): EntraEndpoints {
  const { tenant, tokens } = options;
  const clock = options.clock ?? Date.now;
  /** `${clientId}:${jti}` → exp of assertions already redeemed. */
  const redeemed = new Map<string, number>();
  let sinceSweep = 0;

  function tenantMatches(segment: string): boolean {
    const s = safeDecode(segment).toLowerCase();
    return s === tenant.tenantId.toLowerCase() || tenant.domains.some((d) => d.toLowerCase() === s);
  }

  function tenantNotFound(segment: string): EntraRefusal {
    // AADSTS90002 "Tenant not found" (graph-api-facts.md §11).
    return refusal(
      400,
      "invalid_request",
      90002,
      `Tenant '${safeDecode(segment)}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    );
  }

  function audiences(): string[] {
    const base = options.baseUrl();
    return [tenant.tenantId, ...tenant.domains].flatMap((t) => [`${base}/${t}/oauth2/v2.0/token`, `${base}/${t}/oauth2/token`]);
  }

  function isReplay(app: SimAppRegistration, jti: string, exp: number, nowSeconds: number): boolean {
    if (++sinceSweep >= REPLAY_SWEEP_EVERY) {
      sinceSweep = 0;
      for (const [k, e] of redeemed) if (e + ASSERTION_CLOCK_SKEW_SECONDS < nowSeconds) redeemed.delete(k);
    }
    const key = `${app.clientId}:${jti}`;
    const seen = redeemed.get(key);
    if (seen !== undefined && seen + ASSERTION_CLOCK_SKEW_SECONDS >= nowSeconds) return true;
    redeemed.set(key, exp);
    return false;
  }

  /**
   * The Graph resource a client-credentials scope names, or a refusal. Graph is known as
   * `https://graph.microsoft.com`, by its app id, and as this simulator's own origin (a client that
   * derives the scope from its configured Graph endpoint asks for `<baseUrl>/.default`).
   */
  function resourceOf(scope: string): { resource: string } | EntraRefusal {
    const scopes = scope.split(" ").filter((s) => s.length > 0);
    for (const s of scopes) {
      if (!s.endsWith("/.default")) {
        // AADSTS1002012 (Entra error-code table): client credentials need `<resource>/.default`.
        return refusal(400, "invalid_scope", 1002012, `The provided value for scope ${s} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
      }
    }
    const resources = new Set(scopes.map((s) => s.slice(0, -"/.default".length).replace(/\/+$/, "").toLowerCase()));
    const known = new Map([GRAPH_RESOURCE, MICROSOFT_GRAPH_APP_ID, options.baseUrl()].map((r) => [r.toLowerCase(), r]));
    const resource = resources.size === 1 ? known.get([...resources][0]!) : undefined;
    if (!resource) {
      // AADSTS70011, exactly as graph-examples/error-token-invalid_scope.json.
      return refusal(400, "invalid_scope", 70011, `The provided value for the input parameter 'scope' is not valid. The scope ${scopes.join(" ")} is not valid.`);
    }
    return { resource };
  }

  /** Runs every check of a token request; the app and its accepted assertion, or a refusal. */
  function authenticate(segment: string, method: string, form: URLSearchParams, nowSeconds: number): { app: SimAppRegistration; resource: string } | EntraRefusal {
    if (method !== "POST") {
      // AADSTS900561 (Entra error-code table: the token endpoint only accepts POST).
      return refusal(400, "invalid_request", 900561, `The endpoint only accepts POST, OPTIONS requests. Received a ${method} request.`);
    }
    if (!tenantMatches(segment)) return tenantNotFound(segment);
    const grantType = form.get("grant_type");
    if (!grantType) return missing("grant_type");
    if (grantType !== "client_credentials") {
      // AADSTS70003 (Entra error-code table: UnsupportedGrantType); Seatwise only uses client credentials.
      return refusal(400, "unsupported_grant_type", 70003, `The app requested an unsupported grant type '${grantType}'.`);
    }
    const clientId = form.get("client_id");
    if (!clientId) return missing("client_id");
    const scope = form.get("scope");
    if (!scope) return missing("scope");
    const app = tenant.apps.find((a) => a.clientId.toLowerCase() === clientId.toLowerCase());
    if (!app) {
      // AADSTS700016 (graph-api-facts.md §11: app not found in the tenant). Entra answers it as
      // unauthorized_client with 400 for the client credentials grant.
      return refusal(
        400,
        "unauthorized_client",
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${tenant.displayName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
      );
    }
    const assertion = form.get("client_assertion");
    const assertionType = form.get("client_assertion_type");
    if (!assertion) {
      if (form.get("client_secret")) {
        // AADSTS7000215 (graph-api-facts.md §11: invalid secret); simulated apps only have certificates.
        return refusal(401, "invalid_client", 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`);
      }
      // AADSTS7000216 (Entra error-code table): a confidential client must authenticate.
      return refusal(401, "invalid_client", 7000216, "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.");
    }
    if (!assertionType) return missing("client_assertion_type");
    if (assertionType !== JWT_BEARER_ASSERTION_TYPE) {
      // AADSTS70002 InvalidClient "Error validating the credentials" (Entra error-code table): the
      // closest documented code for an unsupported assertion type.
      return refusal(400, "invalid_request", 70002, `Error validating credentials. The client_assertion_type '${assertionType}' is not supported; use '${JWT_BEARER_ASSERTION_TYPE}'.`);
    }
    const result = verifyClientAssertion({ assertion, app, audiences: audiences(), nowSeconds });
    if (!result.ok) return result.refusal;
    if (isReplay(app, result.assertion.jti, result.assertion.exp, nowSeconds)) {
      // AADSTS70002 InvalidClient "Error validating the credentials" (Entra error-code table): our
      // reference names no dedicated code for a replayed jti.
      return refusal(401, "invalid_client", 70002, "Error validating credentials. The client assertion 'jti' has already been used; sign a new assertion with a unique 'jti'.");
    }
    const resource = resourceOf(scope);
    return "error" in resource ? resource : { app, resource: resource.resource };
  }

  function send(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
    const payload = Buffer.from(JSON.stringify(body));
    res.writeHead(status, {
      "content-type": "application/json; charset=utf-8",
      "content-length": String(payload.length),
      "cache-control": "no-store, no-cache",
      pragma: "no-cache",
      ...extra,
    });
    res.end(payload);
  }

  function correlationIdOf(req: IncomingMessage, url: URL): string | undefined {
    const header = req.headers["client-request-id"];
    const value = (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get("client-request-id") ?? undefined;
    return value && /^[0-9a-fA-F-]{36}$/.test(value) ? value : undefined;
  }

  function tokenRequest(req: IncomingMessage, res: ServerResponse, body: Buffer, url: URL, segment: string): void {
    const nowMs = clock();
    const nowSeconds = Math.floor(nowMs / 1000);
    const traceId = randomUUID();
    const correlationId = correlationIdOf(req, url) ?? randomUUID();
    const headers = { "x-ms-request-id": traceId, "client-request-id": correlationId };
    const contentType = String(req.headers["content-type"] ?? "").toLowerCase();
    const form = contentType.startsWith("application/x-www-form-urlencoded") ? new URLSearchParams(body.toString("utf8")) : new URLSearchParams();
    const outcome = authenticate(segment, req.method ?? "GET", form, nowSeconds);
    if ("error" in outcome) {
      send(res, outcome.status, entraErrorBody(outcome, { now: new Date(nowMs), authorityHost: options.baseUrl(), correlationId, traceId }), headers);
      return;
    }
    const { accessToken, expiresIn } = tokens.issue(outcome.app, nowSeconds, outcome.resource);
    send(res, 200, { token_type: "Bearer", expires_in: expiresIn, ext_expires_in: expiresIn, access_token: accessToken }, headers);
  }

  function openIdConfiguration(res: ServerResponse, segment: string): void {
    if (!tenantMatches(segment)) {
      send(res, 400, entraErrorBody(tenantNotFound(segment), { now: new Date(clock()), authorityHost: options.baseUrl() }));
      return;
    }
    const base = options.baseUrl();
    const t = tenant.tenantId;
    send(res, 200, {
      token_endpoint: `${base}/${t}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
      jwks_uri: `${base}/${t}/discovery/v2.0/keys`,
      response_modes_supported: ["query", "fragment", "form_post"],
      subject_types_supported: ["pairwise"],
      id_token_signing_alg_values_supported: ["RS256"],
      response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
      scopes_supported: ["openid", "profile", "email", "offline_access"],
      issuer: `${base}/${t}/v2.0`,
      request_uri_parameter_supported: false,
      authorization_endpoint: `${base}/${t}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/${t}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/${t}/oauth2/v2.0/logout`,
      claims_supported: ["sub", "iss", "cloud_instance_name", "cloud_instance_host_name", "cloud_graph_host_name", "msgraph_host", "aud", "exp", "iat", "auth_time", "acr", "nonce", "preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email"],
      tenant_region_scope: "EU",
      cloud_instance_name: "microsoftonline.com",
      cloud_graph_host_name: "graph.windows.net",
      msgraph_host: "graph.microsoft.com",
    });
  }

  function instanceDiscovery(res: ServerResponse): void {
    const base = options.baseUrl();
    const host = new URL(base).host;
    send(res, 200, {
      tenant_discovery_endpoint: `${base}/{tenant}/v2.0/.well-known/openid-configuration`,
      "api-version": "1.1",
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    });
  }

  return {
    owns(pathname) {
      return TOKEN_PATH.test(pathname) || OPENID_PATH.test(pathname) || KEYS_PATH.test(pathname) || INSTANCE_PATH.test(pathname);
    },
    async handle(req, res, body) {
      const url = new URL(req.url ?? "/", "https://simulator.invalid");
      const path = url.pathname;
      let m: RegExpExecArray | null;
      if ((m = TOKEN_PATH.exec(path))) return tokenRequest(req, res, body, url, m[1]!);
      if ((m = OPENID_PATH.exec(path))) return openIdConfiguration(res, m[1]!);
      if (KEYS_PATH.test(path)) return send(res, 200, tokens.jwks());
      if (INSTANCE_PATH.test(path)) return instanceDiscovery(res);
      send(res, 404, entraErrorBody(refusal(400, "invalid_request", 900561, `No Entra endpoint at ${path}.`), { now: new Date(clock()), authorityHost: options.baseUrl() }));
    },
  };
}
