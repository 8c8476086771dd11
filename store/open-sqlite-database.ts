/**
 * SQLite through Node's built-in `node:sqlite` behind the `SqlDatabase` port. WAL journaling so
 * readers keep seeing the last committed snapshot while a collection writes the next one.
 * node:sqlite is synchronous: the port's promises resolve at once. One connection serves every
 * caller, so a transaction holds a lock that other callers of this handle wait for; otherwise their
 * statements would land inside someone else's transaction.
 */
import { closeSync, openSync } from "node:fs";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import type { SqlDatabase, SqlRow, SqlValue } from "./sql-database.ts";

export interface SqliteOpenOptions {
  /** Opens without write access: no file is created and every write fails. Default false. */
  readOnly?: boolean;
}

export function openSqliteDatabase(path: string, options: SqliteOpenOptions = {}): SqlDatabase {
  const readOnly = options.readOnly ?? false;
  // The store holds personal data: create it owner-only (SQLite gives -wal and -shm the same mode).
  if (!readOnly && path !== ":memory:") createOwnerOnly(path);
  const db = new DatabaseSync(path, { readOnly });
  // A read-only connection must not switch the journal mode (that writes the header).
  db.exec(readOnly ? "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;" : "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL;");
  const cache = new Map<string, StatementSync>();
  const prepare = (sql: string) => {
    let s = cache.get(sql);
    if (!s) {
      s = db.prepare(sql);
      cache.set(sql, s);
    }
    return s;
  };
  const direct = {
    exec: (sql: string) => db.exec(sql),
    run: (sql: string, params: readonly SqlValue[] = []) => Number(prepare(sql).run(...(params as SqlValue[])).changes),
    all: (sql: string, params: readonly SqlValue[] = []) => prepare(sql).all(...(params as SqlValue[])) as SqlRow[],
  };
  /** Set while a transaction holds the connection. Each waiter re-checks it and acts in the same tick. */
  let held: Promise<void> | null = null;

  const tx: SqlDatabase = {
    dialect: "sqlite",
    exec: async (sql) => direct.exec(sql),
    run: async (sql, params) => direct.run(sql, params),
    all: async (sql, params) => direct.all(sql, params),
    transaction: (fn) => fn(tx),
    close: async () => {
      throw new Error("close() inside a transaction");
    },
  };

  return {
    dialect: "sqlite",
    exec: async (sql) => {
      while (held) await held;
      direct.exec(sql);
    },
    run: async (sql, params) => {
      while (held) await held;
      return direct.run(sql, params);
    },
    all: async (sql, params) => {
      while (held) await held;
      return direct.all(sql, params);
    },
    async transaction<T>(fn: (tx: SqlDatabase) => Promise<T>): Promise<T> {
      while (held) await held;
      let release!: () => void;
      held = new Promise<void>((resolve) => (release = resolve));
      try {
        db.exec(readOnly ? "BEGIN" : "BEGIN IMMEDIATE");
        try {
          const result = await fn(tx);
          db.exec("COMMIT");
          return result;
        } catch (error) {
          if (db.isTransaction) db.exec("ROLLBACK");
          throw error;
        }
      } finally {
        held = null;
        release();
      }
    },
    close: async () => {
      while (held) await held;
      db.close();
    },
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
