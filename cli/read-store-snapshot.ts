import { migrate } from "../store/migrate.ts";
import { openSqliteDatabase } from "../store/open-sqlite-database.ts";
import { readSnapshotFromStore } from "../store/read-snapshot-from-store.ts";
import { STORE_MIGRATIONS } from "../store/store-migrations.ts";
import type { Snapshot } from "../core/user-facts.ts";
import { selectTenants, type TenantSelection } from "./select-tenants.ts";

/** Opens the store file, brings its schema up to date and reads the latest complete snapshot. */
export async function readStoreSnapshot(file: string, tenantId?: string): Promise<Snapshot> {
  const [snapshot] = await mapStoreSnapshots(file, { tenant: tenantId }, async (s) => s);
  return snapshot!;
}

/**
 * Calls `fn` with the latest complete snapshot of each selected tenant (see selectTenants), one
 * tenant at a time (a fleet's snapshots are never all in memory at once); returns the results in
 * tenant order.
 */
export async function mapStoreSnapshots<T>(file: string, selection: TenantSelection, fn: (snapshot: Snapshot) => Promise<T>): Promise<T[]> {
  const db = openSqliteDatabase(file);
  try {
    await migrate(db, STORE_MIGRATIONS);
    const results: T[] = [];
    for (const tenant of await selectTenants(db, selection)) results.push(await fn(await readSnapshotFromStore(db, tenant)));
    return results;
  } finally {
    await db.close();
  }
}
