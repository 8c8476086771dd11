/**
 * Served Graph shapes against Microsoft's documented examples (copied byte-for-byte from
 * ../shared/reference/graph-examples/ into test/fixtures/graph-examples/): same property names, at
 * every nesting level, for users, signInActivity, assignedLicenses, subscribedSkus and organization.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGraph, type TestGraph } from "../simulator/graph/test-graph-server.ts";
import { buildTestTenant, SKU_E3 } from "../simulator/graph/test-tenant.ts";

function example(name: string): { "@odata.context": string; value: Record<string, unknown>[] } {
  return JSON.parse(readFileSync(new URL(`./fixtures/graph-examples/${name}`, import.meta.url), "utf8")) as { "@odata.context": string; value: Record<string, unknown>[] };
}

/**
 * Property-name paths of a JSON value: `a`, `a.b`, `a[].c`. Arrays contribute the union over their
 * elements; empty arrays and nulls contribute nothing below themselves.
 */
function paths(value: unknown, prefix = ""): string[] {
  const out = new Set<string>();
  if (Array.isArray(value)) {
    for (const item of value) for (const p of paths(item, `${prefix}[]`)) out.add(p);
  } else if (typeof value === "object" && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      const here = prefix === "" ? k : `${prefix}.${k}`;
      out.add(here);
      for (const p of paths(v, here)) out.add(p);
    }
  }
  return [...out].sort();
}

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph({ tenant: buildTestTenant({ users: 30 }) });
});
afterAll(async () => {
  await graph.close();
});

async function get(path: string, roles: string[]): Promise<{ "@odata.context": string; value: Record<string, unknown>[] }> {
  const res = await graph.request(path, { token: graph.token(roles) });
  expect(res.status).toBe(200);
  return (await res.json()) as { "@odata.context": string; value: Record<string, unknown>[] };
}

describe("served shapes match graph-examples", () => {
  it("users list: the default properties, in the example's order", async () => {
    const ref = example("users-list.json");
    const served = await get("/v1.0/users", ["User.Read.All"]);
    for (const u of served.value) expect(Object.keys(u)).toEqual(Object.keys(ref.value[0]!));
    expect(Object.keys(served)).toEqual(Object.keys(ref));
    expect(served["@odata.context"].replace(graph.baseUrl, "https://graph.microsoft.com")).toBe(ref["@odata.context"]);
  });

  it("users with signInActivity: the example's properties, plus only the documented lastSuccessfulSignIn pair", async () => {
    const ref = example("users-signInActivity.json");
    const served = await get("/v1.0/users?$select=displayName,userPrincipalName,signInActivity", ["User.Read.All", "AuditLog.Read.All"]);
    expect(served["@odata.context"].replace(graph.baseUrl, "https://graph.microsoft.com")).toBe(ref["@odata.context"]);
    const refPaths = paths(ref.value);
    const signedIn = served.value.filter((u) => u.signInActivity !== null);
    expect(signedIn.length).toBeGreaterThan(0);
    for (const u of signedIn) {
      expect(Object.keys(u)).toEqual(Object.keys(ref.value[0]!));
      // v1.0 signinactivity.md (graph-api-facts.md §3) documents lastSuccessfulSignIn*, newer than the example.
      expect(paths([u])).toEqual([...refPaths, "[].signInActivity.lastSuccessfulSignInDateTime", "[].signInActivity.lastSuccessfulSignInRequestId"].sort());
    }
  });

  it("users filtered by license: id, mail, assignedLicenses[].{disabledPlans, skuId}", async () => {
    const ref = example("users-assignedLicenses-filter.json");
    const served = await get(`/v1.0/users?$select=id,mail,assignedLicenses&$filter=assignedLicenses/any(u:u/skuId eq ${SKU_E3})`, ["User.Read.All"]);
    expect(served.value.length).toBe(10);
    expect(paths(served.value)).toEqual(paths(ref.value));
    expect(served["@odata.context"].replace(graph.baseUrl, "https://graph.microsoft.com")).toBe(ref["@odata.context"]);
  });

  it("subscribedSkus: every property and nested property of the example", async () => {
    const ref = example("subscribedSkus.json");
    const served = await get("/v1.0/subscribedSkus", ["Organization.Read.All"]);
    expect(paths(served.value)).toEqual(paths(ref.value));
    for (const s of served.value) expect(Object.keys(s)).toEqual(Object.keys(ref.value[0]!));
    expect(served["@odata.context"].replace(graph.baseUrl, "https://graph.microsoft.com")).toBe(ref["@odata.context"]);
  });

  it("organization: every property of the example, verified domains from the tenant", async () => {
    const ref = example("organization.json");
    const served = await get("/v1.0/organization", ["Organization.Read.All"]);
    expect(paths(served.value)).toEqual(paths(ref.value));
    expect(Object.keys(served.value[0]!)).toEqual(Object.keys(ref.value[0]!));
    expect((served.value[0]!.verifiedDomains as { name: string; isDefault: boolean; isInitial: boolean }[]).map((d) => [d.name, d.isDefault, d.isInitial])).toEqual([
      ["contoso.com", true, false],
      ["contoso.onmicrosoft.com", false, true],
    ]);
  });
});
