import { afterAll, describe, expect, it } from "vitest";
import { createRunRepository } from "./run-repository.ts";
import { createSnapshotRepository } from "./snapshot-repository.ts";
import { dropFreshStores, openFreshStore, STORE_ENGINES } from "./testing/store-engines.ts";

afterAll(dropFreshStores);
const at = (minute: number) => new Date(Date.UTC(2026, 10, 26, 10, minute));
const user = (id: string) => ({ id, userPrincipalName: `${id}@c.com`, assignedLicenses: [] });

describe.each(STORE_ENGINES)("collection runs ($name)", (engine) => {
  async function store() {
    const { db } = await openFreshStore(engine);
    return { db, runs: createRunRepository(db), snapshots: createSnapshotRepository(db) };
  }

  it("shows only the latest complete run; a run left running is abandoned by the next one, its rows removed", async () => {
    const { db, runs, snapshots } = await store();
    const a = await runs.begin("t", ["User.Read.All"], at(0));
    await snapshots.saveUsers(a, [user("u1")]);
    await runs.finish(a, "complete", {}, at(1));
    const crashed = await runs.begin("t", [], at(2));
    await snapshots.saveUsers(crashed, [user("u2")]);
    expect((await runs.latestComplete("t"))?.runId).toBe(a);
    const b = await runs.begin("t", [], at(3));
    expect((await runs.list("t")).find((r) => r.runId === crashed)?.status).toBe("abandoned");
    expect(await snapshots.users(crashed)).toEqual([]);
    await runs.finish(b, "complete", {}, at(4));
    expect((await runs.latestComplete("t"))?.runId).toBe(b);
    expect(await runs.latestComplete("other")).toBeUndefined();
    await db.close();
  });

  it("expires all but the newest complete runs, with their rows", async () => {
    const { db, runs, snapshots } = await store();
    const ids: string[] = [];
    for (const m of [0, 1, 2, 3]) {
      const id = await runs.begin("t", [], at(m * 2));
      await snapshots.saveUsers(id, [user(`u${m}`)]);
      await runs.finish(id, "complete", {}, at(m * 2 + 1));
      ids.push(id);
    }
    expect(await runs.expire("t", 2)).toBe(2);
    expect((await runs.list("t")).map((r) => r.runId)).toEqual(ids.slice(2));
    expect(await snapshots.users(ids[0]!)).toEqual([]);
    expect((await snapshots.users(ids[3]!)).map((u) => u.id)).toEqual(["u3"]);
    await db.close();
  });

  it("never expires the visible snapshot because of failed runs after it", async () => {
    const { db, runs } = await store();
    const good = await runs.begin("t", [], at(0));
    await runs.finish(good, "complete", {}, at(1));
    for (const m of [2, 3, 4]) await runs.finish(await runs.begin("t", [], at(m)), "failed", {}, at(m));
    expect(await runs.expire("t", 3)).toBe(0);
    expect((await runs.latestComplete("t"))?.runId).toBe(good);
    const newer = await runs.begin("t", [], at(5));
    await runs.finish(newer, "complete", {}, at(6));
    // Keeping one: the older complete run and the failed runs before the newest complete one go.
    expect(await runs.expire("t", 1)).toBe(4);
    expect((await runs.list("t")).map((r) => r.runId)).toEqual([newer]);
    await db.close();
  });

  it("orders runs that started in the same millisecond by when they began", async () => {
    const { db, runs } = await store();
    const first = await runs.begin("t", [], at(0));
    await runs.finish(first, "complete", {}, at(0));
    const second = await runs.begin("t", [], at(0));
    await runs.finish(second, "complete", {}, at(0));
    expect((await runs.list("t")).map((r) => r.runId)).toEqual([first, second]);
    expect((await runs.latestComplete("t"))?.runId).toBe(second);
    await db.close();
  });

  it("does not complete a run that the next run marked abandoned", async () => {
    const { db, runs } = await store();
    const killed = await runs.begin("t", [], at(0));
    const next = await runs.begin("t", [], at(1));
    await runs.finish(killed, "complete", {}, at(2));
    expect((await runs.list("t")).map((r) => [r.runId, r.status])).toEqual([
      [killed, "abandoned"],
      [next, "running"],
    ]);
    expect(await runs.latestComplete("t")).toBeUndefined();
    await db.close();
  });
});
