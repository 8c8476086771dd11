import { migrate } from "../collector/store/migrate.ts";
import { openSqliteDatabase } from "../collector/store/open-sqlite-database.ts";
import { readSnapshotFromStore } from "../collector/store/read-snapshot-from-store.ts";
import { STORE_MIGRATIONS } from "../collector/store/store-migrations.ts";
import type { Snapshot } from "../core/user-facts.ts";

/** Opens the store file, brings its schema up to date and reads the latest complete snapshot. */
export function readStoreSnapshot(file: string, tenantId?: string): Snapshot {
  const db = openSqliteDatabase(file);
  try {
    migrate(db, STORE_MIGRATIONS);
    return readSnapshotFromStore(db, tenantId);
  } finally {
    db.close();
  }
}
