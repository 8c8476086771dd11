/**
 * Collection benchmark (printed, not asserted). Starts the simulator with N users (default 100,000)
 * at a throttling time scale (default 0.1: every documented window is a tenth as long), then
 *  1. collects the way Seatwise does (bench/collect-worker.ts in its own process) and prints requests
 *     issued vs the minimum the endpoints allow, 429s, wall time vs the throttling floor, peak RSS;
 *  2. collects the naive way — sequential paging at the default page size, one request per user for
 *     licenses and one for MFA registration, no pacing (only Retry-After honoured) — on a sample of
 *     users, extrapolated to the tenant, and prints the ratio between the two.
 * Run: npm run bench:collect -- [users] [timeScale] [naiveSample]
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTokenProvider } from "../graph/create-token-provider.ts";
import { createHttpsTransport } from "../graph/https-transport.ts";
import { startSimulator } from "../simulator/start-simulator.ts";
import { writeSimulatorFiles } from "../simulator/write-simulator-files.ts";

const users = Number(process.argv[2] ?? 100_000);
const timeScale = Number(process.argv[3] ?? 0.1);
const naiveSample = Number(process.argv[4] ?? 300);
const now = new Date();
now.setUTCSeconds(0, 0);

const sim = await startSimulator({ users, seed: 1, timeScale, now });
const dir = mkdtempSync(join(tmpdir(), "seatwise-bench-"));
await writeSimulatorFiles(sim, dir);
const t = sim.tenant;
console.log(`tenant: ${users} users, time scale ${timeScale}, simulator ${sim.baseUrl}`);

// --- The minimum requests the endpoints allow for what the default tasks collect -----------------
let enabled = 0;
const licenseGroups = new Set<string>();
for (let i = 0; i < t.userCount; i++) {
  const u = t.userAt(i);
  if (u.accountEnabled) enabled++;
  for (const l of u.licenses) if (l.assignedByGroup) licenseGroups.add(l.assignedByGroup);
}
let interactiveSignIns = 0;
const since = new Date(now.getTime() - 30 * 86_400_000).toISOString();
for (const s of t.signIns({ sinceIso: since, untilIso: now.toISOString() })) if (s.isInteractive) interactiveSignIns++;
const enterprise = t.servicePrincipals.filter((sp) => sp.tags.includes("WindowsAzureActiveDirectoryIntegratedApp"));
const appGroups = new Set(enterprise.flatMap((sp) => sp.assignments.filter((a) => a.principalType === "Group").map((a) => a.principalId)));
const protectedGroups = t.groups.filter((g) => ["Emergency Access Accounts", "Break Glass Accounts", "Seatwise-Protected"].includes(g.displayName));
const minimum = {
  "users (120 per page with signInActivity)": Math.ceil(t.userCount / 120),
  subscribedSkus: 1,
  "usage reports (request + download, 5 reports)": 10,
  "MFA registration (1,000 per page)": Math.ceil(enabled / 1000),
  "sign-ins (1,000 per page)": Math.max(1, Math.ceil(interactiveSignIns / 1000)),
  organization: 1,
  servicePrincipals: Math.max(1, Math.ceil(enterprise.length / 999)),
  "appRoleAssignedTo (one per app)": enterprise.reduce((n, sp) => n + Math.max(1, Math.ceil(sp.assignments.length / 999)), 0),
  "app groups' transitiveMembers": [...appGroups].reduce((n, id) => n + Math.max(1, Math.ceil((t.groups.find((g) => g.id === id)?.memberIndexes.length ?? 0) / 999)), 0),
  "license group names ($batch of 20)": Math.ceil(licenseGroups.size / 20),
  "protected groups (lookup per name + members)": 3 + protectedGroups.reduce((n, g) => n + Math.max(1, Math.ceil(g.memberIndexes.length / 999)), 0),
};
const minimumTotal = Object.values(minimum).reduce((a, b) => a + b, 0);
// The throttling floor: the slowest scope. Identity and access reports allow 5 requests per 10 s.
const identityReportRequests = minimum["MFA registration (1,000 per page)"] + minimum["sign-ins (1,000 per page)"];
const floorMs = Math.max(0, Math.ceil(identityReportRequests / 5) - 1) * 10_000 * timeScale;

// --- Seatwise --------------------------------------------------------------------------------------
sim.stats.reset();
// Asynchronous on purpose: the simulator serves from this process's event loop.
const worker = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
  // The same V8 flag as bin/seatwise.js, so the worker measures what `seatwise collect` uses.
  const child = spawn(process.execPath, ["--max-semi-space-size=4", join(import.meta.dirname, "collect-worker.ts"), dir, String(timeScale)]);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
  child.on("close", (status) => resolve({ status, stdout, stderr }));
});
if (worker.status !== 0) {
  console.error(worker.stderr);
  process.exit(1);
}
const ours = JSON.parse(worker.stdout.trim().split("\n").at(-1)!) as { status: string; wallMs: number; maxRssMb: number; clientRequests: number; pacedMs: number };
const served = sim.stats.requests;
const throttled = sim.stats.throttled;
console.log("\nSeatwise collection (default tasks):");
console.log(`  status ${ours.status}; Graph requests served ${served} (client sent ${ours.clientRequests}); minimum ${minimumTotal} → ${(served / minimumTotal).toFixed(3)}× the minimum`);
for (const [k, v] of Object.entries(minimum)) console.log(`    minimum ${k}: ${v}`);
for (const [k, v] of Object.entries(sim.stats.byEndpoint).sort()) console.log(`    served ${k}: ${v.requests} requests, ${v.throttled} throttled`);
console.log(`  429s: ${throttled} (${((100 * throttled) / served).toFixed(2)} % of requests)`);
console.log(`  wall time ${(ours.wallMs / 1000).toFixed(1)} s vs throttling floor ${(floorMs / 1000).toFixed(1)} s (${identityReportRequests} identity-report requests at 5 per ${10 * timeScale} s) → ${(ours.wallMs / floorMs).toFixed(2)}× the floor`);
console.log(`  peak RSS of the collector process: ${ours.maxRssMb.toFixed(0)} MB`);

// --- The naive way, on a sample ---------------------------------------------------------------------
const transport = createHttpsTransport({ caPem: sim.caPem });
const tokens = createTokenProvider({ authorityHost: sim.baseUrl, graphEndpoint: sim.baseUrl, tenantId: t.tenantId, clientId: sim.reader.clientId, credential: sim.reader, transport });
const auth = { authorization: `Bearer ${(await tokens.getToken()).token}` };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function naiveGet(url: string): Promise<{ status: number; body: Buffer }> {
  for (;;) {
    const res = await transport.send({ method: "GET", url, headers: auth });
    if (res.status !== 429) return res;
    await sleep(Number(res.headers["retry-after"] ?? "1") * 1000);
  }
}
sim.stats.reset();
let started = performance.now();
let next: string | undefined = `${sim.baseUrl}/v1.0/users?$select=id,userPrincipalName`;
const ids: string[] = [];
while (next) {
  const page = JSON.parse((await naiveGet(next)).body.toString("utf8")) as { value: { id: string }[]; "@odata.nextLink"?: string };
  ids.push(...page.value.map((u) => u.id));
  next = page["@odata.nextLink"];
}
const pagingMs = performance.now() - started;
started = performance.now();
const sample = ids.slice(0, naiveSample);
for (const id of sample) {
  await naiveGet(`${sim.baseUrl}/v1.0/users/${id}?$select=assignedLicenses`);
  await naiveGet(`${sim.baseUrl}/v1.0/reports/authenticationMethods/userRegistrationDetails/${id}`);
}
const perUserMs = (performance.now() - started) / sample.length;
const naiveMs = pagingMs + perUserMs * t.userCount;
const naiveRequests = sim.stats.requests - sample.length * 2 + t.userCount * 2;
console.log("\nNaive collection (users, licenses, MFA only; per-user part measured on a sample and extrapolated):");
console.log(`  sequential paging of ${ids.length} users at the default page size: ${(pagingMs / 1000).toFixed(1)} s`);
console.log(`  ${sample.length} users one by one (licenses + MFA): ${((perUserMs * sample.length) / 1000).toFixed(1)} s, ${perUserMs.toFixed(1)} ms per user, ${sim.stats.throttled} 429s`);
console.log(`  extrapolated to ${t.userCount} users: ${(naiveMs / 1000).toFixed(0)} s, about ${naiveRequests} requests`);
console.log(`\nRatio: the naive way takes ${(naiveMs / ours.wallMs).toFixed(1)}× as long as Seatwise's (which also collects usage reports, sign-ins and apps), with ${(naiveRequests / served).toFixed(1)}× the requests.`);
transport.close();
await sim.close();
