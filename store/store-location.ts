/**
 * Where the store lives: a SQLite file (the embedded default) or a PostgreSQL database. Parsed from
 * the one text form every `--db` option and the `store` setting accept (a file path or a
 * `postgres://` URL), or from `store: { postgres: { … } }` in seatwise.yaml. Pure: the credentials
 * (read from the environment at the CLI's edge) are passed in.
 */
import { isAbsolute, resolve } from "node:path";

export interface SqliteLocation {
  engine: "sqlite";
  /** Absolute path of the store file. */
  path: string;
}

/** How the PostgreSQL password is obtained. */
export type PostgresAuth =
  /** No password, or the one given: trust/peer authentication, `PGPASSWORD`, a URL from the environment. */
  | { kind: "password"; password: string | undefined }
  /**
   * An Entra access token for Azure Database for PostgreSQL, from the managed identity of the Azure
   * Container Apps job (`IDENTITY_ENDPOINT` + `IDENTITY_HEADER`), fetched anew when it nears expiry.
   */
  | { kind: "azure-managed-identity"; identityEndpoint: string; identityHeader: string; clientId: string | undefined };

export interface PostgresLocation {
  engine: "postgres";
  host: string;
  port: number;
  database: string;
  user: string;
  /** TLS with the server's certificate verified against the system's CAs. */
  ssl: boolean;
  /** Secret: never printed (see `describeStore`). */
  auth: PostgresAuth;
}

export type StoreLocation = SqliteLocation | PostgresLocation;

/** The PostgreSQL fields of `store: { postgres: { … } }` in seatwise.yaml (no password there, ever). */
export interface PostgresSettings {
  host: string;
  port: number;
  database: string;
  user: string;
  ssl?: boolean | undefined;
}

/** What the environment says about PostgreSQL credentials (read once, at the CLI's edge). */
export interface StoreCredentials {
  /** `PGPASSWORD`. */
  password?: string | undefined;
  /** `SEATWISE_PG_AUTH=azure-managed-identity` and its companions. */
  azure?: { identityEndpoint: string; identityHeader: string; clientId: string | undefined } | undefined;
}

/** A store setting that cannot be used; `message` never holds a password. */
export class StoreLocationError extends Error {}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);
const SSL_MODES = new Set(["disable", "require", "verify-ca", "verify-full"]);

/** True for `postgres://` and `postgresql://` URLs. */
export function isPostgresUrl(text: string): boolean {
  return /^postgres(ql)?:\/\//i.test(text);
}

/**
 * Parses a `--db` value or the `store` text: a `postgres://` URL, else a file path (relative to
 * `base`). `allowPassword` is true only for a URL that came from the environment (SEATWISE_STORE):
 * a password on a command line or in a file is refused.
 */
export function parseStoreLocation(text: string, options: { base: string; credentials: StoreCredentials; allowPassword: boolean }): StoreLocation {
  if (!isPostgresUrl(text)) return { engine: "sqlite", path: isAbsolute(text) ? text : resolve(options.base, text) };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new StoreLocationError(`${redactStoreText(text)}: not a valid postgres:// URL`);
  }
  const shown = redactStoreText(text);
  if (url.password !== "" && !options.allowPassword) {
    throw new StoreLocationError(
      `${shown}: a password in the store URL is refused here (command lines and files are not secret); set PGPASSWORD, or put the whole URL in the SEATWISE_STORE environment variable`,
    );
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ""));
  if (!url.hostname) throw new StoreLocationError(`${shown}: the URL names no host`);
  if (!database || database.includes("/")) throw new StoreLocationError(`${shown}: the URL must name one database, e.g. postgres://seatwise@db.example.com:5432/seatwise`);
  if (!url.username) throw new StoreLocationError(`${shown}: the URL names no user, e.g. postgres://seatwise@${url.host}/${database}`);
  let ssl: boolean | undefined;
  for (const [key, value] of url.searchParams) {
    if (key !== "sslmode") throw new StoreLocationError(`${shown}: unknown URL parameter "${key}" (only sslmode is read)`);
    if (!SSL_MODES.has(value)) throw new StoreLocationError(`${shown}: sslmode "${value}" must be one of ${[...SSL_MODES].join(", ")}`);
    ssl = value !== "disable";
  }
  return postgresLocation(
    { host: url.hostname, port: url.port ? Number(url.port) : 5432, database, user: decodeURIComponent(url.username), ssl },
    url.password !== "" ? { ...options.credentials, password: decodeURIComponent(url.password) } : options.credentials,
  );
}

/**
 * A PostgreSQL location from its settings and the environment's credentials. TLS defaults to on,
 * except for a server on this machine (loopback), where it defaults to off.
 */
export function postgresLocation(settings: PostgresSettings, credentials: StoreCredentials): PostgresLocation {
  return {
    engine: "postgres",
    host: settings.host,
    port: settings.port,
    database: settings.database,
    user: settings.user,
    ssl: settings.ssl ?? !LOOPBACK.has(settings.host.toLowerCase()),
    auth: credentials.azure ? { kind: "azure-managed-identity", ...credentials.azure } : { kind: "password", password: credentials.password },
  };
}

/** The location as a person reads it: the file path, or the URL without any password. */
export function describeStore(location: StoreLocation): string {
  if (location.engine === "sqlite") return location.path;
  const host = location.host.includes(":") && !location.host.startsWith("[") ? `[${location.host}]` : location.host;
  return `postgres://${encodeURIComponent(location.user)}@${host}:${location.port}/${encodeURIComponent(location.database)}`;
}

/** Removes any password from text that may hold a postgres URL (for messages and logs). */
export function redactStoreText(text: string): string {
  return text.replace(/(postgres(?:ql)?:\/\/[^:/@\s]*):[^@\s]*@/gi, "$1:***@");
}
