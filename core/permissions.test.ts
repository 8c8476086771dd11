import { describe, expect, it } from "vitest";
import { ENDPOINT_PERMISSIONS, GRAPH_ENDPOINTS, TASKS, TASK_PERMISSIONS, isAuthorized, permissionsFor } from "./permissions.ts";

describe("permission map", () => {
  it("grants the reader no write permission", () => {
    const reader = permissionsFor(TASKS, "reader");
    expect(reader.filter((p) => p.includes("Write"))).toEqual([]);
  });

  it("gives the reclaimer exactly LicenseAssignment.ReadWrite.All and User.Read.All", () => {
    expect(permissionsFor(TASKS, "reclaimer")).toEqual(["LicenseAssignment.ReadWrite.All", "User.Read.All"]);
  });

  it("uses User.Read.All rather than Directory.Read.All for the application roster", () => {
    expect(TASK_PERMISSIONS.applicationRoster).toContain("User.Read.All");
    expect(TASK_PERMISSIONS.applicationRoster).not.toContain("Directory.Read.All");
  });

  it("authorizes an endpoint with any documented permission and refuses others", () => {
    for (const e of GRAPH_ENDPOINTS) {
      for (const p of ENDPOINT_PERMISSIONS[e]) expect(isAuthorized(e, [p])).toBe(true);
    }
    expect(isAuthorized("users.list", ["Reports.Read.All"])).toBe(false);
    expect(isAuthorized("users.assignLicense", ["User.Read.All"])).toBe(false);
  });
});
