import { afterAll, describe, expect, it } from "vitest";
import { openStore } from "./open-store.ts";
import { createReclaimJournalRepository } from "./reclaim-journal-repository.ts";
import type { StoreLocation } from "./store-location.ts";
import { dropFreshStores, STORE_ENGINES } from "./testing/store-engines.ts";

const T0 = new Date("2026-11-26T10:00:00Z");
const later = (s: number) => new Date(T0.getTime() + s * 1000);

afterAll(dropFreshStores);

const change = { addLicenses: [], removeLicenses: ["05e9a617-0261-4cee-bb44-138d3ef5d965"] };
const before = { accountEnabled: true, assignedLicenses: [{ skuId: "05e9a617-0261-4cee-bb44-138d3ef5d965", disabledPlans: [] }], assignments: null };
const after = { accountEnabled: true, assignedLicenses: [], assignments: null };

describe.each(STORE_ENGINES)("reclaim journal ($name)", (engine) => {
  async function open(existing?: StoreLocation) {
    const location = existing ?? (await engine.fresh()).location;
    const db = await openStore(location, { mode: "write" });
    return { db, location, journal: createReclaimJournalRepository(db) };
  }

  it("lets one holder at a time hold a lease; another takes it only once it expired or was released", async () => {
    const { journal } = await open();
    expect(await journal.acquireLease("apply:t:p", "A", T0, 60_000)).toEqual({ ok: true });
    expect(await journal.acquireLease("apply:t:p", "B", later(30), 60_000)).toEqual({ ok: false, holder: "A", expiresAt: later(60).toISOString() });
    expect(await journal.acquireLease("apply:t:other", "B", later(30), 60_000)).toEqual({ ok: true });
    expect(await journal.acquireLease("apply:t:p", "A", later(50), 60_000)).toEqual({ ok: true }); // renewed to later(110)
    expect((await journal.acquireLease("apply:t:p", "B", later(100), 60_000)).ok).toBe(false);
    expect(await journal.acquireLease("apply:t:p", "B", later(111), 60_000)).toEqual({ ok: true }); // A's lease expired (A was killed)
    await journal.releaseLease("apply:t:p", "A"); // not A's any more: no effect
    expect((await journal.acquireLease("apply:t:p", "C", later(112), 60_000)).ok).toBe(false);
    await journal.releaseLease("apply:t:p", "B");
    expect(await journal.acquireLease("apply:t:p", "C", later(113), 60_000)).toEqual({ ok: true });
  });

  it("keeps a pending action with its before-state across a reopened store, then completes it", async () => {
    const first = await open();
    const runId = await first.journal.begin({ tenantId: "t", kind: "apply", planId: "p", currency: "USD", actions: [{ userId: "u1", userPrincipalName: "a@x", kind: "remove", change, expected: before, monthlySavings: 36 }] }, T0);
    await first.journal.markPending(runId, 0, before, ["read-1", "write-1"], later(1));
    await first.db.close();

    const second = await open(first.location);
    const [pending] = await second.journal.actions(runId);
    expect(pending).toMatchObject({ status: "pending", before, after: null, requestIds: ["read-1", "write-1"], journaledAt: later(1).toISOString(), completedAt: null, change, expected: before, monthlySavings: 36 });
    expect(await second.journal.latest("t", "apply", { planId: "p" })).toMatchObject({ runId, status: "running" });

    await second.journal.complete(runId, 0, { status: "done", after, requestId: "graph-1" }, later(2));
    await second.journal.finish(runId, "complete", null, later(3));
    const [done] = await second.journal.actions(runId);
    expect(done).toMatchObject({ status: "done", before, after, requestIds: ["read-1", "write-1", "graph-1"], completedAt: later(2).toISOString() });
    expect(await second.journal.run(runId)).toMatchObject({ status: "complete", finishedAt: later(3).toISOString() });
  });

  it("finds the rollback of an apply run and lists runs newest first", async () => {
    const { journal } = await open();
    const apply = await journal.begin({ tenantId: "t", kind: "apply", planId: "p", currency: "USD", actions: [] }, T0);
    const rollback = await journal.begin({ tenantId: "t", kind: "rollback", planId: "p", rollbackOf: apply, currency: "USD", actions: [] }, later(5));
    expect((await journal.latest("t", "rollback", { rollbackOf: apply }))?.runId).toBe(rollback);
    expect(await journal.latest("t", "rollback", { rollbackOf: "other" })).toBeUndefined();
    expect((await journal.list()).map((r) => r.runId)).toEqual([rollback, apply]);
    expect(await journal.list("someone-else")).toEqual([]);
  });

  it("refuses an unknown action status", async () => {
    const { db, journal } = await open();
    const runId = await journal.begin({ tenantId: "t", kind: "apply", planId: "p", currency: "USD", actions: [{ userId: "u1", userPrincipalName: "a@x", kind: "remove", change, expected: before, monthlySavings: 1 }] }, T0);
    await expect(db.run("UPDATE reclaim_actions SET status = 'half-done' WHERE run_id = ?", [runId])).rejects.toThrow(/CHECK|check constraint/);
  });

  it("gives a lease to exactly one of many holders asking at once", async () => {
    const { location, db } = await open();
    // Separate connections, as separate processes would have (one for SQLite: its writers queue).
    const others = engine.name === "postgres" ? await Promise.all([1, 2, 3, 4, 5].map(() => openStore(location, { mode: "write" }))) : [];
    const journals = [db, ...others].map((d) => createReclaimJournalRepository(d));
    const answers = await Promise.all(journals.flatMap((j, i) => [0, 1].map((k) => j.acquireLease("apply:t:p", `H${i}-${k}`, T0, 60_000))));
    const winners = answers.filter((a) => a.ok);
    expect(winners).toHaveLength(1);
    const holder = `H${Math.floor(answers.findIndex((a) => a.ok) / 2)}-${answers.findIndex((a) => a.ok) % 2}`;
    for (const a of answers) if (!a.ok) expect(a).toEqual({ ok: false, holder, expiresAt: later(60).toISOString() });
    for (const d of [db, ...others]) await d.close();
  });
});
