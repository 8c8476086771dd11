/**
 * App-only access tokens for Microsoft Graph with a certificate, through @azure/msal-node.
 * The only module that imports MSAL. Tokens are reused from MSAL's in-memory cache until shortly
 * before expiry; the token itself never reaches a log or an error message.
 */
import { ConfidentialClientApplication, ServerError } from "@azure/msal-node";
import { GraphError, SeatwiseError } from "../core/errors.ts";
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
  const network = createMsalNetworkClient(options.transport);
  const app = new ConfidentialClientApplication({
    auth: {
      clientId: options.clientId,
      ...msalAuthorityOptions(options.authorityHost, options.tenantId),
      clientCertificate: { thumbprintSha256: options.credential.thumbprintSha256, privateKey: options.credential.privateKeyPem },
    },
    system: { networkClient: network },
  });
  const scope = `${new URL(options.graphEndpoint).origin}/.default`;
  return {
    async getToken() {
      let result;
      network.takeFailure();
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
        const failure = network.takeFailure();
        if (failure) throw tokenEndpointUnreachable(failure.url, failure.error);
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

/** Node's TLS verification codes, as a person would say them. */
const TLS_CAUSES: Record<string, string> = {
  SELF_SIGNED_CERT_IN_CHAIN: "its certificate chain ends in a self-signed CA that is not trusted",
  DEPTH_ZERO_SELF_SIGNED_CERT: "it presents a self-signed certificate",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "its certificate's issuer is not trusted",
  UNABLE_TO_GET_ISSUER_CERT: "its certificate's issuer is unknown",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "its certificate's issuer is not in the trusted CAs",
  CERT_HAS_EXPIRED: "its certificate has expired",
  CERT_NOT_YET_VALID: "its certificate is not valid yet",
  ERR_TLS_CERT_ALTNAME_INVALID: "its certificate is for another host name",
  CERT_REVOKED: "its certificate is revoked",
};

const SOCKET_CAUSES: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ENOTFOUND: "host name not found (DNS)",
  EAI_AGAIN: "DNS lookup failed, try again",
  ETIMEDOUT: "no answer (timed out)",
  ECONNRESET: "the connection was reset",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  EPROTO: "TLS handshake failed",
};

/**
 * The token endpoint could not be reached or was not trusted: one line with its host and the socket
 * or TLS cause (MSAL reports only `network_error`). Never includes the request body (the assertion).
 */
export function tokenEndpointUnreachable(url: string, error: unknown): SeatwiseError {
  let host = url;
  try {
    host = new URL(url).host;
  } catch {
    // keep the raw value
  }
  const code = errorCode(error);
  const tls = code ? TLS_CAUSES[code] : undefined;
  const cause = tls
    ? `TLS: ${tls} (${code}); if a TLS-inspecting proxy or the simulator sits in between, trust its CA with caFile`
    : code
      ? `${SOCKET_CAUSES[code] ?? "connection failed"} (${code})`
      : "connection failed";
  return new SeatwiseError("token.unreachable", `cannot get an access token from ${host}: ${cause}`, { cause: error });
}

/** The innermost error code: the transport wraps Node's socket or TLS error as its cause. */
function errorCode(error: unknown): string | undefined {
  let code: string | undefined;
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const c = (e as { code?: unknown }).code;
    if (typeof c === "string" && c) code = c;
  }
  return code;
}
