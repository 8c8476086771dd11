import { afterEach, describe, expect, it } from "vitest";
import { startTestGraph, type TestGraph } from "../test-graph-server.ts";
import { generateTenant } from "../../tenant/generate-tenant.ts";
import { buildTestTenant, SKU_E3, SKU_E5, TEST_NOW } from "../test-tenant.ts";

const READ = ["User.Read.All"];
const READ_AUDIT = ["User.Read.All", "AuditLog.Read.All"];
const EVENTUAL = { ConsistencyLevel: "eventual" };

let graph: TestGraph | undefined;
afterEach(async () => {
  await graph?.close();
  graph = undefined;
});

async function start(options: Parameters<typeof buildTestTenant>[0] = {}): Promise<TestGraph> {
  graph = await startTestGraph({ tenant: buildTestTenant(options) });
  return graph;
}

interface Page {
  "@odata.context": string;
  "@odata.nextLink"?: string;
  "@odata.count"?: number;
  value: Record<string, unknown>[];
}

async function getJson(g: TestGraph, path: string, roles: string[] = READ, headers: Record<string, string> = {}): Promise<{ status: number; body: Page & { error?: { code: string; message: string } } }> {
  const res = await g.request(path, { token: g.token(roles), headers });
  return { status: res.status, body: (await res.json()) as Page & { error?: { code: string; message: string } } };
}

/** Follows nextLink from `path` and returns every page. */
async function allPages(g: TestGraph, path: string, roles: string[] = READ, headers: Record<string, string> = {}): Promise<Page[]> {
  const pages: Page[] = [];
  let next: string | undefined = path;
  while (next !== undefined) {
    const { status, body } = await getJson(g, next, roles, headers);
    expect(status).toBe(200);
    pages.push(body);
    next = body["@odata.nextLink"]?.slice(g.baseUrl.length);
  }
  return pages;
}

describe("GET /users paging and page sizes", () => {
  it("pages through all 1,050 users with @odata.nextLink, 100 per page by default", async () => {
    const g = await start({ users: 1050 });
    const pages = await allPages(g, "/v1.0/users");
    expect(pages.map((p) => p.value.length)).toEqual([...Array(10).fill(100), 50]);
    const ids = pages.flatMap((p) => p.value.map((u) => u.id));
    expect(new Set(ids).size).toBe(1050);
    expect(pages[0]!["@odata.nextLink"]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\.0\/users\?\$skiptoken=[A-Za-z0-9_-]+$/);
  });

  it("honours $top up to 999 and keeps $select and $top in the nextLink", async () => {
    const g = await start({ users: 1200 });
    const pages = await allPages(g, "/v1.0/users?$select=id,accountEnabled&$top=999");
    expect(pages.map((p) => p.value.length)).toEqual([999, 201]);
    expect(pages[0]!["@odata.nextLink"]).toContain("$select=id%2CaccountEnabled&$top=999&$skiptoken=");
  });

  it("refuses $top above 999 as Graph does", async () => {
    const g = await start();
    const { status, body } = await getJson(g, "/v1.0/users?$top=1000");
    expect(status).toBe(400);
    expect(body.error?.code).toBe("Request_BadRequest");
    expect(body.error?.message).toBe("Invalid page size specified: '1000'. Must be between 1 and 999 inclusive.");
  });

  it("caps pages at 120 users when signInActivity is selected", async () => {
    const g = await start({ users: 300 });
    const pages = await allPages(g, "/v1.0/users?$select=id,signInActivity&$top=999", READ_AUDIT);
    expect(pages.map((p) => p.value.length)).toEqual([120, 120, 60]);
  });

  it("refuses a tampered $skiptoken with Directory_ExpiredPageToken", async () => {
    const g = await start({ users: 300 });
    const { body } = await getJson(g, "/v1.0/users");
    const link = body["@odata.nextLink"]!;
    const tampered = link.replace(/\$skiptoken=([^&]+)/, (_m, t: string) => `$skiptoken=${Buffer.from(Buffer.from(t, "base64url").toString().replace('"p":100', '"p":5')).toString("base64url")}`);
    const res = await getJson(g, tampered.slice(g.baseUrl.length));
    expect(res.status).toBe(400);
    expect(res.body.error?.code).toBe("Directory_ExpiredPageToken");
  });
});

describe("GET /users $select", () => {
  it("serves the default property set in Graph's order without $select", async () => {
    const g = await start();
    const { body } = await getJson(g, "/v1.0/users?$top=1");
    expect(body["@odata.context"]).toBe(`${g.baseUrl}/v1.0/$metadata#users`);
    expect(Object.keys(body.value[0]!)).toEqual(["businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName", "id"]);
  });

  it("projects the selected properties, id after them and signInActivity last", async () => {
    const g = await start();
    const { body } = await getJson(g, "/v1.0/users?$select=displayName,userPrincipalName,signInActivity,assignedLicenses&$top=2", READ_AUDIT);
    expect(body["@odata.context"]).toBe(`${g.baseUrl}/v1.0/$metadata#users(displayName,userPrincipalName,signInActivity,assignedLicenses)`);
    expect(Object.keys(body.value[1]!)).toEqual(["displayName", "userPrincipalName", "assignedLicenses", "id", "signInActivity"]);
    // User 0 never signed in; user 1 signed in one day before the tenant's now.
    expect(body.value[0]!.signInActivity).toBeNull();
    const day = new Date(TEST_NOW.getTime() - 86_400_000).toISOString().replace(".000Z", "Z");
    expect(body.value[1]!.signInActivity).toMatchObject({ lastSignInDateTime: day, lastNonInteractiveSignInDateTime: day, lastSuccessfulSignInDateTime: day });
    expect(body.value[1]!.assignedLicenses).toEqual([{ disabledPlans: [], skuId: SKU_E5 }]);
  });

  it("accepts property names case-insensitively and refuses unknown ones", async () => {
    const g = await start();
    const ok = await getJson(g, "/v1.0/users?$select=USERPRINCIPALNAME&$top=1");
    expect(Object.keys(ok.body.value[0]!)).toEqual(["userPrincipalName", "id"]);
    const bad = await getJson(g, "/v1.0/users?$select=lastLogin");
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: "BadRequest", message: "Could not find a property named 'lastLogin' on type 'microsoft.graph.user'." });
  });

  it("answers 403 Authorization_RequestDenied for signInActivity without AuditLog.Read.All", async () => {
    const g = await start();
    const { status, body } = await getJson(g, "/v1.0/users?$select=id,signInActivity");
    expect(status).toBe(403);
    expect(body.error).toMatchObject({ code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation." });
  });

  it("answers 403 Authentication_RequestFromNonPremiumTenantOrB2CTenant for signInActivity in a tenant without P1", async () => {
    const g = await start({ modes: { premium: false } });
    const { status, body } = await getJson(g, "/v1.0/users?$select=id,signInActivity", READ_AUDIT);
    expect(status).toBe(403);
    expect(body.error).toMatchObject({ code: "Authentication_RequestFromNonPremiumTenantOrB2CTenant", message: "Neither tenant is B2C or tenant doesn't have premium license" });
    const plain = await getJson(g, "/v1.0/users?$select=id,accountEnabled", READ_AUDIT);
    expect(plain.status).toBe(200);
  });
});

describe("GET /users $filter", () => {
  const ids = (p: Page[]) => p.flatMap((x) => x.value.map((u) => u.id as string));
  const expected = (g: TestGraph, f: (i: number) => boolean) => {
    const out: string[] = [];
    for (let i = 0; i < g.tenant.userCount; i++) if (f(i)) out.push(g.tenant.userAt(i).id);
    return out;
  };

  it("filters accountEnabled eq false", async () => {
    const g = await start({ users: 60 });
    expect(ids(await allPages(g, "/v1.0/users?$filter=accountEnabled eq false"))).toEqual(expected(g, (i) => i % 7 === 3));
  });

  it("filters userType eq 'Guest' and combines it with and", async () => {
    const g = await start({ users: 60 });
    expect(ids(await allPages(g, "/v1.0/users?$filter=userType eq 'Guest'"))).toEqual(expected(g, (i) => i % 10 === 9));
    expect(ids(await allPages(g, "/v1.0/users?$filter=userType eq 'Member' and accountEnabled eq true"))).toEqual(expected(g, (i) => i % 10 !== 9 && i % 7 !== 3));
  });

  it("filters assignedLicenses/any by skuId, including group-assigned licenses", async () => {
    const g = await start({ users: 60 });
    expect(ids(await allPages(g, `/v1.0/users?$filter=assignedLicenses/any(x:x/skuId eq ${SKU_E3})`))).toEqual(expected(g, (i) => i % 3 === 0));
    expect(ids(await allPages(g, `/v1.0/users?$filter=assignedLicenses/any(u:u/skuId eq ${SKU_E5.toUpperCase()})`))).toEqual(expected(g, (i) => i % 3 === 1));
  });

  it("filters startswith(userPrincipalName,'...') case-insensitively", async () => {
    const g = await start({ users: 60 });
    expect(ids(await allPages(g, "/v1.0/users?$filter=startswith(userPrincipalName,'USER1')"))).toEqual(expected(g, (i) => i % 10 !== 9 && String(i).startsWith("1")));
  });

  it("filters endswith(mail,'@domain') only with ConsistencyLevel eventual and $count=true", async () => {
    const g = await start({ users: 60 });
    const refused = await getJson(g, "/v1.0/users?$filter=endswith(mail,'@fabrikam.com')");
    expect(refused.status).toBe(400);
    expect(refused.body.error?.code).toBe("Request_UnsupportedQuery");
    const pages = await allPages(g, "/v1.0/users?$filter=endswith(mail,'@fabrikam.com')&$count=true", READ, EVENTUAL);
    expect(ids(pages)).toEqual(expected(g, (i) => i % 10 === 9));
    expect(pages[0]!["@odata.count"]).toBe(6);
  });

  it("filters signInActivity/lastSignInDateTime le a date, alone only", async () => {
    const g = await start({ users: 60 });
    const cutoff = new Date(TEST_NOW.getTime() - 30 * 86_400_000).toISOString();
    const pages = await allPages(g, `/v1.0/users?$filter=signInActivity/lastSignInDateTime le ${cutoff}`, READ_AUDIT);
    expect(ids(pages)).toEqual(expected(g, (i) => i % 4 !== 0 && i >= 30));
    const combined = await getJson(g, `/v1.0/users?$filter=signInActivity/lastSignInDateTime le ${cutoff} and accountEnabled eq true`, READ_AUDIT);
    expect(combined.status).toBe(400);
    expect(combined.body.error?.code).toBe("Request_UnsupportedQuery");
    const noAudit = await getJson(g, `/v1.0/users?$filter=signInActivity/lastSignInDateTime le ${cutoff}`);
    expect(noAudit.status).toBe(403);
  });

  it("answers 400 for unsupported properties and syntax errors", async () => {
    const g = await start();
    const prop = await getJson(g, "/v1.0/users?$filter=favouriteColour eq 'blue'");
    expect(prop.status).toBe(400);
    expect(prop.body.error).toMatchObject({ code: "Request_UnsupportedQuery", message: "Unsupported or invalid query filter clause specified for property 'favouriteColour' of resource 'User'." });
    const syntax = await getJson(g, "/v1.0/users?$filter=accountEnabled eq");
    expect(syntax.status).toBe(400);
    expect(syntax.body.error?.code).toBe("BadRequest");
    const skip = await getJson(g, "/v1.0/users?$skip=10");
    expect(skip.body.error?.code).toBe("Request_BadRequest");
  });
});

describe("$count", () => {
  it("adds @odata.count with ConsistencyLevel eventual and refuses $count=true without it", async () => {
    const g = await start({ users: 250 });
    const pages = await allPages(g, "/v1.0/users?$count=true&$filter=accountEnabled eq true", READ, EVENTUAL);
    const enabled = 250 - Array.from({ length: 250 }, (_, i) => i).filter((i) => i % 7 === 3).length;
    expect(pages.map((p) => p["@odata.count"])).toEqual(pages.map(() => enabled));
    expect(pages.reduce((n, p) => n + p.value.length, 0)).toBe(enabled);
    const refused = await getJson(g, "/v1.0/users?$count=true");
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: "Request_BadRequest", message: "$count is not currently supported." });
  });

  it("serves /users/$count as text/plain with ConsistencyLevel eventual only", async () => {
    const g = await start({ users: 42 });
    const ok = await g.request("/v1.0/users/$count", { token: g.token(READ), headers: EVENTUAL });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toBe("text/plain");
    expect(await ok.text()).toBe("42");
    const refused = await g.request("/v1.0/users/$count", { token: g.token(READ) });
    expect(refused.status).toBe(400);
  });
});

describe("GET /users/{id | userPrincipalName}", () => {
  it("finds a user by id or UPN with $select, and 404s an unknown one", async () => {
    const g = await start();
    const u = g.tenant.userAt(9);
    const byUpn = await g.request(`/v1.0/users/${encodeURIComponent(u.userPrincipalName)}?$select=id,userType`, { token: g.token(READ) });
    expect(byUpn.status).toBe(200);
    expect(await byUpn.json()).toEqual({ "@odata.context": `${g.baseUrl}/v1.0/$metadata#users(id,userType)/$entity`, id: u.id, userType: "Guest" });
    const byId = (await (await g.request(`/beta/users/${u.id}`, { token: g.token(READ) })).json()) as Record<string, unknown>;
    expect(byId.userPrincipalName).toBe(u.userPrincipalName);
    expect(byId).toHaveProperty("assignedLicenses");
    const missing = await g.request("/v1.0/users/nobody@contoso.com", { token: g.token(READ) });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("Request_ResourceNotFound");
  });
});

describe("GET /users?$expand=manager", () => {
  it("adds each user's manager, projected by the inner $select, and omits it for users without one", async () => {
    const tenant = generateTenant({ users: 60, seed: 4, now: new Date(TEST_NOW), modes: { premium: true, concealedNames: false, reportLagDays: 2 }, apps: [] });
    graph = await startTestGraph({ tenant });
    const { status, body } = await getJson(graph, "/v1.0/users?$select=id,displayName&$expand=manager($select=id,displayName)&$top=999");
    expect(status).toBe(200);
    expect(body.value.filter((u) => u.manager).length).toBeGreaterThan(10);
    for (const u of body.value) {
      const sim = tenant.userAt(tenant.indexOf(String(u.id)));
      if (sim.managerId) expect(u.manager).toEqual({ "@odata.type": "#microsoft.graph.user", id: sim.managerId, displayName: tenant.userAt(tenant.indexOf(sim.managerId)).displayName });
      else expect(u.manager).toBeUndefined();
    }
  });

  it("refuses to expand an unknown navigation property", async () => {
    const g = await start({ users: 10 });
    const { status, body } = await getJson(g, "/v1.0/users?$expand=bosses");
    expect(status).toBe(400);
    expect(body.error?.message).toContain("Could not find a property named 'bosses'");
  });
});
