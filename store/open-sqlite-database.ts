/**
 * SQLite through Node's built-in `node:sqlite` behind the `SqlDatabase` port. WAL journaling so
 * readers keep seeing the last committed snapshot while a collection writes the next one.
 */
import { closeSync, openSync } from "node:fs";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import type { SqlDatabase, SqlRow, SqlValue } from "./sql-database.ts";

export function openSqliteDatabase(path: string): SqlDatabase {
  // The store holds personal data: create it owner-only (SQLite gives -wal and -shm the same mode).
  if (path !== ":memory:") createOwnerOnly(path);
  const db = new DatabaseSync(path);
  db.exec("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL;");
  const cache = new Map<string, StatementSync>();
  const prepare = (sql: string) => {
    let s = cache.get(sql);
    if (!s) {
      s = db.prepare(sql);
      cache.set(sql, s);
    }
    return s;
  };
  let depth = 0;
  return {
    exec: (sql) => db.exec(sql),
    run: (sql, params = []) => Number(prepare(sql).run(...(params as SqlValue[])).changes),
    all: (sql, params = []) => prepare(sql).all(...(params as SqlValue[])) as SqlRow[],
    transaction<T>(fn: () => T): T {
      if (depth > 0) return fn();
      db.exec("BEGIN IMMEDIATE");
      depth++;
      try {
        const result = fn();
        db.exec("COMMIT");
        return result;
      } catch (error) {
        db.exec("ROLLBACK");
        throw error;
      } finally {
        depth--;
      }
    },
    close: () => db.close(),
  };
}

/** Creates an empty file with mode 0600 (narrowed by the umask) unless it exists; SQLite takes an empty file as a new database. */
function createOwnerOnly(path: string): void {
  try {
    closeSync(openSync(path, "wx", 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
}
