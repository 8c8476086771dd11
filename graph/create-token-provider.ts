/**
 * App-only access tokens for Microsoft Graph with a certificate, through @azure/msal-node.
 * The only module that imports MSAL. Tokens are reused from MSAL's in-memory cache until shortly
 * before expiry; the token itself never reaches a log or an error message.
 */
import { ConfidentialClientApplication, ServerError } from "@azure/msal-node";
import { GraphError } from "../core/errors.ts";
import { msalAuthorityOptions } from "../core/msal-authority-options.ts";
import type { HttpTransport } from "./https-transport.ts";
import { createMsalNetworkClient } from "./msal-network-client.ts";

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
