/**
 * Schema migrations: an ordered list of SQL scripts, each applied once in its own transaction and
 * recorded in `schema_migrations`. A store newer than this code is refused rather than guessed at.
 */
import { SeatwiseError } from "../core/errors.ts";
import type { SqlDatabase } from "./sql-database.ts";

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Applies pending migrations; returns the versions applied. */
export async function migrate(db: SqlDatabase, migrations: readonly Migration[]): Promise<number[]> {
  await db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
  const applied = new Set((await db.all("SELECT version FROM schema_migrations")).map((r) => Number(r.version)));
  const known = Math.max(0, ...migrations.map((m) => m.version));
  const newest = Math.max(0, ...applied);
  if (newest > known) {
    throw new SeatwiseError("store.too-new", `the store was written by a newer Seatwise (schema ${newest}, this version knows up to ${known}); upgrade Seatwise`);
  }
  const done: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    await db.transaction(async (tx) => {
      await tx.exec(m.sql);
      await tx.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", [m.version, m.name, new Date().toISOString()]);
    });
    done.push(m.version);
  }
  return done;
}
