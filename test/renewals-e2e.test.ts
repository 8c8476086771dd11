/**
 * Renewal-dated savings end to end: the simulator's subscriptions collected over HTTPS, stored, read
 * back as the snapshot and evaluated with the default pack; and the same tenant without
 * Organization.Read.All, where every saving counts from today and the evaluation says so.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collect, type CollectSummary } from "../collector/collect.ts";
import { DEFAULT_TASKS, permissionsFor } from "../core/permissions.ts";
import { inferSubscriptionTerm } from "../core/subscription-term.ts";
import type { Evaluation, Snapshot } from "../core/user-facts.ts";
import { createTokenProvider } from "../graph/create-token-provider.ts";
import { createGraphClient } from "../graph/graph-client.ts";
import { createHttpsTransport } from "../graph/https-transport.ts";
import { evaluate } from "../policies/evaluate.ts";
import { readPolicy } from "../policies/read-policy.ts";
import type { RunningSimulator } from "../simulator/contract.ts";
import { startSimulator } from "../simulator/start-simulator.ts";
import { migrate } from "../store/migrate.ts";
import { openSqliteDatabase } from "../store/open-sqlite-database.ts";
import { readSnapshotFromStore } from "../store/read-snapshot-from-store.ts";
import { createRunRepository } from "../store/run-repository.ts";
import { createSnapshotRepository } from "../store/snapshot-repository.ts";
import { STORE_MIGRATIONS } from "../store/store-migrations.ts";

interface Collected {
  sim: RunningSimulator;
  summary: CollectSummary;
  snapshot: Snapshot;
  evaluation: Evaluation;
}

async function collectAndEvaluate(readerRoles?: ReturnType<typeof permissionsFor>): Promise<Collected> {
  const sim = await startSimulator({ users: 1000, seed: 11, timeScale: 0.001, ...(readerRoles ? { readerRoles } : {}) });
  const transport = createHttpsTransport({ caPem: sim.caPem });
  const tokens = createTokenProvider({ authorityHost: sim.baseUrl, graphEndpoint: sim.baseUrl, tenantId: sim.tenant.tenantId, clientId: sim.reader.clientId, credential: sim.reader, transport });
  const db = openSqliteDatabase(join(mkdtempSync(join(tmpdir(), "seatwise-renewals-")), "store.sqlite"));
  try {
    await migrate(db, STORE_MIGRATIONS);
    const summary = await collect(
      { tenantId: sim.tenant.tenantId, tasks: DEFAULT_TASKS, now: () => sim.tenant.now },
      { tokens, graph: createGraphClient({ graphEndpoint: sim.baseUrl, transport, tokens }), runs: createRunRepository(db), snapshots: createSnapshotRepository(db) },
    );
    const snapshot = await readSnapshotFromStore(db);
    const evaluation = await evaluate(snapshot, readPolicy([]), { now: sim.tenant.now });
    return { sim, summary, snapshot, evaluation };
  } finally {
    await db.close();
    transport.close();
  }
}

let full: Collected;
let noOrg: Collected;
beforeAll(async () => {
  full = await collectAndEvaluate();
  noOrg = await collectAndEvaluate(permissionsFor(DEFAULT_TASKS, "reader").filter((p) => p !== "Organization.Read.All"));
}, 120_000);
afterAll(async () => {
  await full?.sim.close();
  await noOrg?.sim.close();
});

const today = () => full.sim.tenant.now.toISOString().slice(0, 10);

describe("subscriptions collected from the simulator", () => {
  it("stores every subscription as Graph lists it, and records the part as collected", () => {
    expect(full.summary.coverage).toContainEqual({ task: "licenseInformation", part: "directory.subscriptions", status: "collected", items: full.sim.tenant.subscriptions!.length });
    const pick = (s: { id: string; skuPartNumber: string; status: string; isTrial: boolean; totalLicenses: number; nextLifecycleDateTime: string | null }) =>
      `${s.id} ${s.skuPartNumber} ${s.status} ${s.isTrial} ${s.totalLicenses} ${s.nextLifecycleDateTime}`;
    expect(full.snapshot.subscriptions.map(pick).sort()).toEqual(full.sim.tenant.subscriptions!.map(pick).sort());
    expect(full.snapshot.sources.subscriptions?.status).toBe("collected");
  });

  it("infers monthly, annual and unknown terms from the collected dates as the simulator meant them", () => {
    const truth = new Map(full.sim.tenant.subscriptions!.map((s) => [s.id, s.truthTerm]));
    const paid = full.snapshot.subscriptions.filter((s) => s.status === "Enabled" && !s.isTrial);
    const inferred = paid.map((s) => [inferSubscriptionTerm(s.createdDateTime, s.nextLifecycleDateTime), truth.get(s.id)]);
    expect(new Set(inferred.map(([t]) => t))).toEqual(new Set(["monthly", "annual", "unknown"]));
    for (const [got, want] of inferred) expect(got).toBe(want);
  });
});

describe("renewal-dated savings on the simulator", () => {
  it("dates seats on monthly terms today and seats on annual terms at their renewal, with nothing saved until then", () => {
    const licenses = full.evaluation.findings.flatMap((f) => f.licenses).filter((l) => l.realizable !== null);
    const byBasis = new Map<string, number>();
    for (const l of licenses) byBasis.set(l.realizable!.basis, (byBasis.get(l.realizable!.basis) ?? 0) + 1);
    expect(byBasis.get("monthlyTerm") ?? 0).toBeGreaterThan(0);
    expect(byBasis.get("renewal") ?? 0).toBeGreaterThan(0);
    for (const l of licenses) {
      if (l.realizable!.basis === "monthlyTerm") expect(l.realizable!.from).toBe(today());
      if (l.realizable!.basis === "renewal") expect(l.realizable!.from > today()).toBe(true);
    }
    // Microsoft 365 E5 is on a three-year term only: every E5 finding waits for its renewal.
    const e5 = full.evaluation.findings.filter((f) => f.target === "user" && f.licenses.length > 0 && f.licenses.every((l) => l.skuPartNumber === "SPE_E5" && l.monthlySavings > 0));
    expect(e5.length).toBeGreaterThan(0);
    for (const f of e5) expect(f.savings).toMatchObject({ basis: "renewal", monthlyUntilRealizable: 0 });
    const r = full.evaluation.totals.overall.realizable;
    expect(r.now).toBeGreaterThan(0);
    expect(r.now).toBeLessThan(r.atRenewal);
    expect(r.atRenewal).toBeCloseTo(full.evaluation.totals.overall.monthly, 2);
    expect(full.evaluation.renewalDates).toEqual({ known: true, detail: null });
  });

  it("flags the trial with users assigned and the expired (Warning) subscription with users, not the suspended one without", () => {
    const trial = full.evaluation.findings.filter((f) => f.ruleId === "LIC.TRIAL_LAPSING.1v1");
    expect(trial.map((f) => f.subscription?.skuPartNumber)).toEqual(["POWER_BI_PRO"]);
    expect(trial[0]!.subscription!.usersAtRisk).toBeGreaterThan(0);
    const lapsing = full.evaluation.findings.filter((f) => f.ruleId === "LIC.SUBSCRIPTION_LAPSING.1v1");
    expect(lapsing.map((f) => [f.subscription?.skuPartNumber, f.subscription?.status])).toEqual([["PROJECTPREMIUM", "Warning"]]);
    const suspended = full.sim.tenant.subscriptions!.find((s) => s.status === "Suspended")!;
    expect(full.evaluation.findings.some((f) => f.subscription?.id === suspended.id)).toBe(false);
  });

  it("asks to reduce seats only of paid subscriptions in their renewal window, by the seats the findings free", () => {
    const reduce = full.evaluation.findings.filter((f) => f.ruleId === "LIC.SEATS_REDUCE_AT_RENEWAL.1v1");
    expect(reduce.length).toBeGreaterThan(0);
    for (const f of reduce) {
      const s = f.subscription!;
      expect(s.status).toBe("Enabled");
      expect(s.isTrial).toBe(false);
      expect(s.seatsToDrop).toBeGreaterThan(0);
      const days = (Date.parse(s.nextLifecycleDateTime!) - full.sim.tenant.now.getTime()) / 86_400_000;
      expect(s.term === "monthly" || days <= 60).toBe(true);
    }
    // The SPE_F1 subscription is monthly: always in its window.
    expect(reduce.some((f) => f.subscription!.skuPartNumber === "SPE_F1")).toBe(true);
  });
});

describe("without Organization.Read.All", () => {
  it("records the subscriptions as not collected for the missing permission", () => {
    // License Information is skipped whole: its SKU list needs the same permission.
    expect(noOrg.summary.coverage).toContainEqual(expect.objectContaining({ task: "licenseInformation", status: "skipped", reason: "missing-permission", detail: expect.stringContaining("Organization.Read.All") as string }));
    expect(noOrg.snapshot.sources.subscriptions).toMatchObject({ status: "unavailable", reason: "missingPermission", missingPermission: "Organization.Read.All" });
    expect(noOrg.snapshot.subscriptions).toEqual([]);
  });

  it("counts every saving from today and says why", () => {
    expect(noOrg.evaluation.renewalDates.known).toBe(false);
    expect(noOrg.evaluation.renewalDates.detail).toContain("needs Organization.Read.All");
    const dated = noOrg.evaluation.findings.filter((f) => f.savings.monthly > 0);
    expect(dated.length).toBeGreaterThan(0);
    for (const f of dated) expect(f.savings).toMatchObject({ realizableFrom: today(), basis: "noSubscriptions" });
    const r = noOrg.evaluation.totals.overall.realizable;
    expect(r.now).toBe(r.atRenewal);
    expect(noOrg.evaluation.findings.some((f) => f.target === "subscription")).toBe(false);
  });
});
