/**
 * Plans a fleet run from a validated fleet file and the tenants' configurations: one entry per
 * tenant (its normalised id, the store it is collected into, its retention), the stores to open and
 * the per-tenant share of the connection limit. Problems (the same tenant listed twice) come back as
 * data, each pointing at the fleet file's entry. Pure.
 */
import type { Problem } from "../../core/errors.ts";
import type { FleetFile } from "../../core/fleet-schema.ts";
import { normalizeTenantId } from "../../core/normalize-tenant-id.ts";

/** What the plan needs to know of one tenant's configuration. */
export interface FleetTenantInput {
  /** The tenant's configuration file, as the fleet names it. */
  configFile: string;
  tenantId: string;
  /** The store the tenant's own configuration names (used when the fleet names none). */
  store: string;
  retainSnapshots: number;
  /** Where the entry is, for problems: line and column in the fleet file (0 when it came from a folder). */
  line: number;
  col: number;
}

export interface FleetPlanTenant<T extends FleetTenantInput> {
  /** Lower-cased, trimmed: the key of the tenant's rows in the store. */
  tenantId: string;
  store: string;
  input: T;
}

export interface FleetPlan<T extends FleetTenantInput> {
  tenants: FleetPlanTenant<T>[];
  /** Distinct stores, in the order tenants first name them; each is opened once. */
  stores: string[];
  maxConcurrentTenants: number;
  /** HTTPS connections each running tenant may hold: ⌊maxOpenConnections / running tenants⌋, at least 1. */
  connectionsPerTenant: number;
}

export type FleetPlanResult<T extends FleetTenantInput> = { ok: true; plan: FleetPlan<T> } | { ok: false; problems: Problem[] };

/** The limits of a fleet given as a folder of configurations (no fleet file): the schema's defaults. */
export type FleetLimits = Pick<FleetFile, "maxConcurrentTenants" | "maxOpenConnections"> & { store?: string | undefined };

export function planFleet<T extends FleetTenantInput>(fleetFile: string, limits: FleetLimits, tenants: readonly T[]): FleetPlanResult<T> {
  const problems: Problem[] = [];
  const seen = new Map<string, T>();
  const planned: FleetPlanTenant<T>[] = [];
  tenants.forEach((t, i) => {
    const tenantId = normalizeTenantId(t.tenantId);
    const first = seen.get(tenantId);
    if (first) {
      problems.push({ file: fleetFile, line: t.line, col: t.col, path: `tenants[${i}].config`, message: `${t.configFile} names tenant "${tenantId}", already listed by ${first.configFile}` });
      return;
    }
    seen.set(tenantId, t);
    planned.push({ tenantId, store: limits.store ?? t.store, input: t });
  });
  if (problems.length > 0) return { ok: false, problems };
  const running = Math.max(1, Math.min(limits.maxConcurrentTenants, planned.length));
  return {
    ok: true,
    plan: {
      tenants: planned,
      stores: [...new Set(planned.map((t) => t.store))],
      maxConcurrentTenants: running,
      connectionsPerTenant: Math.max(1, Math.floor(limits.maxOpenConnections / running)),
    },
  };
}
