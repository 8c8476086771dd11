/**
 * Measures the synthetic tenant at scale (printed, not asserted): construction time and heap for a
 * tenant of N users (default 1,000,000), one pass materialising every user, and reading the whole
 * sign-in log once. Run: `node --expose-gc bench/tenant-memory.ts [users]`.
 */
import { generateTenant } from "../simulator/tenant/generate-tenant.ts";

const users = Number(process.argv[2] ?? 1_000_000);
const gc = (globalThis as { gc?: () => void }).gc;
const heapMb = (): string => {
  gc?.();
  const m = process.memoryUsage();
  return `heapUsed ${(m.heapUsed / 2 ** 20).toFixed(1)} MB, rss ${(m.rss / 2 ** 20).toFixed(1)} MB, arrayBuffers ${(m.arrayBuffers / 2 ** 20).toFixed(1)} MB`;
};

console.log(`baseline: ${heapMb()}${gc ? "" : " (run with --expose-gc for settled numbers)"}`);
let t = performance.now();
const tenant = generateTenant({
  users,
  seed: 1,
  now: new Date("2026-11-26T12:00:00Z"),
  modes: { premium: true, concealedNames: false, reportLagDays: 2 },
  apps: [],
});
console.log(`generateTenant(${users}): ${((performance.now() - t) / 1000).toFixed(2)} s; ${heapMb()}`);

t = performance.now();
let licensed = 0;
for (let i = 0; i < tenant.userCount; i++) if (tenant.userAt(i).licenses.length > 0) licensed++;
console.log(`userAt over all users: ${((performance.now() - t) / 1000).toFixed(2)} s (${licensed} licensed); ${heapMb()}`);

t = performance.now();
let signIns = 0;
const since = new Date(tenant.now.getTime() - 30 * 86_400_000).toISOString();
for (const _ of tenant.signIns({ sinceIso: since, untilIso: tenant.now.toISOString() })) signIns++;
console.log(`signIns (30 days): ${signIns} events in ${((performance.now() - t) / 1000).toFixed(2)} s; ${heapMb()}`);
// Keep the tenant reachable until here so the heap figures above include it.
console.log(`tenant ${tenant.tenantId}: ${tenant.userCount} users, ${tenant.skus.length} SKUs, ${tenant.groups.length} groups`);
