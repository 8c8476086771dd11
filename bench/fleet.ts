/**
 * Fleet benchmark (printed, not asserted). For 5, 10 and 20 tenants (default; or the counts given)
 * of USERS users each (default 5,000), starts that many simulators in one process
 * (bench/fleet-simulators.ts) at a throttling time scale (default 0.1: every documented window is a
 * tenth as long), then collects them all concurrently with `seatwise collect --fleet` in another
 * process (bench/fleet-worker.ts) into STORE (default: a fresh SQLite file per run; a postgres:// URL of
 * a server whose user may create databases: a fresh database per run, dropped after), and prints per run:
 * wall time vs 1.2× the slowest tenant's throttling floor (computed as bench/collect.ts does: the
 * identity reports' 5 requests per 10 s), the collector's peak RSS, requests and 429s.
 * The collector runs with the entry point's V8 flags; FLEET_WORKER_FLAGS (space-separated) replaces
 * them for an experiment (say `--max-semi-space-size=4 --cpu-prof`).
 * Run: npm run bench:fleet -- [users] [timeScale] [tenant counts, comma-separated] [store]
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { openPostgresDatabase } from "../store/open-postgres-database.ts";
import { describeStore, parseStoreLocation, type PostgresLocation } from "../store/store-location.ts";

const users = Number(process.argv[2] ?? 5000);
const timeScale = Number(process.argv[3] ?? 0.1);
const counts = (process.argv[4] ?? "5,10,20").split(",").map(Number);
const storeArg = process.argv[5];
/** The V8 flags of the `seatwise` entry point's shebang line (`#!/usr/bin/env -S node …`), or FLEET_WORKER_FLAGS. */
const entryFlags = readFileSync(join(import.meta.dirname, "..", "bin", "seatwise.js"), "utf8").split("\n")[0]!.split(/\s+/).slice(3);
const workerFlags = process.env.FLEET_WORKER_FLAGS?.split(" ").filter(Boolean) ?? entryFlags;

interface Floors {
  fleet: string;
  floors: { tenantId: string; identityReportRequests: number; floorMs: number }[];
}
interface LoopDelay {
  mean: number;
  p99: number;
  max: number;
}
interface WorkerResult {
  wallMs: number;
  cpuMs: number;
  loopDelayMs: LoopDelay;
  maxRssMb: number;
  sampledPeakRssMb: number;
  /** Peaks of the 200 ms samples of process.memoryUsage(): V8 heap and memory outside it (buffers). */
  peaksMb: { heapUsed: number; heapTotal: number; external: number; arrayBuffers: number };
  tenants: { tenantId: string; status: string; durationMs: number; requests: number; throttled: number; error: string | null }[];
}

console.log(`collector flags: ${workerFlags.join(" ") || "(none)"}`);
console.log(`fleet benchmark: ${users} users per tenant, time scale ${timeScale}, tenants ${counts.join(", ")}, store ${storeArg === undefined ? "SQLite (a fresh file per run)" : "PostgreSQL (a fresh database per run)"}`);
const rows: string[] = [];
for (const count of counts) {
  const dir = mkdtempSync(join(tmpdir(), `seatwise-bench-fleet-${count}-`));
  let store = storeArg ?? "./fleet.sqlite";
  let dropDatabase = async () => undefined as unknown;
  if (storeArg !== undefined) {
    // A fresh database per run on the server the URL names.
    const admin = parseStoreLocation(storeArg, { base: process.cwd(), credentials: { password: process.env.PGPASSWORD }, allowPassword: false }) as PostgresLocation;
    const adminDb = await openPostgresDatabase(admin, { maxConnections: 1 });
    const database = `seatwise_bench_fleet_${count}_${Date.now().toString(36)}`;
    await adminDb.exec(`CREATE DATABASE ${database}`);
    store = describeStore({ ...admin, database });
    dropDatabase = async () => {
      await adminDb.exec(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await adminDb.close();
    };
  }
  const sims = spawn(process.execPath, [join(import.meta.dirname, "fleet-simulators.ts"), dir, String(count), String(users), String(timeScale), store], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: sims.stdout })[Symbol.asyncIterator]();
  const setupStarted = performance.now();
  const ready = JSON.parse(String((await lines.next()).value)) as Floors;
  console.log(`\n${count} tenants: simulators ready in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s (${dir})`);
  const worker = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [...workerFlags, join(import.meta.dirname, "fleet-worker.ts"), ready.fleet, String(timeScale)]);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
  sims.stdin.end("stop\n");
  const served = JSON.parse(String((await lines.next()).value)) as { requests: number; throttled: number; cpuMs: number; loopDelayMs: LoopDelay };
  await new Promise((r) => sims.once("close", r));
  await dropDatabase();
  if (worker.status !== 0) {
    console.error(worker.stderr);
    process.exit(1);
  }
  const result = JSON.parse(worker.stdout.trim().split("\n").at(-1)!) as WorkerResult;
  const slowest = ready.floors.reduce((a, b) => (b.floorMs > a.floorMs ? b : a));
  const slowestTenant = result.tenants.reduce((a, b) => (b.durationMs > a.durationMs ? b : a));
  const statuses = result.tenants.reduce<Record<string, number>>((m, t) => ((m[t.status] = (m[t.status] ?? 0) + 1), m), {});
  for (const t of result.tenants.filter((x) => x.status === "failed")) console.log(`  failed ${t.tenantId}: ${t.error}`);
  console.log(`  outcomes: ${Object.entries(statuses).map(([k, v]) => `${v} ${k}`).join(", ")}`);
  console.log(`  Graph requests served ${served.requests}, 429s ${served.throttled} (${((100 * served.throttled) / Math.max(1, served.requests)).toFixed(2)} %)`);
  console.log(`  slowest tenant's throttling floor ${(slowest.floorMs / 1000).toFixed(1)} s (${slowest.identityReportRequests} identity-report requests at 5 per ${10 * timeScale} s); 1.2× = ${((1.2 * slowest.floorMs) / 1000).toFixed(1)} s`);
  console.log(`  wall time ${(result.wallMs / 1000).toFixed(1)} s → ${(result.wallMs / slowest.floorMs).toFixed(2)}× the slowest floor (${result.wallMs <= 1.2 * slowest.floorMs ? "within" : "over"} 1.2×); slowest tenant took ${(slowestTenant.durationMs / 1000).toFixed(1)} s`);
  console.log(`  CPU time: collector ${(result.cpuMs / 1000).toFixed(1)} s, simulators ${(served.cpuMs / 1000).toFixed(1)} s (${((100 * served.cpuMs) / result.wallMs).toFixed(0)} % of one core during the run); sum of tenants' durations ${(result.tenants.reduce((n, t) => n + t.durationMs, 0) / 1000).toFixed(1)} s → overlap ${(result.tenants.reduce((n, t) => n + t.durationMs, 0) / result.wallMs).toFixed(1)}×`);
  const delay = (d: LoopDelay) => `mean ${d.mean.toFixed(0)} ms, p99 ${d.p99.toFixed(0)} ms, max ${d.max.toFixed(0)} ms`;
  console.log(`  event-loop delay: collector ${delay(result.loopDelayMs)}; simulators ${delay(served.loopDelayMs)}`);
  console.log(`  peak RSS of the collector: ${result.maxRssMb.toFixed(0)} MB (200 ms samples: ${result.sampledPeakRssMb.toFixed(0)} MB; peaks ${JSON.stringify(result.peaksMb)})`);
  rows.push(`${String(count).padStart(7)}  ${(result.wallMs / 1000).toFixed(1).padStart(8)}  ${(slowest.floorMs / 1000).toFixed(1).padStart(9)}  ${(result.wallMs / slowest.floorMs).toFixed(2).padStart(10)}  ${result.maxRssMb.toFixed(0).padStart(11)}`);
}
console.log(`\ntenants  wall (s)  floor (s)  wall/floor  peak RSS MB\n${rows.join("\n")}`);
