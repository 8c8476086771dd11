import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GraphError } from "../core/errors.ts";
import { json, startScriptedServer, type ScriptedServer } from "../test/support/scripted-https-server.ts";
import type { TokenProvider } from "./create-token-provider.ts";
import { createHttpsTransport, type HttpTransport } from "./https-transport.ts";
import { createGraphClient, type Clock } from "./graph-client.ts";
import { windowSlackMs } from "./sliding-window.ts";

let server: ScriptedServer;
let transport: HttpTransport;
const tokens: TokenProvider = { getToken: async () => ({ token: "test-token-value", expiresOn: new Date(Date.now() + 3_600_000), roles: [] }) };

/** A clock whose sleeps only record their length: no test waits in real time. */
function fakeClock(): Clock & { slept: number[] } {
  let now = 1_000_000;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

beforeAll(async () => {
  server = await startScriptedServer();
  transport = createHttpsTransport({ caPem: server.caPem });
});
afterAll(async () => {
  transport.close();
  await server.close();
});
beforeEach(() => {
  server.seen.length = 0;
  server.script.length = 0;
});

const client = (clock = fakeClock()) => createGraphClient({ graphEndpoint: server.origin, transport, tokens, clock, random: () => 0.5 });

describe("graph client", () => {
  it("pages through @odata.nextLink with one request per page", async () => {
    server.script.push(
      (_r, res) => json(res, 200, { value: [1, 2], "@odata.nextLink": `${server.origin}/v1.0/users?$skiptoken=abc` }),
      (_r, res) => json(res, 200, { value: [3] }),
    );
    const items: number[] = [];
    for await (const page of client().pages<number>({ path: "/users?$select=id" })) items.push(...page);
    expect(items).toEqual([1, 2, 3]);
    expect(server.seen.map((r) => r.url)).toEqual(["/v1.0/users?$select=id", "/v1.0/users?$skiptoken=abc"]);
    expect(server.seen[0]!.headers.authorization).toBe("Bearer test-token-value");
  });

  it("waits exactly the fractional Retry-After of a 429, then retries", async () => {
    server.script.push(
      (_r, res) => json(res, 429, { error: { code: "TooManyRequests", message: "Please retry again later." } }, { "retry-after": "2.128" }),
      (_r, res) => json(res, 200, { value: [] }),
    );
    const clock = fakeClock();
    const c = client(clock);
    await c.getJson({ path: "/users" });
    expect(server.seen).toHaveLength(2);
    expect(clock.slept).toContain(2128);
    expect(c.stats).toMatchObject({ requests: 2, throttled: 1 });
  });

  it("backs off with jitter on 503 and on a dropped connection", async () => {
    server.script.push(
      (_r, res) => json(res, 503, { error: { code: "serviceNotAvailable", message: "x" } }),
      (_r, res) => res.socket?.destroy(),
      (_r, res) => json(res, 200, { ok: true }),
    );
    const clock = fakeClock();
    const result = await client(clock).getJson<{ ok: boolean }>({ path: "/organization" });
    expect(result.ok).toBe(true);
    expect(server.seen).toHaveLength(3);
    // random() = 0.5: half of 500 ms, then half of 1,000 ms.
    expect(clock.slept).toEqual([250, 500]);
  });

  it("keeps status, Graph code, request id, method and URL on errors", async () => {
    server.script.push((_r, res) =>
      json(res, 403, { error: { code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation." } }, { "request-id": "rid-42" }),
    );
    const error = await client().getJson({ path: "/auditLogs/signIns" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphError);
    expect(error).toMatchObject({ status: 403, code: "Authorization_RequestDenied", requestId: "rid-42", method: "GET", url: `${server.origin}/v1.0/auditLogs/signIns` });
    expect(String((error as Error).message)).not.toContain("test-token-value");
  });

  it("never sends the token to another host named by a nextLink", async () => {
    server.script.push((_r, res) => json(res, 200, { value: [1], "@odata.nextLink": "https://evil.example/v1.0/users?$skiptoken=x" }));
    const pages = client().pages<number>({ path: "/users" });
    await pages.next();
    await expect(pages.next()).rejects.toMatchObject({ code: "UnexpectedOrigin" });
    expect(server.seen).toHaveLength(1);
  });

  it("downloads a report through the 302 without sending the token to the download URL", async () => {
    server.script.push(
      (_r, res) => {
        res.writeHead(302, { location: `${server.origin}/download/xyz`, "content-type": "text/plain" });
        res.end();
      },
      (_r, res) => {
        res.writeHead(200, { "content-type": "application/octet-stream" });
        res.end("\ufeffReport Refresh Date,User Principal Name\r\n");
      },
    );
    const csv = await client().download({ path: "/reports/getOffice365ActiveUserDetail(period='D7')", scope: "reportCsv:getOffice365ActiveUserDetail" });
    expect(csv.toString("utf8")).toContain("User Principal Name");
    expect(server.seen[1]!.url).toBe("/download/xyz");
    expect(server.seen[1]!.headers.authorization).toBeUndefined();
  });

  it("streams a download and starts over, telling the consumer, when the connection drops midway", async () => {
    server.script.push(
      (_r, res) => {
        res.writeHead(302, { location: `${server.origin}/download/big` });
        res.end();
      },
      (_r, res) => {
        res.writeHead(200, { "content-type": "application/octet-stream", "content-length": "1000" });
        res.write("A,B\r\n1,");
        setTimeout(() => res.socket?.destroy(), 20);
      },
      (_r, res) => {
        res.writeHead(200, { "content-type": "application/octet-stream" });
        res.end("A,B\r\n1,2\r\n");
      },
    );
    let received = "";
    let restarts = 0;
    await client().downloadStream(
      { path: "/reports/x", scope: "reportCsv:x" },
      (c) => (received += c.toString("utf8")),
      () => {
        restarts++;
        received = "";
      },
    );
    expect(restarts).toBe(1);
    expect(received).toBe("A,B\r\n1,2\r\n");
    expect(server.seen.map((r) => r.url)).toEqual(["/v1.0/reports/x", "/download/big", "/download/big"]);
  });

  it("paces report requests to 14 in any 10 minutes", async () => {
    server.fallback = (_r, res) => json(res, 200, { value: [] });
    const clock = fakeClock();
    const c = client(clock);
    for (let i = 0; i < 15; i++) await c.getJson({ path: "/reports/x", scope: "reportCsv:x" });
    // The 15th waits until the first leaves the 10-minute window.
    expect(clock.slept).toEqual([600_000 + windowSlackMs(600_000)]);
    expect(c.stats.throttled).toBe(0);
  });

  it("retries only the throttled items of a $batch", async () => {
    server.script.push(
      (_r, res) =>
        json(res, 200, {
          responses: [
            { id: "1", status: 200, headers: {}, body: { a: 1 } },
            { id: "2", status: 429, headers: { "Retry-After": "1.5" }, body: { error: { code: "TooManyRequests" } } },
          ],
        }),
      (_r, res) => json(res, 200, { responses: [{ id: "2", status: 200, headers: {}, body: { b: 2 } }] }),
    );
    const clock = fakeClock();
    const out = await client(clock).batch([
      { id: "1", method: "GET", url: "/users/1" },
      { id: "2", method: "GET", url: "/users/2" },
    ]);
    expect(out.map((r) => [r.id, r.status])).toEqual([["1", 200], ["2", 200]]);
    expect(JSON.parse(server.seen[1]!.body).requests.map((r: { id: string }) => r.id)).toEqual(["2"]);
    expect(clock.slept).toContain(1500);
  });
});
