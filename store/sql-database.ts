/**
 * The store's narrow port: the few operations Seatwise needs from a SQL database, so that the
 * embedded SQLite default (node:sqlite) and PostgreSQL (node-postgres) sit behind one interface and
 * the repositories never see a driver. Only the adapter modules import a driver.
 *
 * Asynchronous because PostgreSQL is a network server; the SQLite adapter answers at once.
 * Parameters are positional `?` placeholders in every engine (an adapter rewrites them as needed).
 */

/** The SQL engines behind the port. */
export const SQL_DIALECTS = ["sqlite", "postgres"] as const;
export type SqlDialect = (typeof SQL_DIALECTS)[number];

/** A bound parameter value. */
export type SqlValue = string | number | bigint | null | Uint8Array;

/** One result row, column name → value. */
export type SqlRow = Record<string, SqlValue>;

export interface SqlDatabase {
  /**
   * The engine, for the few statements that differ (row locks: `SELECT … FOR UPDATE` exists only in
   * PostgreSQL; SQLite's write transactions already exclude each other).
   */
  readonly dialect: SqlDialect;
  /** Runs statements without results (DDL, multi-statement scripts). */
  exec(sql: string): Promise<void>;
  /** Runs one statement with positional parameters; resolves to the number of changed rows. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /** Runs one query and resolves to all rows. */
  all(sql: string, params?: readonly SqlValue[]): Promise<SqlRow[]>;
  /**
   * Runs `fn` in one transaction: everything or nothing. Statements inside must go through `tx`
   * (a PostgreSQL transaction lives on one connection); calls on `tx.transaction` join the outer
   * transaction. Other callers of this database wait until it ends.
   */
  transaction<T>(fn: (tx: SqlDatabase) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
