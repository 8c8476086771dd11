/**
 * App-only access tokens for Microsoft Graph with a certificate, through @azure/msal-node.
 * The only module that imports MSAL. Tokens are reused from MSAL's in-memory cache until shortly
 * before expiry; the token itself never reaches a log or an error message.
 */
import { ConfidentialClientApplication, ServerError } from "@azure/msal-node";
import { GraphError } from "../../core/errors.ts";
import type { HttpTransport } from "../http/https-transport.ts";
import { createMsalNetworkClient } from "./msal-network-client.ts";

/** Authority hosts MSAL knows without any discovery request (public and national clouds). */
const WELL_KNOWN_AUTHORITY_HOSTS = new Set(["login.microsoftonline.com", "login.microsoftonline.us", "login.chinacloudapi.cn", "login.partner.microsoftonline.cn"]);

export interface TokenProviderOptions {
  authorityHost: string;
  graphEndpoint: string;
  tenantId: string;
  clientId: string;
  credential: { privateKeyPem: string; thumbprintSha256: string; certificatePem: string };
  transport: HttpTransport;
}

export interface AccessToken {
  /** The bearer token. Secret. */
  token: string;
  expiresOn: Date;
  /** Application permissions granted to the app (the token's `roles` claim). */
  roles: string[];
}

export interface TokenProvider {
  getToken(): Promise<AccessToken>;
}

/**
 * MSAL authority settings. For the public and national clouds MSAL ships its own metadata and
 * makes no discovery request. For any other host (the simulator, a proxy) the host is declared a
 * known authority and the OpenID metadata is given inline, so MSAL only POSTs to the token endpoint.
 */
export function msalAuthorityOptions(authorityHost: string, tenantId: string): { authority: string; knownAuthorities?: string[]; authorityMetadata?: string } {
  const origin = new URL(authorityHost).origin;
  const authority = `${origin}/${tenantId}`;
  const host = new URL(authorityHost).host;
  if (WELL_KNOWN_AUTHORITY_HOSTS.has(host)) return { authority };
  return {
    authority,
    knownAuthorities: [host],
    authorityMetadata: JSON.stringify({
      token_endpoint: `${authority}/oauth2/v2.0/token`,
      authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
      end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
      issuer: `${authority}/v2.0`,
      jwks_uri: `${authority}/discovery/v2.0/keys`,
    }),
  };
}

export function createTokenProvider(options: TokenProviderOptions): TokenProvider {
  const app = new ConfidentialClientApplication({
    auth: {
      clientId: options.clientId,
      ...msalAuthorityOptions(options.authorityHost, options.tenantId),
      clientCertificate: { thumbprintSha256: options.credential.thumbprintSha256, privateKey: options.credential.privateKeyPem },
    },
    system: { networkClient: createMsalNetworkClient(options.transport) },
  });
  const scope = `${new URL(options.graphEndpoint).origin}/.default`;
  return {
    async getToken() {
      let result;
      try {
        result = await app.acquireTokenByClientCredential({ scopes: [scope] });
      } catch (error) {
        if (error instanceof ServerError) {
          // errorCode is the OAuth error (invalid_client...); subError/description carry the AADSTS code.
          const aadsts = /AADSTS\d+/.exec(error.errorMessage ?? "")?.[0] ?? "";
          throw new GraphError({
            status: 401,
            code: [error.errorCode, aadsts].filter(Boolean).join(" "),
            message: `token request refused: ${(error.errorMessage ?? "").split("\r\n")[0] ?? ""}`,
            requestId: error.correlationId ?? "",
            method: "POST",
            url: `${new URL(options.authorityHost).origin}/${options.tenantId}/oauth2/v2.0/token`,
            cause: undefined,
          });
        }
        throw error;
      }
      if (!result) throw new GraphError({ status: 0, code: "no_token", message: "MSAL returned no token", requestId: "", method: "POST", url: options.authorityHost });
      return { token: result.accessToken, expiresOn: result.expiresOn ?? new Date(Date.now() + 3_000_000), roles: readRoles(result.accessToken) };
    },
  };
}

/** The `roles` claim of a JWT access token (no signature check: we only read what we were granted). */
export function readRoles(accessToken: string): string[] {
  const payload = accessToken.split(".")[1];
  if (!payload) return [];
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { roles?: unknown };
    return Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === "string") : [];
  } catch {
    return [];
  }
}
