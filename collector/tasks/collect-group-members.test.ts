import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGraphClient } from "../../graph/graph-client.ts";
import { createHttpsTransport, type HttpTransport } from "../../graph/https-transport.ts";
import { json, startScriptedServer, type ScriptedServer } from "../../test/support/scripted-https-server.ts";
import { protectGroupsRecord } from "../collect.ts";
import { collectGroupMembers } from "./collect-group-members.ts";

let server: ScriptedServer;
let transport: HttpTransport;

beforeAll(async () => {
  server = await startScriptedServer();
  transport = createHttpsTransport({ caPem: server.caPem });
});
afterAll(async () => {
  transport.close();
  await server.close();
});

const tokens = { getToken: async () => ({ token: "t", expiresOn: new Date(Date.now() + 3_600_000), roles: [] }) };

describe("collectGroupMembers", () => {
  it("fails only the group whose $filter Graph answers with 400; the others are collected", async () => {
    server.fallback = (req, res) => {
      const url = new URL(req.url, server.origin);
      const filter = url.searchParams.get("$filter") ?? "";
      if (url.pathname === "/v1.0/groups" && filter.includes("Odd #Name")) {
        json(res, 400, { error: { code: "Request_UnsupportedQuery", message: "Unsupported Query.", innerError: { "request-id": "r1" } } });
      } else if (url.pathname === "/v1.0/groups" && filter === "displayName eq 'Admins'") {
        json(res, 200, { value: [{ id: "g-1", displayName: "Admins" }] });
      } else if (url.pathname === "/v1.0/groups") {
        json(res, 200, { value: [] });
      } else if (url.pathname === "/v1.0/groups/g-1/transitiveMembers") {
        json(res, 200, { value: [{ "@odata.type": "#microsoft.graph.user", id: "u-1" }, { "@odata.type": "#microsoft.graph.group", id: "g-2" }] });
      } else json(res, 404, { error: { code: "NotFound", message: "no" } });
    };
    const graph = createGraphClient({ graphEndpoint: server.origin, transport, tokens, maxAttempts: 1 });
    const result = await collectGroupMembers(graph, ["Odd #Name", "Admins", "Missing"]);
    expect(result.groups).toEqual([{ id: "g-1", displayName: "Admins", userIds: ["u-1"] }]);
    expect(result.unresolved).toEqual(["Missing"]);
    expect(result.refused).toEqual([{ nameOrId: "Odd #Name", error: "400 Request_UnsupportedQuery" }]);

    const record = protectGroupsRecord("licenseInformation", 1, result.unresolved, result.refused, []);
    expect(record).toMatchObject({ status: "failed", reason: "group-query-refused", notFound: [{ name: "Missing", suggested: false }] });
    expect(record.detail).toContain('"Odd #Name" (400 Request_UnsupportedQuery)');
  });
});

describe("protectGroupsRecord", () => {
  it("is a note, not a failure, when only the shipped pack's suggested groups are missing", () => {
    const r = protectGroupsRecord("licenseInformation", 3, ["Break Glass Accounts"], [], ["Break Glass Accounts", "Seatwise-Protected"]);
    expect(r).toMatchObject({ status: "collected", reason: "suggested-groups-not-found", notFound: [{ name: "Break Glass Accounts", suggested: true }] });
    expect(r.detail).toMatch(/^note: no group named "Break Glass Accounts" \(suggested by the shipped policy pack/);
  });

  it("is a warning, naming the group, when the user's own policy names a group that does not exist", () => {
    const r = protectGroupsRecord("licenseInformation", 3, ["Finance Admins", "Break Glass Accounts"], [], ["Break Glass Accounts"]);
    expect(r).toMatchObject({ status: "collected", reason: "protect-groups-not-found" });
    expect(r.notFound).toEqual([{ name: "Finance Admins", suggested: false }, { name: "Break Glass Accounts", suggested: true }]);
    expect(r.detail).toMatch(/^warning: no group named "Finance Admins" \(protected by your policy; reclaim plan refuses/);
  });

  it("is plainly collected when every group exists", () => {
    expect(protectGroupsRecord("licenseInformation", 3, [], [], ["X"])).toEqual({ task: "licenseInformation", part: "groups.list", status: "collected", items: 3 });
  });
});
