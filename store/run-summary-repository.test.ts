import { afterAll, describe, expect, it } from "vitest";
import { createRunRepository } from "./run-repository.ts";
import { createRunSummaryRepository } from "./run-summary-repository.ts";
import { createSnapshotRepository } from "./snapshot-repository.ts";
import { dropFreshStores, openFreshStore, STORE_ENGINES } from "./testing/store-engines.ts";

afterAll(dropFreshStores);

const at = (minute: number) => new Date(Date.UTC(2026, 10, 26, 10, minute));
const licensed = (id: string, skus: string[]) => ({ id, userPrincipalName: `${id}@c.com`, assignedLicenses: skus.map((skuId) => ({ skuId, disabledPlans: [] })) });

describe.each(STORE_ENGINES)("run summaries ($name)", (engine) => {
  it("gives every complete run's licensed users, oldest first, with the summary an evaluation recorded", async () => {
    const { db } = await openFreshStore(engine);
    const runs = createRunRepository(db);
    const snapshots = createSnapshotRepository(db);
    const summaries = createRunSummaryRepository(db);
    const first = await runs.begin("t", [], at(0));
    await snapshots.saveUsers(first, [licensed("a", ["s1", "s2"]), licensed("b", ["s1"]), licensed("c", [])]);
    await runs.finish(first, "complete", {}, at(1));
    const failed = await runs.begin("t", [], at(2));
    await snapshots.saveUsers(failed, [licensed("a", ["s1"])]);
    await runs.finish(failed, "failed", {}, at(3));
    const second = await runs.begin("t", [], at(4));
    await snapshots.saveUsers(second, [licensed("a", ["s1"])]);
    await runs.finish(second, "complete", {}, at(5));
    const other = await runs.begin("u", [], at(6));
    await runs.finish(other, "complete", {}, at(7));
    const summary = { evaluatedAt: at(9).toISOString(), currency: "EUR", licensedUsers: 1, activeUsers: 0, spend: 30, idleSpend: 30, savings: 30 };
    await summaries.save(second, summary);
    expect(await summaries.trend("t")).toEqual([
      { runId: first, collectedAt: at(1).toISOString(), licensedUsers: 2, summary: null },
      { runId: second, collectedAt: at(5).toISOString(), licensedUsers: 1, summary },
    ]);
    await summaries.save(second, { ...summary, savings: 0 });
    expect((await summaries.trend("t"))[1]?.summary?.savings).toBe(0);
    await db.close();
  });
});
