/**
 * Child process of bench/fleet.ts: starts TENANTS simulators of USERS users each (seeds 101, 102, …,
 * each its own tenant id) at TIME_SCALE, writes each one's files under DIR/tNN and DIR/fleet.yaml
 * listing them, computes each tenant's throttling floor the way bench/collect.ts does, and prints one
 * JSON line. Serves until a line "stop" arrives on standard input; then prints the request counts
 * and exits. Runs apart from the collector so the collector's RSS is its own.
 * Usage: node bench/fleet-simulators.ts DIR TENANTS USERS TIME_SCALE STORE
 */
import { writeFileSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { startSimulator } from "../simulator/start-simulator.ts";
import { writeSimulatorFiles } from "../simulator/write-simulator-files.ts";
import type { RunningSimulator } from "../simulator/contract.ts";

const [dir = ".", tenantsArg = "20", usersArg = "5000", timeScaleArg = "0.1", store = "./fleet.sqlite"] = process.argv.slice(2);
const tenants = Number(tenantsArg);
const users = Number(usersArg);
const timeScale = Number(timeScaleArg);
const now = new Date();
now.setUTCSeconds(0, 0);

const sims: RunningSimulator[] = [];
const floors: { tenantId: string; identityReportRequests: number; floorMs: number }[] = [];
for (let i = 0; i < tenants; i++) {
  const sim = await startSimulator({ users, seed: 101 + i, timeScale, now });
  sims.push(sim);
  await writeSimulatorFiles(sim, join(dir, `t${String(i).padStart(2, "0")}`));
  floors.push({ tenantId: sim.tenant.tenantId, ...throttlingFloor(sim) });
}
writeFileSync(
  join(dir, "fleet.yaml"),
  [
    "version: 1",
    `store: ${store}`,
    `maxConcurrentTenants: ${tenants}`,
    `maxOpenConnections: ${tenants * 4}`,
    "tenants:",
    ...sims.map((_, i) => `  - config: ./t${String(i).padStart(2, "0")}/seatwise.yaml`),
    "",
  ].join("\n"),
);
console.log(JSON.stringify({ ready: true, fleet: join(dir, "fleet.yaml"), floors }));
const cpuAtReady = process.cpuUsage();
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() !== "stop") continue;
  const cpu = process.cpuUsage(cpuAtReady);
  console.log(JSON.stringify({ requests: sims.reduce((n, s) => n + s.stats.requests, 0), throttled: sims.reduce((n, s) => n + s.stats.throttled, 0), cpuMs: (cpu.user + cpu.system) / 1000, loopDelayMs: { mean: loopDelay.mean / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 } }));
  break;
}
for (const s of sims) await s.close();
process.exit(0);

/**
 * The slowest throttling scope of one tenant, as bench/collect.ts computes it: the identity and
 * access reports (MFA registration and sign-in pages of 1,000) allow 5 requests per 10 s.
 */
function throttlingFloor(sim: RunningSimulator): { identityReportRequests: number; floorMs: number } {
  const t = sim.tenant;
  let enabled = 0;
  for (let i = 0; i < t.userCount; i++) if (t.userAt(i).accountEnabled) enabled++;
  let interactive = 0;
  const since = new Date(now.getTime() - 30 * 86_400_000).toISOString();
  for (const s of t.signIns({ sinceIso: since, untilIso: now.toISOString() })) if (s.isInteractive) interactive++;
  const identityReportRequests = Math.ceil(enabled / 1000) + Math.max(1, Math.ceil(interactive / 1000));
  return { identityReportRequests, floorMs: Math.max(0, Math.ceil(identityReportRequests / 5) - 1) * 10_000 * timeScale };
}
