/**
 * `seatwise collect --fleet` end to end against several in-process simulators (one per tenant,
 * each its own seed and tenant id): healthy tenants, one whose certificate the tenant does not know
 * (the token endpoint refuses it), one whose consent was revoked (a token without roles), one with a
 * high fault rate. Then evaluate and export over the fleet's store.
 */
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../cli/main.ts";
import { runScheduledFleet } from "../cli/schedule-command.ts";
import { parseCron } from "../collector/schedule/parse-cron.ts";
import { runSchedule, type ScheduleEvent } from "../collector/schedule/run-schedule.ts";
import type { CliIo } from "../cli/command.ts";
import { openSqliteDatabase } from "../store/open-sqlite-database.ts";
import { openStore } from "../store/open-store.ts";
import type { StoreLocation } from "../store/store-location.ts";
import { dropFreshStores, STORE_ENGINES } from "../store/testing/store-engines.ts";
import { createRunRepository } from "../store/run-repository.ts";
import { createSnapshotRepository } from "../store/snapshot-repository.ts";
import type { RunningSimulator, SimulatorOptions } from "../simulator/contract.ts";
import { startSimulator } from "../simulator/start-simulator.ts";
import { writeSimulatorFiles } from "../simulator/write-simulator-files.ts";

const now = new Date("2026-11-20T08:00:00Z");
const sims: RunningSimulator[] = [];
let root: string;

async function tenant(name: string, options: Partial<SimulatorOptions>): Promise<{ sim: RunningSimulator; dir: string }> {
  const sim = await startSimulator({ users: 60, timeScale: 0.01, now, seed: 1, ...options });
  sims.push(sim);
  const dir = join(root, name);
  await writeSimulatorFiles(sim, dir);
  return { sim, dir };
}

function io(): CliIo & { stdout: string; stderr: string } {
  const s = { stdout: "", stderr: "", env: {}, out: (t: string) => void (s.stdout += t), err: (t: string) => void (s.stderr += t) };
  return s;
}

async function run(args: string[]) {
  const streams = io();
  const code = await main(args, streams);
  return { code, stdout: streams.stdout, stderr: streams.stderr };
}

let healthy: RunningSimulator[];
let badCert: RunningSimulator;
let revoked: RunningSimulator;
let faulty: RunningSimulator;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "seatwise-fleet-"));
  const a = await tenant("a", { seed: 21 });
  const b = await tenant("b", { seed: 22, modes: { premium: false } });
  const c = await tenant("c", { seed: 23 });
  const d = await tenant("d", { seed: 24, readerRoles: [] });
  const e = await tenant("e", { seed: 25, faults: { rate: 0.3, kinds: ["503"] } });
  healthy = [a.sim, b.sim];
  badCert = c.sim;
  revoked = d.sim;
  faulty = e.sim;
  // Tenant c presents tenant a's certificate: a valid key pair its app registration does not hold.
  copyFileSync(join(a.dir, "reader.pem"), join(c.dir, "reader.pem"));
  chmodSync(join(c.dir, "reader.pem"), 0o600);
  // The shipped pack protects groups these small tenants lack: a policy protecting none keeps coverage whole.
  writeFileSync(join(root, "policy.yaml"), "version: 1\nrules: []\n");
}, 120_000);

afterAll(async () => {
  await dropFreshStores();
  for (const s of sims) await s.close();
});

function outcomes(stdout: string) {
  return stdout.trim().split("\n").map((l) => JSON.parse(l) as { type: string; tenantId: string; status: string; error: string | null; runId: string | null });
}

describe.each(STORE_ENGINES)("with a $name store", (engine) => {
  let fleetFile: string;
  let store: string;
  let storeLocation: StoreLocation;
  let first: Awaited<ReturnType<typeof run>>;
  const openTestStore = () => openStore(storeLocation, { mode: "read" });

  beforeAll(async () => {
    const fresh = await engine.fresh();
    store = fresh.arg;
    storeLocation = fresh.location;
    fleetFile = join(root, `fleet-${engine.name}.yaml`);
    writeFileSync(
      fleetFile,
      ["version: 1", `store: ${store}`, "maxConcurrentTenants: 3", "maxOpenConnections: 6", "tenants:", ...["a", "b", "c", "d", "e"].map((n) => `  - config: ./${n}/seatwise.yaml`), ""].join("\n"),
    );
    first = await run(["collect", "--fleet", fleetFile, "--policy", join(root, "policy.yaml"), "--json"]);
  }, 120_000);

  describe("collect --fleet", () => {
    it("collects the healthy tenants completely, whatever the others do", async () => {
      const byTenant = new Map(outcomes(first.stdout).filter((o) => o.type === "tenant").map((o) => [o.tenantId, o]));
      expect(byTenant.size).toBe(5);
      expect(byTenant.get(healthy[0]!.tenant.tenantId)?.status).toBe("complete");
      // No Entra ID P1: the run completes, sign-in activity is skipped with its reason.
      expect(byTenant.get(healthy[1]!.tenant.tenantId)?.status).toBe("incomplete");
      const db = await openTestStore();
      try {
        for (const sim of healthy) {
          const latest = await createRunRepository(db).latestComplete(sim.tenant.tenantId);
          expect(latest, sim.tenant.tenantId).toBeDefined();
          expect(await createSnapshotRepository(db).users(latest!.runId)).toHaveLength(sim.tenant.userCount);
        }
        // Each tenant's rows carry its own users only.
        const aRun = (await createRunRepository(db).latestComplete(healthy[0]!.tenant.tenantId))!;
        const aIds = new Set((await createSnapshotRepository(db).users(aRun.runId)).map((u) => u.id));
        expect(aIds.has(healthy[1]!.tenant.userAt(0).id)).toBe(false);
        expect(aIds.has(healthy[0]!.tenant.userAt(0).id)).toBe(true);
      } finally {
        await db.close();
      }
    });

    it("records the tenant with an unknown certificate as failed with the token endpoint's code, and writes no run for it", async () => {
      const o = outcomes(first.stdout).find((x) => x.tenantId === badCert.tenant.tenantId)!;
      expect(o.status).toBe("failed");
      expect(o.error).toContain("AADSTS700027");
      expect(o.runId).toBeNull();
      const db = await openTestStore();
      try {
        expect(await createRunRepository(db).list(badCert.tenant.tenantId)).toEqual([]);
      } finally {
        await db.close();
      }
    });

    it("records the tenant whose consent was revoked as incomplete, every part skipped for a missing permission", () => {
      const o = outcomes(first.stdout).find((x) => x.tenantId === revoked.tenant.tenantId)!;
      expect(o.status).toBe("incomplete");
    });

    it("gives the tenant with a high fault rate an outcome of its own after retrying", () => {
      const o = outcomes(first.stdout).find((x) => x.tenantId === faulty.tenant.tenantId)!;
      expect(["complete", "incomplete", "failed"]).toContain(o.status);
      expect(o.runId ?? o.error).toBeTruthy();
      expect(faulty.stats.faults).toBeGreaterThan(0);
    });

    it("exits 1 and ends the summary with the fleet's counts", () => {
      expect(first.code).toBe(1);
      const fleet = outcomes(first.stdout).at(-1)!;
      expect(fleet).toMatchObject({ type: "fleet", ok: false, tenants: 5 });
      expect(first.stderr).toContain('"event":"tenant.finished"');
    });

  });

  describe("a store with several tenants", () => {
    it("evaluate without --tenant or --all-tenants is a usage error listing the tenants", async () => {
      const r = await run(["evaluate", "--db", store, "--now", now.toISOString()]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("--all-tenants");
      for (const sim of healthy) expect(r.stderr).toContain(sim.tenant.tenantId);
    });

    it("evaluate --tenant takes the id in any case", async () => {
      const id = healthy[0]!.tenant.tenantId;
      const r = await run(["evaluate", "--db", store, "--tenant", id.toUpperCase(), "--format", "json", "--now", now.toISOString()]);
      expect(r.code).toBe(0);
      expect((JSON.parse(r.stdout) as { snapshot: { tenantId: string } }).snapshot.tenantId).toBe(id);
    });

    it("evaluate --all-tenants tags every finding with its tenant and totals per tenant add up to the overall", async () => {
      const r = await run(["evaluate", "--db", store, "--all-tenants", "--format", "json", "--now", now.toISOString()]);
      expect(r.code).toBe(0);
      const doc = JSON.parse(r.stdout) as { tenants: { tenantId: string }[]; findings: { tenantId: string; savings: { monthly: number } }[]; totals: { overall: { monthly: number; findings: number }; byTenant: Record<string, { monthly: number; findings: number }> } };
      const ids = doc.tenants.map((t) => t.tenantId);
      for (const sim of healthy) expect(ids).toContain(sim.tenant.tenantId);
      expect(ids).not.toContain(badCert.tenant.tenantId);
      expect(doc.findings.length).toBeGreaterThan(0);
      for (const f of doc.findings) expect(ids).toContain(f.tenantId);
      const single = await run(["evaluate", "--db", store, "--tenant", ids[0]!, "--format", "json", "--now", now.toISOString()]);
      const one = JSON.parse(single.stdout) as { findings: unknown[]; totals: { overall: { monthly: number } } };
      expect(doc.findings.filter((f) => f.tenantId === ids[0]).length).toBe(one.findings.length);
      expect(doc.totals.byTenant[ids[0]!]!.monthly).toBe(one.totals.overall.monthly);
      const sum = Object.values(doc.totals.byTenant).reduce((a, t) => a + t.monthly, 0);
      expect(doc.totals.overall.monthly).toBeCloseTo(sum, 2);
      const csv = await run(["evaluate", "--db", store, "--all-tenants", "--format", "csv", "--now", now.toISOString()]);
      const csvLines = csv.stdout.trim().split("\n");
      expect(csvLines[0]).toMatch(/^tenantId,ruleId,/);
      expect(csvLines.slice(1).filter((l) => l.startsWith(`${ids[0]},`))).toHaveLength(one.findings.length);
    });

    it("export --all-tenants puts a tenantId column first; export without either flag is a usage error", async () => {
      const r = await run(["export", "users", "--db", store, "--all-tenants", "--format", "json"]);
      expect(r.code).toBe(0);
      const rows = JSON.parse(r.stdout) as { tenantId: string; UPN: string }[];
      for (const sim of healthy) expect(rows.filter((x) => x.tenantId === sim.tenant.tenantId)).toHaveLength(sim.tenant.userCount);
      const usage = await run(["export", "licenses", "--db", store]);
      expect(usage.code).toBe(2);
      expect(usage.stderr).toContain(healthy[0]!.tenant.tenantId);
    });
  });

  describe("report of a store with several tenants", () => {
    it("needs --tenant or --all-tenants, and --all-tenants writes a fleet page linking each tenant's report", async () => {
      const reports = join(root, `reports-${engine.name}`);
      const out = join(reports, "fleet.html");
      mkdirSync(reports);
      const usage = await run(["report", "--db", store, "--out", out, "--now", now.toISOString()]);
      expect(usage.code).toBe(2);
      expect(usage.stderr).toContain(healthy[0]!.tenant.tenantId);
      const r = await run(["report", "--db", store, "--out", out, "--all-tenants", "--now", now.toISOString()]);
      expect(r.code).toBe(0);
      const files = r.stdout.trim().split("\n");
      expect(files[0]).toBe(out);
      const page = readFileSync(out, "utf8");
      const json = await run(["evaluate", "--db", store, "--all-tenants", "--format", "json", "--now", now.toISOString()]);
      const doc = JSON.parse(json.stdout) as { tenants: { tenantId: string; overall: { monthly: number } }[]; totals: { overall: { monthly: number } } };
      expect(files).toHaveLength(1 + doc.tenants.length);
      for (const t of doc.tenants) {
        const file = join(reports, `fleet-${t.tenantId}.html`);
        expect(files).toContain(file);
        expect(readFileSync(file, "utf8")).toContain("Seatwise licence report");
        // The fleet page's line for the tenant links its report and shows its actionable savings.
        expect(page).toMatch(new RegExp(`<a href="fleet-${t.tenantId}\\.html">[^<]*${t.tenantId}[^<]*</a>.*?<td class="num">${t.overall.monthly.toFixed(2)}</td>`));
      }
      expect(page).toMatch(new RegExp(`<th scope="row">Fleet</th>(<td class="num">[^<]*</td>){3}<td class="num">${doc.totals.overall.monthly.toFixed(2)}</td>`));
      expect(page).not.toContain("<script");
    });
  });

  describe("schedule --fleet", () => {
    it("runs the fleet on each slot, survives a run where a tenant failed, and writes the fleet evaluation", async () => {
      const parsed = parseCron("*/5 * * * *");
      if (!parsed.ok) throw new Error("cron");
      let clock = new Date("2026-11-20T09:58:00Z");
      const events: ScheduleEvent[] = [];
      mkdirSync(join(root, `schedule-${engine.name}`));
      const out = join(root, `schedule-${engine.name}`, "evaluation-latest.json");
      const runsBefore = await (async () => {
        const db = await openTestStore();
        try {
          return (await createRunRepository(db).list(healthy[0]!.tenant.tenantId)).length;
        } finally {
          await db.close();
        }
      })();
      const streams = io();
      const count = await runSchedule({
        schedule: parsed.schedule,
        signal: new AbortController().signal,
        maxRuns: 2,
        clock: { now: () => clock, sleep: async (ms) => void (clock = new Date(clock.getTime() + ms)) },
        onEvent: (e) => events.push(e),
        job: () => runScheduledFleet(fleetFile, { policyFiles: [join(root, "policy.yaml")], out, now: () => now }, streams),
      });
      expect(count).toBe(2);
      const failures = events.filter((e): e is Extract<ScheduleEvent, { type: "failed" }> => e.type === "failed");
      expect(failures).toHaveLength(2);
      expect(String(failures[0]!.error)).toContain(`tenants failed: ${badCert.tenant.tenantId} (`);
      const doc = JSON.parse(readFileSync(out, "utf8")) as { fleetEvaluationVersion: number; tenants: { tenantId: string }[] };
      expect(readFileSync(join(root, `schedule-${engine.name}`, "report-latest.html"), "utf8")).toContain(`href="report-latest-${healthy[0]!.tenant.tenantId}.html"`);
      expect(doc.fleetEvaluationVersion).toBe(1);
      expect(doc.tenants.map((t) => t.tenantId)).toEqual(expect.arrayContaining(healthy.map((s) => s.tenant.tenantId)));
      const db = await openTestStore();
      try {
        const runs = await createRunRepository(db).list(healthy[0]!.tenant.tenantId);
        expect(runs.filter((r) => r.status === "complete")).toHaveLength(runsBefore + 2);
      } finally {
        await db.close();
      }
    }, 120_000);
  });
});

describe("fleet input", () => {
  it("takes every *.yaml of a folder as a tenant, each into its configured store", async () => {
    const folder = join(root, "by-folder");
    const folderStore = join(root, "by-folder.sqlite");
    mkdirSync(folder);
    for (const [name, sim] of [["a", healthy[0]!], ["b", healthy[1]!]] as const) {
      const dir = join(root, name);
      writeFileSync(join(folder, `${name}.yaml`), `tenantId: ${sim.tenant.tenantId}\nclientId: ${sim.reader.clientId}\ncertificate: ${join(dir, "reader.pem")}\nauthorityHost: ${sim.baseUrl}\ngraphEndpoint: ${sim.baseUrl}\ncaFile: ${join(dir, "ca.pem")}\nstore: ${folderStore}\n`);
    }
    writeFileSync(join(folder, "notes.txt"), "not a tenant\n");
    const r = await run(["collect", "--fleet", folder, "--policy", join(root, "policy.yaml"), "--json"]);
    const byTenant = new Map(outcomes(r.stdout).filter((o) => o.type === "tenant").map((o) => [o.tenantId, o.status]));
    expect(byTenant).toEqual(new Map([[healthy[0]!.tenant.tenantId, "complete"], [healthy[1]!.tenant.tenantId, "incomplete"]]));
    const db = openSqliteDatabase(folderStore);
    try {
      for (const sim of healthy) expect(await createRunRepository(db).latestComplete(sim.tenant.tenantId)).toBeDefined();
    } finally {
      await db.close();
    }
  });

  it("rejects a fleet naming one tenant twice (any case) with the entry's line and column, exit 2, nothing collected", async () => {
    const dup = join(root, "dup.yaml");
    const upper = join(root, "a", "upper.yaml");
    writeFileSync(upper, `tenantId: ${healthy[0]!.tenant.tenantId.toUpperCase()}\nclientId: ${healthy[0]!.reader.clientId}\ncertificate: ./reader.pem\nauthorityHost: ${healthy[0]!.baseUrl}\ngraphEndpoint: ${healthy[0]!.baseUrl}\ncaFile: ./ca.pem\n`);
    writeFileSync(dup, `version: 1\nstore: ./dup.sqlite\ntenants:\n  - config: ./a/seatwise.yaml\n  - config: ./a/upper.yaml\n`);
    const before = healthy[0]!.stats.requests;
    const r = await run(["collect", "--fleet", dup]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${dup}:5:13: tenants[1].config: ${upper} names tenant "${healthy[0]!.tenant.tenantId}", already listed by`);
    expect(healthy[0]!.stats.requests).toBe(before);
  });

  it("rejects an unknown fleet field and a missing tenant file with file:line:col, exit 2", async () => {
    const bad = join(root, "bad.yaml");
    writeFileSync(bad, "version: 1\ntenant: []\ntenants:\n  - config: ./nowhere.yaml\n");
    const r = await run(["collect", "--fleet", bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}:2:1: tenant: unknown field "tenant" (did you mean "tenants"?)`);
    writeFileSync(bad, "version: 1\ntenants:\n  - config: ./nowhere.yaml\n");
    const missing = await run(["collect", "--fleet", bad]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`${bad}:3:13: tenants[0].config: no such file: ${join(root, "nowhere.yaml")}`);
  });
});
