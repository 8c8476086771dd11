/** The tenants of a store that have at least one complete collection run, sorted by id. */
import type { SqlDatabase } from "./sql-database.ts";

export async function listCollectedTenants(db: SqlDatabase): Promise<string[]> {
  return (await db.all("SELECT DISTINCT tenant_id FROM runs WHERE status = 'complete' ORDER BY tenant_id")).map((r) => String(r.tenant_id));
}
