import { describe, expect, it } from "vitest";
import { SeatwiseError } from "../../core/errors.ts";
import { skuByPartNumber } from "../../core/sku-catalogue.ts";
import type { SimModes, SimSignIn, SimTenant, SimUser } from "../model.ts";
import { PERSONAS } from "../model.ts";
import { generateTenant } from "./generate-tenant.ts";
import { SIGN_IN_APPS } from "./tenant-vocabulary.ts";
import { TRAPS, PROTECTED_GROUP_NAME, BREAK_GLASS_GROUP_NAME, INACTIVITY_DAYS } from "./truth-thresholds.ts";
import { PERSONA_WEIGHTS, breakGlassCount } from "./user-core.ts";

const NOW = new Date("2026-11-26T12:00:00Z");
const DAY = 86_400_000;
const PREMIUM: SimModes = { premium: true, concealedNames: false, reportLagDays: 2 };
const make = (users: number, seed = 7, modes: SimModes = PREMIUM): SimTenant => generateTenant({ users, seed, now: NOW, modes, apps: [] });
const usersOf = (t: SimTenant): SimUser[] => Array.from({ length: t.userCount }, (_, i) => t.userAt(i));
const skuId = (part: string): string => skuByPartNumber(part)?.skuId as string;

const tenant = make(10_000);
const users = usersOf(tenant);
const since30 = new Date(NOW.getTime() - 30 * DAY).toISOString();
const log: SimSignIn[] = [...tenant.signIns({ sinceIso: since30, untilIso: NOW.toISOString() })];

describe("generateTenant: determinism and identity", () => {
  it("produces byte-identical users, SKUs and sign-ins for the same seed", () => {
    const again = make(10_000);
    const differing = users.filter((u, i) => i % 7 === 0 && JSON.stringify(again.userAt(i)) !== JSON.stringify(u));
    expect(differing).toEqual([]);
    expect(JSON.stringify(again.skus)).toBe(JSON.stringify(tenant.skus));
    expect(JSON.stringify(again.groups)).toBe(JSON.stringify(tenant.groups));
    expect(JSON.stringify(again.servicePrincipals)).toBe(JSON.stringify(tenant.servicePrincipals));
    const logOf = (t: SimTenant): string => JSON.stringify([...t.signIns({ sinceIso: since30, untilIso: NOW.toISOString() })]);
    expect(logOf(make(2000))).toBe(logOf(make(2000)));
  });

  it("produces a different tenant for a different seed", () => {
    const other = make(2000, 8);
    const same = users.slice(0, 2000).filter((u, i) => other.userAt(i).userPrincipalName === u.userPrincipalName).length;
    expect(same).toBeLessThan(20);
  });

  it("gives every user a unique id and UPN, and indexOf finds each by id or UPN in any case", () => {
    expect(new Set(users.map((u) => u.id)).size).toBe(users.length);
    expect(new Set(users.map((u) => u.userPrincipalName.toLowerCase())).size).toBe(users.length);
    const misses = users.filter((u) => tenant.indexOf(u.id) !== u.index || tenant.indexOf(u.userPrincipalName.toUpperCase()) !== u.index);
    expect(misses.map((u) => u.userPrincipalName)).toEqual([]);
  });

  it("answers -1 for ids and UPNs that are not in the tenant", () => {
    const u = users[1234] as SimUser;
    expect(tenant.indexOf(`${u.id.slice(0, 35)}${u.id.endsWith("0") ? "1" : "0"}`)).toBe(-1);
    expect(tenant.indexOf(u.userPrincipalName.replace("1234@", "1235@"))).toBe(-1);
    expect(tenant.indexOf("nobody@contoso.example")).toBe(-1);
    expect(tenant.indexOf("adele.vance99999999@contoso.example")).toBe(-1);
    expect(tenant.indexOf(make(100, 8).userAt(5).id)).toBe(-1);
  });

  it("refuses user counts outside 10..1,000,000 and indexes outside the tenant", () => {
    expect(() => make(9)).toThrow(SeatwiseError);
    expect(() => make(1_000_001)).toThrow(/10 to 1000000/);
    expect(() => tenant.userAt(10_000)).toThrow(SeatwiseError);
  });
});

describe("generateTenant: realistic mix", () => {
  it("draws personas in their configured proportions (within 4 standard deviations at 10k users)", () => {
    const n = users.length - breakGlassCount(users.length);
    const total = Object.values(PERSONA_WEIGHTS).reduce((a, b) => a + b, 0);
    for (const [persona, weight] of Object.entries(PERSONA_WEIGHTS)) {
      const p = weight / total;
      const actual = users.filter((u) => u.persona === persona).length;
      expect(Math.abs(actual - n * p), persona).toBeLessThanOrEqual(4 * Math.sqrt(n * p * (1 - p)));
    }
    expect(users.filter((u) => u.persona === "breakGlass")).toHaveLength(2);
  });

  it("has every persona and every trap at 10k users", () => {
    for (const p of PERSONAS) expect(users.some((u) => u.persona === p), p).toBe(true);
    for (const trap of TRAPS) expect(users.some((u) => u.truth.traps.includes(trap)), trap).toBe(true);
  });

  it("spreads users over departments, countries with matching usage locations, and both domains", () => {
    const members = users.filter((u) => u.userType === "Member" && u.department !== null);
    expect(new Set(members.map((u) => u.department)).size).toBeGreaterThanOrEqual(10);
    expect(new Set(members.map((u) => u.usageLocation)).size).toBeGreaterThanOrEqual(8);
    const usByLocation = members.filter((u) => u.usageLocation === "US");
    expect(usByLocation.every((u) => u.country === "United States")).toBe(true);
    for (const d of tenant.domains.slice(0, 2)) expect(members.some((u) => u.userPrincipalName.endsWith(`@${d}`)), d).toBe(true);
    const guests = users.filter((u) => u.userType === "Guest");
    expect(guests.length).toBeGreaterThan(0);
    expect(guests.every((u) => u.userPrincipalName.includes("#EXT#@"))).toBe(true);
  });

  it("licenses a share through groups, some users both directly and via the same group", () => {
    const viaGroup = users.filter((u) => u.licenses.some((l) => l.assignedByGroup !== null));
    expect(viaGroup.length / users.length).toBeGreaterThan(0.1);
    const both = users.filter((u) => u.licenses.some((l) => l.assignedByGroup !== null && u.licenses.some((d) => d.assignedByGroup === null && d.skuId === l.skuId)));
    expect(both.length).toBeGreaterThan(0);
  });

  it("buys real SKUs with unassigned seats, one in its grace period, none over its purchase", () => {
    const parts = tenant.skus.map((s) => s.skuPartNumber);
    for (const p of ["SPE_E3", "SPE_E5", "SPE_F1", "O365_BUSINESS_PREMIUM", "SPB", "O365_BUSINESS_ESSENTIALS", "VISIOCLIENT", "PROJECTPREMIUM", "POWER_BI_PRO"]) {
      expect(parts).toContain(p);
      expect(tenant.skus.find((s) => s.skuPartNumber === p)?.skuId).toBe(skuId(p));
    }
    expect(tenant.skus.filter((s) => s.capabilityStatus === "Warning")).toHaveLength(1);
    for (const s of tenant.skus) expect(tenant.consumedUnits(s.skuId), s.skuPartNumber).toBeLessThanOrEqual(s.prepaidUnits.enabled + s.prepaidUnits.warning);
    expect(tenant.skus.filter((s) => s.prepaidUnits.enabled > tenant.consumedUnits(s.skuId)).length).toBeGreaterThanOrEqual(3);
    const e3 = tenant.skus.find((s) => s.skuPartNumber === "SPE_E3");
    expect(e3?.servicePlans.some((p) => p.servicePlanName === "AAD_PREMIUM")).toBe(true);
  });

  it("has no Entra ID P1/P2 service plan in any SKU of a tenant without premium", () => {
    const free = make(200, 7, { ...PREMIUM, premium: false });
    expect(free.skus.length).toBeGreaterThan(5);
    for (const s of free.skus) expect(s.servicePlans.filter((p) => p.servicePlanName.startsWith("AAD_PREMIUM")), s.skuPartNumber).toEqual([]);
    expect(free.userAt(2).licenses.length + free.userAt(3).licenses.length).toBeGreaterThan(0);
  });

  it("lists enterprise SSO apps with publishers, SSO modes, user and group assignments", () => {
    const enterprise = tenant.servicePrincipals.filter((sp) => sp.tags.includes("WindowsAzureActiveDirectoryIntegratedApp"));
    expect(enterprise.length).toBeGreaterThanOrEqual(24);
    expect(new Set(enterprise.map((sp) => sp.preferredSingleSignOnMode))).toEqual(new Set(["saml", "oidc", "password"]));
    expect(enterprise.some((sp) => sp.appRoleAssignmentRequired)).toBe(true);
    const assignments = enterprise.flatMap((sp) => sp.assignments);
    expect(assignments.some((a) => a.principalType === "User" && tenant.indexOf(a.principalId) >= 0)).toBe(true);
    const groupIds = new Set(tenant.groups.map((g) => g.id));
    expect(assignments.filter((a) => a.principalType === "Group").every((a) => groupIds.has(a.principalId))).toBe(true);
    const withOurApps = generateTenant({ users: 10, seed: 1, now: NOW, modes: PREMIUM, apps: [{ clientId: "11111111-2222-4333-8444-555555555555", displayName: "Seatwise Reader", certificatesPem: [], roles: ["User.Read.All"] }] });
    expect(withOurApps.servicePrincipals.find((sp) => sp.appId === "11111111-2222-4333-8444-555555555555")?.displayName).toBe("Seatwise Reader");
  });
});

describe("generateTenant: consistency", () => {
  it("counts consumed units once per user and SKU, even when held directly and via a group", () => {
    for (const s of tenant.skus) {
      const holders = users.filter((u) => u.licenses.some((l) => l.skuId === s.skuId)).length;
      expect(tenant.consumedUnits(s.skuId), s.skuPartNumber).toBe(holders);
    }
  });

  it("makes every group-licensed user a member of that group, which assigns that SKU", () => {
    const byId = new Map(tenant.groups.map((g) => [g.id, { group: g, members: new Set(g.memberIndexes) }]));
    const wrong: string[] = [];
    let checked = 0;
    for (const u of users) {
      for (const l of u.licenses.filter((x) => x.assignedByGroup !== null)) {
        checked++;
        const g = byId.get(l.assignedByGroup as string);
        if (!g?.members.has(u.index) || !g.group.assignedLicenses.some((a) => a.skuId === l.skuId)) wrong.push(u.userPrincipalName);
      }
    }
    expect(checked).toBeGreaterThan(1000);
    expect(wrong).toEqual([]);
    expect(tenant.groups.find((g) => g.displayName === PROTECTED_GROUP_NAME)?.memberIndexes.length).toBeGreaterThan(0);
    const breakGlass = tenant.groups.find((g) => g.displayName === BREAK_GLASS_GROUP_NAME);
    expect(breakGlass?.memberIndexes.every((i) => users[i]?.persona === "breakGlass")).toBe(true);
  });

  it("never lists a group-assigned SKU under reclaim and names the assigning group otherwise", () => {
    const wrong = users.filter(
      (u) =>
        u.truth.reclaim.some((s) => u.licenses.some((l) => l.skuId === s && l.assignedByGroup !== null)) ||
        u.truth.reclaimViaGroup.some((r) => !u.licenses.some((l) => l.skuId === r.skuId && l.assignedByGroup === r.groupId)) ||
        (u.truth.traps.length > 0 && u.truth.reclaim.length + u.truth.reclaimViaGroup.length > 0),
    );
    expect(wrong.map((u) => u.userPrincipalName)).toEqual([]);
    expect(users.filter((u) => u.truth.reclaimViaGroup.length > 0).length).toBeGreaterThan(50);
  });

  it("never dates usage-report activity after now minus the report lag", () => {
    for (const lag of [2, 5]) {
      const t = lag === 2 ? tenant : make(3000, 7, { ...PREMIUM, reportLagDays: lag });
      const limit = new Date(NOW.getTime() - lag * DAY).toISOString().slice(0, 10);
      const late: string[] = [];
      let newest = "";
      for (let i = 0; i < t.userCount; i++) {
        const u = t.userAt(i);
        const dates = [...Object.values(u.activity), u.apps.lastActivityDate, u.oneDrive.lastActivityDate, ...u.apps.activations.map((a) => a.lastActivatedDate)];
        for (const d of dates) {
          if (d !== null && d > limit) late.push(`${u.userPrincipalName} ${d}`);
          if (d !== null && d > newest) newest = d;
        }
      }
      expect(late).toEqual([]);
      expect(newest).toBe(limit);
    }
  });

  it("lists sign-ins newest first, within the 30-day window", () => {
    expect(log.length).toBeGreaterThan(users.length);
    const outOfOrder = log.filter((s, k) => k > 0 && (log[k - 1] as SimSignIn).createdDateTime < s.createdDateTime);
    expect(outOfOrder).toEqual([]);
    expect(log.every((s) => s.createdDateTime >= since30 && s.createdDateTime <= NOW.toISOString())).toBe(true);
    expect(new Set(log.map((s) => s.id)).size).toBe(log.length);
  });

  it("logs the sign-in that signInActivity reports for every user who signed in within 30 days", () => {
    const byUser = new Map<number, SimSignIn[]>();
    for (const s of log) byUser.set(s.userIndex, [...(byUser.get(s.userIndex) ?? []), s]);
    let checked = 0;
    const wrong: string[] = [];
    for (const u of users) {
      const mine = byUser.get(u.index) ?? [];
      const { lastSignInDateTime: interactive, lastNonInteractiveSignInDateTime: nonInteractive, lastSuccessfulSignInDateTime: success } = u.signInActivity;
      if (interactive && interactive >= since30) {
        checked++;
        if (!mine.some((s) => s.isInteractive && s.createdDateTime === interactive)) wrong.push(`${u.userPrincipalName}: interactive`);
      }
      if (nonInteractive && nonInteractive >= since30 && !mine.some((s) => !s.isInteractive && s.createdDateTime === nonInteractive)) wrong.push(`${u.userPrincipalName}: non-interactive`);
      if (success && success >= since30 && !mine.some((s) => s.status.errorCode === 0 && s.createdDateTime === success)) wrong.push(`${u.userPrincipalName}: success`);
      // Nothing in the log is newer than what signInActivity says.
      if (mine.some((s) => s.createdDateTime > ((s.isInteractive ? interactive : nonInteractive) ?? ""))) wrong.push(`${u.userPrincipalName}: newer`);
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(5000);
  });

  it("shows Power BI, Project and Visio activity as sign-ins to those apps on that day", () => {
    const apps = { powerBi: SIGN_IN_APPS.powerBi.appId, project: SIGN_IN_APPS.project.appId, visio: SIGN_IN_APPS.visio.appId } as const;
    const seen = new Set(log.map((s) => `${s.userIndex}|${s.appId}|${s.createdDateTime.slice(0, 10)}`));
    let checked = 0;
    const missing: string[] = [];
    for (const u of users) {
      for (const w of ["powerBi", "project", "visio"] as const) {
        const d = u.activity[w];
        // Days strictly after the window's first day lie wholly inside the log window.
        if (d !== null && d > since30.slice(0, 10)) {
          checked++;
          if (!seen.has(`${u.index}|${apps[w]}|${d}`)) missing.push(`${u.userPrincipalName} ${w} ${d}`);
        }
      }
    }
    expect(missing).toEqual([]);
    expect(checked).toBeGreaterThan(500);
  });

  it("restricts sign-ins to the requested window", () => {
    const from = new Date(NOW.getTime() - 2 * DAY).toISOString();
    const until = new Date(NOW.getTime() - DAY).toISOString();
    const part = [...tenant.signIns({ sinceIso: from, untilIso: until })];
    expect(part.length).toBeGreaterThan(0);
    expect(part.every((s) => s.createdDateTime >= from.replace(".000Z", "Z") && s.createdDateTime <= until)).toBe(true);
    expect(part.length).toBe(log.filter((s) => s.createdDateTime >= from.replace(".000Z", "Z") && s.createdDateTime <= until.replace(".000Z", "Z")).length);
  });
});

describe("generateTenant: personas behave as their traps say", () => {
  const of = (p: SimUser["persona"]): SimUser[] => users.filter((u) => u.persona === p);
  const daysAgo = (iso: string | null): number => (iso === null ? Infinity : (NOW.getTime() - Date.parse(iso)) / DAY);

  it("service accounts sign in only non-interactively and show no workload activity", () => {
    for (const u of of("serviceAccount")) {
      expect(daysAgo(u.signInActivity.lastNonInteractiveSignInDateTime)).toBeLessThan(1);
      expect(daysAgo(u.signInActivity.lastSignInDateTime)).toBeGreaterThan(INACTIVITY_DAYS);
      expect(Object.values(u.activity).every((d) => d === null)).toBe(true);
      expect(u.truth.traps).toContain("serviceAccountNonInteractive");
    }
  });

  it("SSO-only users signed in recently without any workload activity in the window and are not reclaimed", () => {
    for (const u of of("ssoOnly")) {
      expect(daysAgo(u.signInActivity.lastSignInDateTime)).toBeLessThan(30);
      expect(Object.values(u.activity).every((d) => d === null || daysAgo(d) > INACTIVITY_DAYS)).toBe(true);
      expect(u.truth).toMatchObject({ reclaim: [], reclaimViaGroup: [], traps: ["recentSsoSignIn"] });
    }
  });

  it("break-glass accounts are dormant global admins that are never reclaimed", () => {
    for (const u of of("breakGlass")) {
      expect(u.mfa.isAdmin).toBe(true);
      expect(daysAgo(u.signInActivity.lastSignInDateTime)).toBeGreaterThan(INACTIVITY_DAYS);
      expect(u.truth.traps).toContain("breakGlass");
    }
  });

  it("shared and room mailboxes are blocked, and only those over 50 GB or with an archive keep their license", () => {
    const mailboxes = [...of("sharedMailbox"), ...of("roomMailbox")];
    expect(mailboxes.every((u) => !u.accountEnabled)).toBe(true);
    const needing = mailboxes.filter((u) => u.truth.traps.includes("sharedMailboxNeedsLicense"));
    expect(needing.length).toBeGreaterThan(0);
    expect(needing.every((u) => u.mailbox.storageUsedBytes > 50 * 1024 ** 3 || u.mailbox.hasArchive)).toBe(true);
    expect(mailboxes.some((u) => u.mailbox.storageUsedBytes > 50 * 1024 ** 3)).toBe(true);
    const reclaimable = mailboxes.filter((u) => u.licenses.length > 0 && u.truth.traps.length === 0);
    expect(reclaimable.length).toBeGreaterThan(0);
    expect(reclaimable.every((u) => u.truth.reclaim.length > 0)).toBe(true);
  });

  it("labels reclaims for inactive, never-signed-in, departed and licensed-guest users, and downgrades for the underused", () => {
    for (const p of ["inactive", "neverSignedIn", "departed", "licensedGuest", "unusedAddOn"] as const) {
      for (const u of of(p)) expect(u.truth.reclaim.length + u.truth.reclaimViaGroup.length, `${p} ${u.userPrincipalName}`).toBeGreaterThan(0);
    }
    for (const u of of("e5Underused")) expect(u.truth.downgrade).toEqual([{ from: skuId("SPE_E5"), to: skuId("SPE_E3") }]);
    // F3 holds 2 GB of OneDrive: a light user storing more keeps E3 (Microsoft 365 E3 has no web-only plan below it).
    const light = of("e3Light");
    for (const u of light) expect(u.truth.downgrade).toEqual(u.oneDrive.storageUsedBytes <= 2 * 1024 ** 3 ? [{ from: skuId("SPE_E3"), to: skuId("SPE_F1") }] : []);
    expect(light.filter((u) => u.truth.downgrade.length === 0).length).toBeGreaterThan(0);
    expect(light.filter((u) => u.truth.downgrade.length > 0).length).toBeGreaterThan(light.length / 2);
    for (const u of of("newHire")) expect(u.truth).toMatchObject({ reclaim: [], traps: ["newHire"] });
    for (const u of of("protectedGroupMember")) expect(u.truth.traps).toContain("protectedGroup");
    // Regular users are in use: only an idle Copilot seat is ever theirs to give back.
    const copilot = skuId("Microsoft_365_Copilot");
    const regularFlagged = of("regular").filter((u) => u.truth.reclaim.filter((s) => s !== copilot).length + u.truth.reclaimViaGroup.length + u.truth.downgrade.length > 0);
    expect(regularFlagged).toEqual([]);
  });
});

describe("generateTenant: license changes", () => {
  it("setLicenses updates consumedUnits, the user, and the user's truth", () => {
    const t = make(2000, 3);
    const e3 = skuId("SPE_E3");
    const i = usersOf(t).findIndex((u) => u.persona === "inactive" && u.licenses.length === 1 && u.licenses[0]?.skuId === e3 && u.licenses[0].assignedByGroup === null);
    expect(i).toBeGreaterThan(0);
    const before = t.consumedUnits(e3);
    expect(t.userAt(i).truth.reclaim).toEqual([e3]);
    t.setLicenses(i, []);
    expect(t.consumedUnits(e3)).toBe(before - 1);
    expect(t.userAt(i).licenses).toEqual([]);
    expect(t.userAt(i).truth.reclaim).toEqual([]);
    t.setLicenses(i, [{ skuId: e3.toUpperCase(), disabledPlans: [], assignedByGroup: null, state: "Active", error: "None", lastUpdatedDateTime: NOW.toISOString() }]);
    expect(t.consumedUnits(e3)).toBe(before);
  });

  it("keeps one consumed unit when a direct assignment is removed but the group one stays", () => {
    const t = make(10_000);
    const u = users.find((x) => x.licenses.filter((l) => l.skuId === skuId("SPE_E3")).length === 2) as SimUser;
    const before = t.consumedUnits(skuId("SPE_E3"));
    t.setLicenses(u.index, u.licenses.filter((l) => l.assignedByGroup !== null));
    expect(t.consumedUnits(skuId("SPE_E3"))).toBe(before);
  });
});

describe("generateTenant: Copilot seats", () => {
  const copilot = skuId("Microsoft_365_Copilot");
  const holders = users.filter((u) => u.licenses.some((l) => l.skuId === copilot));
  const wholeDays = (iso: string) => Math.floor((NOW.getTime() - Date.parse(iso)) / DAY);

  it("assigns Microsoft 365 Copilot (keyed on its GUID) to users of Copilot-eligible suites, counted in consumedUnits", () => {
    expect(copilot).toBe("639dec6b-bb19-468b-871c-c5c441c4b0cb");
    expect(holders.length).toBeGreaterThan(400);
    expect(tenant.consumedUnits(copilot)).toBe(holders.length);
    const sku = tenant.skus.find((s) => s.skuId === copilot)!;
    expect(sku.prepaidUnits.enabled).toBeGreaterThan(holders.length);
    for (const u of holders) {
      expect(u.copilot, u.userPrincipalName).not.toBeNull();
      expect(u.licenses[0]?.skuId).not.toBe(copilot);
      const seat = u.licenses.find((l) => l.skuId === copilot)!;
      expect(seat.lastUpdatedDateTime >= u.createdDateTime, u.userPrincipalName).toBe(true);
      for (const d of Object.values(u.copilot!.apps)) if (d !== null) expect(d > seat.lastUpdatedDateTime.slice(0, 10), u.userPrincipalName).toBe(true);
    }
    expect(users.filter((u) => u.copilot !== null).length).toBe(holders.length);
  });

  it("has heavy, light, idle and newly assigned seat holders, each labelled by the truth", () => {
    const live = holders.filter((u) => u.accountEnabled && u.truth.traps.length === 0 && !["inactive", "departed", "blocked"].includes(u.persona));
    const newly = live.filter((u) => wholeDays(u.licenses.find((l) => l.skuId === copilot)!.lastUpdatedDateTime) < 60);
    const idle = live.filter((u) => u.truth.reclaim.includes(copilot));
    const light = live.filter((u) => u.truth.review.includes(copilot));
    const heavy = live.filter((u) => Object.values(u.copilot!.apps).filter((d) => d !== null && wholeDays(d) <= 60).length >= 3);
    for (const group of [newly, idle, light, heavy]) expect(group.length).toBeGreaterThan(30);
    for (const u of newly) expect(u.truth.reclaim.includes(copilot) || u.truth.review.includes(copilot)).toBe(false);
    for (const u of heavy) expect(u.truth.reclaim.includes(copilot) || u.truth.review.includes(copilot)).toBe(false);
    for (const u of idle) expect(u.copilot!.lastActivityDate === null || wholeDays(u.copilot!.lastActivityDate) > 60).toBe(true);
  });
});
