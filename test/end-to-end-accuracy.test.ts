/**
 * The whole read path against the ground truth: the simulator over HTTPS → MSAL + certificate →
 * the collector → the SQLite store → the snapshot → the default policy pack. Unlike
 * policies-ground-truth.test.ts (facts straight from the model), every fact here went through Graph.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createTokenProvider } from "../graph/create-token-provider.ts";
import { collect } from "../collector/collect.ts";
import { createGraphClient } from "../graph/graph-client.ts";
import { createHttpsTransport } from "../graph/https-transport.ts";
import { openStore } from "../store/open-store.ts";
import { readSnapshotFromStore } from "../store/read-snapshot-from-store.ts";
import { createRunRepository } from "../store/run-repository.ts";
import { createSnapshotRepository } from "../store/snapshot-repository.ts";
import { DEFAULT_TASKS } from "../core/permissions.ts";
import { evaluate } from "../policies/evaluate.ts";
import { readPolicy } from "../policies/read-policy.ts";
import { scoreAgainstTruth } from "../simulator/score-against-truth.ts";
import { startSimulator } from "../simulator/start-simulator.ts";

const policy = readPolicy([]);

describe("collect → evaluate against the ground truth", () => {
  it("reclaims exactly what is reclaimable and never touches a trap", async () => {
    const sim = await startSimulator({ users: 2000, seed: 20261126, timeScale: 0.001, now: new Date("2026-11-26T12:00:00Z") });
    const transport = createHttpsTransport({ caPem: sim.caPem });
    const db = await openStore({ engine: "sqlite", path: join(mkdtempSync(join(tmpdir(), "seatwise-e2e-")), "store.sqlite") }, { mode: "write" });
    try {
      const tokens = createTokenProvider({ authorityHost: sim.baseUrl, graphEndpoint: sim.baseUrl, tenantId: sim.tenant.tenantId, clientId: sim.reader.clientId, credential: sim.reader, transport });
      const summary = await collect(
        { tenantId: sim.tenant.tenantId, tasks: DEFAULT_TASKS, protectGroups: policy.protect.groups, now: () => sim.tenant.now },
        { tokens, graph: createGraphClient({ graphEndpoint: sim.baseUrl, transport, tokens }), runs: createRunRepository(db), snapshots: createSnapshotRepository(db) },
      );
      expect(summary.status).toBe("complete");
      const evaluation = await evaluate(await readSnapshotFromStore(db), policy, { now: sim.tenant.now });
      const score = scoreAgainstTruth(sim.tenant, evaluation);
      console.log(`end-to-end accuracy (2,000 users): ${JSON.stringify({ reclaim: score.reclaim, downgrade: score.downgrade, copilot: score.copilot, copilotReview: score.copilotReview, reviews: score.reviews, traps: score.trapViolations.length })}`);
      expect(score.trapViolations.slice(0, 8)).toEqual([]);
      expect(score.reclaim.precision).toBeGreaterThanOrEqual(0.99);
      expect(score.reclaim.recall).toBeGreaterThanOrEqual(0.95);
      expect(score.downgrade.precision).toBe(1);
      expect(score.downgrade.recall).toBeGreaterThanOrEqual(0.9);
      // The Copilot report went through Graph (v1.0, 200 with the CSV) and the store like the others.
      expect(score.copilot.tp).toBeGreaterThan(20);
      expect(score.copilot.precision).toBe(1);
      expect(score.copilot.recall).toBeGreaterThanOrEqual(0.95);
      expect(score.copilotReview.precision).toBe(1);
      expect(score.copilotReview.recall).toBeGreaterThanOrEqual(0.95);
    } finally {
      await db.close();
      transport.close();
      await sim.close();
    }
  });
});
