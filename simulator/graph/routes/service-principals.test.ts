import { describe, expect, it } from "vitest";
import { buildFakeTenant, call, fakeContext, GROUP_E5, SP_SALESFORCE, userId } from "./fake-tenant.test-helper.ts";
import { SERVICE_PRINCIPAL_ROUTES } from "./service-principals.ts";

type Page = { "@odata.context": string; "@odata.nextLink"?: string; value: Record<string, unknown>[] };

const ctx = () => fakeContext(buildFakeTenant());

describe("servicePrincipals", () => {
  it("lists enterprise applications with the WindowsAzureActiveDirectoryIntegratedApp tag filter", async () => {
    const res = await call(SERVICE_PRINCIPAL_ROUTES, ctx(), { path: "/servicePrincipals", query: { $filter: "tags/any(t:t eq 'WindowsAzureActiveDirectoryIntegratedApp')" } });
    expect(res.status).toBe(200);
    expect((res.json as Page).value.map((v) => v["displayName"])).toEqual(["Salesforce", "Workday"]);
    const spaced = await call(SERVICE_PRINCIPAL_ROUTES, ctx(), { path: "/servicePrincipals", query: { $filter: "tags/any(x: x eq 'HideApp')" } });
    expect((spaced.json as Page).value.map((v) => v["displayName"])).toEqual(["Graph helper", "Workday"]);
  });

  it("applies $select and pages with $top, refusing $top above 999", async () => {
    const first = await call(SERVICE_PRINCIPAL_ROUTES, ctx(), { path: "/servicePrincipals", query: { $select: "id,appId,preferredSingleSignOnMode", $top: "2" } });
    const body = first.json as Page;
    expect(Object.keys(body.value[0]!)).toEqual(["id", "appId", "preferredSingleSignOnMode"]);
    expect(body.value).toHaveLength(2);
    const next = new URL(body["@odata.nextLink"]!);
    expect(next.searchParams.get("$select")).toBe("id,appId,preferredSingleSignOnMode");
    const second = await call(SERVICE_PRINCIPAL_ROUTES, ctx(), { path: "/servicePrincipals", query: Object.fromEntries(next.searchParams) });
    expect((second.json as Page).value).toHaveLength(1);
    expect((second.json as Page)["@odata.nextLink"]).toBeUndefined();
    expect((await call(SERVICE_PRINCIPAL_ROUTES, ctx(), { path: "/servicePrincipals", query: { $top: "1000" } })).status).toBe(400);
  });

  it("lists who is assigned to an application, by object id or by appId", async () => {
    const res = await call(SERVICE_PRINCIPAL_ROUTES, ctx(), { path: `/servicePrincipals/${SP_SALESFORCE}/appRoleAssignedTo` });
    const value = (res.json as Page).value;
    expect(value.map((v) => [v["principalType"], v["principalId"]])).toEqual([["User", userId(0)], ["Group", GROUP_E5]]);
    expect(value[0]).toMatchObject({ resourceId: SP_SALESFORCE, resourceDisplayName: "Salesforce", deletedDateTime: null });
    const byAppId = await call(SERVICE_PRINCIPAL_ROUTES, ctx(), { path: "/servicePrincipals(appId='65415bb1-9267-4313-bbf5-ae259732ee12')/appRoleAssignedTo" });
    expect((byAppId.json as Page).value).toHaveLength(2);
    const missing = await call(SERVICE_PRINCIPAL_ROUTES, ctx(), { path: "/servicePrincipals/00000000-0000-0000-0000-000000000001/appRoleAssignedTo" });
    expect(missing.status).toBe(404);
  });

  it("declares the documented throttle costs", () => {
    const costs = Object.fromEntries(SERVICE_PRINCIPAL_ROUTES.map((r) => [r.pattern, r.throttle]));
    expect(costs["/servicePrincipals"]).toEqual({ kind: "identity", cost: 1 });
    expect(costs["/servicePrincipals/{id}/appRoleAssignedTo"]).toEqual({ kind: "identity", cost: 2 });
  });
});
