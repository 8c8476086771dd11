/**
 * Bulk writes for both engines: multi-row `INSERT … VALUES (…), (…) ON CONFLICT …` statements, a
 * few hundred rows each, instead of one statement per row (one round trip per batch on PostgreSQL;
 * fewer statement steps on SQLite). Statement sizes are powers of two up to the batch size, so each
 * engine sees only a handful of distinct statement texts.
 */
import type { SqlDatabase, SqlValue } from "./sql-database.ts";

export interface InsertSpec {
  table: string;
  columns: readonly string[];
  /** The primary key's columns (the conflict target). */
  key: readonly string[];
  /**
   * `replace`: a row whose key exists replaces it (the last of duplicates wins);
   * `ignore`: a row whose key exists is dropped (the first wins).
   */
  onConflict: "replace" | "ignore";
}

/** Rows per statement, at most (and at most ~30,000 parameters: SQLite allows 32,766, PostgreSQL 65,535). */
const MAX_ROWS = 512;
const MAX_PARAMS = 30_000;

function statement(spec: InsertSpec, rows: number): string {
  const one = `(${spec.columns.map(() => "?").join(", ")})`;
  const update = spec.columns.filter((c) => !spec.key.includes(c));
  const conflict =
    spec.onConflict === "ignore" || update.length === 0
      ? "DO NOTHING"
      : `DO UPDATE SET ${update.map((c) => `${c} = excluded.${c}`).join(", ")}`;
  return `INSERT INTO ${spec.table} (${spec.columns.join(", ")}) VALUES ${Array.from({ length: rows }, () => one).join(", ")} ON CONFLICT (${spec.key.join(", ")}) ${conflict}`;
}

/** Inserts the rows (each in `spec.columns` order). Call inside a transaction for all-or-nothing. */
export async function insertRows(db: SqlDatabase, spec: InsertSpec, rows: readonly (readonly SqlValue[])[]): Promise<void> {
  if (rows.length === 0) return;
  let unique = rows;
  if (spec.onConflict === "replace") {
    // PostgreSQL refuses to update one row twice in a statement: keep the last row of each key.
    const keyIndex = spec.key.map((k) => spec.columns.indexOf(k));
    const byKey = new Map<string, readonly SqlValue[]>();
    for (const row of rows) {
      const k = JSON.stringify(keyIndex.map((i) => (typeof row[i] === "bigint" ? String(row[i]) : row[i])));
      byKey.delete(k);
      byKey.set(k, row);
    }
    if (byKey.size !== rows.length) unique = [...byKey.values()];
  }
  const perStatement = Math.max(1, Math.min(MAX_ROWS, 2 ** Math.floor(Math.log2(MAX_PARAMS / spec.columns.length))));
  let i = 0;
  while (i < unique.length) {
    const left = unique.length - i;
    const n = left >= perStatement ? perStatement : 2 ** Math.floor(Math.log2(left));
    const params: SqlValue[] = [];
    for (const row of unique.slice(i, i + n)) params.push(...row);
    await db.run(statement(spec, n), params);
    i += n;
  }
}
