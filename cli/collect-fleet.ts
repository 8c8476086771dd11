/**
 * One fleet collection run (`seatwise collect --fleet`, `seatwise schedule --fleet`): read and plan
 * the fleet, open each store once, collect every tenant within the fleet's limits, print each
 * tenant's progress prefixed by its tenant id. The summary is returned; the caller prints it.
 */
import type { FleetPlan } from "../collector/fleet/plan-fleet.ts";
import { runFleet, type FleetEvent, type FleetSummary } from "../collector/fleet/run-fleet.ts";
import type { GraphEvent } from "../graph/graph-client.ts";
import { readPolicy } from "../policies/read-policy.ts";
import { openStore } from "../store/open-store.ts";
import type { SqlDatabase } from "../store/sql-database.ts";
import { log } from "./collect-command.ts";
import type { CliIo } from "./command.ts";
import { connectGraph } from "./connect-graph.ts";
import type { FleetTenant } from "./read-fleet.ts";

export interface CollectFleetOptions {
  policyFiles: readonly string[];
  asJson: boolean;
  /** Only for simulators started with the same time scale (benchmarks). Default 1. */
  timeScale?: number;
}

export async function collectFleet(plan: FleetPlan<FleetTenant>, options: CollectFleetOptions, io: CliIo): Promise<FleetSummary> {
  const protectGroups = readPolicy(options.policyFiles).protect.groups;
  const { asJson } = options;
  const stores = new Map<string, SqlDatabase>();
  try {
    for (const key of plan.stores) {
      const location = plan.tenants.find((t) => t.store === key)!.input.storeLocation;
      // A PostgreSQL pool shared by the tenants that run at once: each writes on its own connection.
      stores.set(key, await openStore(location, { mode: "write", maxConnections: plan.maxConcurrentTenants + 1 }));
    }
    log(asJson, io, { event: "fleet.started", tenants: plan.tenants.length, maxConcurrentTenants: plan.maxConcurrentTenants, connectionsPerTenant: plan.connectionsPerTenant }, `collecting ${plan.tenants.length} tenants, ${plan.maxConcurrentTenants} at a time, ${plan.connectionsPerTenant} connections each`);
    return await runFleet(plan, {
      stores,
      protectGroups,
      now: () => new Date(),
      connect: (tenant, { maxSockets }) =>
        connectGraph(tenant.input.toolConfig, { maxSockets, onEvent: (e) => logGraphEvent(tenant.tenantId, e, asJson, io), ...(options.timeScale ? { timeScale: options.timeScale } : {}) }),
      onEvent: (e) => logFleetEvent(e, asJson, io),
    });
  } finally {
    for (const db of stores.values()) await db.close();
  }
}

function logFleetEvent(e: FleetEvent, asJson: boolean, io: CliIo): void {
  if (e.type === "tenant.started") log(asJson, io, { event: e.type, tenant: e.tenantId, running: e.running }, `${e.tenantId}: started`);
  else if (e.type === "tenant.part") log(asJson, io, { event: e.type, tenant: e.tenantId, task: e.task, part: e.part, items: e.items }, `${e.tenantId}: ${e.task}: ${e.part} (${e.items} items)`);
  else if (e.type === "tenant.expired") log(asJson, io, { event: e.type, tenant: e.tenantId, runs: e.runs }, `${e.tenantId}: removed ${e.runs} old collection run(s)`);
  else log(asJson, io, { event: e.type, tenant: e.outcome.tenantId, status: e.outcome.status, error: e.outcome.error }, `${e.outcome.tenantId}: ${e.outcome.status}${e.outcome.error ? ` (${e.outcome.error})` : ""}`);
}

function logGraphEvent(tenantId: string, e: GraphEvent, asJson: boolean, io: CliIo): void {
  if (e.type === "request") return;
  const text = e.type === "paced" ? `pacing ${e.scope}: waiting ${e.waitMs} ms` : e.type === "throttled" ? `throttled on ${e.path}: waiting ${e.retryAfterMs} ms` : `retrying ${e.path} after ${e.reason} in ${e.waitMs} ms`;
  log(asJson, io, { tenant: tenantId, ...e, event: e.type }, `${tenantId}: ${text}`);
}

