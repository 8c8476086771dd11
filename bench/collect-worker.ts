/**
 * Child process of bench/collect.ts: one Seatwise collection against the simulator whose files are
 * in DIR, paced at TIME_SCALE, into DIR/bench.sqlite. Runs in its own process so its peak RSS is
 * the collector's alone. Prints one JSON line.
 * Usage: node bench/collect-worker.ts DIR TIME_SCALE
 */
import { join } from "node:path";
import { connectGraph } from "../cli/connect-graph.ts";
import { readToolConfig } from "../cli/read-tool-config.ts";
import { collect } from "../collector/collect.ts";
import { openStore } from "../store/open-store.ts";
import { createRunRepository } from "../store/run-repository.ts";
import { createSnapshotRepository } from "../store/snapshot-repository.ts";
import { readPolicy } from "../policies/read-policy.ts";

const [dir = ".", timeScale = "1"] = process.argv.slice(2);
const config = readToolConfig(join(dir, "seatwise.yaml"));
const { tokens, graph, close } = connectGraph(config, { timeScale: Number(timeScale) });
const db = await openStore({ engine: "sqlite", path: join(dir, "bench.sqlite") }, { mode: "write" });
const peak = { rss: 0, heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0 };
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  for (const k of Object.keys(peak) as (keyof typeof peak)[]) peak[k] = Math.max(peak[k], m[k]);
}, 200);
const started = performance.now();
const summary = await collect(
  { tenantId: config.tenantId, tasks: config.tasks, protectGroups: readPolicy([]).protect.groups, now: () => new Date() },
  { tokens, graph, runs: createRunRepository(db), snapshots: createSnapshotRepository(db) },
);
const wallMs = performance.now() - started;
clearInterval(sampler);
console.error(`worker peak memory (200 ms samples): ${Object.entries(peak).map(([k, v]) => `${k} ${(v / 2 ** 20).toFixed(0)} MB`).join(", ")}`);
await db.close();
close();
console.log(JSON.stringify({ status: summary.status, error: summary.error, wallMs, maxRssMb: process.resourceUsage().maxRSS / 1024, clientRequests: graph.stats.requests, clientThrottled: graph.stats.throttled, pacedMs: graph.stats.pacedMs }));
