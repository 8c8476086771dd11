/** Reads the latest complete collection run of a tenant from the store as an evaluation snapshot. */
import { SeatwiseError } from "../core/errors.ts";
import { normalizeTenantId, sameTenant } from "../core/normalize-tenant-id.ts";
import type { Snapshot } from "../core/user-facts.ts";
import { buildSnapshot } from "./build-snapshot.ts";
import { createRunRepository } from "./run-repository.ts";
import type { RunRecord } from "./run-repository.ts";
import type { SqlDatabase } from "./sql-database.ts";
import { createSnapshotRepository } from "./snapshot-repository.ts";

export async function readSnapshotFromStore(db: SqlDatabase, tenantId?: string): Promise<Snapshot> {
  const runs = createRunRepository(db);
  const tenants = (await db.all("SELECT DISTINCT tenant_id FROM runs WHERE status = 'complete'")).map((r) => String(r.tenant_id));
  // Tenant ids compare case-insensitively (a GUID or a domain); older stores may hold either case.
  const tenant = tenantId !== undefined ? (tenants.find((t) => sameTenant(t, tenantId)) ?? normalizeTenantId(tenantId)) : tenants.length === 1 ? tenants[0] : undefined;
  if (!tenant) {
    throw new SeatwiseError("store.no-snapshot", tenants.length === 0 ? "the store holds no complete collection run; run `seatwise collect` first" : `the store holds several tenants (${tenants.join(", ")}); name one`);
  }
  const run = await runs.latestComplete(tenant);
  if (!run) throw new SeatwiseError("store.no-snapshot", `the store holds no complete collection run for tenant ${tenant}; run \`seatwise collect\` first`);
  return readSnapshotOfRun(db, run);
}

/**
 * The evaluation snapshot of one collection run (a reclamation plan's run, at apply). Sign-ins are
 * tenant-wide history; with `signInsAsOfRun` only those created before the second after the run
 * finished count, so later collections do not change what the run's snapshot says.
 */
export async function readSnapshotOfRun(db: SqlDatabase, run: Pick<RunRecord, "runId" | "tenantId" | "startedAt" | "finishedAt">, options: { signInsAsOfRun?: boolean } = {}): Promise<Snapshot> {
  const snapshots = createSnapshotRepository(db);
  const tenant = run.tenantId;
  return buildSnapshot({
    tenantId: tenant,
    collectedAt: run.finishedAt ?? run.startedAt,
    users: await snapshots.users(run.runId),
    skus: await snapshots.skus(run.runId),
    subscriptions: await snapshots.subscriptions(run.runId),
    usage: await snapshots.usage(run.runId),
    reports: await snapshots.reportStatus(run.runId),
    mfa: await snapshots.mfa(run.runId),
    signIns: options.signInsAsOfRun ? await snapshots.lastSignInPerApp(tenant, secondAfter(run.finishedAt ?? run.startedAt)) : await snapshots.lastSignInPerApp(tenant),
    coverage: await snapshots.coverage(run.runId),
    groups: await snapshots.groups(run.runId),
    memberships: await snapshots.memberships(run.runId),
    mailboxPurposes: await snapshots.mailboxPurposes(run.runId),
  });
}

/** The whole second after `iso`, as Graph writes times ("…T08:00:01Z"): compares correctly with any fraction Graph uses. */
function secondAfter(iso: string): string {
  return new Date(Math.floor(Date.parse(iso) / 1000) * 1000 + 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}
