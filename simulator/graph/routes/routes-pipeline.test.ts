/**
 * The report, sign-in, directory and assignLicense routes behind the real Graph pipeline on a local
 * socket: pattern matching of `get*(period='D7')` paths, the 302 → pre-authenticated download, nextLinks
 * that work as URLs, authorization by endpoint, and a POST body reaching assignLicense.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGraph } from "../test-graph-server.ts";
import type { TestGraph } from "../test-graph-server.ts";
import { ASSIGN_LICENSE_ROUTES } from "./assign-license.ts";
import { AUTH_METHODS_ROUTES } from "./auth-methods.ts";
import { buildFakeTenant, SKU_E3, SKU_VISIO } from "./fake-tenant.test-helper.ts";
import { GROUP_ROUTES } from "./groups.ts";
import { MANAGER_ROUTES } from "./manager.ts";
import { REPORT_ROUTES } from "./reports.ts";
import { REPORT_SETTINGS_ROUTES } from "./report-settings.ts";
import { SERVICE_PRINCIPAL_ROUTES } from "./service-principals.ts";
import { SIGN_IN_ROUTES } from "./sign-ins.ts";

let graph: TestGraph;

beforeAll(async () => {
  graph = await startTestGraph({
    tenant: buildFakeTenant({ users: 450 }),
    routes: [...MANAGER_ROUTES, ...ASSIGN_LICENSE_ROUTES, ...REPORT_ROUTES, ...REPORT_SETTINGS_ROUTES, ...AUTH_METHODS_ROUTES, ...SIGN_IN_ROUTES, ...SERVICE_PRINCIPAL_ROUTES, ...GROUP_ROUTES],
  });
});

afterAll(async () => {
  await graph.close();
});

describe("routes behind the Graph pipeline", () => {
  it("redirects a CSV report to a download that needs no Authorization header", async () => {
    const token = graph.token(["Reports.Read.All"]);
    const res = await graph.request("/v1.0/reports/getOffice365ActiveUserDetail(period='D7')", { token });
    expect(res.status).toBe(302);
    const location = res.headers.get("location")!;
    const download = await fetch(location);
    expect(download.status).toBe(200);
    const bytes = Buffer.from(await download.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString("utf8").slice(1).split("\r\n")[0]).toMatch(/^Report Refresh Date,User Principal Name,Display Name,/);
  });

  it("follows JSON report nextLinks to the end", async () => {
    const token = graph.token(["Reports.Read.All"]);
    let url: string | undefined = `${graph.baseUrl}/beta/reports/getOffice365ActiveUserDetail(period='D7')?$format=application/json`;
    let items = 0;
    while (url !== undefined) {
      const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { "@odata.nextLink"?: string; value: unknown[] };
      items += body.value.length;
      url = body["@odata.nextLink"];
    }
    expect(items).toBe(447);
  });

  it("refuses a report without Reports.Read.All", async () => {
    const res = await graph.request("/v1.0/reports/getMailboxUsageDetail(period='D7')", { token: graph.token(["User.Read.All"]) });
    expect(res.status).toBe(403);
  });

  it("serves sign-ins, registration details, enterprise apps and group members", async () => {
    const token = graph.token(["AuditLog.Read.All", "Application.Read.All", "GroupMember.Read.All", "ReportSettings.Read.All", "User.Read.All"]);
    for (const path of [
      "/v1.0/auditLogs/signIns?$filter=createdDateTime ge 2026-11-01T00:00:00Z",
      "/beta/reports/authenticationMethods/userRegistrationDetails?$filter=isMfaRegistered eq false",
      "/v1.0/servicePrincipals?$filter=tags/any(t:t eq 'WindowsAzureActiveDirectoryIntegratedApp')&$select=id,appId",
      "/v1.0/groups/9d1b2c3e-0000-4000-8000-0000000000e5/members?$select=id",
      "/v1.0/admin/reportSettings",
      "/v1.0/users/bob@contoso.com/manager",
    ]) {
      const res = await graph.request(path, { token });
      expect(`${res.status} ${path}`).toBe(`200 ${path}`);
    }
  });

  it("assigns licenses through a POST body", async () => {
    const token = graph.token(["LicenseAssignment.ReadWrite.All"]);
    const res = await graph.request("/v1.0/users/alice@contoso.com/assignLicense", {
      method: "POST",
      token,
      body: { addLicenses: [{ skuId: SKU_VISIO, disabledPlans: [] }], removeLicenses: [SKU_E3] },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { assignedLicenses: { skuId: string }[] };
    expect(body.assignedLicenses.map((l) => l.skuId)).toEqual([SKU_VISIO]);
  });
});
