/**
 * Validates a certificate client assertion as the Microsoft identity platform defines it
 * (../shared/reference/graph-api-facts.md §11, certificate-credentials.md): a JWT signed with the
 * private key of a certificate registered on the app, header `alg` RS256 with `x5t` (base64url SHA-1
 * thumbprint) or PS256 with `x5t#S256` (base64url SHA-256 thumbprint), optional `x5c`; claims `aud`
 * = the token endpoint, `iss` = `sub` = client id, `nbf`/`exp`, `jti`.
 *
 * Pure: the clock is an argument and replay detection (`jti`) is the caller's (it needs state).
 */
import { X509Certificate } from "node:crypto";
import type { KeyObject } from "node:crypto";
import type { SimAppRegistration } from "../model.ts";
import type { EntraRefusal } from "./entra-error.ts";
import { ASSERTION_ALGORITHMS, decodeJwt, verifyJwtSignature } from "./jwt.ts";
import type { AssertionAlgorithm } from "./jwt.ts";

/** Clock skew tolerated on `nbf`/`exp`, seconds (Entra allows about five minutes). */
export const ASSERTION_CLOCK_SKEW_SECONDS = 300;

/** A registered certificate, parsed once. */
interface RegisteredKey {
  sha1: Buffer;
  sha256: Buffer;
  der: Buffer;
  publicKey: KeyObject;
  validFromMs: number;
  validToMs: number;
}

const parsedCertificates = new Map<string, RegisteredKey | null>();

function registeredKey(pem: string): RegisteredKey | null {
  let key = parsedCertificates.get(pem);
  if (key === undefined) {
    try {
      const x509 = new X509Certificate(pem);
      key = {
        sha1: Buffer.from(x509.fingerprint.replaceAll(":", ""), "hex"),
        sha256: Buffer.from(x509.fingerprint256.replaceAll(":", ""), "hex"),
        der: x509.raw,
        publicKey: x509.publicKey,
        validFromMs: Date.parse(x509.validFrom),
        validToMs: Date.parse(x509.validTo),
      };
    } catch {
      key = null;
    }
    // Apps have a handful of certificates; the cache only grows with distinct registered PEMs.
    parsedCertificates.set(pem, key);
  }
  return key;
}

/** What a valid assertion yields: the replay key and how long it must be remembered. */
export interface AcceptedAssertion {
  jti: string;
  /** `exp` claim, seconds since epoch. */
  exp: number;
}

export type AssertionResult = { ok: true; assertion: AcceptedAssertion } | { ok: false; refusal: EntraRefusal };

function refuse(status: 400 | 401, error: EntraRefusal["error"], code: number, message: string): AssertionResult {
  return { ok: false, refusal: { status, error, code, message } };
}

/** Entra's long ISO form in time-range messages: `2026-11-26T10:00:00.0000000Z`. */
function entraIso(seconds: number): string {
  return `${new Date(seconds * 1000).toISOString().slice(0, 19)}.0000000Z`;
}

function keyNotFound(app: SimAppRegistration, thumbprint: string): AssertionResult {
  // AADSTS700027 (certificate-credentials troubleshooting; graph-api-facts.md §11): the key the client
  // names is not registered on the app. Real-world message shape, thumbprint echoed upper-case.
  return refuse(
    401,
    "invalid_client",
    700027,
    `Client assertion contains an invalid signature. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprint}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${app.clientId}'. Review the documentation at https://docs.microsoft.com/en-us/graph/deployments if you're not using the global cloud.]`,
  );
}

function x5cDer(header: Record<string, unknown>): Buffer | null {
  const x5c = header["x5c"];
  const first: unknown = Array.isArray(x5c) ? x5c[0] : typeof x5c === "string" ? x5c : undefined;
  if (typeof first !== "string") return null;
  // MSAL puts the PEM body (base64 DER, RFC 7515 §4.1.6); tolerate a full PEM too.
  const body = first.replace(/-----(BEGIN|END) CERTIFICATE-----/g, "").replace(/\s+/g, "");
  return /^[A-Za-z0-9+/]+=*$/.test(body) ? Buffer.from(body, "base64") : null;
}

/**
 * Checks a client assertion for `app`. `audiences` are the accepted `aud` values (this simulator's
 * token endpoint URLs for the tenant); `nowSeconds` is the wall clock.
 */
export function verifyClientAssertion(input: { assertion: string; app: SimAppRegistration; audiences: readonly string[]; nowSeconds: number }): AssertionResult {
  const { app, nowSeconds } = input;
  const jwt = decodeJwt(input.assertion);
  // AADSTS50027 "JWT token is invalid or malformed" (Entra error-code table: InvalidJwtToken).
  if (!jwt) return refuse(400, "invalid_request", 50027, "JWT token is invalid or malformed.");
  const alg = jwt.header["alg"];
  if (typeof alg !== "string" || !(ASSERTION_ALGORITHMS as readonly string[]).includes(alg)) {
    return refuse(401, "invalid_client", 700027, `Client assertion contains an invalid signature. [Reason - The algorithm '${String(alg)}' is not supported.]`);
  }

  // Select the registered key by the thumbprint the header names: x5t#S256 (SHA-256) or x5t (SHA-1).
  const keys = app.certificatesPem.map(registeredKey).filter((k): k is RegisteredKey => k !== null);
  const x5tS256 = jwt.header["x5t#S256"];
  const x5t = jwt.header["x5t"];
  let named: Buffer | null = null;
  let key: RegisteredKey | undefined;
  if (typeof x5tS256 === "string") {
    named = Buffer.from(x5tS256, "base64url");
    key = keys.find((k) => k.sha256.equals(named!));
  } else if (typeof x5t === "string") {
    named = Buffer.from(x5t, "base64url");
    key = keys.find((k) => k.sha1.equals(named!));
  }
  if (!key) {
    const der = x5cDer(jwt.header);
    if (der) key = keys.find((k) => k.der.equals(der));
  }
  if (!key) return keyNotFound(app, named ? named.toString("hex").toUpperCase() : "");

  const nowMs = nowSeconds * 1000;
  if (nowMs < key.validFromMs || nowMs > key.validToMs) {
    // AADSTS700027 variant "The key used is expired." (graph-api-facts.md §11, real-world message).
    return refuse(
      401,
      "invalid_client",
      700027,
      `Client assertion contains an invalid signature. [Reason - The key used is expired., Thumbprint of key used by client: '${key.sha1.toString("hex").toUpperCase()}', Found key 'Start=${new Date(key.validFromMs).toISOString()}, End=${new Date(key.validToMs).toISOString()}']`,
    );
  }
  if (!verifyJwtSignature(alg as AssertionAlgorithm, jwt, key.publicKey)) {
    // AADSTS700027: "Client assertion contains an invalid signature." (graph-api-facts.md §11).
    return refuse(
      401,
      "invalid_client",
      700027,
      `Client assertion contains an invalid signature. [Reason - The provided signature value did not match the expected signature value., Thumbprint of key used by client: '${key.sha1.toString("hex").toUpperCase()}', Found key 'Start=${new Date(key.validFromMs).toISOString()}, End=${new Date(key.validToMs).toISOString()}']`,
    );
  }

  const { iss, sub, aud, nbf, exp, jti } = jwt.payload;
  if (iss !== app.clientId || sub !== app.clientId) {
    // AADSTS700021 "Client assertion application identifier doesn't match 'client_id' parameter."
    // (Entra error-code table; exact wording not in our reference).
    return refuse(401, "invalid_client", 700021, "Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at https://docs.microsoft.com/azure/active-directory/develop/active-directory-certificate-credentials .");
  }
  const audiences = (Array.isArray(aud) ? aud : [aud]).filter((a): a is string => typeof a === "string");
  const accepted = input.audiences.map((a) => a.toLowerCase());
  if (!audiences.some((a) => accepted.includes(a.toLowerCase()))) {
    // AADSTS700023 "Client assertion audience claim does not match Realm issuer." (Entra error-code table).
    return refuse(401, "invalid_client", 700023, "Client assertion audience claim does not match Realm issuer. Review the documentation at https://docs.microsoft.com/azure/active-directory/develop/active-directory-certificate-credentials .");
  }
  if (typeof exp !== "number" || (nbf !== undefined && typeof nbf !== "number")) {
    return refuse(400, "invalid_request", 50027, "JWT token is invalid or malformed. The 'exp' and 'nbf' claims must be numeric dates.");
  }
  const notBefore = typeof nbf === "number" ? nbf : exp - 600;
  if (nowSeconds + ASSERTION_CLOCK_SKEW_SECONDS < notBefore || nowSeconds - ASSERTION_CLOCK_SKEW_SECONDS > exp) {
    // AADSTS700024 "Client assertion is not within its valid time range." (graph-api-facts.md §11).
    return refuse(
      401,
      "invalid_client",
      700024,
      `Client assertion is not within its valid time range. Current time: ${entraIso(nowSeconds)}, assertion valid from ${entraIso(notBefore)}, expiry time of assertion ${entraIso(exp)}. Review the documentation at https://docs.microsoft.com/azure/active-directory/develop/active-directory-certificate-credentials .`,
    );
  }
  if (typeof jti !== "string" || jti.length === 0) {
    return refuse(400, "invalid_request", 50027, "JWT token is invalid or malformed. The 'jti' claim is required.");
  }
  return { ok: true, assertion: { jti, exp } };
}
