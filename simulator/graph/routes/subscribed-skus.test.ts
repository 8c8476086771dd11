import { afterEach, describe, expect, it } from "vitest";
import { startTestGraph, type TestGraph } from "../test-graph-server.ts";
import { buildTestTenant, SKU_E3, SKU_E5, TEST_TENANT_ID } from "../test-tenant.ts";

const ORG = ["Organization.Read.All"];
let graph: TestGraph | undefined;
afterEach(async () => {
  await graph?.close();
  graph = undefined;
});

describe("GET /subscribedSkus", () => {
  it("counts consumed units from the users' current licenses", async () => {
    const tenant = buildTestTenant({ users: 30 });
    tenant.setLicenses(1, []);
    const g = (graph = await startTestGraph({ tenant }));
    const body = (await (await g.request("/v1.0/subscribedSkus", { token: g.token(ORG) })).json()) as { value: { skuId: string; consumedUnits: number; id: string }[] };
    // E3: i % 3 === 0 → 10 users; E5: i % 3 === 1 → 10 users, minus user 1.
    expect(body.value.map((s) => [s.skuId, s.consumedUnits, s.id])).toEqual([
      [SKU_E3, 10, `${TEST_TENANT_ID}_${SKU_E3}`],
      [SKU_E5, 9, `${TEST_TENANT_ID}_${SKU_E5}`],
    ]);
  });

  it("supports $select and nothing else", async () => {
    const g = (graph = await startTestGraph());
    const sel = await g.request("/v1.0/subscribedSkus?$select=skuPartNumber,consumedUnits", { token: g.token(ORG) });
    const body = (await sel.json()) as { "@odata.context": string; value: Record<string, unknown>[] };
    expect(body["@odata.context"]).toBe(`${g.baseUrl}/v1.0/$metadata#subscribedSkus(skuPartNumber,consumedUnits)`);
    expect(Object.keys(body.value[0]!)).toEqual(["skuPartNumber", "consumedUnits"]);
    const filter = await g.request("/v1.0/subscribedSkus?$filter=skuPartNumber eq 'SPE_E3'", { token: g.token(ORG) });
    expect(filter.status).toBe(400);
    expect(((await filter.json()) as { error: { code: string } }).error.code).toBe("Request_UnsupportedQuery");
  });
});

describe("GET /organization", () => {
  it("derives assignedPlans from the SKUs' service plans and keeps id with $select", async () => {
    const g = (graph = await startTestGraph());
    const full = (await (await g.request("/v1.0/organization", { token: g.token(["Directory.Read.All"]) })).json()) as { value: { id: string; assignedPlans: { service: string; servicePlanId: string }[] }[] };
    expect(full.value[0]!.id).toBe(TEST_TENANT_ID);
    expect(full.value[0]!.assignedPlans.map((p) => p.service)).toEqual(["exchange", "TeamspaceAPI"]);
    const sel = (await (await g.request("/beta/organization?$select=displayName", { token: g.token(ORG) })).json()) as { value: Record<string, unknown>[] };
    expect(sel.value).toEqual([{ displayName: "Contoso", id: TEST_TENANT_ID }]);
  });
});
