/**
 * The collector's snapshot, built from what it collected over HTTPS, must say what the simulated
 * tenant says through Graph: compared user by user with the test-only adapter that reads the
 * simulator's model directly (policies/testing/facts-from-sim-user.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTokenProvider } from "../graph/create-token-provider.ts";
import { collect, type CollectSummary } from "../collector/collect.ts";
import { createGraphClient } from "../graph/graph-client.ts";
import { createHttpsTransport, type HttpTransport } from "../graph/https-transport.ts";
import { readSnapshotFromStore } from "../store/read-snapshot-from-store.ts";
import { createRunRepository } from "../store/run-repository.ts";
import type { SqlDatabase } from "../store/sql-database.ts";
import { createSnapshotRepository } from "../store/snapshot-repository.ts";
import { dropFreshStores, openFreshStore, STORE_ENGINES } from "../store/testing/store-engines.ts";
import { DEFAULT_TASKS } from "../core/permissions.ts";
import type { Snapshot, SnapshotUser } from "../core/user-facts.ts";
import { snapshotFromSimTenant } from "../policies/testing/facts-from-sim-user.ts";
import type { RunningSimulator } from "../simulator/contract.ts";
import { startSimulator } from "../simulator/start-simulator.ts";

afterAll(dropFreshStores);

const byId = (s: Snapshot) => new Map(s.users.map((u) => [u.id, u]));
const DAY = 86_400_000;
const REPORT_WORKLOADS = ["exchange", "oneDrive", "sharePoint", "teams", "yammer", "skypeForBusiness"] as const;
const SIGN_IN_WORKLOADS = ["powerBi", "project", "visio", "dynamics"] as const;

/**
 * What Graph can show of a simulated user: report activity only inside the 180-day report window,
 * sign-ins only inside the 30-day log retention, no MFA registration for disabled users
 * (userRegistrationDetails "doesn't work for disabled users"). Dates within a day of a window edge are
 * not compared.
 */
function visible(date: string | null | undefined, windowStart: number): string | null | "edge" {
  if (!date) return null;
  const t = Date.parse(date.slice(0, 10));
  if (Math.abs(t - windowStart) <= DAY) return "edge";
  return t >= windowStart ? date.slice(0, 10) : null;
}

const pick = (u: SnapshotUser, reportWindowStart: number, forExpected: boolean) => ({
  userType: u.userType,
  accountEnabled: u.accountEnabled,
  licenses: u.licenses.map((l) => `${l.skuPartNumber}/${l.assignedByGroup ?? "direct"}`).sort(),
  signInActivity: u.signInActivity,
  mfaRegistered: forExpected && !u.accountEnabled ? null : (u.mfa?.isMfaRegistered ?? null),
  mailbox: u.mailbox ? { storageUsedBytes: u.mailbox.storageUsedBytes, hasArchive: u.mailbox.hasArchive } : null,
  apps:
    u.apps && (!forExpected || visible(u.apps.lastActivityDate, reportWindowStart) !== null)
      ? { windows: u.apps.windows, mac: u.apps.mac, mobile: u.apps.mobile, web: u.apps.web }
      : { windows: false, mac: false, mobile: false, web: false },
});

describe.each(STORE_ENGINES)("collected snapshot vs the simulated tenant ($name)", (engine) => {
  let sim: RunningSimulator;
  let transport: HttpTransport;
  let db: SqlDatabase;
  let summary: CollectSummary;
  let collected: Snapshot;
  let expected: Snapshot;

  beforeAll(async () => {
    sim = await startSimulator({ users: 400, seed: 5, timeScale: 0.001 });
    transport = createHttpsTransport({ caPem: sim.caPem });
    const tokens = createTokenProvider({ authorityHost: sim.baseUrl, graphEndpoint: sim.baseUrl, tenantId: sim.tenant.tenantId, clientId: sim.reader.clientId, credential: sim.reader, transport });
    db = (await openFreshStore(engine)).db;
    summary = await collect(
      { tenantId: sim.tenant.tenantId, tasks: DEFAULT_TASKS, protectGroups: ["Seatwise-Protected", "No Such Group"], now: () => sim.tenant.now },
      { tokens, graph: createGraphClient({ graphEndpoint: sim.baseUrl, transport, tokens }), runs: createRunRepository(db), snapshots: createSnapshotRepository(db) },
    );
    collected = await readSnapshotFromStore(db);
    expected = snapshotFromSimTenant(sim.tenant);
  });
  afterAll(async () => {
    await db.close();
    transport.close();
    await sim.close();
  });


  it("collects every user and every SKU", async () => {
    expect(summary.status).toBe("complete");
    expect(collected.users).toHaveLength(sim.tenant.userCount);
    expect(collected.skus.map((s) => [s.skuPartNumber, s.purchased, s.consumed]).sort()).toEqual(expected.skus.map((s) => [s.skuPartNumber, s.purchased, s.consumed]).sort());
  });

  it("collects each user's manager in the users pass", async () => {
    const users = await createSnapshotRepository(db).users(summary.runId);
    const withManager = users.filter((u) => u.manager);
    expect(withManager.length).toBeGreaterThan(50);
    for (const u of users) expect(u.manager?.id ?? null).toBe(sim.tenant.userAt(sim.tenant.indexOf(u.id)).managerId);
  });

  it("collects the members of protected groups and warns of names that match no group", async () => {
    const protectedGroup = sim.tenant.groups.find((g) => g.displayName === "Seatwise-Protected")!;
    const members = protectedGroup.memberIndexes.map((i) => sim.tenant.userAt(i).id);
    expect(members.length).toBeGreaterThan(0);
    for (const id of members) expect(collected.users.find((u) => u.id === id)!.memberOf).toContain(protectedGroup.id);
    expect(collected.groups).toContainEqual({ id: protectedGroup.id, displayName: "Seatwise-Protected" });
    // A name the policy protects that matches no group: a warning, not a failed run (the group has no members).
    expect(collected.sources.groupMembership).toMatchObject({ status: "collected" });
    expect(summary.coverage.find((c) => c.part === "groups.list")).toMatchObject({ status: "collected", reason: "protect-groups-not-found", notFound: [{ name: "No Such Group", suggested: false }] });
  });

  it("keeps the last successful interactive sign-in per user and application (SSO Application Access)", async () => {
    const since = new Date(sim.tenant.now.getTime() - 30 * 86_400_000).toISOString();
    const expectedLast = new Map<string, string>();
    for (const s of sim.tenant.signIns({ sinceIso: since, untilIso: sim.tenant.now.toISOString() })) {
      if (!s.isInteractive || s.status.errorCode !== 0) continue;
      const key = `${sim.tenant.userAt(s.userIndex).id}/${s.appId}`;
      if ((expectedLast.get(key) ?? "") < s.createdDateTime) expectedLast.set(key, s.createdDateTime);
    }
    const got = new Map((await createSnapshotRepository(db).lastSignInPerApp(sim.tenant.tenantId)).map((r) => [`${r.userId}/${r.appId}`, r.last]));
    expect(expectedLast.size).toBeGreaterThan(100);
    expect(got).toEqual(expectedLast);
  });

  it("names every group that assigns licenses", async () => {
    const licenseGroups = sim.tenant.groups.filter((g) => g.assignedLicenses.length > 0 && g.memberIndexes.length > 0);
    expect(licenseGroups.length).toBeGreaterThan(0);
    for (const g of licenseGroups) expect(collected.groups).toContainEqual({ id: g.id, displayName: g.displayName });
  });

  it("stores every enterprise application and every user assignment, groups expanded", async () => {
    const repo = createSnapshotRepository(db);
    const apps = await repo.apps(summary.runId);
    const enterprise = sim.tenant.servicePrincipals.filter((sp) => sp.tags.includes("WindowsAzureActiveDirectoryIntegratedApp"));
    expect(apps.map((a) => a.id).sort()).toEqual(enterprise.map((sp) => sp.id).sort());
    const expectedPairs = new Set<string>();
    for (const sp of enterprise) {
      for (const a of sp.assignments) {
        if (a.principalType === "User") expectedPairs.add(`${sp.id}/${a.principalId}/direct`);
        const group = sim.tenant.groups.find((g) => g.id === a.principalId);
        if (a.principalType === "Group" && group) for (const i of group.memberIndexes) expectedPairs.add(`${sp.id}/${sim.tenant.userAt(i).id}/${group.id}`);
      }
    }
    const got = new Set((await repo.appAssignments(summary.runId)).map((a) => `${a.servicePrincipalId}/${a.userId}/${a.viaGroupId ?? "direct"}`));
    expect(expectedPairs.size).toBeGreaterThan(50);
    expect([...got].sort()).toEqual([...expectedPairs].sort());
  });

  it("agrees on directory, licenses, sign-in activity, MFA, mailbox and app usage for every user", async () => {
    const want = byId(expected);
    const windowStart = Date.parse(collected.sources.appUsage!.asOf!) - 180 * DAY;
    const mismatches: string[] = [];
    for (const u of collected.users) {
      const e = want.get(u.id)!;
      if (e.apps && visible(e.apps.lastActivityDate, windowStart) === "edge") continue;
      const a = JSON.stringify(pick(u, windowStart, false));
      const b = JSON.stringify(pick(e, windowStart, true));
      if (a !== b) mismatches.push(`${u.userPrincipalName}\n  collected ${a}\n  expected  ${b}`);
    }
    expect(mismatches.slice(0, 3)).toEqual([]);
  });

  it("agrees on the last activity date of every workload Graph reveals", async () => {
    const want = byId(expected);
    const reportWindowStart = Date.parse(collected.sources.workloadActivity!.asOf!) - 180 * DAY;
    const retentionStart = sim.tenant.now.getTime() - 30 * DAY;
    const mismatches: string[] = [];
    let compared = 0;
    for (const u of collected.users) {
      const e = want.get(u.id)!;
      const check = (w: (typeof REPORT_WORKLOADS)[number] | (typeof SIGN_IN_WORKLOADS)[number], start: number) => {
        const v = visible(e.activity?.[w], start);
        if (v === "edge") return;
        compared++;
        const got = u.activity?.[w] ?? null;
        if (v !== got) mismatches.push(`${u.userPrincipalName} ${w}: collected ${got}, expected ${v}`);
      };
      for (const w of REPORT_WORKLOADS) check(w, reportWindowStart);
      for (const w of SIGN_IN_WORKLOADS) check(w, retentionStart);
    }
    expect(compared).toBeGreaterThan(3000);
    expect(mismatches.slice(0, 5)).toEqual([]);
  });
});
