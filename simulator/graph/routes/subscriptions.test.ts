import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { generateTenant } from "../../tenant/generate-tenant.ts";
import { startTestGraph, type TestGraph } from "../test-graph-server.ts";

const ORG = ["Organization.Read.All"];
const NOW = new Date("2026-11-26T12:00:00Z");
const tenant = () => generateTenant({ users: 200, seed: 3, now: NOW, modes: { premium: true, concealedNames: false, reportLagDays: 2 }, apps: [] });
const example = JSON.parse(readFileSync(new URL("../../../test/fixtures/graph-examples/companySubscriptions-list.json", import.meta.url), "utf8")) as { value: Record<string, unknown>[] };

let graph: TestGraph | undefined;
afterEach(async () => {
  await graph?.close();
  graph = undefined;
});

describe("GET /directory/subscriptions", () => {
  it("lists companySubscription objects with exactly the documented properties, never the term", async () => {
    const g = (graph = await startTestGraph({ tenant: tenant() }));
    const body = (await (await g.request("/v1.0/directory/subscriptions", { token: g.token(ORG) })).json()) as { "@odata.context": string; value: Record<string, unknown>[] };
    expect(body["@odata.context"]).toBe(`${g.baseUrl}/v1.0/$metadata#directory/subscriptions`);
    expect(body.value.length).toBe(g.tenant.subscriptions!.length);
    for (const s of body.value) expect(Object.keys(s).sort()).toEqual(Object.keys(example.value[0]!).sort());
    const e3 = body.value.filter((s) => s.skuPartNumber === "SPE_E3");
    const sku = g.tenant.skus.find((s) => s.skuPartNumber === "SPE_E3")!;
    expect(e3.reduce((n, s) => n + Number(s.totalLicenses), 0)).toBe(sku.prepaidUnits.enabled);
  });

  it("supports $select, one subscription by id or by commerceSubscriptionId, and 404 for an unknown id", async () => {
    const g = (graph = await startTestGraph({ tenant: tenant() }));
    const token = g.token(ORG);
    const sel = (await (await g.request("/v1.0/directory/subscriptions?$select=skuPartNumber,nextLifecycleDateTime", { token })).json()) as { value: Record<string, unknown>[] };
    expect(Object.keys(sel.value[0]!)).toEqual(["skuPartNumber", "nextLifecycleDateTime"]);
    const sub = g.tenant.subscriptions![2]!;
    const byId = (await (await g.request(`/v1.0/directory/subscriptions/${sub.id}`, { token })).json()) as Record<string, unknown>;
    expect(byId.id).toBe(sub.id);
    const byCommerce = (await (await g.request(`/v1.0/directory/subscriptions(commerceSubscriptionId='${sub.commerceSubscriptionId}')`, { token })).json()) as Record<string, unknown>;
    expect(byCommerce.id).toBe(sub.id);
    const missing = await g.request("/v1.0/directory/subscriptions/00000000-0000-4000-8000-000000000000", { token });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("Request_ResourceNotFound");
  });

  it("answers 403 Authorization_RequestDenied without Organization.Read.All or Directory.Read.All", async () => {
    const g = (graph = await startTestGraph({ tenant: tenant() }));
    const denied = await g.request("/v1.0/directory/subscriptions", { token: g.token(["User.Read.All", "Reports.Read.All"]) });
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { error: { code: string } }).error.code).toBe("Authorization_RequestDenied");
    const broader = await g.request("/v1.0/directory/subscriptions", { token: g.token(["Directory.Read.All"]) });
    expect(broader.status).toBe(200);
  });
});
