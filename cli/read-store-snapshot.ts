import { openStore } from "../store/open-store.ts";
import { readSnapshotFromStore } from "../store/read-snapshot-from-store.ts";
import type { StoreLocation } from "../store/store-location.ts";
import type { Snapshot } from "../core/user-facts.ts";
import { selectTenants, type TenantSelection } from "./select-tenants.ts";

/** Opens the store read-only and reads the latest complete snapshot (of the tenant, when given). */
export async function readStoreSnapshot(store: StoreLocation, tenantId?: string): Promise<Snapshot> {
  const [snapshot] = await mapStoreSnapshots(store, { tenant: tenantId }, async (s) => s);
  return snapshot!;
}

/**
 * Calls `fn` with the latest complete snapshot of each selected tenant (see selectTenants), one
 * tenant at a time (a fleet's snapshots are never all in memory at once); returns the results in
 * tenant order. The store is opened read-only.
 */
export async function mapStoreSnapshots<T>(store: StoreLocation, selection: TenantSelection, fn: (snapshot: Snapshot) => Promise<T>): Promise<T[]> {
  const db = await openStore(store, { mode: "read" });
  try {
    const results: T[] = [];
    for (const tenant of await selectTenants(db, selection)) results.push(await fn(await readSnapshotFromStore(db, tenant)));
    return results;
  } finally {
    await db.close();
  }
}
