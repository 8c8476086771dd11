import { describe, expect, it } from "vitest";
import { RefusalError, UsageError } from "../core/errors.ts";
import type { Snapshot, SnapshotUser } from "../core/user-facts.ts";
import { evaluate } from "../policies/evaluate.ts";
import { readPolicy } from "../policies/read-policy.ts";
import { TEST_NOW, baseSnapshot, baseUser, dateDaysAgo, daysAgo, license } from "../policies/testing/snapshot-builders.ts";
import { dryRunSummary } from "./dry-run-summary.ts";
import { defaultUserCap, planReclaim } from "./plan-reclaim.ts";
import type { PlanReclaimOptions } from "./plan-reclaim.ts";
import { reclaimPlanSchema } from "./plan-schema.ts";
import type { LicenseState } from "./plan-schema.ts";

const policy = readPolicy([]);
const DISABLED = "8a256a2b-b617-496d-b51b-e76466e88db0";
const GROUP = "aaaaaaaa-0000-4000-8000-000000000001";
const RUN = "run-1";
/** The shipped pack's protect groups are suggestions: the base snapshot has none of them. */
const SUGGESTED = policy.protect.groups;

const blocked = (changes: Partial<Parameters<typeof baseUser>[0]> = {}) => baseUser({ accountEnabled: false, ...changes });
const inactive = (changes: Partial<Parameters<typeof baseUser>[0]> = {}) =>
  baseUser({
    signInActivity: { lastSignInDateTime: daysAgo(200), lastNonInteractiveSignInDateTime: daysAgo(200), lastSuccessfulSignInDateTime: daysAgo(200) },
    mailbox: { storageUsedBytes: 1024 ** 3, hasArchive: false, itemCount: 10, lastActivityDate: dateDaysAgo(200) },
    oneDrive: { storageUsedBytes: 0, lastActivityDate: dateDaysAgo(200) },
    apps: { windows: false, mac: false, mobile: false, web: false, lastActivityDate: dateDaysAgo(200) },
    activity: {},
    lastUsedApp: null,
    ...changes,
  });
/** An active E5 user without Power BI: the E5 → E3 downgrade rule flags them. */
const e5User = () => baseUser({ licenses: [license("SPE_E5")] });

function statesOf(snapshot: Snapshot, disabled: Record<string, string[]> = {}): Map<string, LicenseState> {
  return new Map(
    snapshot.users.map((u: SnapshotUser) => [
      u.id,
      {
        accountEnabled: u.accountEnabled,
        assignedLicenses: [...new Set(u.licenses.map((l) => l.skuId))].map((skuId) => ({ skuId, disabledPlans: disabled[u.id] ?? [] })),
        assignments: u.licenses.map((l) => ({ skuId: l.skuId, assignedByGroup: l.assignedByGroup, disabledPlans: disabled[u.id] ?? [] })),
      },
    ]),
  );
}

/** A snapshot with `free` unassigned seats added to every SKU, plus an E3 SKU line when missing. */
function withSeats(snapshot: Snapshot, free: number): Snapshot {
  const skus = snapshot.skus.map((s) => ({ ...s, purchased: s.consumed + free }));
  const e3 = license("SPE_E3");
  if (!skus.some((s) => s.skuPartNumber === "SPE_E3")) skus.push({ skuId: e3.skuId, skuPartNumber: "SPE_E3", displayName: "Microsoft 365 E3", capabilityStatus: "Enabled", purchased: free, suspended: 0, warning: 0, consumed: 0 });
  return { ...snapshot, skus };
}

async function plan(snapshot: Snapshot, options: Partial<PlanReclaimOptions> = {}, disabled: Record<string, string[]> = {}, servicePlans = new Map<string, string[]>()) {
  const evaluation = await evaluate(snapshot, policy, { now: TEST_NOW });
  return planReclaim({ snapshot, runId: RUN, evaluation, policy, licenseStates: statesOf(snapshot, disabled), servicePlans, suggestedProtectGroups: SUGGESTED }, { now: TEST_NOW, maxUsers: 50, ...options });
}

describe("planReclaim", () => {
  it("plans the removal of exactly the flagged directly assigned SKU, with the precondition", async () => {
    const u = blocked({ licenses: [license("SPE_E3")] });
    const p = await plan(baseSnapshot([u, baseUser()]));
    expect(reclaimPlanSchema.parse(p)).toEqual(p);
    expect(p.planVersion).toBe(1);
    expect(p.actions).toHaveLength(1);
    const a = p.actions[0]!;
    expect(a).toMatchObject({ userId: u.id, kind: "remove", add: [], ruleIds: ["LIC.BLOCKED.1v1"] });
    expect(a.remove).toEqual([{ skuId: license("SPE_E3").skuId, skuPartNumber: "SPE_E3", ruleId: "LIC.BLOCKED.1v1", monthlySavings: 36 }]);
    expect(a.precondition.accountEnabled).toBe(false);
    expect(a.precondition.assignedLicenses).toEqual([{ skuId: license("SPE_E3").skuId, disabledPlans: [] }]);
    expect(a.evidence[0]!.evidence.some((e) => e.fact === "blocked" && e.value === true)).toBe(true);
    expect(p.totals).toMatchObject({ users: 1, removals: 1, downgrades: 0, monthlySavings: 36, annualSavings: 432, currency: "USD" });
  });

  it("reports a group-assigned license as remove from group and never plans it", async () => {
    const u = blocked({ licenses: [license("SPE_E3", GROUP)], memberOf: [GROUP] });
    const snapshot = baseSnapshot([u, baseUser()], { groups: [{ id: GROUP, displayName: "All Sales" }] });
    const p = await plan(snapshot);
    expect(p.actions).toEqual([]);
    expect(p.groupRemovals).toEqual([expect.objectContaining({ userId: u.id, skuPartNumber: "SPE_E3", groupId: GROUP, groupName: "All Sales", remedy: 'remove from group "All Sales"' })]);
    expect(dryRunSummary(p)).toContain('remove from group "All Sales"');
  });

  it("never lets a protected user appear in the plan", async () => {
    const guard = "bbbbbbbb-0000-4000-8000-000000000002";
    const u = blocked({ memberOf: [guard] });
    const snapshot = baseSnapshot([u, blocked()], { groups: [{ id: guard, displayName: "Break Glass Accounts" }] });
    const p = await plan(snapshot);
    expect(p.actions).toHaveLength(1);
    expect(JSON.stringify(p)).not.toContain(u.id);
  });

  it("plans a downgrade as one change that adds the target, keeps disabled plans the target has, and removes the source", async () => {
    const u = e5User();
    const other = "11111111-1111-4111-8111-111111111111";
    const e3 = license("SPE_E3").skuId;
    const p = await plan(withSeats(baseSnapshot([u]), 1), {}, { [u.id]: [DISABLED, other] }, new Map([[e3, [DISABLED]]]));
    expect(p.actions).toHaveLength(1);
    expect(p.actions[0]).toMatchObject({ kind: "downgrade", remove: [{ skuPartNumber: "SPE_E5" }], add: [{ skuId: e3, skuPartNumber: "SPE_E3", disabledPlans: [DISABLED] }] });
    expect(p.actions[0]!.monthlySavings).toBe(21);
  });

  it("does not plan a downgrade when no seat of the target is free, and says why", async () => {
    const u = e5User();
    const snapshot = withSeats(baseSnapshot([u]), 0);
    const p = await plan(snapshot);
    expect(p.actions).toEqual([]);
    expect(p.notPlanned).toEqual([]);
    expect(p.cannotSucceed).toEqual([expect.objectContaining({ userId: u.id, reason: "no-free-seat", skuPartNumber: "SPE_E3", fix: expect.stringContaining("no free seat of SPE_E3") })]);
    expect(dryRunSummary(p)).toMatch(/Downgrades Graph would refuse[\s\S]*no-free-seat: no free seat of SPE_E3/);
  });

  it("gives out only as many downgrade seats as are free", async () => {
    const users = [e5User(), e5User(), e5User()];
    const p = await plan(withSeats(baseSnapshot(users), 2));
    expect(p.actions.filter((a) => a.kind === "downgrade")).toHaveLength(2);
    expect(p.cannotSucceed.filter((n) => n.reason === "no-free-seat")).toHaveLength(1);
  });

  it("refuses a snapshot older than the limit", async () => {
    const snapshot = baseSnapshot([blocked()], { collectedAt: daysAgo(8) });
    await expect(plan(snapshot)).rejects.toThrow(RefusalError);
    await expect(plan(snapshot)).rejects.toMatchObject({ reason: "stale-snapshot" });
    await expect(plan(snapshot, { maxSnapshotAgeDays: 10 })).resolves.toMatchObject({ totals: { users: 1 } });
  });

  it("refuses inactivity findings whose activity evidence was concealed", async () => {
    const base = baseSnapshot([inactive(), blocked()]);
    const concealed = { ...base, sources: { ...base.sources, workloadActivity: { status: "unavailable" as const, asOf: null, reason: "concealedNames" as const } } };
    await expect(plan(concealed)).rejects.toMatchObject({ reason: "missing-evidence", message: expect.stringContaining("LIC.INACTIVE.1v1") });
    // Leaving the blind rule out is allowed: the blocked user's evidence does not depend on activity reports.
    await expect(plan(concealed, { rules: ["LIC.BLOCKED.1v1"] })).resolves.toMatchObject({ totals: { users: 1 } });
  });

  it("refuses inactivity findings whose sign-in activity is missing (no Entra ID P1)", async () => {
    const base = baseSnapshot([inactive()]);
    const noPremium = { ...base, sources: { ...base.sources, signInActivity: { status: "unavailable" as const, asOf: null, reason: "noPremium" as const } } };
    await expect(plan(noPremium)).rejects.toMatchObject({ reason: "missing-evidence" });
  });

  it("plans inactive users when the activity evidence is complete", async () => {
    const u = inactive();
    const p = await plan(baseSnapshot([u, baseUser()]));
    expect(p.actions.map((a) => a.userId)).toEqual([u.id]);
    expect(p.actions[0]!.ruleIds).toEqual(["LIC.INACTIVE.1v1"]);
  });

  it("refuses more users than min(50, 10 % of licensed users) unless --max sets the cap", async () => {
    const users = [...Array.from({ length: 3 }, () => blocked()), ...Array.from({ length: 17 }, () => baseUser())];
    const snapshot = baseSnapshot(users);
    expect(defaultUserCap(20)).toBe(2);
    expect(defaultUserCap(10_000)).toBe(50);
    const evaluation = await evaluate(snapshot, policy, { now: TEST_NOW });
    const input = { snapshot, runId: RUN, evaluation, policy, licenseStates: statesOf(snapshot), servicePlans: new Map(), suggestedProtectGroups: SUGGESTED };
    expect(() => planReclaim(input, { now: TEST_NOW })).toThrow(expect.objectContaining({ reason: "cap-exceeded", message: expect.stringContaining("cap of 2") }));
    expect(() => planReclaim(input, { now: TEST_NOW, maxUsers: 2 })).toThrow(RefusalError);
    const p = planReclaim(input, { now: TEST_NOW, maxUsers: 3 });
    expect(p.limits).toEqual({ maxSnapshotAgeDays: 7, maxUsers: 3, overridden: true });
    expect(p.actions).toHaveLength(3);
  });

  it("rejects a --rule that does not exist or is not a reclaim or downgrade rule", async () => {
    const snapshot = baseSnapshot([blocked()]);
    await expect(plan(snapshot, { rules: ["LIC.NOPE.1v1"] })).rejects.toThrow(UsageError);
    await expect(plan(snapshot, { rules: ["SEC.MFA_UNREGISTERED.1v1"] })).rejects.toThrow(/only reclaim and downgrade/);
  });

  it("never plans review findings, even those that carry what confirming them would save (ifConfirmed)", async () => {
    // A Copilot seat used in Teams only (LIC.COPILOT_LIGHT: review, ifConfirmed reclaim), an inactive
    // admin (LIC.INACTIVE_ADMIN: review, ifConfirmed reclaim) and a blocked user (LIC.BLOCKED: reclaim).
    const light = baseUser({
      licenses: [license("SPE_E3"), license("Microsoft_365_Copilot", null, daysAgo(200))],
      activity: { exchange: dateDaysAgo(3), teams: dateDaysAgo(3), copilot: dateDaysAgo(5) },
      copilot: { lastActivityDate: dateDaysAgo(5), apps: { teams: dateDaysAgo(5) } },
    });
    const admin = inactive({ mfa: { isMfaRegistered: true, isMfaCapable: true, isAdmin: true, methodsRegistered: ["microsoftAuthenticatorPush"] } });
    const b = blocked();
    const snapshot = baseSnapshot([light, admin, b]);
    const evaluation = await evaluate(snapshot, policy, { now: TEST_NOW });
    const reviews = evaluation.findings.filter((f) => f.action === "review" && f.savings.monthly > 0);
    expect(reviews.map((f) => f.ruleId).sort()).toEqual(["LIC.COPILOT_LIGHT.1v1", "LIC.INACTIVE_ADMIN.1v1"]);
    const p = await plan(snapshot);
    expect(p.actions.map((a) => [a.userId, a.ruleIds])).toEqual([[b.id, ["LIC.BLOCKED.1v1"]]]);
    expect(p.groupRemovals).toEqual([]);
    expect(p.notPlanned).toEqual([]);
    expect(p.totals.monthlySavings).toBe(36);
    await expect(plan(snapshot, { rules: ["LIC.COPILOT_LIGHT.1v1"] })).rejects.toThrow(/the rule's action is review; only reclaim and downgrade/);
  });

  it("gives the same plan id for the same inputs and a different one when the plan differs", async () => {
    const a = blocked();
    const b = blocked();
    const snapshot = baseSnapshot([a, b]);
    const one = await plan(snapshot);
    expect((await plan(snapshot)).planId).toBe(one.planId);
    expect((await plan(baseSnapshot([a]))).planId).not.toBe(one.planId);
  });

  it("lists a downgrade of a user without usageLocation as one that cannot succeed, with the fix, and still plans removals", async () => {
    const nowhere = baseUser({ licenses: [license("SPE_E5")], usageLocation: null });
    const removal = blocked({ licenses: [license("SPE_E3")], usageLocation: null });
    const p = await plan(withSeats(baseSnapshot([nowhere, removal]), 5));
    expect(p.actions.map((a) => a.userId)).toEqual([removal.id]);
    expect(p.cannotSucceed).toEqual([
      { userId: nowhere.id, userPrincipalName: nowhere.userPrincipalName, ruleId: "LIC.DOWNGRADE.E5_E3.1v1", skuPartNumber: "SPE_E3", reason: "no-usage-location", fix: expect.stringContaining("set " + nowhere.userPrincipalName + "'s usage location") },
    ]);
    expect(dryRunSummary(p)).toContain("no-usage-location");
  });

  it("refuses (exit 3) a protect group of the user's own policy that the snapshot does not hold; the shipped pack's are suggestions", async () => {
    const own = { ...policy, protect: { ...policy.protect, groups: [...policy.protect.groups, "Finance Admins"] } };
    const snapshot = baseSnapshot([blocked()]);
    const evaluation = await evaluate(snapshot, own, { now: TEST_NOW });
    const input = { snapshot, runId: RUN, evaluation, policy: own, licenseStates: statesOf(snapshot), servicePlans: new Map<string, string[]>(), suggestedProtectGroups: SUGGESTED };
    expect(() => planReclaim(input, { now: TEST_NOW })).toThrow(expect.objectContaining({ reason: "unknown-protect-group", message: expect.stringMatching(/protect group "Finance Admins" \(it is not in the collected snapshot/) }));
    // Present in the snapshot (by name, any case): planned.
    const withGroup = { ...snapshot, groups: [{ id: GROUP, displayName: "finance admins" }] };
    expect(planReclaim({ ...input, snapshot: withGroup }, { now: TEST_NOW }).actions).toHaveLength(1);
    // The collection said it did not find it (coverage as collect records it today, and with notFound).
    const unresolved = { task: "licenseInformation", part: "groups.list", status: "failed" as const, reason: "unresolved-groups", detail: 'no group named "Finance Admins", "Break Glass Accounts" (protected groups of the policy)' };
    expect(() => planReclaim({ ...input, snapshot: withGroup, protectGroupCoverage: [unresolved] }, { now: TEST_NOW })).toThrow(/"Finance Admins" \(the collection did not find it\)/);
    const notFound = { part: "groups.list", status: "collected" as const, reason: "protect-groups-not-found", detail: "warning: ...", notFound: [{ name: "Finance Admins", suggested: false }] };
    expect(() => planReclaim({ ...input, snapshot: withGroup, protectGroupCoverage: [notFound] }, { now: TEST_NOW })).toThrow(RefusalError);
    // Only the shipped pack's groups missing: no refusal.
    expect(planReclaim({ ...input, policy, protectGroupCoverage: [unresolved] }, { now: TEST_NOW }).actions).toHaveLength(1);
  });
});
