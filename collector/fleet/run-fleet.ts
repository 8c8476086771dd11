/**
 * Runs a fleet plan: every tenant collected into its store, at most `maxConcurrentTenants` at once
 * (a worker pool over the tenant list), each with its own Graph connection — its own token provider,
 * Graph client and pacing state, because Graph throttles per app per tenant — holding at most
 * `connectionsPerTenant` sockets, so the fleet never holds more than `maxOpenConnections`. One
 * tenant failing (credential, token, consent, throttling, store) is recorded as its outcome and
 * never stops the others.
 */
import type { Task } from "../../core/permissions.ts";
import { safeMessageLine } from "../../core/redact.ts";
import type { TokenProvider } from "../../graph/create-token-provider.ts";
import type { GraphClient } from "../../graph/graph-client.ts";
import type { SqlDatabase } from "../../store/sql-database.ts";
import { createRunRepository } from "../../store/run-repository.ts";
import { createSnapshotRepository } from "../../store/snapshot-repository.ts";
import { collect, type CollectSummary } from "../collect.ts";
import type { FleetPlan, FleetPlanTenant, FleetTenantInput } from "./plan-fleet.ts";

/** The outcome of one tenant in a fleet run. */
export interface TenantOutcome {
  tenantId: string;
  /** The tenant's configuration file. */
  config: string;
  /**
   * `complete`: everything planned was collected; `incomplete`: the run completed but skipped parts
   * (missing permission, no premium licence...); `failed`: no new snapshot (the previous stays visible).
   */
  status: "complete" | "incomplete" | "failed";
  runId: string | null;
  requests: number;
  throttled: number;
  /** Parts skipped or failed (see the run's coverage in the store). */
  notCollected: number;
  durationMs: number;
  error: string | null;
}

export interface FleetSummary {
  tenants: TenantOutcome[];
  /** True when every tenant's outcome is `complete`. */
  ok: boolean;
  durationMs: number;
}

/** One tenant's Graph connection (see cli/connect-graph.ts). */
export interface TenantConnection {
  tokens: TokenProvider;
  graph: GraphClient;
  close(): void;
}

export interface FleetTenantRun extends FleetTenantInput {
  tasks: readonly Task[];
}

export interface RunFleetDeps<T extends FleetTenantRun> {
  /** Opens a tenant's Graph connection holding at most `maxSockets` sockets. May throw (unreadable certificate...). */
  connect(tenant: FleetPlanTenant<T>, options: { maxSockets: number }): TenantConnection;
  /** The opened, migrated store of each of the plan's stores. */
  stores: ReadonlyMap<string, SqlDatabase>;
  protectGroups: readonly string[];
  now: () => Date;
  /** Progress of the fleet: a tenant started, collected a part, finished. */
  onEvent?: (event: FleetEvent) => void;
}

export type FleetEvent =
  | { type: "tenant.started"; tenantId: string; running: number }
  | { type: "tenant.part"; tenantId: string; task: string; part: string; items: number }
  | { type: "tenant.expired"; tenantId: string; runs: number }
  | { type: "tenant.finished"; outcome: TenantOutcome };

export async function runFleet<T extends FleetTenantRun>(plan: FleetPlan<T>, deps: RunFleetDeps<T>): Promise<FleetSummary> {
  const started = performance.now();
  const outcomes: TenantOutcome[] = new Array<TenantOutcome>(plan.tenants.length);
  let nextIndex = 0;
  let running = 0;
  // A worker pool is the semaphore over tenants: each worker takes the next tenant when it is free.
  const worker = async () => {
    for (let i = nextIndex++; i < plan.tenants.length; i = nextIndex++) {
      const tenant = plan.tenants[i]!;
      running++;
      deps.onEvent?.({ type: "tenant.started", tenantId: tenant.tenantId, running });
      const outcome = await collectTenant(tenant, plan.connectionsPerTenant, deps);
      running--;
      outcomes[i] = outcome;
      deps.onEvent?.({ type: "tenant.finished", outcome });
    }
  };
  await Promise.all(Array.from({ length: Math.min(plan.maxConcurrentTenants, plan.tenants.length) }, worker));
  return { tenants: outcomes, ok: outcomes.every((o) => o.status === "complete"), durationMs: performance.now() - started };
}

async function collectTenant<T extends FleetTenantRun>(tenant: FleetPlanTenant<T>, maxSockets: number, deps: RunFleetDeps<T>): Promise<TenantOutcome> {
  const started = performance.now();
  const base = { tenantId: tenant.tenantId, config: tenant.input.configFile };
  let connection: TenantConnection | undefined;
  let summary: CollectSummary | undefined;
  try {
    const db = deps.stores.get(tenant.store);
    if (!db) throw new Error(`store ${tenant.store} is not open`);
    connection = deps.connect(tenant, { maxSockets });
    const runs = createRunRepository(db);
    summary = await collect(
      {
        tenantId: tenant.tenantId,
        tasks: tenant.input.tasks,
        protectGroups: deps.protectGroups,
        now: deps.now,
        onProgress: (p) => deps.onEvent?.({ type: "tenant.part", tenantId: tenant.tenantId, ...p }),
      },
      { tokens: connection.tokens, graph: connection.graph, runs, snapshots: createSnapshotRepository(db) },
    );
    if (summary.status === "complete") {
      const expired = await runs.expire(tenant.tenantId, tenant.input.retainSnapshots);
      if (expired > 0) deps.onEvent?.({ type: "tenant.expired", tenantId: tenant.tenantId, runs: expired });
    }
    return {
      ...base,
      status: summary.status === "failed" ? "failed" : summary.completeCoverage ? "complete" : "incomplete",
      runId: summary.runId,
      requests: summary.requests,
      throttled: summary.throttled,
      notCollected: summary.coverage.filter((c) => c.status !== "collected").length,
      durationMs: performance.now() - started,
      error: summary.error ?? null,
    };
  } catch (error) {
    // Before a run began (credential, token endpoint, consent) or while expiring old runs.
    return {
      ...base,
      status: "failed",
      runId: summary?.runId ?? null,
      requests: connection?.graph.stats.requests ?? 0,
      throttled: connection?.graph.stats.throttled ?? 0,
      notCollected: 0,
      durationMs: performance.now() - started,
      // Printed in the summary: one line, secrets redacted (the one rule for messages).
      error: safeMessageLine(error instanceof Error ? error.message : String(error)),
    };
  } finally {
    connection?.close();
  }
}
