import { describe, expect, it } from "vitest";
import type { SimLicense } from "../model.ts";
import { buildTestTenant, SKU_E3 } from "./test-tenant.ts";
import { assignedLicenses, GRAPH_NEVER, toUserJson } from "./user-json.ts";

const lic = (disabledPlans: string[], assignedByGroup: string | null, state: SimLicense["state"] = "Active"): SimLicense => ({
  skuId: SKU_E3,
  disabledPlans,
  assignedByGroup,
  state,
  error: "None",
  lastUpdatedDateTime: "2025-01-01T00:00:00Z",
});

describe("toUserJson", () => {
  it("uses the beta default set with more properties than v1.0, never signInActivity", () => {
    const u = buildTestTenant().userAt(1);
    const v1 = Object.keys(toUserJson(u, null));
    const beta = Object.keys(toUserJson(u, null, { version: "beta" }));
    expect(v1).toHaveLength(11);
    expect(beta).toEqual(expect.arrayContaining([...v1, "accountEnabled", "assignedLicenses", "usageLocation"]));
    expect(beta).not.toContain("signInActivity");
  });

  it("writes a missing interactive sign-in as 0001-01-01 with an empty request id", () => {
    const u = buildTestTenant({ overrides: { 1: { signInActivity: { lastSignInDateTime: null, lastNonInteractiveSignInDateTime: "2026-11-01T10:00:00Z", lastSuccessfulSignInDateTime: null } } } }).userAt(1);
    const a = toUserJson(u, ["signInActivity"]).signInActivity as Record<string, string | null>;
    expect(a.lastSignInDateTime).toBe(GRAPH_NEVER);
    expect(a.lastSignInRequestId).toBe("");
    expect(a.lastNonInteractiveSignInRequestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(a.lastSuccessfulSignInDateTime).toBeNull();
  });
});

describe("employeeOrgData", () => {
  it("serves the cost center and division, null when neither is set (as Graph)", () => {
    const ext = (cc: string | null) => Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`extensionAttribute${i + 1}`, i === 0 ? cc : null]));
    const set = buildTestTenant({ overrides: { 1: { companyName: "Contoso Ltd.", onPremisesExtensionAttributes: ext("CC-1010") } } }).userAt(1);
    expect(toUserJson(set, ["employeeOrgData"]).employeeOrgData).toEqual({ costCenter: "CC-1010", division: "Contoso Ltd." });
    const unset = buildTestTenant({ overrides: { 1: { companyName: null, onPremisesExtensionAttributes: ext(null) } } }).userAt(1);
    expect(toUserJson(unset, ["employeeOrgData"]).employeeOrgData).toBeNull();
  });
});

describe("assignedLicenses", () => {
  it("merges direct and group assignments of a SKU, keeping only plans every assignment disables", () => {
    expect(assignedLicenses([lic(["a", "b"], null), lic(["b", "c"], "g")])).toEqual([{ disabledPlans: ["b"], skuId: SKU_E3 }]);
  });

  it("leaves out assignments in the Error state", () => {
    expect(assignedLicenses([lic([], "g", "Error")])).toEqual([]);
  });
});
