/**
 * Bulk writes for both engines, one portable `INSERT … ON CONFLICT …` text per table. On PostgreSQL,
 * multi-row statements of up to 512 rows (one round trip per batch instead of per row), in sizes that
 * are powers of two so the server sees only a handful of statement texts. On SQLite, which runs in
 * this process, a cached one-row statement per row: no round trip to save, and it measured as fast.
 */
import type { SqlDatabase, SqlValue } from "./sql-database.ts";

export interface InsertSpec {
  table: string;
  columns: readonly string[];
  /** The primary key's columns (the conflict target); none for an append-only table. */
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

const statements = new WeakMap<InsertSpec, Map<number, string>>();

/** The statement text for `rows` rows, built once per spec and size. */
function statement(spec: InsertSpec, rows: number): string {
  let bySize = statements.get(spec);
  if (!bySize) statements.set(spec, (bySize = new Map()));
  let text = bySize.get(rows);
  if (text === undefined) bySize.set(rows, (text = buildStatement(spec, rows)));
  return text;
}

function buildStatement(spec: InsertSpec, rows: number): string {
  const one = `(${spec.columns.map(() => "?").join(", ")})`;
  const update = spec.columns.filter((c) => !spec.key.includes(c));
  const conflict =
    spec.onConflict === "ignore" || update.length === 0
      ? "DO NOTHING"
      : `DO UPDATE SET ${update.map((c) => `${c} = excluded.${c}`).join(", ")}`;
  const values = `INSERT INTO ${spec.table} (${spec.columns.join(", ")}) VALUES ${Array.from({ length: rows }, () => one).join(", ")}`;
  return spec.key.length === 0 ? values : `${values} ON CONFLICT (${spec.key.join(", ")}) ${conflict}`;
}

/** Inserts the rows (each in `spec.columns` order). Call inside a transaction for all-or-nothing. */
export async function insertRows(db: SqlDatabase, spec: InsertSpec, rows: readonly (readonly SqlValue[])[]): Promise<void> {
  if (rows.length === 0) return;
  let unique = rows;
  if (spec.onConflict === "replace" && spec.key.length > 0 && db.dialect === "postgres") {
    // PostgreSQL refuses to update one row twice in a statement: keep the last row of each key.
    // (SQLite applies duplicates in order, so the last one wins there too.)
    const keyIndex = spec.key.map((k) => spec.columns.indexOf(k));
    const byKey = new Map<string, readonly SqlValue[]>();
    for (const row of rows) {
      const k = keyIndex.map((i) => String(row[i])).join("\u0000");
      byKey.delete(k);
      byKey.set(k, row);
    }
    if (byKey.size !== rows.length) unique = [...byKey.values()];
  }
  // SQLite runs in this process: a cached one-row statement per row costs no round trip and measured
  // faster than multi-row statements (bench/store.ts); PostgreSQL gets a few hundred rows per trip.
  const perStatement = db.dialect === "sqlite" ? 1 : Math.max(1, Math.min(MAX_ROWS, 2 ** Math.floor(Math.log2(MAX_PARAMS / spec.columns.length))));
  let i = 0;
  while (i < unique.length) {
    const left = unique.length - i;
    const n = left >= perStatement ? perStatement : 2 ** Math.floor(Math.log2(left));
    const params: SqlValue[] = [];
    for (let r = i; r < i + n; r++) for (const v of unique[r]!) params.push(v);
    await db.run(statement(spec, n), params);
    i += n;
  }
}
