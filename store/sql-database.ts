/**
 * The store's narrow port: the few operations Seatwise needs from a SQL database, so that the
 * embedded SQLite default (node:sqlite) can be joined by PostgreSQL without touching repositories.
 * Only `open-sqlite-database.ts` imports the driver.
 */

/** A bound parameter value. */
export type SqlValue = string | number | bigint | null | Uint8Array;

/** One result row, column name → value. */
export type SqlRow = Record<string, SqlValue>;

export interface SqlDatabase {
  /** Runs statements without results (DDL, multi-statement scripts). */
  exec(sql: string): void;
  /** Runs one statement with positional parameters; returns the number of changed rows. */
  run(sql: string, params?: readonly SqlValue[]): number;
  /** Runs one query and returns all rows. */
  all(sql: string, params?: readonly SqlValue[]): SqlRow[];
  /** Runs `fn` in one transaction: everything or nothing. Nested calls join the outer transaction. */
  transaction<T>(fn: () => T): T;
  close(): void;
}
