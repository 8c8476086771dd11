/**
 * Access tokens of the simulated Entra ID: app-only v1.0 JWTs for Microsoft Graph, shaped like the
 * ones Entra issues for the client credentials flow (aud `https://graph.microsoft.com`, iss
 * `https://sts.windows.net/{tid}/`, `appidacr` "2" for a certificate, `idtyp` "app", `roles` = the
 * application permissions granted, omitted when none), signed RS256 with the simulator's own key.
 * The same service verifies them for the Graph routes (`AccessTokenVerifier`).
 */
import { createHash, createPrivateKey, createPublicKey, randomBytes } from "node:crypto";
import type { KeyObject } from "node:crypto";
import type { AccessClaims, AccessTokenVerifier } from "../contract.ts";
import type { SimAppRegistration, SimTenant } from "../model.ts";
import { MICROSOFT_GRAPH_APP_ID } from "../../core/permissions.ts";
import type { RsaKeyPairPem } from "./certificates.ts";
import { base64UrlEncode, decodeJwt, signJwtRs256, verifyJwtSignature } from "./jwt.ts";

/** Resource the simulator issues tokens for. */
export const GRAPH_RESOURCE = "https://graph.microsoft.com";

/** Lifetime of an access token in seconds, as Entra answers `expires_in` (graph-examples/token-response-success.json). */
export const ACCESS_TOKEN_LIFETIME_SECONDS = 3599;

/** A JSON Web Key of the token-signing key, as served on the tenant's `jwks_uri`. */
export interface SigningJwk {
  kty: "RSA";
  use: "sig";
  kid: string;
  x5t: string;
  n: string;
  e: string;
}

/** Issues and verifies the simulator's access tokens. */
export interface AccessTokenService extends AccessTokenVerifier {
  /**
   * Issues an access token for `app`; `nowSeconds` is the wall clock; `audience` is the Graph
   * resource as requested (default `https://graph.microsoft.com`).
   */
  issue(app: SimAppRegistration, nowSeconds: number, audience?: string): { accessToken: string; expiresIn: number };
  /** The public signing key as a JWK set. */
  jwks(): { keys: SigningJwk[] };
}

/** The object id of the service principal of `clientId`: the tenant's, else a stable derived one. */
export function servicePrincipalIdFor(tenant: SimTenant, clientId: string): string {
  const sp = tenant.servicePrincipals.find((s) => s.appId === clientId);
  if (sp) return sp.id;
  const h = createHash("sha256").update(`sp:${tenant.tenantId}:${clientId}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Verified tokens kept to skip repeated RSA verification; tokens are few, requests many. */
const VERIFIED_CACHE_LIMIT = 1024;

/**
 * Creates the token service of `tenant`, signing with `signingKey`. `clock` returns the wall clock in
 * milliseconds (default `Date.now`); token lifetimes are real time, not the tenant's clock.
 * `baseUrl` (default none) is the simulator's origin, accepted as a Graph audience besides
 * `https://graph.microsoft.com` and the Graph app id: a client that derives its scope from its
 * configured Graph endpoint asks for `<baseUrl>/.default`.
 */
export function createAccessTokenService(options: { tenant: SimTenant; signingKey: RsaKeyPairPem; clock?: () => number; baseUrl?: () => string }): AccessTokenService {
  const { tenant } = options;
  const clock = options.clock ?? Date.now;
  const privateKey: KeyObject = createPrivateKey(options.signingKey.privateKeyPem);
  const publicKey: KeyObject = createPublicKey(options.signingKey.publicKeyPem);
  // Entra's kid/x5t is the base64url SHA-1 thumbprint of the signing certificate; ours has no
  // certificate, so the SPKI DER takes its place.
  const kid = base64UrlEncode(createHash("sha1").update(publicKey.export({ type: "spki", format: "der" })).digest());
  const issuer = `https://sts.windows.net/${tenant.tenantId}/`;
  const verified = new Map<string, AccessClaims>();

  function issue(app: SimAppRegistration, nowSeconds: number, audience: string = GRAPH_RESOURCE): { accessToken: string; expiresIn: number } {
    const oid = servicePrincipalIdFor(tenant, app.clientId);
    const payload: Record<string, unknown> = {
      aud: audience,
      iss: issuer,
      iat: nowSeconds,
      nbf: nowSeconds,
      exp: nowSeconds + ACCESS_TOKEN_LIFETIME_SECONDS,
      aio: base64UrlEncode(randomBytes(48)),
      app_displayname: app.displayName,
      appid: app.clientId,
      appidacr: "2",
      idp: issuer,
      idtyp: "app",
      oid,
      rh: `0.${base64UrlEncode(randomBytes(40))}.`,
      sub: oid,
      tid: tenant.tenantId,
      uti: base64UrlEncode(randomBytes(16)),
      ver: "1.0",
    };
    // Entra omits `roles` when the app holds no application permission.
    if (app.roles.length > 0) payload["roles"] = [...app.roles];
    const accessToken = signJwtRs256({ typ: "JWT", x5t: kid, kid }, payload, privateKey);
    return { accessToken, expiresIn: ACCESS_TOKEN_LIFETIME_SECONDS };
  }

  function verifyToken(bearer: string): AccessClaims | null {
    const nowSeconds = Math.floor(clock() / 1000);
    const cached = verified.get(bearer);
    if (cached) return cached.exp > nowSeconds ? cached : null;
    const jwt = decodeJwt(bearer);
    if (!jwt || jwt.header["alg"] !== "RS256" || jwt.header["kid"] !== kid) return null;
    if (!verifyJwtSignature("RS256", jwt, publicKey)) return null;
    const { aud, tid, iss, exp, nbf, appid, roles } = jwt.payload;
    if (aud !== GRAPH_RESOURCE && aud !== MICROSOFT_GRAPH_APP_ID && (options.baseUrl === undefined || aud !== options.baseUrl())) return null;
    if (tid !== tenant.tenantId || iss !== issuer || typeof appid !== "string") return null;
    if (typeof exp !== "number" || exp <= nowSeconds) return null;
    if (typeof nbf === "number" && nbf > nowSeconds + 300) return null;
    const claims: AccessClaims = {
      appid,
      tid,
      roles: Array.isArray(roles) ? roles.filter((r): r is string => typeof r === "string") : [],
      exp,
    };
    if (verified.size >= VERIFIED_CACHE_LIMIT) verified.clear();
    verified.set(bearer, claims);
    return claims;
  }

  return {
    issue,
    verify: verifyToken,
    jwks() {
      const jwk = publicKey.export({ format: "jwk" });
      return { keys: [{ kty: "RSA", use: "sig", kid, x5t: kid, n: String(jwk.n), e: String(jwk.e) }] };
    },
  };
}
