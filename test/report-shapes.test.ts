/**
 * Every shape served by the report, MFA-registration, sign-in, enterprise-app, group, report-settings
 * and assignLicense routes against Microsoft's documented examples in
 * ../shared/reference/graph-examples/: the same CSV header (same columns, same order) and the same JSON
 * property names. Data comes from the real synthetic tenant generator, so the shapes are those a
 * collector sees.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { GraphResponse, GraphRoute } from "../simulator/graph/route.ts";
import { ASSIGN_LICENSE_ROUTES } from "../simulator/graph/routes/assign-license.ts";
import { AUTH_METHODS_ROUTES } from "../simulator/graph/routes/auth-methods.ts";
import { buildFakeTenant, call, fakeContext } from "../simulator/graph/routes/fake-tenant.test-helper.ts";
import { GROUP_ROUTES } from "../simulator/graph/routes/groups.ts";
import { REPORT_SETTINGS_ROUTES } from "../simulator/graph/routes/report-settings.ts";
import { REPORT_ROUTES } from "../simulator/graph/routes/reports.ts";
import { SERVICE_PRINCIPAL_ROUTES } from "../simulator/graph/routes/service-principals.ts";
import { SIGN_IN_ROUTES } from "../simulator/graph/routes/sign-ins.ts";
import { generateTenant } from "../simulator/tenant/generate-tenant.ts";
import type { SimModes } from "../simulator/model.ts";

const EXAMPLES = new URL("../../shared/reference/graph-examples/", import.meta.url);
const NOW = new Date("2026-11-20T12:00:00Z");

function example(name: string): string {
  return readFileSync(new URL(name, EXAMPLES), "utf8");
}

function exampleJson<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(example(name)) as T;
}

function csvHeaderOf(name: string): string[] {
  return example(name).replace(/^\uFEFF/, "").split(/\r?\n/)[0]!.split(",");
}

function tenant(modes: Partial<SimModes> = {}) {
  return generateTenant({ users: 400, seed: 11, now: NOW, modes: { premium: true, concealedNames: false, reportLagDays: 2, ...modes }, apps: [] });
}

/** Property names without OData annotations, sorted. */
function names(obj: unknown): string[] {
  return Object.keys(obj as object).filter((k) => !k.startsWith("@odata.")).sort();
}

async function get(routes: readonly GraphRoute[], path: string, query: Record<string, string> = {}, version: "v1.0" | "beta" = "v1.0", t = tenant()) {
  const ctx = fakeContext(t);
  const res = await call(routes, ctx, { path, query, version });
  return { res, ctx };
}

function firstItem(res: GraphResponse): Record<string, unknown> {
  expect(res.status).toBe(200);
  const value = (res.json as { value: Record<string, unknown>[] }).value;
  expect(value.length).toBeGreaterThan(0);
  return value[0]!;
}

const REPORTS = [
  { name: "getOffice365ActiveUserDetail", args: "(period='D7')", csv: "getOffice365ActiveUserDetail.csv", json: "getOffice365ActiveUserDetail.json" },
  { name: "getM365AppUserDetail", args: "(period='D7')", csv: "getM365AppUserDetail.csv", json: "getM365AppUserDetail.json" },
  { name: "getMailboxUsageDetail", args: "(period='D7')", csv: "getMailboxUsageDetail-beta.csv", json: "getMailboxUsageDetail.json" },
  { name: "getOneDriveUsageAccountDetail", args: "(period='D30')", csv: "getOneDriveUsageAccountDetail.csv", json: "getOneDriveUsageAccountDetail.json" },
  { name: "getOffice365ActivationsUserDetail", args: "", csv: "getOffice365ActivationsUserDetail.csv", json: "getOffice365ActivationsUserDetail.json" },
  { name: "getEmailActivityUserDetail", args: "(period='D7')", csv: "getEmailActivityUserDetail.csv", json: "getEmailActivityUserDetail.json" },
  { name: "getTeamsUserActivityUserDetail", args: "(period='D7')", csv: "getTeamsUserActivityUserDetail.csv", json: "getTeamsUserActivityUserDetail.json.txt" },
] as const;

/** The Teams doc example has unquoted `00:00:00` durations; quote them to read the property names. */
function readExampleItem(file: string): Record<string, unknown> {
  const text = example(file).replace(/:\s*(\d{2}:\d{2}:\d{2})/g, ': "$1"');
  return (JSON.parse(text) as { value: Record<string, unknown>[] }).value[0]!;
}

describe("usage report shapes", () => {
  for (const r of REPORTS) {
    it(`${r.name} CSV header equals the documented header, column for column`, async () => {
      for (const version of ["v1.0", "beta"] as const) {
        const { res, ctx } = await get(REPORT_ROUTES, `/reports/${r.name}${r.args}`, {}, version);
        expect(res.status).toBe(302);
        const csv = ctx.downloads.get(res.headers!["Location"]!)!.body.toString("utf8");
        expect(csv.startsWith("\uFEFF")).toBe(true);
        const lines = csv.slice(1).split("\r\n");
        expect(lines[0]!.split(",")).toEqual(csvHeaderOf(r.csv));
        expect(lines.length).toBeGreaterThan(2);
      }
    });

    it(`${r.name} JSON items carry the documented property names`, async () => {
      const { res } = await get(REPORT_ROUTES, `/reports/${r.name}${r.args}`, { $format: "application/json" }, "beta");
      const served = firstItem(res);
      const documented = readExampleItem(r.json);
      expect(names(served)).toEqual(names(documented));
      for (const nested of ["details", "userActivationCounts"]) {
        if (!(nested in documented)) continue;
        const d = (documented[nested] as Record<string, unknown>[])[0];
        const s = (served[nested] as Record<string, unknown>[])[0];
        expect(names(s)).toEqual(names(d));
      }
    });
  }

  it("the v1.0 mailbox example's 15 columns appear in the same order within the 17 served", async () => {
    const v1 = csvHeaderOf("getMailboxUsageDetail.csv");
    const beta = csvHeaderOf("getMailboxUsageDetail-beta.csv");
    expect(beta.filter((c) => v1.includes(c))).toEqual(v1);
  });
});

describe("identity report shapes", () => {
  it("userRegistrationDetails items carry the documented property names", async () => {
    const { res } = await get(AUTH_METHODS_ROUTES, "/reports/authenticationMethods/userRegistrationDetails");
    const documented = exampleJson<{ value: Record<string, unknown>[] }>("userRegistrationDetails.json").value[0];
    expect(names(firstItem(res))).toEqual(names(documented));
  });

  it("v1.0 signIn items carry the documented property names, nested objects included", async () => {
    const { res } = await get(SIGN_IN_ROUTES, "/auditLogs/signIns");
    const served = firstItem(res);
    const documented = exampleJson<{ value: Record<string, unknown>[] }>("signIns.json").value[0]!;
    expect(names(served)).toEqual(names(documented));
    for (const k of ["status", "deviceDetail", "location"]) expect(names(served[k])).toEqual(names(documented[k]));
    expect(names((served["location"] as Record<string, unknown>)["geoCoordinates"])).toEqual(names((documented["location"] as Record<string, unknown>)["geoCoordinates"]));
  });

  it("premium-only data answers the documented 403 code", async () => {
    const fixture = exampleJson<{ error: { code: string } }>("error-nonPremium-signInActivity.THIRDPARTY-FIXTURE.json");
    const { res } = await get(SIGN_IN_ROUTES, "/auditLogs/signIns", {}, "v1.0", tenant({ premium: false }));
    expect(res.status).toBe(403);
    expect((res.json as { error: { code: string } }).error.code).toBe(fixture.error.code);
  });
});

describe("directory shapes", () => {
  /** Documented servicePrincipal properties served beyond the list example (resources/serviceprincipal.md). */
  const SP_EXTRAS = ["loginUrl", "notes", "preferredSingleSignOnMode", "servicePrincipalType", "signInAudience", "verifiedPublisher"];

  it("servicePrincipals carry every property of the example, plus only documented extras", async () => {
    const { res } = await get(SERVICE_PRINCIPAL_ROUTES, "/servicePrincipals", { $filter: "tags/any(t:t eq 'WindowsAzureActiveDirectoryIntegratedApp')" });
    const served = firstItem(res);
    const documented = exampleJson<{ value: Record<string, unknown>[] }>("servicePrincipals.json").value[0]!;
    expect(names(served)).toEqual([...names(documented), ...SP_EXTRAS].sort());
    expect(names(served["info"])).toEqual(names(documented["info"]));
  });

  it("appRoleAssignedTo items carry the documented property names", async () => {
    const t = tenant();
    const sp = t.servicePrincipals.find((s) => s.assignments.length > 0)!;
    const { res } = await get(SERVICE_PRINCIPAL_ROUTES, `/servicePrincipals/${sp.id}/appRoleAssignedTo`, {}, "v1.0", t);
    const documented = exampleJson<{ value: Record<string, unknown>[] }>("appRoleAssignedTo.json").value[0];
    expect(names(firstItem(res))).toEqual(names(documented));
  });

  it("group members are users with the documented id (and @odata.type)", async () => {
    const t = tenant();
    const g = t.groups.find((x) => x.memberIndexes.length > 0)!;
    const { res } = await get(GROUP_ROUTES, `/groups/${g.id}/members`, { $select: "id" }, "v1.0", t);
    const served = firstItem(res);
    const documented = exampleJson<{ value: Record<string, unknown>[] }>("group-members.json").value[0];
    expect(names(served)).toEqual(names(documented));
    expect(served["@odata.type"]).toBe("#microsoft.graph.user");
  });

  it("admin/reportSettings carries the documented property names", async () => {
    const { res } = await get(REPORT_SETTINGS_ROUTES, "/admin/reportSettings");
    const documented = exampleJson<{ value: Record<string, unknown> }>("adminReportSettings.json").value;
    expect(names(res.json)).toEqual(names(documented));
  });
});

describe("assignLicense shapes", () => {
  it("answers the updated user with every property of the documented response", async () => {
    const t = tenant();
    let index = -1;
    for (let i = 0; i < t.userCount && index < 0; i++) {
      const u = t.userAt(i);
      if (u.usageLocation !== null && u.licenses.some((l) => l.assignedByGroup === null)) index = i;
    }
    const user = t.userAt(index);
    const direct = user.licenses.find((l) => l.assignedByGroup === null)!;
    const ctx = fakeContext(t);
    const body = { addLicenses: [{ skuId: direct.skuId, disabledPlans: direct.disabledPlans }], removeLicenses: [] };
    const res = await call(ASSIGN_LICENSE_ROUTES, ctx, { method: "POST", path: `/users/${user.id}/assignLicense`, body });
    expect(res.status).toBe(200);
    const documented = exampleJson("assignLicense-response.json");
    const served = res.json as Record<string, unknown>;
    for (const k of names(documented)) expect(served).toHaveProperty(k);
    const lic = (documented["assignedLicenses"] as Record<string, unknown>[])[0];
    expect(names((served["assignedLicenses"] as Record<string, unknown>[])[0])).toEqual(names(lic));
  });

  it("answers a missing usage location exactly like the recorded Graph error", async () => {
    const documented = exampleJson<{ error: { code: string; message: string; innerError: Record<string, unknown> } }>("error-assignLicense-invalidUsageLocation.THIRDPARTY.json").error;
    const ctx = fakeContext(buildFakeTenant());
    const res = await call(ASSIGN_LICENSE_ROUTES, ctx, {
      method: "POST",
      path: "/users/erin@contoso.com/assignLicense",
      body: { addLicenses: [{ skuId: "05e9a617-0261-4cee-bb44-138d3ef5d965", disabledPlans: [] }], removeLicenses: [] },
    });
    const served = (res.json as { error: { code: string; message: string; innerError: Record<string, unknown> } }).error;
    expect([served.code, served.message]).toEqual([documented.code, documented.message]);
    expect(names(served.innerError)).toEqual(names(documented.innerError));
  });
});
