/**
 * Collection end to end against the simulator over HTTPS: MSAL + certificate, the Graph client,
 * the SQLite store; each degradation mode the current collector handles.
 */
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createTokenProvider } from "../graph/create-token-provider.ts";
import { collect } from "../collector/collect.ts";
import { createGraphClient } from "../graph/graph-client.ts";
import { createHttpsTransport } from "../graph/https-transport.ts";
import { createRunRepository } from "../store/run-repository.ts";
import { createSnapshotRepository } from "../store/snapshot-repository.ts";
import { dropFreshStores, openFreshStore, STORE_ENGINES, type StoreEngine } from "../store/testing/store-engines.ts";
import type { GraphPermission } from "../core/permissions.ts";
import type { RunningSimulator, SimulatorOptions } from "../simulator/contract.ts";
import { startSimulator } from "../simulator/start-simulator.ts";
import { GraphError } from "../core/errors.ts";
import type { CopilotApp } from "../core/user-facts.ts";

const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
});
afterAll(dropFreshStores);

async function setup(engine: StoreEngine, options: Partial<SimulatorOptions> = {}, maxAttempts = 8) {
  const sim: RunningSimulator = await startSimulator({ users: 300, seed: 11, timeScale: 0.01, now: new Date("2026-11-20T08:00:00Z"), ...options });
  open.push(sim);
  const transport = createHttpsTransport({ caPem: sim.caPem });
  open.push(transport);
  const tokens = createTokenProvider({ authorityHost: sim.baseUrl, graphEndpoint: sim.baseUrl, tenantId: sim.tenant.tenantId, clientId: sim.reader.clientId, credential: sim.reader, transport });
  const { db } = await openFreshStore(engine);
  open.push(db);
  const deps = { tokens, graph: createGraphClient({ graphEndpoint: sim.baseUrl, transport, tokens, maxAttempts }), runs: createRunRepository(db), snapshots: createSnapshotRepository(db) };
  const run = (tasks: Parameters<typeof collect>[0]["tasks"] = ["applicationRoster", "licenseInformation", "hrRoster"]) =>
    collect({ tenantId: sim.tenant.tenantId, tasks, now: () => sim.tenant.now }, deps);
  return { sim, deps, run };
}

describe.each(STORE_ENGINES)("collect against the simulator ($name)", (engine) => {
  it("stores every user with licenses and sign-in activity, and every SKU", async () => {
    const { sim, deps, run } = await setup(engine);
    const summary = await run();
    expect(summary.status).toBe("complete");
    expect(summary.premium).toBe(true);
    const users = await deps.snapshots.users(summary.runId);
    expect(users).toHaveLength(sim.tenant.userCount);
    const sample = sim.tenant.userAt(5);
    const stored = users.find((u) => u.id === sample.id)!;
    expect(stored.assignedLicenses?.map((l) => l.skuId).sort()).toEqual([...new Set(sample.licenses.map((l) => l.skuId))].sort());
    expect(stored.signInActivity).toBeDefined();
    expect((await deps.snapshots.skus(summary.runId)).map((s) => s.skuId).sort()).toEqual(sim.tenant.skus.map((s) => s.skuId).sort());
    expect(summary.coverage).toContainEqual(expect.objectContaining({ task: "applicationRoster", part: "users.signInActivity", status: "collected" }));
    expect((await deps.runs.latestComplete(sim.tenant.tenantId))?.runId).toBe(summary.runId);
  });

  it("collects without sign-in activity in a tenant without Entra ID P1 and says why", async () => {
    const { deps, run } = await setup(engine, { modes: { premium: false } });
    const summary = await run();
    expect(summary.status).toBe("complete");
    expect(summary.premium).toBe(false);
    expect((await deps.snapshots.users(summary.runId))[0]!.signInActivity).toBeUndefined();
    expect(summary.coverage).toContainEqual(expect.objectContaining({ part: "users.signInActivity", status: "skipped", reason: "no-premium-license" }));
  });

  it("skips what a missing permission forbids and runs the rest", async () => {
    const readerRoles: GraphPermission[] = ["User.Read.All", "Organization.Read.All"];
    const { run } = await setup(engine, { readerRoles });
    const summary = await run();
    expect(summary.status).toBe("complete");
    expect(summary.completeCoverage).toBe(false);
    expect(summary.coverage).toContainEqual(expect.objectContaining({ part: "users.signInActivity", status: "skipped", reason: "missing-permission", detail: expect.stringContaining("AuditLog.Read.All") }));
    expect(summary.coverage).toContainEqual(expect.objectContaining({ part: "users.list", status: "collected" }));
  });

  it("keeps the previous snapshot visible when a run fails", async () => {
    const { sim, deps, run } = await setup(engine, {}, 2);
    const first = await run();
    await sim.close();
    const failed = await run();
    expect(failed.status).toBe("failed");
    expect((await deps.runs.latestComplete(sim.tenant.tenantId))?.runId).toBe(first.runId);
    expect(await deps.snapshots.users(first.runId)).toHaveLength(sim.tenant.userCount);
  });

  it("detects concealed report names and records that per-user activity is unavailable", async () => {
    const { deps, run } = await setup(engine, { modes: { concealedNames: true } });
    const summary = await run(["applicationRoster"]);
    expect(summary.coverage).toContainEqual(expect.objectContaining({ part: "reports.usage", status: "skipped", reason: "concealed-names", detail: expect.stringContaining("Display concealed user") }));
    expect(summary.coverage).toContainEqual(expect.objectContaining({ part: "reports.copilotUsage", status: "skipped", reason: "concealed-names" }));
    expect((await deps.snapshots.usage(summary.runId)).size).toBe(0);
  });

  it("collects the Copilot report per user and app, in one request answered with the CSV itself", async () => {
    const { sim, deps, run } = await setup(engine);
    const summary = await run(["applicationRoster"]);
    const holders = Array.from({ length: sim.tenant.userCount }, (_, i) => sim.tenant.userAt(i)).filter((u) => u.copilot !== null);
    expect(holders.length).toBeGreaterThan(5);
    expect(summary.coverage).toContainEqual(expect.objectContaining({ part: "reports.copilotUsage", status: "collected", items: holders.length }));
    expect(sim.stats.byEndpoint["reports.copilotUsage"]?.requests).toBe(1);
    const usage = await deps.snapshots.usage(summary.runId);
    const refresh = new Date(sim.tenant.now.getTime() - sim.tenant.modes.reportLagDays * 86_400_000).toISOString().slice(0, 10);
    for (const u of holders) {
      const got = usage.get(u.userPrincipalName.toLowerCase())?.copilot;
      expect(got, u.userPrincipalName).toBeDefined();
      for (const [app, date] of Object.entries(u.copilot!.apps)) expect(got?.apps[app as CopilotApp] ?? null, `${u.userPrincipalName} ${app}`).toBe(date !== null && date <= refresh ? date : null);
    }
    const others = [...usage.entries()].filter(([upn, v]) => v.copilot && !holders.some((h) => h.userPrincipalName.toLowerCase() === upn));
    expect(others).toEqual([]);
  });

  it("fails only the Copilot part when Graph refuses the Copilot report", async () => {
    const { deps, run } = await setup(engine);
    const download = deps.graph.downloadStream;
    deps.graph.downloadStream = async (call, onChunk, onRestart) => {
      if (call.path.startsWith("/copilot/")) throw new GraphError({ status: 404, code: "UnknownError", message: "not found", requestId: "0f1e2d3c", method: "GET", url: call.path });
      return download(call, onChunk, onRestart);
    };
    const summary = await run(["applicationRoster"]);
    expect(summary.status).toBe("complete");
    expect(summary.coverage).toContainEqual(expect.objectContaining({ part: "reports.copilotUsage", status: "failed", detail: expect.stringContaining("404 UnknownError (request-id 0f1e2d3c)") }));
    expect(summary.coverage).toContainEqual(expect.objectContaining({ part: "reports.usage", status: "collected" }));
  });

  it("ends with the same store under a 10 % fault rate as without faults", async () => {
    const tasks = ["applicationRoster", "applicationAccess", "licenseInformation", "ssoApplicationRoster"] as const;
    const clean = await setup(engine, { users: 200 });
    const faulty = await setup(engine, { users: 200, faults: { rate: 0.1, seed: 99, slowMs: 2000 } });
    const a = await clean.run([...tasks]);
    const b = await faulty.run([...tasks]);
    expect(b.status).toBe("complete");
    expect(faulty.sim.stats.faults).toBeGreaterThan(0);
    const dump = async (d: typeof clean.deps, runId: string) => ({
      users: await d.snapshots.users(runId),
      skus: await d.snapshots.skus(runId),
      usage: [...(await d.snapshots.usage(runId))].sort(),
      mfa: (await d.snapshots.mfa(runId)).sort((x, y) => x.id.localeCompare(y.id)),
      apps: await d.snapshots.apps(runId),
      assignments: await d.snapshots.appAssignments(runId),
      coverage: await d.snapshots.coverage(runId),
    });
    expect(await dump(faulty.deps, b.runId)).toEqual(await dump(clean.deps, a.runId));
  });

  it("reads the mailbox purpose of blocked licensed accounts with the optional sharedMailboxes task", async () => {
    const { sim, deps, run } = await setup(engine);
    const summary = await run(["applicationRoster", "sharedMailboxes"]);
    const purposes = await deps.snapshots.mailboxPurposes(summary.runId);
    let blockedLicensed = 0;
    for (let i = 0; i < sim.tenant.userCount; i++) {
      const u = sim.tenant.userAt(i);
      if (u.accountEnabled || u.licenses.length === 0) continue;
      blockedLicensed++;
      expect(purposes.get(u.id) ?? "none").toBe(u.mailbox.kind);
    }
    expect(blockedLicensed).toBeGreaterThan(5);
    expect([...purposes.values()]).toContain("shared");
    expect(summary.coverage).toContainEqual(expect.objectContaining({ task: "sharedMailboxes", part: "users.mailboxSettings", status: "collected" }));
  });
});
