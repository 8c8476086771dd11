/**
 * The @azure/msal-node authority settings for an authority host: Microsoft's clouds need only the
 * authority (MSAL ships their metadata); any other host (the simulator, a proxy) gets settings that
 * make MSAL send no metadata request at all. Pure: used by the collector and the simulator's tests.
 */

/** Authority hosts MSAL knows without any discovery request (public and national clouds). */
export const MICROSOFT_AUTHORITY_HOSTS: readonly string[] = ["login.microsoftonline.com", "login.microsoftonline.us", "login.chinacloudapi.cn", "login.partner.microsoftonline.cn"];

/** Authority fields for MSAL's `auth` configuration; spread them into `auth`. */
export interface MsalAuthorityOptions {
  /** `<baseUrl>/<tenantId>`. */
  authority: string;
  /** The authority's `host:port`, exactly as in the URL (absent for Microsoft's clouds). */
  knownAuthorities?: string[];
  /** The tenant's OpenID metadata as a JSON string (token, authorization, logout endpoints, issuer, jwks_uri). */
  authorityMetadata?: string;
}

/**
 * MSAL settings for an authority at `baseUrl` (e.g. `https://127.0.0.1:54321`) and tenant `tenantId`.
 *
 * Measured with @azure/msal-node 7.2.3 against the simulator (test/msal-simulator.test.ts):
 * - `authority` alone: MSAL asks `https://login.microsoftonline.com/common/discovery/instance` (the
 *   real Microsoft cloud, whatever the authority host) and fails with `endpoints_resolution_error`
 *   when that is unreachable. So `knownAuthorities` is required for a non-Microsoft host.
 * - `knownAuthorities` must hold `host:port` (`127.0.0.1:54321`); the bare host name is not matched
 *   and fails the same way.
 * - `knownAuthorities` without `authorityMetadata`: one `GET <authority>/v2.0/.well-known/openid-configuration`
 *   (the simulator serves it), then the token POST.
 * - `knownAuthorities` + `authorityMetadata` (what this returns): no GET at all, only
 *   `POST <authority>/oauth2/v2.0/token?client-request-id=...`.
 * - `cloudDiscoveryMetadata` instead of `knownAuthorities` also avoids the Microsoft cloud (then the
 *   openid-configuration GET happens); not needed with the settings returned here.
 *
 * The client assertion's `aud` is the `token_endpoint` given here, which the simulator accepts.
 * MSAL reuses its signed assertion for 10 minutes per application instance (measured: a second
 * `acquireTokenByClientCredential({ skipCache: true })` within that window resends the same JWT).
 * The simulator refuses a replayed `jti` (AADSTS70002, as issue 2 asks), so rely on MSAL's token
 * cache instead of `skipCache: true`, or use a new application instance to force a new assertion.
 * Real Entra evidently tolerates such reuse (MSAL and the Azure CLI depend on it).
 *
 * TLS: MSAL's default network client uses Node's global trust store, so the simulator CA must come
 * from `NODE_EXTRA_CA_CERTS=<ca.pem>` or from a `system.networkClient` that trusts it.
 */
export function msalAuthorityOptions(baseUrl: string, tenantId: string): MsalAuthorityOptions {
  const origin = new URL(baseUrl);
  const authority = `${origin.origin}/${tenantId}`;
  if (MICROSOFT_AUTHORITY_HOSTS.includes(origin.host)) return { authority };
  return {
    authority,
    knownAuthorities: [origin.host],
    authorityMetadata: JSON.stringify({
      token_endpoint: `${authority}/oauth2/v2.0/token`,
      authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
      end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
      issuer: `${authority}/v2.0`,
      jwks_uri: `${authority}/discovery/v2.0/keys`,
    }),
  };
}
