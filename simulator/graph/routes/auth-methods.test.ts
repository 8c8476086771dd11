import { describe, expect, it } from "vitest";
import { AUTH_METHODS_ROUTES, REGISTRATION_PAGE_SIZE } from "./auth-methods.ts";
import { buildFakeTenant, call, fakeContext, userId } from "./fake-tenant.test-helper.ts";
import type { FakeTenantOptions } from "./fake-tenant.test-helper.ts";

type Item = Record<string, unknown>;
type Page = { "@odata.context": string; "@odata.nextLink"?: string; value: Item[] };

async function list(query: Record<string, string> = {}, options: FakeTenantOptions = {}, version: "v1.0" | "beta" = "v1.0") {
  const ctx = fakeContext(buildFakeTenant(options));
  return call(AUTH_METHODS_ROUTES, ctx, { path: "/reports/authenticationMethods/userRegistrationDetails", version, query });
}

describe("userRegistrationDetails", () => {
  it("answers 403 Authentication_RequestFromNonPremiumTenantOrB2CTenant without Entra ID P1", async () => {
    const res = await list({}, { modes: { premium: false } });
    expect(res.status).toBe(403);
    expect((res.json as { error: { code: string } }).error.code).toBe("Authentication_RequestFromNonPremiumTenantOrB2CTenant");
  });

  it("lists enabled users only, with the MFA facts of the model", async () => {
    const res = await list();
    expect(res.status).toBe(200);
    const body = res.json as Page;
    const ids = body.value.map((v) => v["id"]);
    expect(ids).not.toContain(userId(2));
    expect(ids).not.toContain(userId(4));
    expect(ids).toHaveLength(5);
    const alice = body.value.find((v) => v["id"] === userId(0))!;
    expect(alice).toMatchObject({ isAdmin: true, isMfaRegistered: true, isPasswordlessCapable: true, userPreferredMethodForSecondaryAuthentication: "push", userType: "member" });
    const guest = body.value.find((v) => v["id"] === userId(3))!;
    expect(guest).toMatchObject({ isMfaRegistered: false, userType: "guest", userPreferredMethodForSecondaryAuthentication: "", methodsRegistered: [] });
  });

  it("filters with eq on isMfaRegistered, isAdmin, userType and methodsRegistered/any, joined by and", async () => {
    const registered = (await list({ $filter: "isMfaRegistered eq true" })).json as Page;
    expect(registered.value.map((v) => v["id"])).toEqual([userId(0)]);
    const guests = (await list({ $filter: "userType eq 'guest'" })).json as Page;
    expect(guests.value.map((v) => v["id"])).toEqual([userId(3)]);
    const both = (await list({ $filter: "isAdmin eq false and userType eq 'member'" })).json as Page;
    expect(both.value.map((v) => v["id"])).toEqual([userId(1), userId(5), userId(6)]);
    const fido = (await list({ $filter: "methodsRegistered/any(m:m eq 'fido2') and isAdmin eq true" })).json as Page;
    expect(fido.value.map((v) => v["id"])).toEqual([userId(0)]);
    expect((await list({ $filter: "startswith(userDisplayName,'A')" })).status).toBe(400);
  });

  it(`pages ${REGISTRATION_PAGE_SIZE} users at a time with a nextLink`, async () => {
    const first = (await list({}, { users: 1200 })).json as Page;
    expect(first.value).toHaveLength(REGISTRATION_PAGE_SIZE);
    const next = new URL(first["@odata.nextLink"]!);
    const ctx = fakeContext(buildFakeTenant({ users: 1200 }));
    const second = (await call(AUTH_METHODS_ROUTES, ctx, { path: "/reports/authenticationMethods/userRegistrationDetails", query: Object.fromEntries(next.searchParams) })).json as Page;
    // 1200 users minus the two disabled ones.
    expect(second.value).toHaveLength(1198 - REGISTRATION_PAGE_SIZE);
    expect(second["@odata.nextLink"]).toBeUndefined();
    const small = (await list({ $top: "2" })).json as Page;
    expect(small.value).toHaveLength(2);
  });

  it("applies $select", async () => {
    const body = (await list({ $select: "id,isMfaRegistered" }, {}, "beta")).json as Page;
    expect(Object.keys(body.value[0]!)).toEqual(["id", "isMfaRegistered"]);
  });
});
