/**
 * Test fixture: the store engines every store test runs against (`describe.each(STORE_ENGINES)`).
 * SQLite always; PostgreSQL at SEATWISE_TEST_POSTGRES (default postgres://postgres@127.0.0.1:5432/postgres,
 * trust authentication), where each fresh store is a new database `seatwise_test_<random>` (ICU en-US
 * collation), dropped
 * by `dropFreshStores()` (call it in `afterAll`). With CI=true the PostgreSQL suite always runs and
 * fails if the server is unreachable; elsewhere it is left out with a printed notice.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openPostgresDatabase } from "../open-postgres-database.ts";
import { openSqliteDatabase } from "../open-sqlite-database.ts";
import { openStore } from "../open-store.ts";
import type { SqlDatabase, SqlDialect } from "../sql-database.ts";
import { describeStore, parseStoreLocation, type PostgresLocation, type StoreLocation } from "../store-location.ts";

export interface FreshStore {
  location: StoreLocation;
  /** What a `--db` option takes for it (a path, or a postgres:// URL without password). */
  arg: string;
}

export interface StoreEngine {
  name: SqlDialect;
  /** A new, empty store (nothing created yet for SQLite; an empty database for PostgreSQL). */
  fresh(): Promise<FreshStore>;
}

const adminUrl = process.env.SEATWISE_TEST_POSTGRES ?? "postgres://postgres@127.0.0.1:5432/postgres";
const admin = parseStoreLocation(adminUrl, { base: process.cwd(), credentials: { password: process.env.PGPASSWORD }, allowPassword: true }) as PostgresLocation;
const created: string[] = [];
let adminDb: Promise<SqlDatabase> | undefined;

const sqlite: StoreEngine = {
  name: "sqlite",
  async fresh() {
    const path = join(mkdtempSync(join(tmpdir(), "seatwise-store-")), "store.sqlite");
    return { location: { engine: "sqlite", path }, arg: path };
  },
};

const postgres: StoreEngine = {
  name: "postgres",
  async fresh() {
    adminDb ??= openPostgresDatabase(admin, { maxConnections: 2, connectTimeoutMs: 5000 });
    const database = `seatwise_test_${randomBytes(6).toString("hex")}`;
    // ICU en-US collation, like a cloud server's default locale (not the byte order of C): the store
    // must not depend on the server's collation.
    await (await adminDb).exec(`CREATE DATABASE ${database} TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'`);
    created.push(database);
    const location: PostgresLocation = { ...admin, database };
    return { location, arg: describeStore(location) };
  },
};

async function reachable(): Promise<boolean> {
  try {
    const db = await openPostgresDatabase(admin, { maxConnections: 1, connectTimeoutMs: 3000 });
    await db.close();
    return true;
  } catch {
    return false;
  }
}

const ci = process.env.CI === "true" || process.env.CI === "1";
const pgUp = await reachable();
if (!pgUp && !ci) {
  console.warn(`seatwise tests: PostgreSQL is not reachable at ${describeStore(admin)}; its store suite is skipped here (with CI=true it runs and fails instead)`);
}

/** The engines to run store tests against. */
export const STORE_ENGINES: readonly StoreEngine[] = pgUp || ci ? [sqlite, postgres] : [sqlite];

/** A fresh store, opened for writing (schema migrated). */
export async function openFreshStore(engine: StoreEngine): Promise<{ db: SqlDatabase } & FreshStore> {
  const fresh = await engine.fresh();
  return { ...fresh, db: await openStore(fresh.location, { mode: "write" }) };
}

/** Opens a store's database as it is: no schema check, no migration. */
export async function openUnmigrated(location: StoreLocation): Promise<SqlDatabase> {
  return location.engine === "sqlite" ? openSqliteDatabase(location.path) : openPostgresDatabase(location, { maxConnections: 4 });
}

/** Drops every database this file's tests created (their connections are ended first). */
export async function dropFreshStores(): Promise<void> {
  if (!adminDb) return;
  const db = await adminDb;
  for (const name of created.splice(0)) await db.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  adminDb = undefined;
  await db.close();
}
