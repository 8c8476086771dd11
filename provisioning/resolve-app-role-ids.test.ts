import { describe, expect, it } from "vitest";
import { resolveAppRoleIds } from "./resolve-app-role-ids.ts";

describe("resolveAppRoleIds", () => {
  it("maps permission names to the service principal's app role ids", () => {
    expect(resolveAppRoleIds({ "User.Read.All": "df021288-bdef-4463-88db-98f22de89214", "Reports.Read.All": "r" }, ["User.Read.All"])).toEqual([
      { permission: "User.Read.All", id: "df021288-bdef-4463-88db-98f22de89214" },
    ]);
  });

  it("fails naming every permission the tenant's Graph does not publish", () => {
    expect(() => resolveAppRoleIds({ "User.Read.All": "x" }, ["User.Read.All", "MailboxSettings.Read", "Reports.Read.All"])).toThrow(
      'publishes no application permission named "MailboxSettings.Read", "Reports.Read.All"',
    );
  });
});
