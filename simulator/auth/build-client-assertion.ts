/**
 * Builds a certificate client assertion the way MSAL does (graph-api-facts.md §11 and toolchain
 * facts D): PS256 + `x5t#S256` or RS256 + `x5t`, claims aud/iss/sub/jti/nbf/iat/exp. Used by tests
 * and benchmarks that talk to the token endpoint without MSAL, and to forge bad assertions on purpose.
 */
import { createPrivateKey, randomUUID, sign, constants } from "node:crypto";
import type { SimIdentity } from "../contract.ts";
import { base64UrlEncode } from "./jwt.ts";
import type { AssertionAlgorithm } from "./jwt.ts";

export interface ClientAssertionOptions {
  /** The app identity whose certificate the header names. */
  identity: SimIdentity;
  /** The token endpoint URL (`aud`). */
  audience: string;
  /** Default PS256 (`x5t#S256`); RS256 uses `x5t`. */
  alg?: AssertionAlgorithm;
  /** Sign with this PKCS#8 key instead of the identity's own (to forge a bad signature). */
  signingKeyPem?: string;
  /** Wall clock, seconds. Default now. */
  nowSeconds?: number;
  /** Lifetime in seconds. Default 600 (as MSAL). */
  lifetimeSeconds?: number;
  /** Claims overriding or adding to the defaults (e.g. `{ iss: "other" }`, `{ jti: "fixed" }`). */
  claims?: Record<string, unknown>;
  /** Header fields overriding or adding to the defaults (e.g. `{ x5c: [...] }`). */
  header?: Record<string, unknown>;
}

/** Returns the compact JWT. */
export function buildClientAssertion(options: ClientAssertionOptions): string {
  const alg = options.alg ?? "PS256";
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  const { identity } = options;
  const thumbprint =
    alg === "PS256" ? { "x5t#S256": base64UrlEncode(Buffer.from(identity.thumbprintSha256, "hex")) } : { x5t: base64UrlEncode(Buffer.from(identity.thumbprintSha1, "hex")) };
  const header = { alg, typ: "JWT", ...thumbprint, ...options.header };
  const payload = {
    aud: options.audience,
    iss: identity.clientId,
    sub: identity.clientId,
    jti: randomUUID(),
    nbf: now,
    iat: now,
    exp: now + (options.lifetimeSeconds ?? 600),
    ...options.claims,
  };
  const signingInput = `${base64UrlEncode(JSON.stringify(header))}.${base64UrlEncode(JSON.stringify(payload))}`;
  const key = createPrivateKey(options.signingKeyPem ?? identity.privateKeyPem);
  const signature =
    alg === "PS256"
      ? sign("sha256", Buffer.from(signingInput), { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST })
      : sign("sha256", Buffer.from(signingInput), key);
  return `${signingInput}.${base64UrlEncode(signature)}`;
}
