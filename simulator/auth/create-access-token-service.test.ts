import { beforeAll, describe, expect, it } from "vitest";
import type { SimAppRegistration, SimTenant } from "../model.ts";
import { fakeTenant } from "../server/fake-sim-parts.ts";
import { createAccessTokenService, servicePrincipalIdFor } from "./create-access-token-service.ts";
import type { AccessTokenService } from "./create-access-token-service.ts";
import { generateRsaKeyPair } from "./certificates.ts";
import type { RsaKeyPairPem } from "./certificates.ts";
import { base64UrlEncode, decodeJwt } from "./jwt.ts";

const T0 = Date.parse("2026-11-26T10:00:00Z");
const reader: SimAppRegistration = { clientId: "aaaaaaaa-0000-4000-8000-000000000001", displayName: "Seatwise Reader", certificatesPem: [], roles: ["User.Read.All", "AuditLog.Read.All"] };
const bare: SimAppRegistration = { clientId: "aaaaaaaa-0000-4000-8000-000000000002", displayName: "Bare", certificatesPem: [], roles: [] };
let tenant: SimTenant;
let key: RsaKeyPairPem;
let otherKey: RsaKeyPairPem;
let clockMs = T0;
let service: AccessTokenService;

beforeAll(async () => {
  [key, otherKey] = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair()]);
  tenant = fakeTenant({ users: 10, seed: 1, now: new Date(T0), modes: { premium: true, concealedNames: false, reportLagDays: 2 }, apps: [reader, bare] });
  service = createAccessTokenService({ tenant, signingKey: key, clock: () => clockMs });
});

describe("access tokens", () => {
  it("issues an app-only Graph token with Entra's claims and the granted roles", () => {
    const { accessToken, expiresIn } = service.issue(reader, T0 / 1000);
    expect(expiresIn).toBe(3599);
    const jwt = decodeJwt(accessToken)!;
    expect(jwt.header).toMatchObject({ typ: "JWT", alg: "RS256" });
    expect(jwt.header["kid"]).toBe(jwt.header["x5t"]);
    expect(jwt.payload).toMatchObject({
      aud: "https://graph.microsoft.com",
      iss: `https://sts.windows.net/${tenant.tenantId}/`,
      iat: T0 / 1000,
      nbf: T0 / 1000,
      exp: T0 / 1000 + 3599,
      appid: reader.clientId,
      appidacr: "2",
      idtyp: "app",
      tid: tenant.tenantId,
      ver: "1.0",
      roles: ["User.Read.All", "AuditLog.Read.All"],
      oid: servicePrincipalIdFor(tenant, reader.clientId),
      sub: servicePrincipalIdFor(tenant, reader.clientId),
    });
    expect(typeof jwt.payload["uti"]).toBe("string");
    expect(typeof jwt.payload["rh"]).toBe("string");
  });

  it("omits the roles claim when the app holds no permission", () => {
    const jwt = decodeJwt(service.issue(bare, T0 / 1000).accessToken)!;
    expect("roles" in jwt.payload).toBe(false);
    expect(service.verify(service.issue(bare, T0 / 1000).accessToken)?.roles).toEqual([]);
  });

  it("verifies its own token into the access claims", () => {
    clockMs = T0 + 60_000;
    const { accessToken } = service.issue(reader, T0 / 1000);
    expect(service.verify(accessToken)).toEqual({ appid: reader.clientId, tid: tenant.tenantId, roles: ["User.Read.All", "AuditLog.Read.All"], exp: T0 / 1000 + 3599 });
  });

  it("refuses an expired token, even one verified before", () => {
    clockMs = T0;
    const { accessToken } = service.issue(reader, T0 / 1000);
    expect(service.verify(accessToken)).not.toBeNull();
    clockMs = T0 + 3600_000;
    expect(service.verify(accessToken)).toBeNull();
    clockMs = T0;
  });

  it("refuses a token with a tampered payload", () => {
    const { accessToken } = service.issue(bare, T0 / 1000);
    const [h, , s] = accessToken.split(".");
    const payload = { ...decodeJwt(accessToken)!.payload, roles: ["Directory.ReadWrite.All"] };
    expect(service.verify(`${h}.${base64UrlEncode(JSON.stringify(payload))}.${s}`)).toBeNull();
  });

  it("refuses a token signed by another simulator's key", () => {
    const other = createAccessTokenService({ tenant, signingKey: otherKey, clock: () => clockMs });
    expect(service.verify(other.issue(reader, T0 / 1000).accessToken)).toBeNull();
  });

  it("refuses a token of another tenant", () => {
    const elsewhere = { ...tenant, tenantId: "99999999-2222-4333-8444-555555555555" };
    const other = createAccessTokenService({ tenant: elsewhere, signingKey: key, clock: () => clockMs });
    expect(service.verify(other.issue(reader, T0 / 1000).accessToken)).toBeNull();
  });

  it("accepts the simulator's origin as audience only when it is that simulator's", () => {
    const local = createAccessTokenService({ tenant, signingKey: key, clock: () => clockMs, baseUrl: () => "https://127.0.0.1:5555" });
    const token = local.issue(reader, T0 / 1000, "https://127.0.0.1:5555").accessToken;
    expect(local.verify(token)?.appid).toBe(reader.clientId);
    expect(service.verify(token)).toBeNull();
  });

  it("refuses garbage", () => {
    expect(service.verify("")).toBeNull();
    expect(service.verify("a.b.c")).toBeNull();
  });

  it("publishes the signing key as a JWK whose kid matches the tokens", () => {
    const { keys } = service.jwks();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: "RSA", use: "sig", e: "AQAB" });
    expect(decodeJwt(service.issue(reader, T0 / 1000).accessToken)!.header["kid"]).toBe(keys[0]!.kid);
  });
});
