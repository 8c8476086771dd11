import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { migrate } from "./migrate.ts";
import { openSqliteDatabase } from "./open-sqlite-database.ts";

const file = () => join(mkdtempSync(join(tmpdir(), "seatwise-store-")), "s.sqlite");
const migrations = [
  { version: 1, name: "a", sql: "CREATE TABLE a (x INTEGER)" },
  { version: 2, name: "b", sql: "CREATE TABLE b (y TEXT)" },
];

describe("migrate", () => {
  it("applies each migration once, in order, across reopenings", async () => {
    const path = file();
    const db = openSqliteDatabase(path);
    expect(await migrate(db, migrations)).toEqual([1, 2]);
    await db.close();
    const again = openSqliteDatabase(path);
    expect(await migrate(again, migrations)).toEqual([]);
    expect((await again.all("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('a','b') ORDER BY name")).map((r) => r.name)).toEqual(["a", "b"]);
    await again.close();
  });

  it("leaves nothing behind from a migration that fails", async () => {
    const db = openSqliteDatabase(file());
    await expect(migrate(db, [{ version: 1, name: "bad", sql: "CREATE TABLE c (z INTEGER); SELECT nonsense FROM nowhere;" }])).rejects.toThrow();
    expect(await db.all("SELECT name FROM sqlite_master WHERE name = 'c'")).toEqual([]);
    expect(await db.all("SELECT version FROM schema_migrations")).toEqual([]);
  });

  it("refuses a store written by a newer schema", async () => {
    const db = openSqliteDatabase(file());
    await migrate(db, migrations);
    await expect(migrate(db, migrations.slice(0, 1))).rejects.toThrow(/newer Seatwise/);
  });

  it("rolls back a transaction that throws", async () => {
    const db = openSqliteDatabase(file());
    await migrate(db, migrations);
    await expect(
      db.transaction(async (tx) => {
        await tx.run("INSERT INTO a (x) VALUES (?)", [1]);
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect((await db.all("SELECT count(*) AS n FROM a"))[0]!.n).toBe(0);
  });
});
