/**
 * The small part of JWS (RFC 7515) the simulator needs: compact serialization, RS256 signing, and
 * RS256/PS256 verification with node:crypto. No claims logic lives here.
 */
import { constants, sign, verify } from "node:crypto";
import type { KeyObject } from "node:crypto";

/** Algorithms the token endpoint accepts on client assertions. */
export const ASSERTION_ALGORITHMS = ["RS256", "PS256"] as const;
export type AssertionAlgorithm = (typeof ASSERTION_ALGORITHMS)[number];

/** A compact JWT split into its parts; header and payload parsed as JSON objects. */
export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** `base64url(header) + "." + base64url(payload)`, the bytes the signature covers. */
  signingInput: string;
  signature: Buffer;
}

/** base64url without padding (RFC 7515 §2). */
export function base64UrlEncode(data: Buffer | string): string {
  return Buffer.from(data).toString("base64url");
}

function parseObject(segment: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Splits and parses a compact JWS; null when it is not three base64url parts with JSON objects. */
export function decodeJwt(token: string): DecodedJwt | null {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  const [h, p, s] = parts as [string, string, string];
  if (!/^[A-Za-z0-9_-]+$/.test(h) || !/^[A-Za-z0-9_-]+$/.test(p) || !/^[A-Za-z0-9_-]*$/.test(s)) return null;
  const header = parseObject(h);
  const payload = parseObject(p);
  if (!header || !payload) return null;
  return { header, payload, signingInput: `${h}.${p}`, signature: Buffer.from(s, "base64url") };
}

/** Signs a JWT with RS256 (RSASSA-PKCS1-v1_5 with SHA-256). */
export function signJwtRs256(header: Record<string, unknown>, payload: Record<string, unknown>, privateKey: KeyObject): string {
  const signingInput = `${base64UrlEncode(JSON.stringify({ ...header, alg: "RS256" }))}.${base64UrlEncode(JSON.stringify(payload))}`;
  return `${signingInput}.${base64UrlEncode(sign("sha256", Buffer.from(signingInput), privateKey))}`;
}

/**
 * Verifies a JWS signature. PS256 is RSASSA-PSS with SHA-256, MGF1-SHA-256 and a salt as long as the
 * digest (RFC 7518 §3.5; what `jsonwebtoken`, used by MSAL, produces).
 */
export function verifyJwtSignature(alg: AssertionAlgorithm, jwt: DecodedJwt, publicKey: KeyObject): boolean {
  const data = Buffer.from(jwt.signingInput);
  try {
    if (alg === "RS256") return verify("sha256", data, publicKey, jwt.signature);
    return verify("sha256", data, { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, jwt.signature);
  } catch {
    return false;
  }
}
