import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { GraphResponse } from "../route.ts";
import { buildFakeTenant, call, fakeContext, fakeRequest } from "./fake-tenant.test-helper.ts";
import type { FakeTenantOptions } from "./fake-tenant.test-helper.ts";
import { REPORT_ROUTES } from "./reports.ts";
import { readFileSync } from "node:fs";
import type { SimLicense } from "../../model.ts";
import { NOW } from "./fake-tenant.test-helper.ts";

/** Parses a CSV file body (RFC 4180 quoting) into header + rows keyed by header name. */
function parseCsv(text: string): { header: string[]; rows: Record<string, string>[] } {
  const lines: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      lines.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += c;
  }
  const [header, ...rest] = lines;
  return { header: header!, rows: rest.map((r) => Object.fromEntries(header!.map((h, k) => [h, r[k] ?? ""]))) };
}

async function csvReport(path: string, options: FakeTenantOptions = {}, version: "v1.0" | "beta" = "v1.0") {
  const ctx = fakeContext(buildFakeTenant(options));
  const res = await call(REPORT_ROUTES, ctx, { path, version });
  expect(res.status).toBe(302);
  const location = res.headers?.["Location"];
  const download = ctx.downloads.get(location ?? "");
  expect(download).toBeDefined();
  const raw = download!.body;
  return { res, raw, contentType: download!.contentType, ...parseCsv(raw.toString("utf8").replace(/^\uFEFF/, "")) };
}

function row(rows: Record<string, string>[], key: string, value: string): Record<string, string> | undefined {
  return rows.find((r) => r[key] === value);
}

async function jsonPage(path: string, query: Record<string, string>, options: FakeTenantOptions = {}, version: "v1.0" | "beta" = "beta"): Promise<GraphResponse> {
  const ctx = fakeContext(buildFakeTenant(options));
  return call(REPORT_ROUTES, ctx, { path, version, query: { $format: "application/json", ...query } });
}

describe("usage report CSV download", () => {
  it("answers 302 with a Location download holding a BOM, CRLF lines and an empty text body", async () => {
    const { res, raw, contentType } = await csvReport("/reports/getOffice365ActiveUserDetail(period='D7')");
    expect(res.text).toBe("");
    expect(contentType).toBe("application/octet-stream");
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = raw.toString("utf8");
    expect(text.endsWith("\r\n")).toBe(true);
    expect(text.replace(/\r\n/g, "").includes("\n")).toBe(false);
  });

  it("quotes cells holding commas and quotes", async () => {
    const { raw, rows } = await csvReport("/reports/getMailboxUsageDetail(period='D7')", { overrides: { 0: { displayName: 'Smith, "Al"' } } });
    expect(raw.toString("utf8")).toContain(',"Smith, ""Al""",');
    expect(row(rows, "User Principal Name", "alice@contoso.com")!["Display Name"]).toBe('Smith, "Al"');
  });

  it("dates the report at now minus the lag and hides activity after that date", async () => {
    const lagged = await csvReport("/reports/getOffice365ActiveUserDetail(period='D7')");
    const bob = row(lagged.rows, "User Principal Name", "bob@contoso.com")!;
    expect(bob["Report Refresh Date"]).toBe("2026-11-18");
    expect(bob["Exchange Last Activity Date"]).toBe("");
    const fresh = await csvReport("/reports/getOffice365ActiveUserDetail(period='D7')", { modes: { reportLagDays: 0 } });
    const bobNow = row(fresh.rows, "User Principal Name", "bob@contoso.com")!;
    expect(bobNow["Report Refresh Date"]).toBe("2026-11-20");
    expect(bobNow["Exchange Last Activity Date"]).toBe("2026-11-19");
  });

  it("shows a last activity only inside the period window", async () => {
    const d30 = await csvReport("/reports/getOffice365ActiveUserDetail(period='D30')");
    const d90 = await csvReport("/reports/getOffice365ActiveUserDetail(period='D90')");
    expect(row(d30.rows, "User Principal Name", "dave@contoso.com")!["Exchange Last Activity Date"]).toBe("");
    expect(row(d90.rows, "User Principal Name", "dave@contoso.com")!["Exchange Last Activity Date"]).toBe("2026-10-01");
  });

  it("serves the single day of a date= report and refuses a date outside the last 30 days", async () => {
    const day = await csvReport("/reports/getOffice365ActiveUserDetail(date=2026-11-15)");
    const alice = row(day.rows, "User Principal Name", "alice@contoso.com")!;
    expect(alice["Report Refresh Date"]).toBe("2026-11-15");
    expect(alice["Teams Last Activity Date"]).toBe("2026-11-15");
    const other = await csvReport("/reports/getOffice365ActiveUserDetail(date=2026-11-14)");
    expect(row(other.rows, "User Principal Name", "alice@contoso.com")!["Teams Last Activity Date"]).toBe("");
    const ctx = fakeContext(buildFakeTenant());
    const old = await call(REPORT_ROUTES, ctx, { path: "/reports/getOffice365ActiveUserDetail(date=2026-09-01)" });
    expect(old.status).toBe(400);
  });

  it("lists license flags, assign dates and '+'-joined assigned products", async () => {
    const { rows } = await csvReport("/reports/getOffice365ActiveUserDetail(period='D180')");
    const dave = row(rows, "User Principal Name", "dave@contoso.com")!;
    expect(dave["Assigned Products"]).toBe("MICROSOFT 365 E3+VISIO PLAN 2");
    expect(dave["Has Exchange License"]).toBe("True");
    expect(dave["Exchange License Assign Date"]).toBe("2025-03-01");
    const erin = row(rows, "User Principal Name", "erin@contoso.com");
    expect(erin).toBeUndefined();
  });

  it("refuses an unknown period and a date on the period-only mailbox report", async () => {
    const ctx = fakeContext(buildFakeTenant());
    expect((await call(REPORT_ROUTES, ctx, { path: "/reports/getOffice365ActiveUserDetail(period='D14')" })).status).toBe(400);
    expect((await call(REPORT_ROUTES, ctx, { path: "/reports/getMailboxUsageDetail(date=2026-11-15)" })).status).toBe(400);
  });

  it("gives mailbox rows only to users with a mailbox, with all 17 columns", async () => {
    const { header, rows } = await csvReport("/reports/getMailboxUsageDetail(period='D7')");
    expect(header).toHaveLength(17);
    const upns = rows.map((r) => r["User Principal Name"]);
    expect(upns).not.toContain("erin@contoso.com");
    expect(upns.some((u) => u?.includes("#EXT#"))).toBe(false);
    const shared = row(rows, "User Principal Name", "shared@contoso.com")!;
    expect(shared["Has Archive"]).toBe("True");
    expect(shared["Storage Used (Byte)"]).toBe(String(60 * 1024 ** 3));
    expect(shared["Prohibit Send/Receive Quota (Byte)"]).toBe(String(50 * 1024 ** 3));
    expect(row(rows, "User Principal Name", "alice@contoso.com")!["Prohibit Send/Receive Quota (Byte)"]).toBe(String(100 * 1024 ** 3));
  });

  it("writes one activation row per user and product, leaving out activations after the refresh date", async () => {
    const { rows } = await csvReport("/reports/getOffice365ActivationsUserDetail");
    const alice = rows.filter((r) => r["User Principal Name"] === "alice@contoso.com");
    expect(alice.map((r) => r["Product Type"])).toEqual(["MICROSOFT 365 APPS FOR ENTERPRISE"]);
    expect(rows.filter((r) => r["User Principal Name"] === "dave@contoso.com").map((r) => r["Product Type"])).toEqual(["Visio Client"]);
    const fresh = await csvReport("/reports/getOffice365ActivationsUserDetail()", { modes: { reportLagDays: 0 } });
    expect(fresh.rows.filter((r) => r["User Principal Name"] === "alice@contoso.com")).toHaveLength(2);
  });

  it("agrees across reports on who was active: email, Teams, OneDrive and apps", async () => {
    const email = await csvReport("/reports/getEmailActivityUserDetail(period='D7')");
    const alice = row(email.rows, "User Principal Name", "alice@contoso.com")!;
    expect(alice["Last Activity Date"]).toBe("2026-11-15");
    expect(Number(alice["Send Count"])).toBeGreaterThan(0);
    const bob = row(email.rows, "User Principal Name", "bob@contoso.com")!;
    expect(bob["Send Count"]).toBe("0");
    const teams = await csvReport("/reports/getTeamsUserActivityUserDetail(period='D7')");
    expect(row(teams.rows, "User Principal Name", "alice@contoso.com")!["Last Activity Date"]).toBe("2026-11-15");
    expect(row(teams.rows, "User Principal Name", "dave@contoso.com")!["Private Chat Message Count"]).toBe("0");
    const od = await csvReport("/reports/getOneDriveUsageAccountDetail(period='D7')");
    const aliceOd = row(od.rows, "Owner Principal Name", "alice@contoso.com")!;
    expect(aliceOd["Site URL"]).toBe("https://contoso-my.sharepoint.com/personal/alice_contoso_com");
    expect(aliceOd["Last Activity Date"]).toBe("2026-11-15");
    const apps = await csvReport("/reports/getM365AppUserDetail(period='D7')");
    const aliceApps = row(apps.rows, "User Principal Name", "alice@contoso.com")!;
    expect([aliceApps["Windows"], aliceApps["Mac"], aliceApps["Mobile"], aliceApps["Teams (Windows)"]]).toEqual(["Yes", "No", "Yes", "Yes"]);
    expect(aliceApps["Report Period"]).toBe("7");
  });
});

describe("concealed report names", () => {
  const md5 = (s: string) => createHash("md5").update(s).digest("hex").toUpperCase();

  it("replaces UPNs and display names by the same 32-character hex hash in every report", async () => {
    const opts = { modes: { concealedNames: true } };
    const active = await csvReport("/reports/getOffice365ActiveUserDetail(period='D7')", opts);
    const mailbox = await csvReport("/reports/getMailboxUsageDetail(period='D7')", opts);
    const teams = await csvReport("/reports/getTeamsUserActivityUserDetail(period='D30')", opts);
    const hash = md5("alice@contoso.com");
    for (const rows of [active.rows, mailbox.rows, teams.rows]) {
      for (const r of rows) {
        expect(r["User Principal Name"]).toMatch(/^[0-9A-F]{32}$/);
      }
      expect(row(rows, "User Principal Name", hash)).toBeDefined();
    }
    expect(row(active.rows, "User Principal Name", hash)!["Display Name"]).toMatch(/^[0-9A-F]{32}$/);
    expect(active.raw.toString("utf8")).not.toContain("@contoso.com");
    expect(row(teams.rows, "User Principal Name", hash)!["User Id"]).toMatch(/^[0-9A-F]{32}$/);
  });

  it("conceals JSON report names too", async () => {
    const res = await jsonPage("/reports/getEmailActivityUserDetail(period='D7')", {}, { modes: { concealedNames: true } });
    const value = (res.json as { value: { userPrincipalName: string }[] }).value;
    expect(value.length).toBeGreaterThan(0);
    for (const v of value) expect(v.userPrincipalName).toMatch(/^[0-9A-F]{32}$/);
  });
});

describe("usage report JSON", () => {
  it("pages 200 items with a $skiptoken nextLink that keeps $format", async () => {
    const opts = { users: 450 };
    const tenant = buildFakeTenant(opts);
    const ctx = fakeContext(tenant);
    const path = "/reports/getOffice365ActiveUserDetail(period='D7')";
    const sizes: number[] = [];
    const upns: string[] = [];
    let query: Record<string, string> = { $format: "application/json" };
    for (;;) {
      const res = await call(REPORT_ROUTES, ctx, { path, version: "beta", query });
      expect(res.status).toBe(200);
      const body = res.json as { "@odata.nextLink"?: string; value: { userPrincipalName: string }[] };
      sizes.push(body.value.length);
      upns.push(...body.value.map((v) => v.userPrincipalName));
      const link = body["@odata.nextLink"];
      if (link === undefined) break;
      const url = new URL(link);
      expect(url.pathname).toBe(`/beta${path}`);
      expect(url.searchParams.get("$format")).toBe("application/json");
      query = Object.fromEntries(url.searchParams);
    }
    // guest, shared and erin (no license, no activity) are not in the report; the 447 others are, once each.
    expect(sizes).toEqual([200, 200, 47]);
    expect(new Set(upns).size).toBe(447);
  });

  it("puts up to 2000 Teams items on one page", async () => {
    const res = await jsonPage("/reports/getTeamsUserActivityUserDetail(period='D7')", {}, { users: 450 });
    const body = res.json as { "@odata.nextLink"?: string; value: unknown[] };
    expect(body.value.length).toBeGreaterThan(200);
    expect(body["@odata.nextLink"]).toBeUndefined();
  });

  it("serves JSON in v1.0 only for getM365AppUserDetail", async () => {
    const apps = await jsonPage("/reports/getM365AppUserDetail(period='D7')", {}, {}, "v1.0");
    expect(apps.status).toBe(200);
    const item = (apps.json as { value: { details: { reportPeriod: number }[] }[] }).value[0]!;
    expect(item.details[0]!.reportPeriod).toBe(7);
    const mailbox = await jsonPage("/reports/getMailboxUsageDetail(period='D7')", {}, {}, "v1.0");
    expect(mailbox.status).toBe(400);
    expect((await jsonPage("/reports/getMailboxUsageDetail(period='D7')", {})).status).toBe(200);
  });

  it("throttles each report and format separately", () => {
    const route = REPORT_ROUTES.find((r) => r.pattern.startsWith("/reports/getOffice365ActiveUserDetail("))!;
    const throttle = route.throttle as (req: ReturnType<typeof fakeRequest>) => unknown;
    expect(throttle(fakeRequest({ path: "/x" }))).toEqual({ kind: "reports", report: "getOffice365ActiveUserDetail:csv" });
    expect(throttle(fakeRequest({ path: "/x", query: { $format: "application/json" } }))).toEqual({ kind: "reports", report: "getOffice365ActiveUserDetail:json" });
    expect(route.endpoint).toBe("reports.usage");
  });
});

describe("Microsoft 365 Copilot usage report", () => {
  const COPILOT = "639dec6b-bb19-468b-871c-c5c441c4b0cb";
  const example = (name: string) => readFileSync(new URL(`../../../test/fixtures/graph-examples/${name}`, import.meta.url), "utf8");
  const seat: SimLicense = { skuId: COPILOT, disabledPlans: [], assignedByGroup: null, state: "Active", error: "None", lastUpdatedDateTime: "2026-01-05T09:00:00Z" };
  const apps = { copilotChat: "2026-11-17", teams: "2026-11-10", word: null, excel: null, powerPoint: null, outlook: "2026-11-19", oneNote: null, loop: null };
  // alice holds a seat and uses it (Outlook on 11-19 is after the lagged refresh date); dave holds an unused seat; bob holds none.
  const withSeats: FakeTenantOptions = {
    overrides: {
      0: { licenses: [{ ...seat, skuId: "05e9a617-0261-4cee-bb44-138d3ef5d965" }, seat], copilot: { lastActivityDate: "2026-11-19", apps } },
      5: { licenses: [seat], copilot: { lastActivityDate: null, apps: { ...apps, copilotChat: null, teams: null, outlook: null } } },
    },
  };
  const v1 = async (options: FakeTenantOptions = withSeats, args = "period='D90'") => call(REPORT_ROUTES, fakeContext(buildFakeTenant(options)), { path: `/copilot/reports/getMicrosoft365CopilotUsageUserDetail(${args})`, version: "v1.0" });

  it("answers v1.0 with 200 and the CSV itself, Microsoft's header column for column, only seat holders", async () => {
    const res = await v1();
    expect(res.status).toBe(200);
    expect(res.headers?.["Location"]).toBeUndefined();
    const { header, rows } = parseCsv(res.bytes!.toString("utf8").replace(/^\uFEFF/, ""));
    expect(header.join(",")).toBe(example("getMicrosoft365CopilotUsageUserDetail.csv").split(/\r?\n/)[0]);
    expect(rows.map((r) => r["User Principal Name"])).toEqual(["alice@contoso.com", "dave@contoso.com"]);
    expect(rows[0]).toMatchObject({ "Report Refresh Date": "2026-11-18", "Last Activity Date": "2026-11-17", "Copilot Chat Last Activity Date": "2026-11-17", "Microsoft Teams Copilot Last Activity Date": "2026-11-10", "Outlook Copilot Last Activity Date": "", "Report Period": "90" });
    expect(rows[1]).toMatchObject({ "Last Activity Date": "", "Copilot Chat Last Activity Date": "", "Report Period": "90" });
  });

  it("hides activity outside the period and names users by hash when names are concealed", async () => {
    const short = parseCsv((await v1(withSeats, "period='D7'")).bytes!.toString("utf8").replace(/^\uFEFF/, ""));
    expect(short.rows[0]).toMatchObject({ "Last Activity Date": "2026-11-17", "Microsoft Teams Copilot Last Activity Date": "", "Report Period": "7" });
    const hidden = parseCsv((await v1({ ...withSeats, modes: { concealedNames: true } })).bytes!.toString("utf8").replace(/^\uFEFF/, ""));
    const hash = createHash("md5").update("alice@contoso.com").digest("hex").toUpperCase();
    expect(hidden.rows[0]).toMatchObject({ "User Principal Name": hash, "Display Name": hash });
  });

  it("accepts ALL and version='v1', refuses unknown periods and the unsimulated v2 columns", async () => {
    const all = parseCsv((await v1(withSeats, "period='ALL',version='v1'")).bytes!.toString("utf8").replace(/^\uFEFF/, ""));
    expect(all.rows[0]).toMatchObject({ "Microsoft Teams Copilot Last Activity Date": "2026-11-10", "Report Period": "ALL" });
    expect((await v1(withSeats, "period='D28'")).status).toBe(400);
    expect((await v1(withSeats, "period='D90',version='v2'")).status).toBe(400);
  });

  it("answers beta with JSON items named as Microsoft's beta example", async () => {
    const res = await call(REPORT_ROUTES, fakeContext(buildFakeTenant(withSeats)), { path: "/copilot/reports/getMicrosoft365CopilotUsageUserDetail(period='D90')", version: "beta" });
    expect(res.status).toBe(200);
    const items = (res.json as { value: Record<string, unknown>[] }).value;
    const documented = (JSON.parse(example("getMicrosoft365CopilotUsageUserDetail-beta.json")) as { value: Record<string, unknown>[] }).value[0]!;
    expect(Object.keys(items[0]!).sort()).toEqual(Object.keys(documented).sort());
    expect(items[0]).toMatchObject({ userPrincipalName: "alice@contoso.com", microsoftTeamsCopilotLastActivityDate: "2026-11-10", wordCopilotLastActivityDate: "", copilotActivityUserDetailsByPeriod: [{ reportPeriod: 90 }] });
  });

  it("is throttled as its own report and authorized as reports.copilotUsage", () => {
    const route = REPORT_ROUTES.find((r) => r.pattern.startsWith("/copilot/reports/"))!;
    const throttle = route.throttle as (req: ReturnType<typeof fakeRequest>) => unknown;
    expect(throttle(fakeRequest({ path: "/x" }))).toEqual({ kind: "reports", report: "getMicrosoft365CopilotUsageUserDetail:csv" });
    expect(route.endpoint).toBe("reports.copilotUsage");
    expect(NOW.toISOString()).toBe("2026-11-20T12:00:00.000Z");
  });
});
