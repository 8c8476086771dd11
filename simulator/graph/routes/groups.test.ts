import { describe, expect, it } from "vitest";
import { buildFakeTenant, call, fakeContext, GROUP_ALL, GROUP_E5, SKU_E5, userId } from "./fake-tenant.test-helper.ts";
import { GROUP_ROUTES } from "./groups.ts";
import { MAILBOX_SETTINGS_ROUTES } from "./mailbox-settings.ts";
import { MANAGER_ROUTES } from "./manager.ts";
import { REPORT_SETTINGS_ROUTES } from "./report-settings.ts";

type Page = { "@odata.nextLink"?: string; value: Record<string, unknown>[] };

describe("groups", () => {
  it("finds groups by display name (any case, quotes doubled) or id, and refuses other filters", async () => {
    const ctx = fakeContext(buildFakeTenant());
    const byName = await call(GROUP_ROUTES, ctx, { path: "/groups", query: { $filter: "displayName eq 'e5 USERS'", $select: "id,displayName" } });
    expect((byName.json as Page).value).toEqual([{ id: GROUP_E5, displayName: "E5 users" }]);
    const either = await call(GROUP_ROUTES, ctx, { path: "/groups", query: { $filter: `displayName eq 'nobody''s group' or id eq '${GROUP_ALL}'`, $select: "id" } });
    expect((either.json as Page).value).toEqual([{ id: GROUP_ALL }]);
    const bad = await call(GROUP_ROUTES, ctx, { path: "/groups", query: { $filter: "startswith(mail,'x')" } });
    expect(bad.status).toBe(400);
  });

  it("returns a group, with assignedLicenses only when selected", async () => {
    const ctx = fakeContext(buildFakeTenant());
    const plain = await call(GROUP_ROUTES, ctx, { path: `/groups/${GROUP_E5}` });
    expect(plain.json).toMatchObject({ id: GROUP_E5, displayName: "E5 users" });
    expect((plain.json as Record<string, unknown>)["assignedLicenses"]).toBeUndefined();
    const selected = await call(GROUP_ROUTES, ctx, { path: `/groups/${GROUP_E5}`, query: { $select: "id,assignedLicenses" } });
    expect((selected.json as Record<string, unknown>)["assignedLicenses"]).toEqual([{ disabledPlans: [], skuId: SKU_E5 }]);
    expect((await call(GROUP_ROUTES, ctx, { path: "/groups/nope" })).status).toBe(404);
  });

  it("expands members as users with $select, and pages large groups", async () => {
    const ctx = fakeContext(buildFakeTenant({ users: 250 }));
    const small = await call(GROUP_ROUTES, ctx, { path: `/groups/${GROUP_E5}/members`, query: { $select: "id,userPrincipalName" } });
    expect((small.json as Page).value).toEqual([{ "@odata.type": "#microsoft.graph.user", id: userId(1), userPrincipalName: "bob@contoso.com" }]);
    const seen: unknown[] = [];
    let query: Record<string, string> = { $select: "id" };
    for (let k = 0; k < 5; k++) {
      const res = await call(GROUP_ROUTES, ctx, { path: `/groups/${GROUP_ALL}/transitiveMembers`, query });
      const body = res.json as Page;
      seen.push(...body.value.map((v) => v["id"]));
      if (body["@odata.nextLink"] === undefined) break;
      query = Object.fromEntries(new URL(body["@odata.nextLink"]).searchParams);
    }
    expect(seen).toHaveLength(250);
    expect(new Set(seen).size).toBe(250);
  });

  it("charges members 3 and transitiveMembers 5 resource units", () => {
    const cost = (p: string) => GROUP_ROUTES.find((r) => r.pattern === p)!.throttle;
    expect(cost("/groups/{id}/members")).toEqual({ kind: "identity", cost: 3 });
    expect(cost("/groups/{id}/transitiveMembers")).toEqual({ kind: "identity", cost: 5 });
  });
});

describe("manager", () => {
  it("returns the manager as a user directory object", async () => {
    const ctx = fakeContext(buildFakeTenant());
    const res = await call(MANAGER_ROUTES, ctx, { path: "/users/bob@contoso.com/manager", query: { $select: "id,displayName" } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ "@odata.type": "#microsoft.graph.user", id: userId(0), displayName: "Alice" });
  });

  it("answers 404 Request_ResourceNotFound when the user has no manager", async () => {
    const ctx = fakeContext(buildFakeTenant());
    const res = await call(MANAGER_ROUTES, ctx, { path: `/users/${userId(0)}/manager` });
    expect(res.status).toBe(404);
    expect((res.json as { error: { code: string } }).error.code).toBe("Request_ResourceNotFound");
  });
});

describe("admin/reportSettings", () => {
  it("reports the tenant's concealed-names mode", async () => {
    for (const concealedNames of [true, false]) {
      const ctx = fakeContext(buildFakeTenant({ modes: { concealedNames } }));
      const res = await call(REPORT_SETTINGS_ROUTES, ctx, { path: "/admin/reportSettings", version: "beta" });
      expect(res.json).toEqual({ "@odata.context": "https://127.0.0.1:5555/beta/$metadata#admin/reportSettings/$entity", displayConcealedNames: concealedNames });
    }
  });
});

describe("mailboxSettings", () => {
  it("tells shared and room mailboxes from people, and answers 404 without a mailbox", async () => {
    const tenant = buildFakeTenant();
    const ctx = fakeContext(tenant);
    const kinds = new Map<string, number>();
    for (let i = 0; i < tenant.userCount; i++) {
      const u = tenant.userAt(i);
      const res = await call(MAILBOX_SETTINGS_ROUTES, ctx, { path: `/users/${u.id}/mailboxSettings`, query: { $select: "userPurpose" } });
      if (u.mailbox.kind === "none") {
        expect(res.status).toBe(404);
        expect((res.json as { error: { code: string } }).error.code).toBe("MailboxNotEnabledForRESTAPI");
      } else {
        expect((res.json as { userPurpose: string }).userPurpose).toBe(u.mailbox.kind);
        kinds.set(u.mailbox.kind, (kinds.get(u.mailbox.kind) ?? 0) + 1);
      }
    }
    expect(kinds.size).toBeGreaterThan(0);
  });
});
