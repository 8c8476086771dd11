/**
 * Which tenants of a store a command works on: `--tenant ID` (compared case-insensitively), every
 * tenant with `--all-tenants`, or the only one. A store with several tenants and neither flag is a
 * usage error (exit 2) that lists them; a store without the tenant, or without any complete run,
 * is a run-time failure (exit 1), as before fleets.
 */
import { SeatwiseError, UsageError } from "../core/errors.ts";
import { normalizeTenantId, sameTenant } from "../core/normalize-tenant-id.ts";
import { listCollectedTenants } from "../store/list-collected-tenants.ts";
import type { SqlDatabase } from "../store/sql-database.ts";

export interface TenantSelection {
  tenant?: string | undefined;
  allTenants?: boolean | undefined;
}

/** Resolves the selection against the store's tenants; returns the stored tenant ids. */
export async function selectTenants(db: SqlDatabase, selection: TenantSelection): Promise<string[]> {
  if (selection.tenant !== undefined && selection.allTenants) throw new UsageError("give either --tenant ID or --all-tenants, not both");
  const tenants = await listCollectedTenants(db);
  if (selection.tenant !== undefined) {
    const found = tenants.find((t) => sameTenant(t, selection.tenant!));
    if (found === undefined) {
      throw new SeatwiseError("store.no-snapshot", `the store holds no complete collection run for tenant ${normalizeTenantId(selection.tenant)}${tenants.length > 0 ? ` (its tenants: ${tenants.join(", ")})` : "; run `seatwise collect` first"}`);
    }
    return [found];
  }
  if (tenants.length === 0) throw new SeatwiseError("store.no-snapshot", "the store holds no complete collection run; run `seatwise collect` first");
  if (selection.allTenants || tenants.length === 1) return tenants;
  throw new UsageError(`the store holds ${tenants.length} tenants; name one with --tenant ID or use --all-tenants:\n${tenants.map((t) => `  ${t}`).join("\n")}`);
}
