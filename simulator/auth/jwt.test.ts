import { constants, generateKeyPairSync, sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import { base64UrlEncode, decodeJwt, signJwtRs256, verifyJwtSignature } from "./jwt.ts";

const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const other = generateKeyPairSync("rsa", { modulusLength: 2048 });

describe("jwt", () => {
  it("round-trips an RS256 JWT and verifies it only with the signer's key", () => {
    const token = signJwtRs256({ typ: "JWT", kid: "k" }, { a: 1 }, privateKey);
    const jwt = decodeJwt(token)!;
    expect(jwt.header).toEqual({ typ: "JWT", kid: "k", alg: "RS256" });
    expect(jwt.payload).toEqual({ a: 1 });
    expect(verifyJwtSignature("RS256", jwt, publicKey)).toBe(true);
    expect(verifyJwtSignature("RS256", jwt, other.publicKey)).toBe(false);
    expect(verifyJwtSignature("PS256", jwt, publicKey)).toBe(false);
  });

  it("verifies PS256 signatures with a digest-length salt", () => {
    const signingInput = `${base64UrlEncode(JSON.stringify({ alg: "PS256" }))}.${base64UrlEncode("{}")}`;
    const signature = sign("sha256", Buffer.from(signingInput), { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
    const jwt = decodeJwt(`${signingInput}.${base64UrlEncode(signature)}`)!;
    expect(verifyJwtSignature("PS256", jwt, publicKey)).toBe(true);
    expect(verifyJwtSignature("RS256", jwt, publicKey)).toBe(false);
  });

  it("rejects what is not a compact JWS of two JSON objects", () => {
    expect(decodeJwt("a.b")).toBeNull();
    expect(decodeJwt("a.b.c.d")).toBeNull();
    expect(decodeJwt(`${base64UrlEncode("1")}.${base64UrlEncode("{}")}.`)).toBeNull();
    expect(decodeJwt(`${base64UrlEncode("{}")}.${base64UrlEncode("not json")}.`)).toBeNull();
    expect(decodeJwt(`${base64UrlEncode("{}")}.${base64UrlEncode("{}")}.`)).not.toBeNull();
  });
});
