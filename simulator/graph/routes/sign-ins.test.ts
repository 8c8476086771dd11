import { describe, expect, it } from "vitest";
import { APP_OUTLOOK, APP_SALESFORCE, buildFakeTenant, call, fakeContext, signIn, userId } from "./fake-tenant.test-helper.ts";
import type { FakeTenantOptions } from "./fake-tenant.test-helper.ts";
import { SIGN_IN_ROUTES } from "./sign-ins.ts";

type Page = { "@odata.nextLink"?: string; value: Record<string, unknown>[] };

async function signIns(query: Record<string, string> = {}, version: "v1.0" | "beta" = "v1.0", options: FakeTenantOptions = {}) {
  const ctx = fakeContext(buildFakeTenant(options));
  return call(SIGN_IN_ROUTES, ctx, { path: "/auditLogs/signIns", version, query });
}

const ids = (p: unknown) => (p as Page).value.map((v) => String(v["id"]).slice(-4));

describe("auditLogs/signIns", () => {
  it("answers 403 Authentication_RequestFromNonPremiumTenantOrB2CTenant without Entra ID P1", async () => {
    const res = await signIns({}, "v1.0", { modes: { premium: false } });
    expect(res.status).toBe(403);
    expect((res.json as { error: { code: string } }).error.code).toBe("Authentication_RequestFromNonPremiumTenantOrB2CTenant");
  });

  it("lists interactive sign-ins of the last 30 days, newest first, in v1.0", async () => {
    const res = await signIns();
    expect(res.status).toBe(200);
    // a1 (2026-10-01) is older than the 30-day retention; a5 and a2 are non-interactive.
    expect(ids(res.json)).toEqual(["00a6", "00a4", "00a3"]);
    const first = (res.json as Page).value[0]!;
    expect(first).toMatchObject({ userId: userId(0), userPrincipalName: "alice@contoso.com", appId: APP_SALESFORCE, isInteractive: true });
    expect(first["signInEventTypes"]).toBeUndefined();
  });

  it("lists non-interactive sign-ins in beta with the signInEventTypes filter, and refuses that filter in v1.0", async () => {
    const filter = "signInEventTypes/any(t: t eq 'nonInteractiveUser')";
    const beta = await signIns({ $filter: filter }, "beta");
    expect(ids(beta.json)).toEqual(["00a5", "00a2"]);
    expect((beta.json as Page).value[0]!["signInEventTypes"]).toEqual(["nonInteractiveUser"]);
    const both = await signIns({ $filter: "signInEventTypes/any(t: t eq 'interactiveUser' or t eq 'nonInteractiveUser')" }, "beta");
    expect(ids(both.json)).toEqual(["00a6", "00a5", "00a4", "00a3", "00a2"]);
    expect((await signIns({ $filter: filter }, "v1.0")).status).toBe(400);
  });

  it("filters on createdDateTime bounds, appId and userId, alone and combined", async () => {
    expect(ids((await signIns({ $filter: "createdDateTime ge 2026-11-19T00:00:00Z" })).json)).toEqual(["00a6", "00a4"]);
    expect(ids((await signIns({ $filter: "createdDateTime ge 2026-11-18T00:00:00Z and createdDateTime le 2026-11-19T09:30:00Z" })).json)).toEqual(["00a4", "00a3"]);
    expect(ids((await signIns({ $filter: `appId eq '${APP_SALESFORCE}'` })).json)).toEqual(["00a6", "00a3"]);
    expect(ids((await signIns({ $filter: `userId eq '${userId(0)}' and appId eq '${APP_OUTLOOK}'` })).json)).toEqual(["00a4"]);
    expect(ids((await signIns({ $filter: `userId eq '${userId(6)}'` })).json)).toEqual([]);
    expect((await signIns({ $filter: "conditionalAccessStatus eq 'failure'" })).status).toBe(400);
  });

  it("pages with $top and a skiptoken without losing or repeating sign-ins that share a timestamp", async () => {
    const same = "2026-11-19T08:00:00.0000000Z";
    const log = [signIn("b9", "2026-11-20T08:00:00.0000000Z", 0, APP_OUTLOOK, "interactiveUser"), ...["b8", "b7", "b6"].map((t) => signIn(t, same, 0, APP_OUTLOOK, "interactiveUser")), signIn("b5", "2026-11-18T08:00:00.0000000Z", 1, APP_OUTLOOK, "interactiveUser")];
    const ctx = fakeContext(buildFakeTenant({ signIns: log }));
    const seen: string[] = [];
    let query: Record<string, string> = { $top: "2" };
    for (let pages = 0; pages < 10; pages++) {
      const res = await call(SIGN_IN_ROUTES, ctx, { path: "/auditLogs/signIns", query });
      const body = res.json as Page;
      expect(body.value.length).toBeLessThanOrEqual(2);
      seen.push(...ids(body));
      if (body["@odata.nextLink"] === undefined) break;
      query = Object.fromEntries(new URL(body["@odata.nextLink"]).searchParams);
    }
    expect(seen).toEqual(["00b9", "00b8", "00b7", "00b6", "00b5"]);
  });

  it("caps $top at 1000", async () => {
    const log = Array.from({ length: 1005 }, (_, k) => signIn(`c${k}`, new Date(Date.parse("2026-11-20T11:00:00Z") - k * 1000).toISOString(), 0, APP_OUTLOOK, "interactiveUser"));
    const ctx = fakeContext(buildFakeTenant({ signIns: log }));
    const res = await call(SIGN_IN_ROUTES, ctx, { path: "/auditLogs/signIns", query: { $top: "5000" } });
    const body = res.json as Page;
    expect(body.value).toHaveLength(1000);
    expect(body["@odata.nextLink"]).toContain("$skiptoken=");
  });
});
