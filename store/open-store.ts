/**
 * The one way every command opens the store, whichever the engine:
 * - `write` (collect, schedule, reclaim apply/rollback, demo, store migrate): creates a missing
 *   SQLite file and brings the schema up to date;
 * - `read` (export, evaluate, report, reclaim plan/history): never creates or changes anything. A
 *   missing store is refused, and so is a store whose schema is older than this code (with the
 *   command that migrates it). SQLite opens read-only; PostgreSQL runs every transaction read-only.
 * A file that is not a SQLite database (a text file, a directory, a header only, a truncated file)
 * is refused in one line naming the file and the cause, before any statement runs.
 */
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { RefusalError, SeatwiseError, ValidationError } from "../core/errors.ts";
import { latestVersion, migrate, readSchemaVersion, type Migration } from "./migrate.ts";
import { openPostgresDatabase, PostgresConnectError } from "./open-postgres-database.ts";
import { openSqliteDatabase } from "./open-sqlite-database.ts";
import type { SqlDatabase } from "./sql-database.ts";
import { describeStore, type StoreLocation } from "./store-location.ts";
import { STORE_MIGRATIONS } from "./store-migrations.ts";

export const STORE_MODES = ["read", "write"] as const;
export type StoreMode = (typeof STORE_MODES)[number];

export interface OpenStoreOptions {
  mode: StoreMode;
  /** Default: the store's migrations. */
  migrations?: readonly Migration[];
  /**
   * With `mode: "write"`, whether a missing SQLite file may be created. Default true; `report` passes
   * false (it records its run summary in an existing store, never makes one). PostgreSQL databases
   * are never created here.
   */
  create?: boolean;
  /** PostgreSQL pool size. Default 10. */
  maxConnections?: number;
}

/** The command that creates or migrates a store, for messages. */
export function migrateCommand(location: StoreLocation): string {
  return `seatwise store migrate --db ${location.engine === "sqlite" ? quote(location.path) : describeStore(location)}`;
}

const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`);

/** Opens (and in write mode creates or migrates) the store at `location`. */
export async function openStore(location: StoreLocation, options: OpenStoreOptions): Promise<SqlDatabase> {
  const migrations = options.migrations ?? STORE_MIGRATIONS;
  const db = location.engine === "sqlite" ? openSqliteStore(location.path, options.mode, options.create ?? true) : await openPostgresStore(location, options);
  try {
    if (options.mode === "write") await migrate(db, migrations);
    else await checkReadable(db, location, migrations);
    return db;
  } catch (error) {
    await db.close();
    throw location.engine === "sqlite" ? asBadFile(location.path, error) : error;
  }
}

async function openPostgresStore(location: StoreLocation & { engine: "postgres" }, options: OpenStoreOptions): Promise<SqlDatabase> {
  try {
    return await openPostgresDatabase(location, { readOnly: options.mode === "read", ...(options.maxConnections ? { maxConnections: options.maxConnections } : {}) });
  } catch (error) {
    // No such database: bad input (exit 2), like a missing file; anything else is a run-time failure.
    if (error instanceof PostgresConnectError && error.invalidInput) throw fileProblem(describeStore(location), error.detail);
    throw error;
  }
}

async function checkReadable(db: SqlDatabase, location: StoreLocation, migrations: readonly Migration[]): Promise<void> {
  const version = await readSchemaVersion(db);
  const known = latestVersion(migrations);
  const where = describeStore(location);
  if (version === undefined || version === 0) {
    throw new ValidationError([{ file: where, line: 0, col: 0, path: "", message: `not a Seatwise store (no schema); collect into it first: seatwise collect --db ${location.engine === "sqlite" ? quote(location.path) : where}` }]);
  }
  if (version > known) throw new SeatwiseError("store.too-new", `${where}: the store was written by a newer Seatwise (schema ${version}, this version knows up to ${known}); upgrade Seatwise`);
  if (version < known) {
    throw new RefusalError("store-outdated", `${where}: the store's schema is version ${version}, this Seatwise reads version ${known}; a read-only command does not migrate it. Migrate it first: ${migrateCommand(location)}`);
  }
}

/** The first 100 bytes of a SQLite file (the database header). */
const HEADER = Buffer.from("SQLite format 3\0", "latin1");

function fileProblem(path: string, message: string): ValidationError {
  return new ValidationError([{ file: path, line: 0, col: 0, path: "", message }]);
}

function openSqliteStore(path: string, mode: StoreMode, create: boolean): SqlDatabase {
  let size: number | undefined;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw fileProblem(path, "is a directory, not a store file");
    if (!stat.isFile()) throw fileProblem(path, "is not a regular file");
    size = stat.size;
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOENT") throw fileProblem(path, `cannot read the store: ${code ?? String(error)}`);
    if (mode === "read" || !create) throw fileProblem(path, "no store here (nothing was created); collect into it first: seatwise collect --db " + quote(path));
  }
  if (size !== undefined && (size > 0 || mode === "read")) checkSqliteHeader(path, size);
  try {
    return openSqliteDatabase(path, { readOnly: mode === "read" });
  } catch (error) {
    throw asBadFile(path, error);
  }
}

/** Refuses what is visibly not a whole SQLite database, from its header and size alone. */
function checkSqliteHeader(path: string, size: number): void {
  if (size === 0) throw fileProblem(path, "is an empty file, not a Seatwise store");
  const header = Buffer.alloc(100);
  let read: number;
  const fd = openSync(path, "r");
  try {
    read = readSync(fd, header, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  if (read < HEADER.length || !header.subarray(0, HEADER.length).equals(HEADER)) throw fileProblem(path, "is not a SQLite database (no SQLite header)");
  if (read < 100) throw fileProblem(path, `is truncated: ${size} bytes, shorter than a SQLite header`);
  const rawPageSize = header.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) throw fileProblem(path, `is not a valid SQLite database (page size ${rawPageSize})`);
  // The in-header page count is valid when the "version-valid-for" number equals the change counter.
  const pages = header.readUInt32BE(28);
  if (pages > 0 && header.readUInt32BE(92) === header.readUInt32BE(24) && size < pages * pageSize) {
    throw fileProblem(path, `is truncated: ${size} bytes, its header says ${pages * pageSize}`);
  }
  if (size < pageSize) throw fileProblem(path, `is truncated: ${size} bytes, less than one ${pageSize}-byte page`);
}

/** SQLite's "not a database", "malformed", "cannot open" as one line naming the file. */
function asBadFile(path: string, error: unknown): unknown {
  const e = error as { code?: string; errcode?: number; message?: string; syscall?: string };
  // Creating the file owner-only failed (no such folder, no permission).
  if (e.syscall === "open" && e.code) return fileProblem(path, `cannot create the store: ${e.code}${e.code === "ENOENT" ? " (does its folder exist?)" : ""}`);
  if (e.code !== "ERR_SQLITE_ERROR") return error;
  const primary = (e.errcode ?? 0) & 0xff;
  // SQLITE_CORRUPT 11, SQLITE_CANTOPEN 14, SQLITE_NOTADB 26, SQLITE_IOERR 10.
  if (primary === 11 || primary === 26 || primary === 10) return fileProblem(path, `is not a readable SQLite store: ${e.message}`);
  if (primary === 14) return fileProblem(path, `cannot open the store: ${e.message} (does its folder exist?)`);
  return error;
}
