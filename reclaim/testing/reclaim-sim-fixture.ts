/**
 * Test fixture for reclamation against the simulator over HTTPS: a small tenant collected into a
 * temporary SQLite store by the reader identity, Graph clients for the reader and the reclaimer, the
 * journal, a plan built the way `seatwise reclaim plan` builds it, and the tenant's license state.
 */
import { createTokenProvider } from "../../graph/create-token-provider.ts";
import { collect } from "../../collector/collect.ts";
import { createGraphClient } from "../../graph/graph-client.ts";
import type { BatchItem, GraphClient } from "../../graph/graph-client.ts";
import { createHttpsTransport } from "../../graph/https-transport.ts";
import { createReclaimJournalRepository } from "../../store/reclaim-journal-repository.ts";
import type { ReclaimJournalRepository } from "../../store/reclaim-journal-repository.ts";
import { createRunRepository } from "../../store/run-repository.ts";
import { createSnapshotRepository } from "../../store/snapshot-repository.ts";
import type { SqlDatabase } from "../../store/sql-database.ts";
import type { StoreLocation } from "../../store/store-location.ts";
import { openFreshStore, STORE_ENGINES, type StoreEngine } from "../../store/testing/store-engines.ts";
import type { RunningSimulator, SimIdentity } from "../../simulator/contract.ts";
import type { SimLicense } from "../../simulator/model.ts";
import { startSimulator } from "../../simulator/start-simulator.ts";
import { evaluate } from "../../policies/evaluate.ts";
import { readPolicy } from "../../policies/read-policy.ts";
import type { ReclaimGraph } from "../execute-reclaim.ts";
import { suggestedProtectGroups } from "../build-plan-from-store.ts";
import { planReclaim } from "../plan-reclaim.ts";
import type { PlanReclaimOptions } from "../plan-reclaim.ts";
import type { ReclaimPlan } from "../plan-schema.ts";
import { readPlanInputs } from "../read-plan-inputs.ts";

export interface ReclaimFixture {
  sim: RunningSimulator;
  db: SqlDatabase;
  /** The store, and what `--db` takes for it. */
  store: StoreLocation;
  dbArg: string;
  journal: ReclaimJournalRepository;
  reader: GraphClient;
  reclaimer: GraphClient;
  /** Collects (again) into the store with the reader identity. */
  collect(): Promise<void>;
  /** Builds a plan from the store's latest snapshot with the default policy. */
  plan(options?: Partial<PlanReclaimOptions>): Promise<ReclaimPlan>;
  /** Every user's license assignments as the tenant holds them (lastUpdatedDateTime left out). */
  licenses(): Map<string, Omit<SimLicense, "lastUpdatedDateTime">[]>;
  close(): Promise<void>;
}

export const FIXTURE_NOW = new Date("2026-11-20T08:00:00Z");

/** Callers that open fresh stores drop them with `dropFreshStores()` from store/testing/store-engines.ts. */
export async function startReclaimFixture(options: { users: number; seed: number; engine?: StoreEngine }): Promise<ReclaimFixture> {
  const sim = await startSimulator({ users: options.users, seed: options.seed, timeScale: 0.01, now: FIXTURE_NOW });
  const transport = createHttpsTransport({ caPem: sim.caPem });
  const client = (identity: SimIdentity) => {
    const tokens = createTokenProvider({ authorityHost: sim.baseUrl, graphEndpoint: sim.baseUrl, tenantId: sim.tenant.tenantId, clientId: identity.clientId, credential: identity, transport });
    return { tokens, graph: createGraphClient({ graphEndpoint: sim.baseUrl, transport, tokens }) };
  };
  const reader = client(sim.reader);
  const reclaimer = client(sim.reclaimer);
  const { db, location, arg } = await openFreshStore(options.engine ?? STORE_ENGINES[0]!);
  const policy = readPolicy([]);
  const fixture: ReclaimFixture = {
    sim,
    db,
    store: location,
    dbArg: arg,
    journal: createReclaimJournalRepository(db),
    reader: reader.graph,
    reclaimer: reclaimer.graph,
    async collect() {
      const summary = await collect(
        { tenantId: sim.tenant.tenantId, tasks: ["applicationRoster", "applicationAccess", "licenseInformation", "hrRoster"], protectGroups: policy.protect.groups, now: () => sim.tenant.now },
        { tokens: reader.tokens, graph: reader.graph, runs: createRunRepository(db), snapshots: createSnapshotRepository(db) },
      );
      if (summary.status !== "complete") throw new Error(`collection failed: ${summary.error ?? "unknown"}`);
    },
    async plan(planOptions = {}) {
      const inputs = await readPlanInputs(db);
      const evaluation = await evaluate(inputs.snapshot, policy, { now: sim.tenant.now });
      return planReclaim({ ...inputs, evaluation, policy, suggestedProtectGroups: suggestedProtectGroups(policy) }, { now: sim.tenant.now, maxUsers: 500, ...planOptions });
    },
    licenses() {
      const out = new Map<string, Omit<SimLicense, "lastUpdatedDateTime">[]>();
      for (let i = 0; i < sim.tenant.userCount; i++) {
        const u = sim.tenant.userAt(i);
        out.set(
          u.id,
          u.licenses
            .map(({ skuId, disabledPlans, assignedByGroup, state, error }) => ({ skuId: skuId.toLowerCase(), disabledPlans: [...disabledPlans].map((p) => p.toLowerCase()).sort(), assignedByGroup, state, error }))
            .sort((a, b) => a.skuId.localeCompare(b.skuId) || (a.assignedByGroup ?? "").localeCompare(b.assignedByGroup ?? "")),
        );
      }
      return out;
    },
    async close() {
      await db.close();
      transport.close();
      await sim.close();
    },
  };
  await fixture.collect();
  return fixture;
}

/** Wraps a Graph so tests can count the successful assignLicense calls per user. */
export function countingWrites(graph: ReclaimGraph): { graph: ReclaimGraph; writes: Map<string, number> } {
  const writes = new Map<string, number>();
  const wrapped: ReclaimGraph = {
    async batch(items: BatchItem[], options) {
      const responses = await graph.batch(items, options);
      for (const [i, item] of items.entries()) {
        const m = /^\/users\/([^/]+)\/assignLicense$/.exec(item.url);
        const status = responses[i]!.status;
        if (m && status >= 200 && status < 300) writes.set(decodeURIComponent(m[1]!), (writes.get(decodeURIComponent(m[1]!)) ?? 0) + 1);
      }
      return responses;
    },
  };
  return { graph: wrapped, writes };
}
