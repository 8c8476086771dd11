/**
 * PostgreSQL through node-postgres (`pg`) behind the `SqlDatabase` port: the only module that
 * imports `pg`. A pool of connections; a transaction holds one connection from BEGIN to COMMIT.
 * Positional `?` placeholders are rewritten to `$1, $2, …` here, so repositories write one SQL text
 * for both engines. 64-bit integers and numerics come back as numbers (as from SQLite).
 */
import pg from "pg";
import { SeatwiseError } from "../core/errors.ts";
import { createManagedIdentityTokenSource } from "./managed-identity-token.ts";
import type { SqlDatabase, SqlRow, SqlValue } from "./sql-database.ts";
import { describeStore, type PostgresLocation } from "./store-location.ts";

export interface PostgresOpenOptions {
  /** Every transaction is read-only (the server refuses writes). Default false. */
  readOnly?: boolean;
  /** Connections in the pool. Default 10. */
  maxConnections?: number;
  /** Default 10 s. */
  connectTimeoutMs?: number;
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

function toNumber(text: string): number | bigint {
  const n = Number(text);
  return Number.isSafeInteger(n) || !/^-?\d+$/.test(text) ? n : BigInt(text);
}

/** Our type parsers: int8 (count(*), identity columns) and numeric as numbers, the rest as pg does. */
const types = {
  getTypeParser(oid: number, format?: string) {
    if (oid === INT8_OID || oid === NUMERIC_OID) return toNumber;
    return (pg.types.getTypeParser as (oid: number, format?: string) => unknown)(oid, format);
  },
} as pg.CustomTypesConfig;

/** `?` → `$n`, outside string literals, quoted identifiers and comments. */
export function toPostgresPlaceholders(sql: string): string {
  let out = "";
  let n = 0;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      const end = sql.indexOf(c, i + 1);
      const stop = end === -1 ? sql.length : end + 1;
      out += sql.slice(i, stop);
      i = stop - 1;
    } else if (c === "-" && sql[i + 1] === "-") {
      const end = sql.indexOf("\n", i);
      const stop = end === -1 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop - 1;
    } else if (c === "?") {
      out += `$${++n}`;
    } else {
      out += c;
    }
  }
  return out;
}

const converted = new Map<string, string>();
function convert(sql: string): string {
  let s = converted.get(sql);
  if (s === undefined) {
    s = toPostgresPlaceholders(sql);
    if (converted.size < 5000) converted.set(sql, s);
  }
  return s;
}

function toParam(v: SqlValue): unknown {
  if (typeof v === "bigint") return v.toString();
  if (v instanceof Uint8Array && !Buffer.isBuffer(v)) return Buffer.from(v);
  return v;
}

const NETWORK_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ECONNRESET", "EPIPE"]);

/**
 * A connection that failed before any statement ran, in words: host:port and the cause, never the
 * password. `invalidInput` marks what the user must fix in the setting (no such database).
 */
export class PostgresConnectError extends SeatwiseError {
  readonly code: string;
  /** The cause alone (no host), e.g. `database "x" does not exist …`. */
  readonly detail: string;
  readonly invalidInput: boolean;
  constructor(location: PostgresLocation, error: unknown) {
    const e = error as { code?: string; message?: string };
    const code = e.code ?? "";
    const where = `${location.host}:${location.port}`;
    const cause =
      NETWORK_CODES.has(code) ? code
      : code === "3D000" ? `database "${location.database}" does not exist (nothing was created; create it first, e.g. createdb -h ${location.host} -p ${location.port} ${location.database})`
      : code === "28P01" || code === "28000" ? `authentication failed for user "${location.user}" (${e.message ?? code})`
      : (e.message ?? String(error));
    super("store.unreachable", `cannot connect to PostgreSQL at ${where} (${describeStore(location)}): ${cause}`, { cause: error });
    this.code = code;
    this.detail = cause;
    this.invalidInput = code === "3D000";
  }
}

/** Opens a pool and checks that one connection works (errors: PostgresConnectError). */
export async function openPostgresDatabase(location: PostgresLocation, options: PostgresOpenOptions = {}): Promise<SqlDatabase> {
  const password = location.auth.kind === "azure-managed-identity" ? createManagedIdentityTokenSource(location.auth) : location.auth.password;
  const pool = new pg.Pool({
    host: location.host,
    port: location.port,
    database: location.database,
    user: location.user,
    ...(password === undefined ? {} : { password }),
    ssl: location.ssl,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    application_name: "seatwise",
    types,
    ...(options.readOnly ? { options: "-c default_transaction_read_only=on" } : {}),
  });
  // An idle connection that dies (server restart) is dropped from the pool; the next query reconnects.
  pool.on("error", () => undefined);
  try {
    const probe = await pool.connect();
    probe.release();
  } catch (error) {
    await pool.end().catch(() => undefined);
    if (error instanceof SeatwiseError) throw error; // the managed identity token could not be had
    throw new PostgresConnectError(location, error);
  }

  const on = (client: pg.Pool | pg.PoolClient): Omit<SqlDatabase, "transaction" | "close"> => ({
    dialect: "postgres",
    exec: async (sql) => {
      await client.query(sql);
    },
    run: async (sql, params = []) => (await client.query(convert(sql), params.map(toParam))).rowCount ?? 0,
    all: async (sql, params = []) => (await client.query<SqlRow>(convert(sql), params.map(toParam))).rows,
  });

  return {
    ...on(pool),
    async transaction<T>(fn: (tx: SqlDatabase) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      const tx: SqlDatabase = {
        ...on(client),
        transaction: (inner) => inner(tx),
        close: async () => {
          throw new Error("close() inside a transaction");
        },
      };
      let broken: Error | undefined;
      try {
        await client.query("BEGIN");
        const result = await fn(tx);
        await client.query("COMMIT");
        return result;
      } catch (error) {
        try {
          await client.query("ROLLBACK");
        } catch (rollbackError) {
          broken = rollbackError as Error; // the connection is gone: do not give it back to the pool
        }
        throw error;
      } finally {
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}
