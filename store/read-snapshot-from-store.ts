/** Reads the latest complete collection run of a tenant from the store as an evaluation snapshot. */
import { SeatwiseError } from "../core/errors.ts";
import type { Snapshot } from "../core/user-facts.ts";
import { buildSnapshot } from "./build-snapshot.ts";
import { createRunRepository } from "./run-repository.ts";
import type { SqlDatabase } from "./sql-database.ts";
import { createSnapshotRepository } from "./snapshot-repository.ts";

export async function readSnapshotFromStore(db: SqlDatabase, tenantId?: string): Promise<Snapshot> {
  const runs = createRunRepository(db);
  const snapshots = createSnapshotRepository(db);
  const tenants = (await db.all("SELECT DISTINCT tenant_id FROM runs WHERE status = 'complete'")).map((r) => String(r.tenant_id));
  const tenant = tenantId ?? (tenants.length === 1 ? tenants[0] : undefined);
  if (!tenant) {
    throw new SeatwiseError("store.no-snapshot", tenants.length === 0 ? "the store holds no complete collection run; run `seatwise collect` first" : `the store holds several tenants (${tenants.join(", ")}); name one`);
  }
  const run = await runs.latestComplete(tenant);
  if (!run) throw new SeatwiseError("store.no-snapshot", `the store holds no complete collection run for tenant ${tenant}; run \`seatwise collect\` first`);
  return buildSnapshot({
    tenantId: tenant,
    collectedAt: run.finishedAt ?? run.startedAt,
    users: await snapshots.users(run.runId),
    skus: await snapshots.skus(run.runId),
    subscriptions: await snapshots.subscriptions(run.runId),
    usage: await snapshots.usage(run.runId),
    reports: await snapshots.reportStatus(run.runId),
    mfa: await snapshots.mfa(run.runId),
    signIns: await snapshots.lastSignInPerApp(tenant),
    coverage: await snapshots.coverage(run.runId),
    groups: await snapshots.groups(run.runId),
    memberships: await snapshots.memberships(run.runId),
    mailboxPurposes: await snapshots.mailboxPurposes(run.runId),
  });
}
