/**
 * Schema migrations: an ordered list of SQL scripts, each applied once in its own transaction and
 * recorded in `schema_migrations`. One list for both engines, versioned together; a script that
 * must differ between SQLite and PostgreSQL is a function of the dialect. A store newer than this
 * code is refused rather than guessed at. Several processes may migrate one store at once (a fleet
 * starting): each migration is re-checked inside its transaction, which on PostgreSQL first takes
 * an advisory lock (SQLite's write transactions already exclude each other).
 */
import { SeatwiseError } from "../core/errors.ts";
import type { SqlDatabase, SqlDialect } from "./sql-database.ts";

export interface Migration {
  version: number;
  name: string;
  sql: string | ((dialect: SqlDialect) => string);
}

/** Arbitrary, fixed: the advisory lock that serialises migrations of one PostgreSQL database. */
const MIGRATION_LOCK = 7_362_019_400;

const CREATE_TABLE = "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)";

/** The SQL of a migration for an engine. */
export function migrationSql(m: Migration, dialect: SqlDialect): string {
  return typeof m.sql === "string" ? m.sql : m.sql(dialect);
}

/** The newest known version of a list of migrations. */
export function latestVersion(migrations: readonly Migration[]): number {
  return Math.max(0, ...migrations.map((m) => m.version));
}

/**
 * The store's schema version (the newest applied migration), or `undefined` when the database has
 * no `schema_migrations` table (not a Seatwise store, or an empty one). Reads only.
 */
export async function readSchemaVersion(db: SqlDatabase): Promise<number | undefined> {
  const exists =
    db.dialect === "postgres"
      ? (await db.all("SELECT to_regclass('schema_migrations') IS NOT NULL AS present"))[0]?.present
      : (await db.all("SELECT count(*) AS present FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"))[0]?.present;
  if (!exists) return undefined;
  const [row] = await db.all("SELECT max(version) AS v FROM schema_migrations");
  return row?.v === null || row?.v === undefined ? 0 : Number(row.v);
}

function tooNew(newest: number, known: number): SeatwiseError {
  return new SeatwiseError("store.too-new", `the store was written by a newer Seatwise (schema ${newest}, this version knows up to ${known}); upgrade Seatwise`);
}

/** Applies pending migrations; returns the versions applied (by this call). */
export async function migrate(db: SqlDatabase, migrations: readonly Migration[]): Promise<number[]> {
  const lock = async (tx: SqlDatabase) => {
    if (tx.dialect === "postgres") await tx.all("SELECT pg_advisory_xact_lock(?)", [MIGRATION_LOCK]);
  };
  await db.transaction(async (tx) => {
    await lock(tx);
    await tx.exec(CREATE_TABLE);
  });
  const known = latestVersion(migrations);
  const newest = (await readSchemaVersion(db)) ?? 0;
  if (newest > known) throw tooNew(newest, known);
  const already = new Set((await db.all("SELECT version FROM schema_migrations")).map((r) => Number(r.version)));
  const done: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (already.has(m.version)) continue;
    const applied = await db.transaction(async (tx) => {
      await lock(tx);
      if (await isApplied(tx, m.version)) return false; // another process got there first
      await tx.exec(migrationSql(m, tx.dialect));
      await tx.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", [m.version, m.name, new Date().toISOString()]);
      return true;
    });
    if (applied) done.push(m.version);
  }
  return done;
}

async function isApplied(db: SqlDatabase, version: number): Promise<boolean> {
  return (await db.all("SELECT 1 AS one FROM schema_migrations WHERE version = ?", [version])).length > 0;
}
