import { afterEach, describe, expect, it } from "vitest";
import throttled429 from "../../test/fixtures/graph-examples/error-429-throttled.json" with { type: "json" };
import { GRAPH_JSON_CONTENT_TYPE } from "./create-graph-handler.ts";
import type { GraphRoute } from "./route.ts";
import { ALL_ROUTES } from "./routes/index.ts";
import { startTestGraph, type TestGraph } from "./test-graph-server.ts";
import { buildTestTenant } from "./test-tenant.ts";

const READ = ["User.Read.All"];

let graph: TestGraph | undefined;
afterEach(async () => {
  await graph?.close();
  graph = undefined;
});

async function start(options: Parameters<typeof startTestGraph>[0] = {}): Promise<TestGraph> {
  graph = await startTestGraph(options);
  return graph;
}

type ErrorBody = { error: { code: string; message: string; innerError: Record<string, string> } };

describe("response envelope", () => {
  it("sends request-id, echoes client-request-id, a Date and Graph's JSON content type", async () => {
    const g = await start();
    const res = await g.request("/v1.0/users?$top=1", { token: g.token(READ), headers: { "client-request-id": "my-correlation-id" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get("client-request-id")).toBe("my-correlation-id");
    expect(Number.isNaN(Date.parse(res.headers.get("date") ?? ""))).toBe(false);
    expect(res.headers.get("content-type")).toBe(GRAPH_JSON_CONTENT_TYPE);
    // $top < 20 lowers the users cost of 2 by one.
    expect(res.headers.get("x-ms-resource-unit")).toBe("1");
  });

  it("uses the request id as client-request-id when none is sent, also inside error bodies", async () => {
    const g = await start();
    const res = await g.request("/v1.0/users");
    const body = (await res.json()) as ErrorBody;
    expect(res.headers.get("client-request-id")).toBe(res.headers.get("request-id"));
    expect(body.error.innerError["request-id"]).toBe(res.headers.get("request-id"));
    expect(body.error.innerError["client-request-id"]).toBe(res.headers.get("request-id"));
  });
});

describe("authentication and authorization", () => {
  it("answers 401 InvalidAuthenticationToken 'Access token is empty.' without a bearer token", async () => {
    const g = await start();
    const res = await g.request("/v1.0/users");
    expect(res.status).toBe(401);
    expect(((await res.json()) as ErrorBody).error).toMatchObject({ code: "InvalidAuthenticationToken", message: "Access token is empty." });
    expect(res.headers.get("www-authenticate")).toContain("Bearer");
  });

  it("answers 401 for an expired or unknown token", async () => {
    const g = await start();
    const expired = await g.request("/v1.0/users", { token: g.token(READ, { expired: true }) });
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as ErrorBody).error).toMatchObject({ code: "InvalidAuthenticationToken", message: "Lifetime validation failed, the token is expired." });
    const forged = await g.request("/v1.0/users", { token: "not.a.token" });
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as ErrorBody).error.code).toBe("InvalidAuthenticationToken");
  });

  it("answers 403 Authorization_RequestDenied when the token lacks every documented permission", async () => {
    const g = await start();
    const res = await g.request("/v1.0/subscribedSkus", { token: g.token(["User.Read.All", "Reports.Read.All"]) });
    expect(res.status).toBe(403);
    expect(((await res.json()) as ErrorBody).error).toMatchObject({ code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation." });
    const ok = await g.request("/v1.0/subscribedSkus", { token: g.token(["Organization.Read.All"]) });
    expect(ok.status).toBe(200);
  });
});

describe("routing", () => {
  it("names the unknown segment, refuses wrong methods and unknown versions", async () => {
    const g = await start();
    const t = g.token(READ);
    const seg = await g.request("/v1.0/usersx", { token: t });
    expect(seg.status).toBe(400);
    expect(((await seg.json()) as ErrorBody).error).toMatchObject({ code: "BadRequest", message: "Resource not found for the segment 'usersx'." });
    const method = await g.request("/v1.0/subscribedSkus", { token: t, method: "DELETE" });
    expect(method.status).toBe(405);
    const version = await g.request("/v2.0/users", { token: t });
    expect(version.status).toBe(400);
    expect(((await version.json()) as ErrorBody).error.message).toBe("Invalid version: v2.0");
  });

  it("matches path segments case-insensitively", async () => {
    const g = await start();
    const res = await g.request("/v1.0/Users?$top=1", { token: g.token(READ) });
    expect(res.status).toBe(200);
  });
});

describe("throttling", () => {
  it("answers 429 with the documented body and a fractional Retry-After once the resource units are spent", async () => {
    let now = 1_000_000;
    const g = await start({ clock: () => now, timeScale: 0.5 });
    const t = g.token(READ);
    // A tenant under 50 users gets 3,500 RU per 10 s; GET /users costs 2, so 1,750 fit in a frozen clock.
    let ok = 0;
    let lastPercentage: string | null = null;
    let inner429: { status: number; headers: Record<string, string>; body: { error: { code: string } } } | undefined;
    for (let batch = 0; batch < 88; batch++) {
      const res = await g.request("/v1.0/$batch", { token: t, method: "POST", body: { requests: Array.from({ length: 20 }, (_, i) => ({ id: String(i), method: "GET", url: "/users" })) } });
      expect(res.status).toBe(200);
      const { responses } = (await res.json()) as { responses: { status: number; headers: Record<string, string>; body: { error: { code: string } } }[] };
      for (const r of responses) {
        if (r.status === 200) {
          ok++;
          lastPercentage = r.headers["x-ms-throttle-limit-percentage"] ?? null;
        } else inner429 ??= r;
      }
    }
    expect(ok).toBe(1750);
    expect(lastPercentage).toBe("1");
    // Items of a batch are throttled one by one, each 429 with its own Retry-After.
    expect(inner429?.status).toBe(429);
    expect(inner429?.headers["Retry-After"]).toBe("0.003");
    expect(inner429?.body.error.code).toBe("TooManyRequests");
    const res = await g.request("/v1.0/users", { token: t });
    expect(res.status).toBe(429);
    // 2 RU at 3,500 RU per 5 s (10 s × 0.5) take 2.857 ms.
    expect(res.headers.get("retry-after")).toBe("0.003");
    expect(res.headers.get("x-ms-throttle-scope")).toBe(`Tenant_Application/ReadWrite/test-app/${g.tenant.tenantId}`);
    expect(res.headers.get("x-ms-throttle-information")).toBe("ResourceUnitLimitExceeded");
    const body = (await res.json()) as typeof throttled429;
    expect(body).toEqual({
      error: { ...throttled429.error, innerError: { ...throttled429.error.innerError, date: body.error.innerError.date, "request-id": res.headers.get("request-id") } },
    });
    // Another app in the same tenant has its own bucket.
    expect((await g.request("/v1.0/users", { token: g.token(READ, { appid: "other-app" }) })).status).toBe(200);
    now += 3;
    expect((await g.request("/v1.0/users", { token: t })).status).toBe(200);
    expect(g.stats.throttled).toBe(11);
  });
});

describe("$batch", () => {
  it("refuses more than 20 requests and accepts 20", async () => {
    const g = await start();
    const t = g.token(READ);
    const make = (n: number) => ({ requests: Array.from({ length: n }, (_, i) => ({ id: `r${i}`, method: "GET", url: "/users?$top=1" })) });
    const over = await g.request("/v1.0/$batch", { token: t, method: "POST", body: make(21) });
    expect(over.status).toBe(400);
    expect(((await over.json()) as ErrorBody).error.code).toBe("BadRequest");
    const ok = await g.request("/v1.0/$batch", { token: t, method: "POST", body: make(20) });
    expect(ok.status).toBe(200);
    const { responses } = (await ok.json()) as { responses: { id: string; status: number; body: { value: unknown[] } }[] };
    expect(responses.map((r) => [r.id, r.status, r.body.value.length])).toEqual(Array.from({ length: 20 }, (_, i) => [`r${i}`, 200, 1]));
  });

  it("authorizes each item, honours dependsOn and fails dependants of a failed item with 424", async () => {
    const g = await start();
    const res = await g.request("/v1.0/$batch", {
      token: g.token(READ),
      method: "POST",
      body: {
        requests: [
          { id: "b", method: "GET", url: "/users/$count", headers: { ConsistencyLevel: "eventual" }, dependsOn: ["a"] },
          { id: "a", method: "GET", url: "organization" },
          { id: "c", method: "GET", url: "/users?$top=2" },
          { id: "d", method: "GET", url: "/users/$count", headers: { ConsistencyLevel: "eventual" }, dependsOn: ["c"] },
        ],
      },
    });
    const { responses } = (await res.json()) as { responses: { id: string; status: number; headers: Record<string, string>; body: unknown }[] };
    expect(responses.map((r) => [r.id, r.status])).toEqual([
      ["b", 424],
      ["a", 403],
      ["c", 200],
      ["d", 200],
    ]);
    expect(responses[3]!.body).toBe("25");
    expect((responses[1]!.body as ErrorBody).error.code).toBe("Authorization_RequestDenied");
  });

  it("answers 400 for a dependency cycle", async () => {
    const g = await start();
    const res = await g.request("/v1.0/$batch", {
      token: g.token(READ),
      method: "POST",
      body: { requests: [{ id: "1", method: "GET", url: "/users", dependsOn: ["2"] }, { id: "2", method: "GET", url: "/users", dependsOn: ["1"] }] },
    });
    expect(res.status).toBe(400);
  });
});

describe("faults", () => {
  async function outcomes(seed: number): Promise<string[]> {
    const g = await startTestGraph({ faults: { rate: 0.5, seed, slowMs: 1 }, timeScale: 1 });
    const t = g.token(READ);
    const out: string[] = [];
    for (let i = 0; i < 40; i++) {
      try {
        const res = await g.request("/v1.0/users?$top=1", { token: t });
        out.push(`${res.status}${res.headers.get("retry-after") === null ? "" : "+ra"}`);
        await res.arrayBuffer();
      } catch {
        out.push("drop");
      }
    }
    const faults = g.stats.faults;
    await g.close();
    out.push(`faults=${faults}`);
    return out;
  }

  it("injects the same faults for the same seed and request sequence, and other faults for another seed", async () => {
    const a = await outcomes(42);
    const b = await outcomes(42);
    const c = await outcomes(43);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    for (const kind of ["503", "504", "drop"]) expect(a.some((o) => o.startsWith(kind))).toBe(true);
    expect(a.filter((o) => o.startsWith("200")).length).toBeGreaterThan(10);
  });
});

describe("pre-authenticated downloads", () => {
  const downloadRoute: GraphRoute = {
    method: "GET",
    pattern: "/reports/test",
    versions: ["v1.0"],
    endpoint: "reports.usage",
    throttle: { kind: "none" },
    handle: (_req, ctx) => ({ status: 302, headers: { Location: ctx.putDownload(Buffer.from("a,b\r\n1,2\r\n"), "application/octet-stream") }, text: "" }),
  };

  it("serves a download without Authorization until it expires", async () => {
    let now = 0;
    const g = await start({ clock: () => now, routes: [...ALL_ROUTES, downloadRoute] });
    const res = await g.request("/v1.0/reports/test", { token: g.token(["Reports.Read.All"]) });
    expect(res.status).toBe(302);
    const location = res.headers.get("location")!;
    expect(location.startsWith(`${g.baseUrl}/_download/`)).toBe(true);
    const file = await fetch(location);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("application/octet-stream");
    expect(await file.text()).toBe("a,b\r\n1,2\r\n");
    now += 5 * 60_000 + 1;
    expect((await fetch(location)).status).toBe(404);
  });
});

describe("stats", () => {
  it("counts requests, bytes and endpoints, and resets", async () => {
    const g = await start({ tenant: buildTestTenant({ users: 10 }) });
    const t = g.token(READ);
    const a = await g.request("/v1.0/users", { token: t });
    const bytes = (await a.arrayBuffer()).byteLength;
    await (await g.request("/v1.0/users/nobody", { token: t })).arrayBuffer();
    expect(g.stats.requests).toBe(2);
    expect(g.stats.byEndpoint["users.list"]).toEqual({ requests: 1, throttled: 0, bytesOut: bytes });
    expect(g.stats.byEndpoint["users.get"]?.requests).toBe(1);
    expect(g.stats.bytesOut).toBeGreaterThan(bytes);
    g.stats.reset();
    expect(g.stats.requests).toBe(0);
    expect(g.stats.byEndpoint).toEqual({});
  });
});
