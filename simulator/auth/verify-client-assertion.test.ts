import { beforeAll, describe, expect, it } from "vitest";
import type { SimIdentity } from "../contract.ts";
import type { SimAppRegistration } from "../model.ts";
import { buildClientAssertion } from "./build-client-assertion.ts";
import { createAppIdentity, generateRsaKeyPair } from "./certificates.ts";
import { base64UrlEncode } from "./jwt.ts";
import { verifyClientAssertion } from "./verify-client-assertion.ts";

const AUD = "https://127.0.0.1:4444/11111111-2222-4333-8444-555555555555/oauth2/v2.0/token";
const NOW = Math.floor(Date.parse("2026-11-26T10:00:00Z") / 1000);
let identity: SimIdentity;
let stranger: SimIdentity;
let expired: SimIdentity;
let app: SimAppRegistration;

beforeAll(async () => {
  const [k1, k2, k3] = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair(), generateRsaKeyPair()]);
  const clientId = "aaaaaaaa-0000-4000-8000-000000000001";
  identity = createAppIdentity(clientId, "Reader", k1!, { now: new Date(NOW * 1000) });
  stranger = createAppIdentity(clientId, "Stranger", k2!, { now: new Date(NOW * 1000) });
  expired = createAppIdentity(clientId, "Old", k3!, { now: new Date((NOW - 400 * 86_400) * 1000), days: 30 });
  app = { clientId, displayName: "Reader", certificatesPem: [identity.certificatePem, expired.certificatePem], roles: ["User.Read.All"] };
});

function check(assertion: string, audiences = [AUD]) {
  return verifyClientAssertion({ assertion, app, audiences, nowSeconds: NOW });
}

function codeOf(result: ReturnType<typeof check>): number | "ok" {
  return result.ok ? "ok" : result.refusal.code;
}

describe("verifyClientAssertion", () => {
  it("accepts PS256 with x5t#S256 and returns the jti and exp", () => {
    const result = check(buildClientAssertion({ identity, audience: AUD, nowSeconds: NOW, claims: { jti: "j-1" } }));
    expect(result).toEqual({ ok: true, assertion: { jti: "j-1", exp: NOW + 600 } });
  });

  it("accepts RS256 with the SHA-1 x5t", () => {
    expect(codeOf(check(buildClientAssertion({ identity, audience: AUD, nowSeconds: NOW, alg: "RS256" })))).toBe("ok");
  });

  it("selects the key from x5c when the header names no thumbprint", () => {
    const der = identity.certificatePem.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, "");
    const assertion = buildClientAssertion({ identity, audience: AUD, nowSeconds: NOW, header: { "x5t#S256": undefined, x5c: [der] } });
    expect(codeOf(check(assertion))).toBe("ok");
  });

  it("refuses an assertion signed by another key with AADSTS700027", () => {
    const result = check(buildClientAssertion({ identity, audience: AUD, nowSeconds: NOW, signingKeyPem: stranger.privateKeyPem }));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.refusal).toMatchObject({ status: 401, error: "invalid_client", code: 700027 });
      expect(result.refusal.message).toContain("did not match the expected signature");
    }
  });

  it("refuses a certificate not registered on the app with AADSTS700027 naming its thumbprint", () => {
    const result = check(buildClientAssertion({ identity: stranger, audience: AUD, nowSeconds: NOW, alg: "RS256" }));
    expect(codeOf(result)).toBe(700027);
    if (!result.ok) expect(result.refusal.message).toContain(`'${stranger.thumbprintSha1}'`);
  });

  it("refuses a registered but expired certificate with AADSTS700027", () => {
    const result = check(buildClientAssertion({ identity: expired, audience: AUD, nowSeconds: NOW }));
    expect(codeOf(result)).toBe(700027);
    if (!result.ok) expect(result.refusal.message).toContain("The key used is expired");
  });

  it("refuses an expired assertion with AADSTS700024", () => {
    expect(codeOf(check(buildClientAssertion({ identity, audience: AUD, nowSeconds: NOW - 1200 })))).toBe(700024);
  });

  it("refuses an assertion not valid before the future with AADSTS700024", () => {
    expect(codeOf(check(buildClientAssertion({ identity, audience: AUD, nowSeconds: NOW + 900 })))).toBe(700024);
  });

  it("tolerates a few minutes of clock skew", () => {
    expect(codeOf(check(buildClientAssertion({ identity, audience: AUD, nowSeconds: NOW + 120 })))).toBe("ok");
    expect(codeOf(check(buildClientAssertion({ identity, audience: AUD, nowSeconds: NOW - 700 })))).toBe("ok");
  });

  it("refuses an assertion for another audience with AADSTS700023", () => {
    const other = "https://login.microsoftonline.com/11111111-2222-4333-8444-555555555555/oauth2/v2.0/token";
    expect(codeOf(check(buildClientAssertion({ identity, audience: other, nowSeconds: NOW })))).toBe(700023);
  });

  it("accepts an audience given as an array", () => {
    expect(codeOf(check(buildClientAssertion({ identity, audience: AUD, nowSeconds: NOW, claims: { aud: ["x", AUD] } })))).toBe("ok");
  });

  it("refuses an issuer or subject other than the client id with AADSTS700021", () => {
    expect(codeOf(check(buildClientAssertion({ identity, audience: AUD, nowSeconds: NOW, claims: { iss: "someone-else" } })))).toBe(700021);
    expect(codeOf(check(buildClientAssertion({ identity, audience: AUD, nowSeconds: NOW, claims: { sub: "someone-else" } })))).toBe(700021);
  });

  it("refuses an assertion without jti", () => {
    expect(codeOf(check(buildClientAssertion({ identity, audience: AUD, nowSeconds: NOW, claims: { jti: undefined } })))).toBe(50027);
  });

  it("refuses a malformed JWT with AADSTS50027", () => {
    expect(codeOf(check("not-a-jwt"))).toBe(50027);
    expect(codeOf(check(`${base64UrlEncode("[]")}.${base64UrlEncode("{}")}.x`))).toBe(50027);
  });

  it("refuses an unsigned or symmetric algorithm", () => {
    const good = buildClientAssertion({ identity, audience: AUD, nowSeconds: NOW });
    const [, payload] = good.split(".");
    const none = `${base64UrlEncode(JSON.stringify({ alg: "none", "x5t#S256": base64UrlEncode(Buffer.from(identity.thumbprintSha256, "hex")) }))}.${payload}.`;
    expect(codeOf(check(none))).toBe(700027);
  });

  it("refuses a PS256 signature presented as RS256", () => {
    const ps = buildClientAssertion({ identity, audience: AUD, nowSeconds: NOW, alg: "PS256" });
    const [, payload, signature] = ps.split(".");
    const header = base64UrlEncode(JSON.stringify({ alg: "RS256", x5t: base64UrlEncode(Buffer.from(identity.thumbprintSha1, "hex")) }));
    expect(codeOf(check(`${header}.${payload}.${signature}`))).toBe(700027);
  });
});
