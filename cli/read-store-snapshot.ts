import { migrate } from "../store/migrate.ts";
import { openSqliteDatabase } from "../store/open-sqlite-database.ts";
import { readSnapshotFromStore } from "../store/read-snapshot-from-store.ts";
import { STORE_MIGRATIONS } from "../store/store-migrations.ts";
import type { Snapshot } from "../core/user-facts.ts";

/** Opens the store file, brings its schema up to date and reads the latest complete snapshot. */
export async function readStoreSnapshot(file: string, tenantId?: string): Promise<Snapshot> {
  const db = openSqliteDatabase(file);
  try {
    await migrate(db, STORE_MIGRATIONS);
    return await readSnapshotFromStore(db, tenantId);
  } finally {
    await db.close();
  }
}
