/**
 * One simulated tenant collected into each engine: SQLite and PostgreSQL must hold the same
 * snapshot, sign-in history, applications, usage (merged per report chunk) and coverage.
 */
import { afterAll, describe, expect, it } from "vitest";
import { collect } from "../collector/collect.ts";
import { DEFAULT_TASKS } from "../core/permissions.ts";
import { createTokenProvider } from "../graph/create-token-provider.ts";
import { createGraphClient } from "../graph/graph-client.ts";
import { createHttpsTransport } from "../graph/https-transport.ts";
import { startSimulator } from "../simulator/start-simulator.ts";
import { readSnapshotFromStore } from "../store/read-snapshot-from-store.ts";
import { createRunRepository } from "../store/run-repository.ts";
import { createSnapshotRepository } from "../store/snapshot-repository.ts";
import { dropFreshStores, openFreshStore, STORE_ENGINES } from "../store/testing/store-engines.ts";

afterAll(dropFreshStores);

describe.runIf(STORE_ENGINES.length > 1)("SQLite and PostgreSQL agree", () => {
  it("store the same collection of one tenant, read back identically", async () => {
    const sim = await startSimulator({ users: 300, seed: 77, timeScale: 0.001, now: new Date("2026-11-26T12:00:00Z") });
    const transport = createHttpsTransport({ caPem: sim.caPem });
    try {
      const tokens = createTokenProvider({ authorityHost: sim.baseUrl, graphEndpoint: sim.baseUrl, tenantId: sim.tenant.tenantId, clientId: sim.reader.clientId, credential: sim.reader, transport });
      const graph = createGraphClient({ graphEndpoint: sim.baseUrl, transport, tokens });
      const dumps = [];
      for (const engine of STORE_ENGINES) {
        const { db } = await openFreshStore(engine);
        try {
          const runs = createRunRepository(db);
          const snapshots = createSnapshotRepository(db);
          const summary = await collect(
            { tenantId: sim.tenant.tenantId, tasks: [...DEFAULT_TASKS, "sharedMailboxes"], protectGroups: ["Seatwise-Protected"], now: () => sim.tenant.now },
            { tokens, graph, runs, snapshots },
          );
          expect(summary.status).toBe("complete");
          dumps.push({
            snapshot: await readSnapshotFromStore(db),
            signIns: await snapshots.lastSignInPerApp(sim.tenant.tenantId),
            apps: await snapshots.apps(summary.runId),
            assignments: await snapshots.appAssignments(summary.runId),
            usage: [...(await snapshots.usage(summary.runId))].sort(([a], [b]) => a.localeCompare(b)),
            reports: await snapshots.reportStatus(summary.runId),
            mailboxes: [...(await snapshots.mailboxPurposes(summary.runId))].sort(),
            runs: (await runs.list(sim.tenant.tenantId)).map((r) => ({ status: r.status, roles: r.roles })),
          });
        } finally {
          await db.close();
        }
      }
      const [sqlite, postgres] = dumps;
      expect(sqlite!.snapshot.users.length).toBe(300);
      expect(sqlite!.signIns.length).toBeGreaterThan(0);
      expect(sqlite!.usage.length).toBeGreaterThan(0);
      expect(postgres).toEqual(sqlite);
    } finally {
      transport.close();
      await sim.close();
    }
  });
});
