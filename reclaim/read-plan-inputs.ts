/**
 * Reads what `planReclaim` needs from the store: the latest complete snapshot, each user's license
 * state as Graph returned it (assignedLicenses with disabledPlans, licenseAssignmentStates — the
 * plan's precondition) and each SKU's service plans (to keep disabled plans on a downgrade).
 */
import { SeatwiseError } from "../core/errors.ts";
import type { Snapshot } from "../core/user-facts.ts";
import { readSnapshotFromStore } from "../store/read-snapshot-from-store.ts";
import { createRunRepository } from "../store/run-repository.ts";
import { createSnapshotRepository } from "../store/snapshot-repository.ts";
import type { SqlDatabase } from "../store/sql-database.ts";
import { licenseStateOf } from "./license-state.ts";
import type { LicenseState } from "./plan-schema.ts";

export interface PlanInputs {
  snapshot: Snapshot;
  /** The collection run the snapshot comes from. */
  runId: string;
  licenseStates: Map<string, LicenseState>;
  servicePlans: Map<string, string[]>;
}

export async function readPlanInputs(db: SqlDatabase, tenantId?: string): Promise<PlanInputs> {
  const snapshot = await readSnapshotFromStore(db, tenantId);
  const run = await createRunRepository(db).latestComplete(snapshot.tenantId);
  if (!run) throw new SeatwiseError("store.no-snapshot", `the store holds no complete collection run for tenant ${snapshot.tenantId}`);
  const repo = createSnapshotRepository(db);
  const licenseStates = new Map((await repo.users(run.runId)).map((u) => [u.id, licenseStateOf(u)]));
  const servicePlans = new Map((await repo.skus(run.runId)).map((s) => [s.skuId.toLowerCase(), (s.servicePlans ?? []).map((p) => p.servicePlanId)]));
  return { snapshot, runId: run.runId, licenseStates, servicePlans };
}
