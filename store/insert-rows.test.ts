import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { insertRows, type InsertSpec } from "./insert-rows.ts";
import type { SqlDatabase } from "./sql-database.ts";
import { dropFreshStores, openUnmigrated, STORE_ENGINES } from "./testing/store-engines.ts";

afterAll(dropFreshStores);

const replace: InsertSpec = { table: "kv", columns: ["k1", "k2", "v"], key: ["k1", "k2"], onConflict: "replace" };
const ignore: InsertSpec = { ...replace, onConflict: "ignore" };

/** A statement counter around a database: how many INSERTs reached it. */
function counting(db: SqlDatabase): { db: SqlDatabase; inserts: () => number } {
  let n = 0;
  const wrap = (d: SqlDatabase): SqlDatabase => ({
    ...d,
    dialect: d.dialect,
    run: (sql, params) => {
      if (sql.startsWith("INSERT")) n++;
      return d.run(sql, params);
    },
    transaction: (fn) => d.transaction((tx) => fn(wrap(tx))),
  });
  return { db: wrap(db), inserts: () => n };
}

describe.each(STORE_ENGINES)("insertRows ($name)", (engine) => {
  it("stores what one INSERT OR REPLACE / OR IGNORE per row would (in few statements on PostgreSQL)", async () => {
    const { location } = await engine.fresh();
    const raw = await openUnmigrated(location);
    const row = fc.tuple(fc.integer({ min: 0, max: 30 }), fc.constantFrom("a", "b"), fc.string({ maxLength: 6 }));
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 1500 }), fc.array(row, { maxLength: 40 }), fc.boolean(), async (first, second, replacing) => {
        await raw.exec("DROP TABLE IF EXISTS kv; CREATE TABLE kv (k1 INTEGER NOT NULL, k2 TEXT NOT NULL, v TEXT NOT NULL, PRIMARY KEY (k1, k2))");
        const { db, inserts } = counting(raw);
        const spec = replacing ? replace : ignore;
        await db.transaction(async (tx) => {
          await insertRows(tx, spec, first);
          await insertRows(tx, spec, second);
        });
        const model = new Map<string, string>();
        for (const [k1, k2, v] of [...first, ...second]) {
          const k = `${k1}/${k2}`;
          if (replacing || !model.has(k)) model.set(k, v);
        }
        const stored = await raw.all("SELECT k1, k2, v FROM kv ORDER BY k1, k2");
        expect(new Map(stored.map((r) => [`${r.k1}/${r.k2}`, String(r.v)]))).toEqual(model);
        // PostgreSQL: at most ~log2 statements beyond one per 512 rows, per call. SQLite: one per row.
        const bound = (n: number) => (engine.name === "postgres" ? Math.ceil(n / 512) + Math.ceil(Math.log2(512)) : n);
        expect(inserts()).toBeLessThanOrEqual(bound(first.length) + bound(second.length));
      }),
      { numRuns: engine.name === "postgres" ? 40 : 100 },
    );
    await raw.close();
  });
});
