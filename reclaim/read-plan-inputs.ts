/**
 * Reads what `planReclaim` needs from the store: a complete snapshot (the latest, or the run a plan
 * names), each user's license state as Graph returned it (assignedLicenses with disabledPlans,
 * licenseAssignmentStates — the plan's precondition), each SKU's service plans (to keep disabled
 * plans on a downgrade) and the run's protect-group coverage.
 */
import { SeatwiseError } from "../core/errors.ts";
import type { Snapshot } from "../core/user-facts.ts";
import { readSnapshotOfRun } from "../store/read-snapshot-from-store.ts";
import { createRunRepository } from "../store/run-repository.ts";
import type { RunRecord } from "../store/run-repository.ts";
import { createSnapshotRepository } from "../store/snapshot-repository.ts";
import type { CoverageRecord } from "../store/snapshot-repository.ts";
import type { SqlDatabase } from "../store/sql-database.ts";
import { licenseStateOf } from "./license-state.ts";
import type { LicenseState } from "./plan-schema.ts";

export interface PlanInputs {
  snapshot: Snapshot;
  /** The collection run the snapshot comes from. */
  runId: string;
  licenseStates: Map<string, LicenseState>;
  servicePlans: Map<string, string[]>;
  /** The run's coverage records (the `groups.list` one says which protect groups were not found). */
  protectGroupCoverage: CoverageRecord[];
}

/** The tenant of the store when `tenantId` is not given and the store holds exactly one. */
async function tenantOf(db: SqlDatabase, tenantId: string | undefined): Promise<string> {
  if (tenantId !== undefined) return tenantId;
  const tenants = (await db.all("SELECT DISTINCT tenant_id FROM runs WHERE status = 'complete'")).map((r) => String(r.tenant_id));
  if (tenants.length === 1) return tenants[0]!;
  throw new SeatwiseError("store.no-snapshot", tenants.length === 0 ? "the store holds no complete collection run; run `seatwise collect` first" : `the store holds several tenants (${tenants.join(", ")}); name one`);
}

/**
 * Reads the inputs of the latest complete run of a tenant, or of run `runId` (a plan's run: refused
 * when it is gone, e.g. deleted by `retainSnapshots`, or not complete).
 */
export async function readPlanInputs(db: SqlDatabase, options: { tenantId?: string; runId?: string } = {}): Promise<PlanInputs> {
  const tenant = await tenantOf(db, options.tenantId);
  const runs = createRunRepository(db);
  let run: RunRecord | undefined;
  if (options.runId === undefined) {
    run = await runs.latestComplete(tenant);
    if (!run) throw new SeatwiseError("store.no-snapshot", `the store holds no complete collection run for tenant ${tenant}; run \`seatwise collect\` first`);
  } else {
    run = (await runs.list(tenant)).find((r) => r.runId === options.runId && r.status === "complete");
    if (!run) throw new SeatwiseError("store.no-snapshot", `the store holds no complete collection run ${options.runId} for tenant ${tenant} (deleted by retainSnapshots, or another store)`);
  }
  const repo = createSnapshotRepository(db);
  // Sign-ins as of the run: what a later collection adds does not change the plan's snapshot (apply rebuilds it).
  const snapshot = await readSnapshotOfRun(db, run, { signInsAsOfRun: true });
  const users = await repo.users(run.runId);
  const skus = await repo.skus(run.runId);
  return {
    snapshot,
    runId: run.runId,
    licenseStates: new Map(users.map((u) => [u.id, licenseStateOf(u)])),
    servicePlans: new Map(skus.map((s) => [s.skuId.toLowerCase(), (s.servicePlans ?? []).map((p) => p.servicePlanId)])),
    protectGroupCoverage: (await repo.coverage(run.runId)).filter((c) => c.part === "groups.list"),
  };
}
