import { describe, expect, it } from "vitest";
import type { SimLicense } from "../model.ts";
import { computeTruth } from "./compute-truth.ts";
import type { TruthFacts, TruthSkus } from "./compute-truth.ts";

const DAY = 86_400_000;
const NOW = Date.parse("2026-11-26T12:00:00Z");
const SKUS: TruthSkus = { e3: "e3", e5: "e5", f3: "f3", e1: null, visio: "visio", project: "project", powerBi: "pbi", copilot: "copilot" };
const direct = (skuId: string): SimLicense => ({ skuId, disabledPlans: [], assignedByGroup: null, state: "Active", error: "None", lastUpdatedDateTime: "2024-01-01T00:00:00Z" });
const viaGroup = (skuId: string, groupId: string): SimLicense => ({ ...direct(skuId), assignedByGroup: groupId });
const ago = (days: number): number => NOW - days * DAY;

/** An active E3 desktop user with a 5 GB mailbox; each test changes one thing. */
function facts(change: Partial<TruthFacts> = {}): TruthFacts {
  return {
    persona: "regular",
    userType: "Member",
    accountEnabled: true,
    createdMs: ago(400),
    licenses: [direct("e3")],
    lastSuccessfulSignInMs: ago(1),
    lastNonInteractiveSignInMs: ago(0.5),
    workloadActivityMs: [ago(3), ago(5)],
    powerBiActivityMs: null,
    projectActivityMs: null,
    visioActivityMs: null,
    desktopWindows: true,
    desktopMac: false,
    activations: [{ productType: "MICROSOFT 365 APPS FOR ENTERPRISE", lastActivatedMs: ago(100), windows: 1, mac: 0 }],
    mailbox: { kind: "user", storageUsedBytes: 5 * 1024 ** 3, hasArchive: false },
    oneDriveBytes: 1024 ** 3,
    copilotActivityMs: [],
    inProtectedGroup: false,
    ...change,
  };
}

describe("computeTruth", () => {
  it("finds nothing to do for an active desktop E3 user", () => {
    expect(computeTruth(facts(), NOW, SKUS)).toEqual({ reclaim: [], reclaimViaGroup: [], downgrade: [], traps: [], review: [] });
  });

  it("reclaims every license of a user without sign-in or activity for more than 90 days", () => {
    const t = computeTruth(facts({ licenses: [direct("e3"), direct("visio")], lastSuccessfulSignInMs: ago(120), lastNonInteractiveSignInMs: ago(95), workloadActivityMs: [ago(130)] }), NOW, SKUS);
    expect(t.reclaim).toEqual(["e3", "visio"]);
  });

  it("reclaims a never-signed-in user after the grace period but not a new hire within it", () => {
    const never = { lastSuccessfulSignInMs: null, lastNonInteractiveSignInMs: null, workloadActivityMs: [] };
    expect(computeTruth(facts({ ...never, createdMs: ago(45) }), NOW, SKUS).reclaim).toEqual(["e3"]);
    const hire = computeTruth(facts({ ...never, persona: "newHire", createdMs: ago(10) }), NOW, SKUS);
    expect(hire.reclaim).toEqual([]);
    expect(hire.traps).toContain("newHire");
  });

  it("names the group for a group-assigned license, and lists a sku held both ways only under its group", () => {
    const inactive = { lastSuccessfulSignInMs: ago(200), lastNonInteractiveSignInMs: ago(200), workloadActivityMs: [] };
    expect(computeTruth(facts({ ...inactive, licenses: [viaGroup("e3", "g1")] }), NOW, SKUS)).toMatchObject({ reclaim: [], reclaimViaGroup: [{ skuId: "e3", groupId: "g1" }] });
    const both = computeTruth(facts({ ...inactive, licenses: [direct("e3"), viaGroup("e3", "g1")] }), NOW, SKUS);
    expect(both.reclaim).toEqual([]);
    expect(both.reclaimViaGroup).toEqual([{ skuId: "e3", groupId: "g1" }]);
  });

  it("does not call a user inactive whose recent sign-ins show use without workload activity", () => {
    const t = computeTruth(facts({ lastSuccessfulSignInMs: ago(5), lastNonInteractiveSignInMs: null, workloadActivityMs: [ago(150)] }), NOW, SKUS);
    expect(t.reclaim).toEqual([]);
    expect(t.traps).toEqual(["recentSsoSignIn"]);
  });

  it("labels a service account whose only recent sign-ins are non-interactive", () => {
    const t = computeTruth(facts({ persona: "serviceAccount", lastSuccessfulSignInMs: ago(0.2), lastNonInteractiveSignInMs: ago(0.2), workloadActivityMs: [] }), NOW, SKUS);
    expect(t).toMatchObject({ reclaim: [], traps: ["serviceAccountNonInteractive"] });
  });

  it("keeps the license of a blocked shared mailbox over 50 GB or with an archive, and reclaims a small one", () => {
    const shared = { accountEnabled: false, lastSuccessfulSignInMs: null, lastNonInteractiveSignInMs: null, licenses: [direct("exo")] };
    expect(computeTruth(facts({ ...shared, mailbox: { kind: "shared", storageUsedBytes: 51 * 1024 ** 3, hasArchive: false } }), NOW, SKUS)).toMatchObject({ reclaim: [], traps: ["sharedMailboxNeedsLicense"] });
    expect(computeTruth(facts({ ...shared, mailbox: { kind: "room", storageUsedBytes: 1024 ** 3, hasArchive: true } }), NOW, SKUS).traps).toEqual(["sharedMailboxNeedsLicense"]);
    expect(computeTruth(facts({ ...shared, mailbox: { kind: "shared", storageUsedBytes: 49 * 1024 ** 3, hasArchive: false } }), NOW, SKUS).reclaim).toEqual(["exo"]);
  });

  it("reclaims from blocked accounts and licensed guests even when they were active", () => {
    expect(computeTruth(facts({ accountEnabled: false }), NOW, SKUS).reclaim).toEqual(["e3"]);
    expect(computeTruth(facts({ userType: "Guest" }), NOW, SKUS).reclaim).toEqual(["e3"]);
  });

  it("never reclaims from break-glass accounts or protected-group members", () => {
    const dormant = { lastSuccessfulSignInMs: ago(150), lastNonInteractiveSignInMs: null, workloadActivityMs: [] };
    expect(computeTruth(facts({ ...dormant, persona: "breakGlass" }), NOW, SKUS)).toMatchObject({ reclaim: [], traps: ["breakGlass"] });
    expect(computeTruth(facts({ ...dormant, inProtectedGroup: true }), NOW, SKUS)).toMatchObject({ reclaim: [], traps: ["protectedGroup"] });
  });

  it("reclaims an add-on without matching activity but keeps one activated recently", () => {
    expect(computeTruth(facts({ licenses: [direct("e3"), direct("visio")] }), NOW, SKUS).reclaim).toEqual(["visio"]);
    const activated = facts({ licenses: [direct("e3"), direct("project")], activations: [...facts().activations, { productType: "Project Client", lastActivatedMs: ago(20), windows: 1, mac: 0 }] });
    expect(computeTruth(activated, NOW, SKUS).reclaim).toEqual([]);
    expect(computeTruth(facts({ licenses: [direct("e3"), viaGroup("pbi", "g9")] }), NOW, SKUS).reclaimViaGroup).toEqual([{ skuId: "pbi", groupId: "g9" }]);
    expect(computeTruth(facts({ licenses: [direct("e3"), direct("pbi")], powerBiActivityMs: ago(10) }), NOW, SKUS).reclaim).toEqual([]);
  });

  it("downgrades E5 without Power BI use to E3, and keeps E5 in use", () => {
    expect(computeTruth(facts({ licenses: [direct("e5")] }), NOW, SKUS).downgrade).toEqual([{ from: "e5", to: "e3" }]);
    expect(computeTruth(facts({ licenses: [direct("e5")], powerBiActivityMs: ago(4) }), NOW, SKUS).downgrade).toEqual([]);
  });

  it("downgrades a web-only E3 user with a small mailbox to F3, not a desktop user or a big mailbox", () => {
    const web = { desktopWindows: false, activations: [], mailbox: { kind: "user" as const, storageUsedBytes: 1024 ** 3, hasArchive: false } };
    expect(computeTruth(facts(web), NOW, SKUS).downgrade).toEqual([{ from: "e3", to: "f3" }]);
    expect(computeTruth(facts({ ...web, activations: facts().activations }), NOW, SKUS).downgrade).toEqual([]);
    expect(computeTruth(facts({ ...web, mailbox: { kind: "user", storageUsedBytes: 3 * 1024 ** 3, hasArchive: false } }), NOW, SKUS).downgrade).toEqual([]);
  });

  it("downgrades to F3 only within F3's documented 2 GB OneDrive and without an archive", () => {
    const web = { desktopWindows: false, activations: [], mailbox: { kind: "user" as const, storageUsedBytes: 1024 ** 3, hasArchive: false } };
    expect(computeTruth(facts({ ...web, oneDriveBytes: 2 * 1024 ** 3 }), NOW, SKUS).downgrade).toEqual([{ from: "e3", to: "f3" }]);
    expect(computeTruth(facts({ ...web, oneDriveBytes: 2 * 1024 ** 3 + 1 }), NOW, SKUS).downgrade).toEqual([]);
    expect(computeTruth(facts({ ...web, mailbox: { ...web.mailbox, hasArchive: true } }), NOW, SKUS).downgrade).toEqual([]);
  });

  it("downgrades Office 365 E3 that outgrows F3 to the web-only E1 within its 50 GB mailbox and 1 TB OneDrive", () => {
    const withE1 = { ...SKUS, e1: "e1" };
    const web = { desktopWindows: false, activations: [], mailbox: { kind: "user" as const, storageUsedBytes: 1024 ** 3, hasArchive: false } };
    expect(computeTruth(facts(web), NOW, withE1).downgrade).toEqual([{ from: "e3", to: "f3" }]);
    expect(computeTruth(facts({ ...web, oneDriveBytes: 30 * 1024 ** 3 }), NOW, withE1).downgrade).toEqual([{ from: "e3", to: "e1" }]);
    expect(computeTruth(facts({ ...web, mailbox: { kind: "user", storageUsedBytes: 20 * 1024 ** 3, hasArchive: true } }), NOW, withE1).downgrade).toEqual([{ from: "e3", to: "e1" }]);
    expect(computeTruth(facts({ ...web, mailbox: { kind: "user", storageUsedBytes: 51 * 1024 ** 3, hasArchive: false } }), NOW, withE1).downgrade).toEqual([]);
    expect(computeTruth(facts({ ...web, oneDriveBytes: 1025 * 1024 ** 3 }), NOW, withE1).downgrade).toEqual([]);
    expect(computeTruth(facts({ oneDriveBytes: 30 * 1024 ** 3 }), NOW, withE1).downgrade).toEqual([]);
  });
});
