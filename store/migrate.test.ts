import { afterAll, describe, expect, it } from "vitest";
import { migrate, readSchemaVersion } from "./migrate.ts";
import { dropFreshStores, openUnmigrated, STORE_ENGINES } from "./testing/store-engines.ts";

const migrations = [
  { version: 1, name: "a", sql: "CREATE TABLE a (x INTEGER)" },
  { version: 2, name: "b", sql: "CREATE TABLE b (y TEXT)" },
];

afterAll(dropFreshStores);

describe.each(STORE_ENGINES)("migrate ($name)", (engine) => {
  const open = async (location?: Awaited<ReturnType<typeof engine.fresh>>["location"]) => {
    const where = location ?? (await engine.fresh()).location;
    return { where, db: await openUnmigrated(where) };
  };

  it("applies each migration once, in order, across reopenings", async () => {
    const { where, db } = await open();
    expect(await migrate(db, migrations)).toEqual([1, 2]);
    await db.close();
    const again = (await open(where)).db;
    expect(await migrate(again, migrations)).toEqual([]);
    expect(await readSchemaVersion(again)).toBe(2);
    await again.run("INSERT INTO a (x) VALUES (?)", [1]);
    await again.run("INSERT INTO b (y) VALUES (?)", ["one"]);
    expect(await again.all("SELECT x FROM a")).toEqual([{ x: 1 }]);
    await again.close();
  });

  it("leaves nothing behind from a migration that fails", async () => {
    const { db } = await open();
    await expect(migrate(db, [{ version: 1, name: "bad", sql: "CREATE TABLE c (z INTEGER); SELECT nonsense FROM nowhere;" }])).rejects.toThrow();
    await expect(db.all("SELECT z FROM c")).rejects.toThrow(/c/);
    expect(await db.all("SELECT version FROM schema_migrations")).toEqual([]);
    await db.close();
  });

  it("refuses a store written by a newer schema", async () => {
    const { db } = await open();
    await migrate(db, migrations);
    await expect(migrate(db, migrations.slice(0, 1))).rejects.toThrow(/newer Seatwise/);
    await db.close();
  });

  it("rolls back a transaction that throws", async () => {
    const { db } = await open();
    await migrate(db, migrations);
    await expect(
      db.transaction(async (tx) => {
        await tx.run("INSERT INTO a (x) VALUES (?)", [1]);
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect((await db.all("SELECT count(*) AS n FROM a"))[0]!.n).toBe(0);
    await db.close();
  });

});

// SQLite's connections in one process cannot wait for each other without blocking the event loop;
// across processes its write lock serialises migrations (the kill test runs collectors one by one).
describe.each(STORE_ENGINES.filter((e) => e.name === "postgres"))("migrate, concurrently ($name)", (engine) => {
  it("applies each migration exactly once when several processes migrate one database at once", async () => {
    const { location } = await engine.fresh();
    const dbs = await Promise.all([0, 1, 2, 3].map(() => openUnmigrated(location)));
    const applied = await Promise.all(dbs.map((d) => migrate(d, migrations)));
    expect(applied.flat().sort()).toEqual([1, 2]);
    expect((await dbs[0]!.all("SELECT version FROM schema_migrations ORDER BY version")).map((r) => r.version)).toEqual([1, 2]);
    for (const d of dbs) await d.close();
  });
});
