import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CopilotApp, Finding, Snapshot, SnapshotUser, SnapshotUserInput } from "../core/user-facts.ts";
import { evaluate } from "../policies/evaluate.ts";
import { readPolicy } from "../policies/read-policy.ts";
import type { SnapshotSubscription } from "../core/user-facts.ts";
import { TEST_NOW, baseSnapshot, baseUser, dateDaysAgo, daysAgo, license, subscription } from "../policies/testing/snapshot-builders.ts";

const policy = readPolicy([]);
const GB = 1024 ** 3;

async function findingsFor(subject: SnapshotUser | Snapshot): Promise<Finding[]> {
  const snapshot = "snapshotVersion" in subject ? subject : baseSnapshot([subject]);
  return (await evaluate(snapshot, policy, { now: TEST_NOW })).findings;
}

function ids(findings: readonly Finding[]): string[] {
  return findings.map((f) => f.ruleId);
}

// Named changes applied to the base user (an active E3 member whom no rule flags).
const neverUsed: Partial<SnapshotUserInput> = {
  signInActivity: { lastSignInDateTime: null, lastNonInteractiveSignInDateTime: null, lastSuccessfulSignInDateTime: null },
  activity: {},
  apps: { windows: false, mac: false, mobile: false, web: false, lastActivityDate: null },
  mailbox: { storageUsedBytes: 0.1 * GB, hasArchive: false, itemCount: 3, lastActivityDate: null },
  oneDrive: null,
};
const idleFor = (days: number): Partial<SnapshotUserInput> => ({
  signInActivity: { lastSignInDateTime: daysAgo(days), lastNonInteractiveSignInDateTime: daysAgo(days), lastSuccessfulSignInDateTime: daysAgo(days) },
  activity: { exchange: dateDaysAgo(days), teams: dateDaysAgo(days) },
  apps: { windows: true, mac: false, mobile: false, web: false, lastActivityDate: dateDaysAgo(days) },
  mailbox: { storageUsedBytes: 3 * GB, hasArchive: false, itemCount: 900, lastActivityDate: dateDaysAgo(days) },
  oneDrive: { storageUsedBytes: GB, lastActivityDate: dateDaysAgo(days) },
});
const lightUse: Partial<SnapshotUserInput> = {
  apps: { windows: false, mac: false, mobile: true, web: true, lastActivityDate: dateDaysAgo(2) },
  activations: [],
  mailbox: { storageUsedBytes: 1 * GB, hasArchive: false, itemCount: 900, lastActivityDate: dateDaysAgo(2) },
  oneDrive: { storageUsedBytes: 0.5 * GB, lastActivityDate: dateDaysAgo(2) },
};
/** A Copilot seat assigned `assignedDaysAgo` days ago, last used in the given apps that many days ago. */
const copilotSeat = (assignedDaysAgo: number, apps: Partial<Record<CopilotApp, number>> = {}): Partial<SnapshotUserInput> => {
  const dates = Object.fromEntries(Object.entries(apps).map(([app, days]) => [app, dateDaysAgo(days)]));
  const last = Object.values(apps).length > 0 ? dateDaysAgo(Math.min(...Object.values(apps))) : null;
  return {
    licenses: [license("SPE_E3"), license("Microsoft_365_Copilot", null, daysAgo(assignedDaysAgo))],
    activity: { exchange: dateDaysAgo(3), teams: dateDaysAgo(3), sharePoint: dateDaysAgo(10), oneDrive: dateDaysAgo(3), outlook: dateDaysAgo(3), copilot: last },
    copilot: { lastActivityDate: last, apps: dates },
  };
};
const withMfa = (changes: Partial<NonNullable<SnapshotUserInput["mfa"]>>): SnapshotUserInput["mfa"] => ({
  isMfaRegistered: true,
  isMfaCapable: true,
  isAdmin: false,
  methodsRegistered: ["microsoftAuthenticatorPush"],
  ...changes,
});

/** One active E3 user; the E3 SKU has `purchased` seats held by the given subscriptions. */
function withSubscriptions(purchased: number, subscriptions: SnapshotSubscription[]): Snapshot {
  const s = baseSnapshot([baseUser()]);
  return { ...s, skus: s.skus.map((k) => ({ ...k, purchased })), subscriptions };
}

/** Each rule of the default pack: a user (or snapshot) it flags and a close one it must not flag. */
const CASES: Record<string, { flags: () => SnapshotUser | Snapshot; spares: () => SnapshotUser | Snapshot; spareReason: string }> = {
  "LIC.BLOCKED.1v1": {
    flags: () => baseUser({ accountEnabled: false }),
    spares: () => baseUser({ accountEnabled: false, mailboxPurpose: "shared", mailbox: { storageUsedBytes: 60 * GB, hasArchive: false, itemCount: 1, lastActivityDate: null } }),
    spareReason: "a blocked shared mailbox over 50 GB needs its license",
  },
  "LIC.NEVER_SIGNED_IN.1v1": {
    flags: () => baseUser(neverUsed),
    spares: () => baseUser({ ...neverUsed, createdDateTime: daysAgo(10) }),
    spareReason: "a new hire inside the grace period",
  },
  "LIC.INACTIVE.1v1": {
    flags: () => baseUser(idleFor(120)),
    spares: () => baseUser({ ...idleFor(120), signInActivity: { lastSignInDateTime: daysAgo(120), lastNonInteractiveSignInDateTime: daysAgo(2), lastSuccessfulSignInDateTime: daysAgo(2) } }),
    spareReason: "a recent SSO (non-interactive) sign-in means in use, even without workload activity",
  },
  "LIC.GUEST_PAID.1v1": {
    flags: () => baseUser({ userType: "Guest" }),
    spares: () => baseUser({ userType: "Guest", licenses: [license("FLOW_FREE")] }),
    spareReason: "a guest holding only a free license",
  },
  "LIC.ADDON_UNUSED.1v1": {
    flags: () => baseUser({ licenses: [license("SPE_E3"), license("VISIOCLIENT")] }),
    spares: () => baseUser({ licenses: [license("SPE_E3"), license("VISIOCLIENT")], activity: { exchange: dateDaysAgo(2), visio: dateDaysAgo(20) } }),
    spareReason: "Visio used 20 days ago",
  },
  "LIC.COPILOT_IDLE.1v1": {
    flags: () => baseUser(copilotSeat(200, { teams: 75, word: 90 })),
    spares: () => baseUser(copilotSeat(200, { teams: 75, word: 50 })),
    spareReason: "Copilot used in Word 50 days ago",
  },
  "LIC.COPILOT_LIGHT.1v1": {
    flags: () => baseUser(copilotSeat(200, { teams: 5, word: 90 })),
    spares: () => baseUser(copilotSeat(200, { teams: 5, word: 12, copilotChat: 1 })),
    spareReason: "Copilot in use in three apps",
  },
  "LIC.DOWNGRADE.E5_E3.1v1": {
    flags: () => baseUser({ licenses: [license("SPE_E5")] }),
    spares: () => baseUser({ licenses: [license("SPE_E5")], activity: { exchange: dateDaysAgo(2), powerBi: dateDaysAgo(5) } }),
    spareReason: "Power BI (an E5 workload) in use",
  },
  "LIC.DOWNGRADE.E3_F3.1v1": {
    flags: () => baseUser(lightUse),
    spares: () => baseUser({ ...lightUse, mailbox: { storageUsedBytes: 8 * GB, hasArchive: false, itemCount: 9000, lastActivityDate: dateDaysAgo(2) } }),
    spareReason: "an 8 GB mailbox does not fit F3",
  },
  "LIC.DOWNGRADE.E3_WEB.1v1": {
    flags: () => baseUser({ ...lightUse, licenses: [license("ENTERPRISEPACK")], oneDrive: { storageUsedBytes: 20 * GB, lastActivityDate: dateDaysAgo(2) } }),
    spares: () => baseUser({ licenses: [license("ENTERPRISEPACK")], oneDrive: { storageUsedBytes: 20 * GB, lastActivityDate: dateDaysAgo(2) } }),
    spareReason: "desktop apps in use",
  },
  "LIC.INACTIVE_ADMIN.1v1": {
    flags: () => baseUser({ ...idleFor(120), mfa: withMfa({ isAdmin: true }) }),
    spares: () => baseUser({ ...idleFor(120), mfa: withMfa({ isAdmin: true }), department: "IT Protected" }),
    spareReason: "overridden below: protected by department",
  },
  "SEC.MFA_UNREGISTERED.1v1": {
    flags: () => baseUser({ mfa: withMfa({ isMfaRegistered: false, isMfaCapable: false, methodsRegistered: [] }) }),
    spares: () => baseUser({ userType: "Guest", licenses: [license("FLOW_FREE")], mfa: withMfa({ isMfaRegistered: false }) }),
    spareReason: "guests register MFA in their home tenant",
  },
  "LIC.SEATS_UNASSIGNED.2v1": {
    flags: () => withSubscriptions(10, [subscription("SPE_E3", 10, { term: "annual", renewsInDays: 30 })]),
    spares: () => withSubscriptions(10, [subscription("SPE_E3", 10, { term: "annual", renewsInDays: 200 })]),
    spareReason: "the only subscription renews on an annual term in 200 days, outside the renewal window",
  },
  "LIC.SEATS_REDUCE_AT_RENEWAL.1v1": {
    flags: () => withSubscriptions(10, [subscription("SPE_E3", 10, { term: "annual", renewsInDays: 30 })]),
    spares: () => withSubscriptions(1, [subscription("SPE_E3", 1, { term: "annual", renewsInDays: 30 })]),
    spareReason: "no seat to drop: the one seat is assigned and in use",
  },
  "LIC.TRIAL_LAPSING.1v1": {
    flags: () => withSubscriptions(5, [subscription("SPE_E3", 5, { isTrial: true, term: "monthly", renewsInDays: 10 })]),
    spares: () => withSubscriptions(10, [subscription("SPE_E3", 5, { term: "annual" }), subscription("SPE_E3", 5, { isTrial: true, term: "monthly", renewsInDays: 10 })]),
    spareReason: "a paid subscription covers every assigned seat",
  },
  "LIC.SUBSCRIPTION_LAPSING.1v1": {
    flags: () => withSubscriptions(0, [subscription("SPE_E3", 5, { status: "Warning", renewsInDays: 20 })]),
    spares: () => withSubscriptions(10, [subscription("SPE_E3", 10, { term: "annual" }), subscription("SPE_E3", 5, { status: "Suspended", renewsInDays: 40 })]),
    spareReason: "the enabled subscription covers every assigned seat",
  },
};

describe("default policy pack", () => {
  it("has a flagging and a non-flagging case for every rule", async () => {
    expect(Object.keys(CASES).sort()).toEqual(policy.rules.map((r) => r.id).sort());
  });

  it("flags nothing for the base user", async () => {
    expect(await findingsFor(baseUser())).toEqual([]);
  });

  for (const [id, c] of Object.entries(CASES)) {
    it(`${id} flags its case`, async () => {
      expect(ids(await findingsFor(c.flags()))).toContain(id);
    });
    if (id === "LIC.INACTIVE_ADMIN.1v1") continue;
    it(`${id} does not flag: ${c.spareReason}`, async () => {
      expect(ids(await findingsFor(c.spares()))).not.toContain(id);
    });
  }

  it("LIC.INACTIVE_ADMIN.1v1 does not flag a protected admin account", async () => {
    const local = readPolicy([]);
    local.protect.departments.push("IT Protected");
    const snapshot = baseSnapshot([CASES["LIC.INACTIVE_ADMIN.1v1"]!.spares() as SnapshotUser]);
    const { findings } = await evaluate(snapshot, local, { now: TEST_NOW });
    expect(ids(findings)).not.toContain("LIC.INACTIVE_ADMIN.1v1");
  });
});

describe("traps: never flagged for reclaim", () => {
  const reclaims = async (u: SnapshotUser | Snapshot) => (await findingsFor(u)).filter((f) => f.ruleAction === "reclaim");

  it("does not flag a service account whose only sign-ins are non-interactive", async () => {
    const service = baseUser({
      ...idleFor(200),
      signInActivity: { lastSignInDateTime: null, lastNonInteractiveSignInDateTime: daysAgo(1), lastSuccessfulSignInDateTime: daysAgo(1) },
    });
    expect(await findingsFor(service)).toEqual([]);
  });

  it("does not flag a room mailbox with an archive (mailbox type not collected)", async () => {
    const room = baseUser({ ...neverUsed, accountEnabled: false, mailboxPurpose: null, mailbox: { storageUsedBytes: 2 * GB, hasArchive: true, itemCount: 10, lastActivityDate: null } });
    expect(await reclaims(room)).toEqual([]);
  });

  it("reclaims from a small shared mailbox without an archive (it needs no license)", async () => {
    const shared = baseUser({ ...neverUsed, accountEnabled: false, mailboxPurpose: "shared" });
    expect(ids(await reclaims(shared))).toEqual(["LIC.BLOCKED.1v1"]);
  });

  it("does not flag break-glass accounts in the emergency access group", async () => {
    const user = baseUser({ ...neverUsed, memberOf: ["g-bg"], mfa: withMfa({ isAdmin: true }) });
    const snapshot = baseSnapshot([user], { groups: [{ id: "g-bg", displayName: "Emergency Access Accounts" }] });
    const evaluation = await evaluate(snapshot, policy, { now: TEST_NOW });
    expect(evaluation.findings).toEqual([]);
  });

  it("does not flag members of a protected group, and counts what it suppressed", async () => {
    const user = baseUser({ ...idleFor(150), memberOf: ["g-p"] });
    const snapshot = baseSnapshot([user], { groups: [{ id: "g-p", displayName: "Seatwise-Protected" }] });
    const evaluation = await evaluate(snapshot, policy, { now: TEST_NOW });
    expect(evaluation.findings).toEqual([]);
    expect(evaluation.suppressedByProtection).toEqual({ "LIC.INACTIVE.1v1": 1 });
  });

  it("does not flag new hires who have not signed in yet, even blocked ones", async () => {
    expect(await reclaims(baseUser({ ...neverUsed, createdDateTime: daysAgo(5) }))).toEqual([]);
    expect(await reclaims(baseUser({ ...neverUsed, accountEnabled: false, createdDateTime: daysAgo(5) }))).toEqual([]);
  });

  it("flags an inactive user although MFA is registered: registration is not activity", async () => {
    const user = baseUser({ ...idleFor(120), mfa: withMfa({ isMfaRegistered: true }) });
    expect(ids(await reclaims(user))).toEqual(["LIC.INACTIVE.1v1"]);
  });

  it("does not flag a user whose recent interactive MFA sign-in is the only use", async () => {
    const user = baseUser({ ...idleFor(150), signInActivity: { lastSignInDateTime: daysAgo(3), lastNonInteractiveSignInDateTime: null, lastSuccessfulSignInDateTime: daysAgo(3) } });
    expect(await reclaims(user)).toEqual([]);
  });

  it("sends inactive admins to review instead of reclaim", async () => {
    const findings = await findingsFor(baseUser({ ...idleFor(120), mfa: withMfa({ isAdmin: true }) }));
    expect(findings.map((f) => [f.ruleId, f.action])).toEqual([["LIC.INACTIVE_ADMIN.1v1", "review"]]);
  });
});

describe("findings", () => {
  it("report a group-assigned license as removal from the group, never as a direct reclaim", async () => {
    const user = baseUser({ ...idleFor(120), licenses: [license("SPE_E3", "g-e3"), license("SPE_E3"), license("VISIOCLIENT")] });
    const snapshot = baseSnapshot([user], { groups: [{ id: "g-e3", displayName: "E3 users" }] });
    const [finding] = (await evaluate(snapshot, policy, { now: TEST_NOW })).findings;
    expect(finding?.licenses.map((l) => [l.skuPartNumber, l.assignment, l.remedy])).toEqual([
      ["SPE_E3", "group", 'remove from group "E3 users" (and the redundant direct assignment)'],
      ["VISIOCLIENT", "direct", "remove direct assignment"],
    ]);
    expect(finding?.savings).toMatchObject({ monthly: 51, annual: 612, currency: "USD" });
  });

  it("carry the evidence that made the rule fire, with source and as-of date", async () => {
    const [finding] = await findingsFor(baseUser(idleFor(120)));
    const lastSignIn = finding?.evidence.find((e) => e.fact === "lastSignIn");
    expect(lastSignIn).toEqual({ fact: "lastSignIn", value: daysAgo(120), source: "signInActivity", asOf: dateDaysAgo(0), status: "ok" });
    expect(finding?.confidence).toEqual({ level: "high", reasons: [] });
  });

  it("downgrade with the price difference as savings", async () => {
    const [finding] = await findingsFor(baseUser({ licenses: [license("SPE_E5")] }));
    expect(finding?.downgrade).toEqual({ from: "SPE_E5", to: "SPE_E3" });
    expect(finding?.savings.monthly).toBe(21);
  });

  it("do not reclaim or downgrade a license twice when several rules concern it", async () => {
    const findings = await findingsFor(baseUser({ ...lightUse, userType: "Guest" }));
    expect(ids(findings)).toEqual(["LIC.GUEST_PAID.1v1"]);
  });

  it("reclaim only the unused add-on, not the user's suite", async () => {
    const [finding] = await findingsFor(CASES["LIC.ADDON_UNUSED.1v1"]!.flags());
    expect(finding?.licenses.map((l) => l.skuPartNumber)).toEqual(["VISIOCLIENT"]);
    expect(finding?.evidence.find((e) => e.fact === "addOnLastActivity")).toMatchObject({ value: null, source: "signInLogs" });
  });

  it("count a recent desktop activation as use of an add-on", async () => {
    const user = baseUser({
      licenses: [license("SPE_E3"), license("PROJECTPREMIUM")],
      activations: [{ productType: "Project Client", lastActivatedDate: dateDaysAgo(30), windows: 1, mac: 0 }],
    });
    expect(await findingsFor(user)).toEqual([]);
  });

  it("count unassigned seats at the SKU's price", async () => {
    const [finding] = await findingsFor(CASES["LIC.SEATS_UNASSIGNED.2v1"]!.flags());
    expect(finding?.sku).toMatchObject({ skuPartNumber: "SPE_E3", available: 9 });
    expect(finding?.savings.monthly).toBe(9 * 36);
  });
});

describe("Copilot seats", () => {
  it("reclaim an idle seat alone, at the Copilot price, leaving the suite", async () => {
    const [finding, ...rest] = await findingsFor(CASES["LIC.COPILOT_IDLE.1v1"]!.flags());
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ ruleId: "LIC.COPILOT_IDLE.1v1", action: "reclaim", savings: { monthly: 30, annual: 360, currency: "USD" } });
    expect(finding?.licenses.map((l) => [l.skuPartNumber, l.remedy])).toEqual([["Microsoft_365_Copilot", "remove direct assignment"]]);
    expect(finding?.evidence.find((e) => e.fact === "copilotLastActivity")).toMatchObject({ value: dateDaysAgo(75), source: "copilotUsage", status: "ok" });
  });

  it("reclaim a seat never used since it was assigned, once the window has passed", async () => {
    expect(ids(await findingsFor(baseUser(copilotSeat(61))))).toEqual(["LIC.COPILOT_IDLE.1v1"]);
  });

  it("do not flag a seat assigned yesterday, nor one inside the window from its assignment", async () => {
    expect(await findingsFor(baseUser(copilotSeat(1)))).toEqual([]);
    expect(await findingsFor(baseUser(copilotSeat(59)))).toEqual([]);
    // Light use of a newly assigned seat is not reviewed either: adoption takes time.
    expect(await findingsFor(baseUser(copilotSeat(20, { teams: 2 })))).toEqual([]);
  });

  it("count the earliest of a direct and a group assignment as the assignment date", async () => {
    const seat = copilotSeat(200);
    const user = baseUser({ ...seat, licenses: [license("SPE_E3"), license("Microsoft_365_Copilot", "g-cp", daysAgo(3)), license("Microsoft_365_Copilot", null, daysAgo(200))] });
    const [finding] = await findingsFor(baseSnapshot([user], { groups: [{ id: "g-cp", displayName: "Copilot users" }] }));
    expect(finding?.ruleId).toBe("LIC.COPILOT_IDLE.1v1");
    expect(finding?.licenses.map((l) => l.remedy)).toEqual(['remove from group "Copilot users" (and the redundant direct assignment)']);
    expect(finding?.evidence.find((e) => e.fact === "addOnDaysAssigned")?.value).toBe(200);
  });

  it("send the idle-seat finding to review with low confidence when the report conceals names", async () => {
    const user = baseUser({ ...copilotSeat(200, { teams: 2, word: 3 }), copilot: null, activity: { exchange: dateDaysAgo(3), teams: dateDaysAgo(3) } });
    const snapshot = baseSnapshot([user]);
    const concealed = { ...snapshot, sources: { ...snapshot.sources, copilotUsage: { status: "unavailable" as const, asOf: null, reason: "concealedNames" as const } } };
    const findings = await findingsFor(concealed);
    expect(findings.map((f) => [f.ruleId, f.action, f.ruleAction, f.confidence.level])).toEqual([["LIC.COPILOT_IDLE.1v1", "review", "reclaim", "low"]]);
    expect(findings[0]?.confidence.reasons).toContain("copilotLastActivity: copilotUsage not collected (concealedNames)");
  });

  it("honour copilotUnusedDays and copilotLightUseMaxApps from a local policy", async () => {
    const dir = mkdtempSync(join(tmpdir(), "seatwise-copilot-policy-"));
    const file = join(dir, "local.yaml");
    writeFileSync(file, "version: 1\nextends: default\nsettings:\n  copilotUnusedDays: 30\n  copilotLightUseMaxApps: 2\n");
    const local = readPolicy([file]);
    const run = async (u: SnapshotUser) => ids((await evaluate(baseSnapshot([u]), local, { now: TEST_NOW })).findings);
    // Two apps in use is light use now; a seat idle for 40 days is idle now.
    expect(await run(baseUser(copilotSeat(200, { teams: 5, word: 12 })))).toEqual(["LIC.COPILOT_LIGHT.1v1"]);
    expect(await run(baseUser(copilotSeat(200, { teams: 40 })))).toEqual(["LIC.COPILOT_IDLE.1v1"]);
    expect(ids(await findingsFor(baseUser(copilotSeat(200, { teams: 40 }))))).toEqual(["LIC.COPILOT_LIGHT.1v1"]);
  });
});
