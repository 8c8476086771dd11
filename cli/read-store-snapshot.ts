import { openStore } from "../store/open-store.ts";
import { readSnapshotFromStore } from "../store/read-snapshot-from-store.ts";
import type { StoreLocation } from "../store/store-location.ts";
import type { Snapshot } from "../core/user-facts.ts";

/** Opens the store read-only and reads the latest complete snapshot (of the tenant, when given). */
export async function readStoreSnapshot(store: StoreLocation, tenantId?: string): Promise<Snapshot> {
  const db = await openStore(store, { mode: "read" });
  try {
    return await readSnapshotFromStore(db, tenantId);
  } finally {
    await db.close();
  }
}
