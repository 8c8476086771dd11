import { describe, expect, it } from "vitest";
import { snapshotSchema } from "../../core/user-facts.ts";
import { csvCell } from "../../core/csv.ts";
import { appsTable, formatTable, hrTable, lastActivityOf, ssoAccessTable, usersTable } from "./export-tables.ts";

const snapshot = snapshotSchema.parse({
  snapshotVersion: 1,
  tenantId: "t",
  collectedAt: "2026-11-20T00:00:00Z",
  sources: {},
  groups: [{ id: "g1", displayName: "M365 E3 users" }],
  skus: [{ skuId: "05e9a617-0261-4cee-bb44-138d3ef5d965", skuPartNumber: "SPE_E3", purchased: 10, consumed: 8 }],
  users: [
    {
      id: "u1",
      userPrincipalName: "=HYPERLINK(\"http://evil\")@contoso.com",
      userType: "Guest",
      accountEnabled: false,
      createdDateTime: "2024-01-02T03:04:05Z",
      licenses: [{ skuId: "05e9a617-0261-4cee-bb44-138d3ef5d965", skuPartNumber: "SPE_E3", assignedByGroup: "g1" }],
      signInActivity: { lastSignInDateTime: "2026-10-01T10:00:00Z", lastNonInteractiveSignInDateTime: null },
      activity: { exchange: "2026-11-10" },
    },
  ],
});

describe("export tables", () => {
  it("fills the Users tab columns, with the license source and days since last activity", () => {
    const t = usersTable(snapshot, new Date("2026-11-20T00:00:00Z"));
    const row = Object.fromEntries(t.columns.map((c, i) => [c, t.rows[0]![i]]));
    expect(row).toMatchObject({
      Licenses: "SPE_E3",
      "License Source": "SPE_E3: group M365 E3 users",
      "Block Credentials": true,
      Guest: true,
      "Days Since Last Activity": 10,
      "Account Created Date": "2024-01-02",
      "Is MFA Turned On": null,
    });
    expect(lastActivityOf(snapshot.users[0]!)).toBe("2026-11-10");
  });

  it("neutralises spreadsheet formulas in CSV cells", () => {
    expect(csvCell("=1+1")).toBe("'=1+1");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell(-3)).toBe("-3");
    const csv = formatTable(usersTable(snapshot, new Date("2026-11-20T00:00:00Z")), "csv");
    expect(csv.split("\r\n")[1]!.startsWith(`"'=HYPERLINK(""http://evil"")@contoso.com"`)).toBe(true);
  });

  it("flags open access, publisher-matches-organization SSO and OAuth2 apps", () => {
    const t = appsTable(
      [
        { id: "sp1", appId: "a1", displayName: "Payroll", publisherName: "Contoso", appOwnerOrganizationId: null, accountEnabled: true, appRoleAssignmentRequired: false, preferredSingleSignOnMode: "oidc", servicePrincipalType: "Application", verifiedPublisher: null },
        { id: "sp2", appId: "a2", displayName: "CRM", publisherName: "Fabrikam", appOwnerOrganizationId: null, accountEnabled: true, appRoleAssignmentRequired: true, preferredSingleSignOnMode: "saml", servicePrincipalType: "Application", verifiedPublisher: null },
      ],
      [{ appId: "a2", servicePrincipalId: "sp2", userId: "u1", viaGroupId: null, assignedAt: null }],
      "contoso",
    );
    expect(t.rows.map((r) => r.slice(4))).toEqual([
      [true, true, true, "oidc", 0],
      [false, false, false, "saml", 1],
    ]);
  });
});

describe("HR roster", () => {
  const users = [
    { id: "1", userPrincipalName: "ann@contoso.com", mail: "ann@contoso.com", proxyAddresses: ["SMTP:ann@contoso.com", "smtp:a.smith@contoso.com"], userType: "Member", manager: { id: "9" }, onPremisesExtensionAttributes: { extensionAttribute1: "CC-42" } },
    { id: "2", userPrincipalName: "bob@fabrikam.com", mail: "bob@fabrikam.com", userType: "Member" },
    { id: "3", userPrincipalName: "eve_x.com#EXT#@contoso.com", mail: "eve@x.com", userType: "Guest" },
  ];

  it("filters by domain (UPN or mail, any case) and leaves guests out unless asked", () => {
    expect(hrTable(users, { domains: ["CONTOSO.com"], includeGuests: false }).rows.map((r) => r[0])).toEqual(["1"]);
    expect(hrTable(users, { domains: ["contoso.com"], includeGuests: true }).rows.map((r) => r[0])).toEqual(["1", "3"]);
    expect(hrTable(users, { domains: [], includeGuests: false }).rows.map((r) => r[0])).toEqual(["1", "2"]);
  });

  it("lists aliases without the primary address, the manager and extension attributes", () => {
    const t = hrTable(users, { domains: [], includeGuests: false });
    const row = Object.fromEntries(t.columns.map((c, i) => [c, t.rows[0]![i]]));
    expect(row).toMatchObject({ "Email Aliases": "a.smith@contoso.com", "Manager ID": "9", extensionAttribute1: "CC-42", extensionAttribute2: null });
  });
});

describe("SSO application access", () => {
  it("lists the last login per user and app with its location", () => {
    const t = ssoAccessTable([{ userId: "u", userPrincipalName: "u@c.com", appId: "a", appDisplayName: "Payroll", last: "2026-11-20T10:00:00Z", interactive: true, city: "Oslo", countryOrRegion: "NO" }]);
    expect(t.rows).toEqual([["u", "u@c.com", "a", "Payroll", "2026-11-20T10:00:00Z", "Oslo, NO", true]]);
  });
});
