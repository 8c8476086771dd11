// Benchmark (printed, not asserted): the default pack over a 100,000-user simulated tenant.
//   node bench/evaluate.ts [users]
// Prints the time of `evaluate` (json-rules-engine, memoized by leaf outcomes), of the same engine
// without memoization on a slice (extrapolated), and of a hand-written TypeScript evaluator of the same
// rules over the same precomputed facts (the floor), with the ratios, and checks that the hand-written
// floor fires the same rules for the same users.
import { evaluate } from "../policies/evaluate.ts";
import { computeAddOnFacts, computeUserFacts, groupNamesOf } from "../policies/facts.ts";
import type { Policy } from "../policies/policy-schema.ts";
import { readPolicy } from "../policies/read-policy.ts";
import { snapshotFromSimTenant } from "../policies/testing/facts-from-sim-user.ts";
import type { Snapshot, UserFacts } from "../core/user-facts.ts";
import { generateTenant } from "../simulator/tenant/generate-tenant.ts";

const users = Number(process.argv[2] ?? 100_000);
const now = new Date("2026-11-26T12:00:00Z");
const nowMs = now.getTime();
const DAY = 86_400_000;

function ms(t0: number): number {
  return Math.round(performance.now() - t0);
}

let t0 = performance.now();
const tenant = generateTenant({ users, seed: 1, now, modes: { premium: true, concealedNames: false, reportLagDays: 2 }, apps: [] });
const snapshot = snapshotFromSimTenant(tenant);
console.log(`tenant + snapshot: ${users} users in ${ms(t0)} ms`);
const policy = readPolicy([]);

// The hand-written floor: the default pack's rules as plain TypeScript predicates.
function olderThan(date: unknown, days: number): boolean {
  if (typeof date !== "string") return true;
  return Math.floor((nowMs - Date.parse(date)) / DAY) > days;
}
function within(date: unknown, days: number): boolean {
  return typeof date === "string" && Math.floor((nowMs - Date.parse(date)) / DAY) <= days;
}
function handWritten(s: Snapshot, p: Policy): Map<string, number> {
  const st = p.settings;
  const counts = new Map<string, number>();
  const hit = (id: string) => counts.set(id, (counts.get(id) ?? 0) + 1);
  const ctx = { now: nowMs, groupNames: groupNamesOf(s), prices: p.prices, isProtected: (_u: unknown, groups: readonly string[]) => groups.some((g) => p.protect.groups.includes(g)) };
  for (const u of s.users) {
    if (u.licenses.length === 0) continue;
    const f: UserFacts = computeUserFacts(u, ctx);
    const lic = f.licenses as string[];
    const age = f.accountAgeDays as number | null;
    const grown = age !== null && age >= st.newAccountGraceDays;
    const needsMailbox = f.sharedOrRoomMailbox === true && (((f.mailboxSizeGb as number | null) ?? -1) > st.mailboxLicenseThresholdGb || f.mailboxHasArchive === true);
    const idle = olderThan(f.lastSignIn, st.inactivityDays) && olderThan(f.lastActivity, st.inactivityDays);
    const active = within(f.lastSignIn, st.inactivityDays) || within(f.lastActivity, st.inactivityDays);
    const nonInteractiveOnly = olderThan(f.lastInteractiveSignIn, st.inactivityDays) && within(f.lastNonInteractiveSignIn, st.inactivityDays);
    const reclaim = (id: string) => (f.protected ? undefined : hit(id));
    if (f.blocked && grown && !needsMailbox) reclaim("LIC.BLOCKED.1v1");
    if (!f.blocked && grown && f.lastSignIn === null && olderThan(f.lastActivity, st.inactivityDays) && f.isAdmin !== true && !needsMailbox) reclaim("LIC.NEVER_SIGNED_IN.1v1");
    if (!f.blocked && grown && f.lastSignIn !== null && idle && f.isAdmin !== true && !needsMailbox) reclaim("LIC.INACTIVE.1v1");
    if (f.isGuest && (f.paidLicenseCount as number) > 0) reclaim("LIC.GUEST_PAID.1v1");
    for (const part of lic) {
      const mapping = st.addOns[part];
      if (!mapping || f.blocked || !grown) continue;
      const a = computeAddOnFacts(u, part, mapping, nowMs);
      if (olderThan(a.addOnLastActivity, st.addOnUnusedDays)) reclaim("LIC.ADDON_UNUSED.1v1");
    }
    const downgradable = !f.blocked && grown && active && !nonInteractiveOnly;
    if (downgradable && (lic.includes("SPE_E5") || lic.includes("ENTERPRISEPREMIUM")) && (olderThan(f.powerBiLastActivity, st.inactivityDays) || lic.includes("POWER_BI_PRO"))) reclaim("LIC.DOWNGRADE.E5_E3.1v1");
    const light = downgradable && f.desktopActivations === 0 && f.usesWindows === false && f.usesMac === false;
    const mb = f.mailboxSizeGb as number | null;
    const od = f.oneDriveSizeGb as number | null;
    if (light && (lic.includes("SPE_E3") || lic.includes("ENTERPRISEPACK")) && mb !== null && mb <= st.smallMailboxGb && f.mailboxHasArchive === false && (od === null || od <= st.smallOneDriveGb)) reclaim("LIC.DOWNGRADE.E3_F3.1v1");
    if (light && lic.includes("ENTERPRISEPACK") && mb !== null && mb <= st.webPlanMailboxGb && (mb > st.smallMailboxGb || f.mailboxHasArchive === true || (od !== null && od > st.smallOneDriveGb))) reclaim("LIC.DOWNGRADE.E3_WEB.1v1");
    if (f.isAdmin === true && f.protected === false && !f.blocked && grown && idle) hit("LIC.INACTIVE_ADMIN.1v1");
    if (!f.blocked && !f.isGuest && f.mfaRegistered === false) hit("SEC.MFA_UNREGISTERED.1v1");
  }
  for (const k of s.skus) if (k.capabilityStatus === "Enabled" && k.purchased - k.consumed > 0) hit("LIC.SEATS_UNASSIGNED.2v1");
  return counts;
}

// Warm up both paths on a small slice so JIT compilation is not measured.
const warm = { ...snapshot, users: snapshot.users.slice(0, 2000) };
await evaluate(warm, policy, { now });
handWritten(warm, policy);

const heapBefore = process.memoryUsage().heapUsed;
t0 = performance.now();
const evaluation = await evaluate(snapshot, policy, { now });
const engineMs = ms(t0);
const heapAfter = process.memoryUsage().heapUsed;

t0 = performance.now();
const floor = handWritten(snapshot, policy);
const floorMs = ms(t0);

const slice = Math.min(users, 10_000);
t0 = performance.now();
await evaluate({ ...snapshot, users: snapshot.users.slice(0, slice) }, policy, { now, memoize: false });
const directSliceMs = ms(t0);

// Fired rules per rule id, before de-duplication of already-claimed licenses (the floor does not de-duplicate).
const engineFired = new Map<string, number>();
for (const f of evaluation.findings) engineFired.set(f.ruleId, (engineFired.get(f.ruleId) ?? 0) + 1);
const agree = [...new Set([...engineFired.keys(), ...floor.keys()])].map((id) => `${id}: engine ${engineFired.get(id) ?? 0}, hand-written ${floor.get(id) ?? 0}`);

console.log(`findings: ${evaluation.findings.length}; actionable savings ${evaluation.totals.overall.monthly} ${evaluation.currency}/month`);
console.log(`evaluate (json-rules-engine, memoized): ${engineMs} ms for ${users} users = ${((engineMs * 1000) / users).toFixed(1)} µs/user; heap +${Math.round((heapAfter - heapBefore) / 1e6)} MB`);
console.log(`hand-written TypeScript floor:          ${floorMs} ms = ${((floorMs * 1000) / users).toFixed(1)} µs/user`);
console.log(`ratio engine / floor:                   ${(engineMs / floorMs).toFixed(2)}×`);
console.log(`json-rules-engine without memoization:  ${directSliceMs} ms for ${slice} users = ${((directSliceMs * 1000) / slice).toFixed(0)} µs/user (≈ ${Math.round((directSliceMs * users) / slice / 1000)} s for ${users})`);
console.log("rules fired (engine findings after de-duplication vs hand-written predicate hits):");
for (const line of agree) console.log(`  ${line}`);
