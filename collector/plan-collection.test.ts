import { describe, expect, it } from "vitest";
import { DEFAULT_TASKS, TASKS, TASK_ENDPOINTS, permissionsFor } from "../core/permissions.ts";
import { ESSENTIAL_ENDPOINTS, planCollection } from "./plan-collection.ts";

const all = permissionsFor(TASKS, "reader");

describe("planCollection", () => {
  it("runs every task whole when every permission is granted", () => {
    const plan = planCollection(DEFAULT_TASKS, all, true);
    expect(plan.run.map((r) => r.task)).toEqual([...DEFAULT_TASKS]);
    expect(plan.skippedParts).toEqual([]);
    expect(plan.skippedTasks).toEqual([]);
  });

  it("keeps the application roster without AuditLog.Read.All, skipping sign-in activity and MFA registration", () => {
    const plan = planCollection(["applicationRoster"], all.filter((p) => p !== "AuditLog.Read.All"));
    expect(plan.run).toHaveLength(1);
    expect(plan.skippedParts.map((s) => s.endpoint).sort()).toEqual(["reports.userRegistrationDetails", "users.signInActivity"]);
    expect(plan.skippedParts[0]!.detail).toContain("AuditLog.Read.All");
  });

  it("skips premium-only parts in a tenant without Entra ID P1", () => {
    const plan = planCollection(["applicationRoster", "applicationAccess", "ssoApplicationAccess"], all, false);
    expect(plan.skippedTasks.map((s) => [s.task, s.reason])).toEqual([["ssoApplicationAccess", "no-premium-license"]]);
    expect(plan.skippedParts.map((s) => s.endpoint).sort()).toEqual(["auditLogs.signIns", "reports.userRegistrationDetails", "users.signInActivity"]);
  });

  it("skips a task whole when an essential permission is missing", () => {
    const plan = planCollection(["licenseInformation", "hrRoster"], ["User.Read.All"]);
    expect(plan.run.map((r) => r.task)).toEqual(["hrRoster"]);
    expect(plan.skippedTasks).toMatchObject([{ task: "licenseInformation", endpoint: "subscribedSkus.list", reason: "missing-permission" }]);
  });

  it("names only endpoints a task actually calls as essential", () => {
    for (const t of TASKS) for (const e of ESSENTIAL_ENDPOINTS[t]) expect(TASK_ENDPOINTS[t]).toContain(e);
  });
});
