/**
 * Child process of bench/fleet.ts: one `seatwise collect --fleet` run of FLEET paced at TIME_SCALE,
 * in its own process so its peak RSS is the collector's alone. Prints one JSON line.
 * Usage: node [the entry point's V8 flags] bench/fleet-worker.ts FLEET TIME_SCALE
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { collectFleet } from "../cli/collect-fleet.ts";
import { readFleet } from "../cli/read-fleet.ts";

const [fleet = "fleet.yaml", timeScale = "1"] = process.argv.slice(2);
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
let peakRss = 0;
const peaks = { heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0 };
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  for (const k of Object.keys(peaks) as (keyof typeof peaks)[]) peaks[k] = Math.max(peaks[k], m[k]);
}, 200);
const started = performance.now();
const summary = await collectFleet(readFleet(fleet, process.env), { policyFiles: [], asJson: true, timeScale: Number(timeScale) }, { out: () => undefined, err: () => undefined, env: {} });
const wallMs = performance.now() - started;
const cpu = process.cpuUsage();
clearInterval(sampler);
console.log(
  JSON.stringify({
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    loopDelayMs: { mean: loopDelay.mean / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 },
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    sampledPeakRssMb: peakRss / 2 ** 20,
    peaksMb: Object.fromEntries(Object.entries(peaks).map(([k, v]) => [k, Math.round(v / 2 ** 20)])),
    tenants: summary.tenants.map((t) => ({ tenantId: t.tenantId, status: t.status, durationMs: Math.round(t.durationMs), requests: t.requests, throttled: t.throttled, error: t.error })),
  }),
);
