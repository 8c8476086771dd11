/**
 * Store write benchmark (printed, not asserted): one collection's writes for a simulated tenant
 * (default 100,000 users), into SQLite and into PostgreSQL, side by side in one run. Writes go
 * through the repositories exactly as the collector calls them: users in pages of 120 (the page
 * size with signInActivity), the five usage reports merged per 5,000 rows, MFA registration and
 * sign-ins in pages of 1,000. For comparison, the users are also written one INSERT per row (the
 * store's way before multi-row inserts). Prints seconds per phase and per 100,000 users.
 * PostgreSQL: SEATWISE_BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432/postgres), where a
 * database seatwise_bench_<random> is created and dropped.
 * Run: npm run bench:store -- [users]
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os, { tmpdir } from "node:os";
import { join } from "node:path";
import { USER_SELECT } from "../collector/tasks/collect-users.ts";
import type { MfaRegistration, SignInRecord, UserUsage } from "../core/collected-records.ts";
import type { GraphUser } from "../core/graph-types.ts";
import { compileUserProjection } from "../simulator/graph/user-json.ts";
import { startSimulator } from "../simulator/start-simulator.ts";
import { openPostgresDatabase } from "../store/open-postgres-database.ts";
import { openStore } from "../store/open-store.ts";
import { createRunRepository } from "../store/run-repository.ts";
import type { SqlDatabase } from "../store/sql-database.ts";
import { createSnapshotRepository } from "../store/snapshot-repository.ts";
import { describeStore, parseStoreLocation, type PostgresLocation, type StoreLocation } from "../store/store-location.ts";

const users = Number(process.argv[2] ?? 100_000);
const now = new Date("2026-11-26T12:00:00Z");
const sim = await startSimulator({ users, seed: 1, timeScale: 1, now });
await sim.close(); // only the generated tenant is used; nothing goes over HTTP

// --- What a collection of this tenant writes ------------------------------------------------------
const project = compileUserProjection([...USER_SELECT, "signInActivity"]);
const graphUsers: GraphUser[] = [];
const mfa: MfaRegistration[] = [];
const usage: Map<string, UserUsage>[] = [new Map(), new Map(), new Map(), new Map(), new Map()];
for (let i = 0; i < sim.tenant.userCount; i++) {
  const u = sim.tenant.userAt(i);
  graphUsers.push(project(u) as unknown as GraphUser);
  const upn = u.userPrincipalName.toLowerCase();
  mfa.push({ id: u.id, userPrincipalName: u.userPrincipalName, isAdmin: u.mfa.isAdmin, isMfaRegistered: u.mfa.isMfaRegistered, isMfaCapable: u.mfa.isMfaCapable, methodsRegistered: u.mfa.methodsRegistered });
  const day = (d: number) => new Date(now.getTime() - ((i * 7 + d) % 90) * 86_400_000).toISOString().slice(0, 10);
  usage[0]!.set(upn, { activity: { exchange: day(1), oneDrive: day(2), sharePoint: null, teams: day(3), yammer: null, skypeForBusiness: null } });
  usage[1]!.set(upn, { activity: { outlook: day(4) }, apps: { windows: i % 2 === 0, mac: i % 5 === 0, mobile: i % 3 === 0, web: true, lastActivityDate: day(4) } });
  usage[2]!.set(upn, { activity: {}, mailbox: { storageUsedBytes: 1_000_000 * (i % 5000), hasArchive: i % 9 === 0, itemCount: i % 20_000, lastActivityDate: day(1) } });
  usage[3]!.set(upn, { activity: {}, oneDrive: { storageUsedBytes: 2_000_000 * (i % 3000), lastActivityDate: day(2) } });
  usage[4]!.set(upn, { activity: {}, activations: { "Microsoft 365 Apps for enterprise": { productType: "Microsoft 365 Apps for enterprise", lastActivatedDate: day(5), windows: 1, mac: i % 5 === 0 ? 1 : 0 } } });
}
const signIns: SignInRecord[] = [];
for (const s of sim.tenant.signIns({ sinceIso: new Date(now.getTime() - 30 * 86_400_000).toISOString(), untilIso: now.toISOString() })) {
  const u = sim.tenant.userAt(s.userIndex);
  signIns.push({
    id: s.id,
    createdDateTime: s.createdDateTime,
    userId: u.id,
    userPrincipalName: u.userPrincipalName,
    appId: s.appId,
    appDisplayName: s.appDisplayName,
    resourceDisplayName: s.resourceDisplayName,
    isInteractive: s.isInteractive,
    errorCode: s.status.errorCode,
    city: s.location.city,
    countryOrRegion: s.location.countryOrRegion,
  });
}
console.log(`tenant: ${users} users, ${signIns.length} sign-ins (30 days), 5 usage reports; node ${process.version}`);

const pages = <T>(rows: readonly T[], size: number) => Array.from({ length: Math.ceil(rows.length / size) }, (_, i) => rows.slice(i * size, (i + 1) * size));

/** Seconds of wall time and of this process's CPU (the PostgreSQL server's CPU is not in it). */
interface Timing {
  wall: number;
  cpu: number;
}

async function time(fn: () => Promise<void>): Promise<Timing> {
  const start = performance.now();
  const startCpu = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(startCpu);
  return { wall: (performance.now() - start) / 1000, cpu: (used.user + used.system) / 1e6 };
}

/** The collector's writes, phase by phase (seconds). */
async function writeCollection(db: SqlDatabase): Promise<Record<string, Timing>> {
  const runs = createRunRepository(db);
  const snapshots = createSnapshotRepository(db);
  const runId = await runs.begin(sim.tenant.tenantId, [], now);
  const out: Record<string, Timing> = {};
  out.users = await time(async () => {
    for (const page of pages(graphUsers, 120)) await snapshots.saveUsers(runId, page);
  });
  out.usage = await time(async () => {
    for (const report of usage) for (const batch of pages([...report], 5000)) await snapshots.mergeUsage(runId, new Map(batch));
    await snapshots.completeUsage(runId);
  });
  out.mfa = await time(async () => {
    for (const page of pages(mfa, 1000)) await snapshots.saveMfa(runId, page);
  });
  out.signIns = await time(async () => {
    for (const page of pages(signIns, 1000)) await snapshots.saveSignIns(sim.tenant.tenantId, page);
  });
  await runs.finish(runId, "complete", {}, now);
  return out;
}

/** Users written the old way, one INSERT per row (same pages, same transactions). */
async function writeUsersRowByRow(db: SqlDatabase): Promise<Timing> {
  const runId = await createRunRepository(db).begin(`${sim.tenant.tenantId}-row-by-row`, [], now);
  return time(async () => {
    for (const page of pages(graphUsers, 120)) {
      await db.transaction(async (tx) => {
        for (const u of page) {
          await tx.run("INSERT INTO users (run_id, user_id, user_principal_name, json) VALUES (?, ?, ?, ?) ON CONFLICT (run_id, user_id) DO UPDATE SET json = excluded.json", [runId, u.id, u.userPrincipalName, JSON.stringify(u)]);
          for (const l of u.licenseAssignmentStates ?? []) {
            await tx.run(
              "INSERT INTO user_licenses (run_id, user_id, sku_id, assigned_by_group, state, disabled_plans_json) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, user_id, sku_id, assigned_by_group) DO UPDATE SET state = excluded.state",
              [runId, u.id, l.skuId, l.assignedByGroup ?? "", l.state ?? null, JSON.stringify(l.disabledPlans ?? [])],
            );
          }
        }
      });
    }
  });
}

async function bench(location: StoreLocation) {
  const db = await openStore(location, { mode: "write" });
  try {
    const phases = await writeCollection(db);
    const rowByRow = await writeUsersRowByRow(db);
    return { phases, rowByRow };
  } finally {
    await db.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), "seatwise-bench-store-"));
const results: [string, Awaited<ReturnType<typeof bench>>][] = [];
results.push(["SQLite", await bench({ engine: "sqlite", path: join(dir, "bench.sqlite") })]);
rmSync(dir, { recursive: true, force: true });

const adminUrl = process.env.SEATWISE_BENCH_POSTGRES ?? "postgres://postgres@127.0.0.1:5432/postgres";
const admin = parseStoreLocation(adminUrl, { base: process.cwd(), credentials: { password: process.env.PGPASSWORD }, allowPassword: true }) as PostgresLocation;
const database = `seatwise_bench_${randomBytes(4).toString("hex")}`;
let adminDb: SqlDatabase | undefined;
try {
  adminDb = await openPostgresDatabase(admin, { maxConnections: 1 });
  await adminDb.exec(`CREATE DATABASE ${database}`);
  results.push([`PostgreSQL (${describeStore({ ...admin, database })})`, await bench({ ...admin, database })]);
} catch (error) {
  console.log(`PostgreSQL: not measured: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await adminDb?.exec(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await adminDb?.close();
}

const per100k = (seconds: number) => (seconds * 100_000) / users;
const f = (n: number) => n.toFixed(2).padStart(7);
const cell = (t: Timing) => `${f(per100k(t.wall))} ${f(per100k(t.cpu))}`;
const sum = (ts: Timing[]) => ({ wall: ts.reduce((a, t) => a + t.wall, 0), cpu: ts.reduce((a, t) => a + t.cpu, 0) });
console.log(`\nseconds per 100,000 users (wall, client CPU); load average ${os.loadavg()[0]!.toFixed(1)} on ${os.availableParallelism()} cores`);
console.log(`  ${"".padEnd(38)}${results.map(([name]) => name.split(" ")[0]!.padStart(16).padEnd(16)).join("   ")}`);
for (const phase of ["users", "usage", "mfa", "signIns"]) console.log(`  ${phase.padEnd(38)}${results.map(([, r]) => cell(r.phases[phase]!)).join("   ")}`);
console.log(`  ${"total".padEnd(38)}${results.map(([, r]) => cell(sum(Object.values(r.phases)))).join("   ")}`);
console.log(`  ${"users, one INSERT per row (before)".padEnd(38)}${results.map(([, r]) => cell(r.rowByRow)).join("   ")}`);
console.log(`  ${"users: one-per-row / multi-row (wall)".padEnd(38)}${results.map(([, r]) => `${(r.rowByRow.wall / r.phases.users!.wall).toFixed(2)}×`.padStart(15)).join("   ")}`);
if (results.length === 2) console.log(`\nPostgreSQL / SQLite, total wall time: ${(sum(Object.values(results[1]![1].phases)).wall / sum(Object.values(results[0]![1].phases)).wall).toFixed(2)}×`);
