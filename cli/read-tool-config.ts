/**
 * Reads `seatwise.yaml` (the I/O edge): YAML + environment overrides, validated by the one schema,
 * relative paths resolved against the file's folder, and the certificate file checked (owner-only
 * permissions, a certificate and its matching PKCS#8 private key). The key never reaches a message.
 */
import { X509Certificate } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { checkKeyPair } from "../core/check-key-pair.ts";
import { RefusalError, ValidationError, type Problem } from "../core/errors.ts";
import { normalizeTenantId } from "../core/normalize-tenant-id.ts";
import { parseYamlDocument, validateWithSchema } from "../core/parse-yaml-with-schema.ts";
import type { Task } from "../core/permissions.ts";
import { CLOUD_ENDPOINTS, PG_AUTH_MODES, TOOL_CONFIG_ENV, toolConfigSchema, type Cloud, type ToolConfigFile } from "../core/tool-config-schema.ts";
import { parseStoreLocation, postgresLocation, redactStoreText, StoreLocationError, type StoreCredentials, type StoreLocation } from "../store/store-location.ts";

/** The certificate credential of an app identity, loaded once. */
export interface CertificateCredential {
  certificatePem: string;
  /** Unencrypted PKCS#8 PEM. Secret: never log it. */
  privateKeyPem: string;
  /** Hex, upper-case, no colons. */
  thumbprintSha1: string;
  thumbprintSha256: string;
  notAfter: Date;
}

/** The effective tool configuration. */
export interface ToolConfig {
  file: string;
  tenantId: string;
  clientId: string;
  certificatePath: string;
  cloud: Cloud | "custom";
  authorityHost: string;
  graphEndpoint: string;
  /** Absolute path of an extra CA bundle, if any. */
  caFile: string | undefined;
  tasks: Task[];
  domains: string[];
  includeGuests: boolean;
  /** The store: a SQLite file or a PostgreSQL database (with its credentials from the environment). */
  store: StoreLocation;
  /** Complete collection runs kept in the store. */
  retainSnapshots: number;
  /** Environment variables that overrode fields. */
  overriddenBy: string[];
}

/** Reads and validates a tool configuration file. Throws ValidationError with every problem found. */
export function readToolConfig(file: string, env: Readonly<Record<string, string | undefined>> = {}): ToolConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ValidationError([{ file, line: 0, col: 0, path: "", message: `cannot read the configuration file: ${describeFsError(error)}` }]);
  }
  const parsed = parseYamlDocument(text, file);
  if (!parsed.ok) throw new ValidationError(parsed.problems);
  if (parsed.data === null || typeof parsed.data !== "object" || Array.isArray(parsed.data)) {
    throw new ValidationError([{ file, line: 1, col: 1, path: "", message: "must be a YAML mapping of configuration fields" }]);
  }
  const data: Record<string, unknown> = { ...(parsed.data as Record<string, unknown>) };
  const envByField = new Map<string, string>();
  // A password in the file is refused before validation, so that no message ever shows it.
  if (typeof data.store === "string" && /^postgres(ql)?:\/\/[^/@\s]*:[^@\s]*@/i.test(data.store)) {
    const { line, col } = parsed.locate(["store"]);
    throw new ValidationError([{ file, line, col, path: "store", message: `${redactStoreText(data.store)}: a password does not belong in this file; set PGPASSWORD, or put the whole URL in the SEATWISE_STORE environment variable` }]);
  }
  for (const [name, field] of Object.entries(TOOL_CONFIG_ENV)) {
    const raw = env[name];
    if (raw === undefined || raw === "") continue;
    // SEATWISE_STORE may hold a password: it is parsed apart, never validated (and so never echoed) here.
    if (field === "store") continue;
    envByField.set(field, name);
    data[field] =
      field === "tasks" || field === "domains"
        ? raw.split(",").map((s) => s.trim()).filter(Boolean)
        : field === "includeGuests"
          ? parseBool(raw)
          : field === "retainSnapshots" && /^\d+$/.test(raw)
            ? Number(raw)
            : raw;
  }
  const result = validateWithSchema(data, toolConfigSchema, file, parsed.locate);
  if (!result.ok) {
    throw new ValidationError(
      result.problems.map((p): Problem => {
        const envName = envByField.get(p.path.split(/[.[]/)[0] ?? "");
        return envName ? { ...p, file: `environment variable ${envName}`, line: 0, col: 0 } : p;
      }),
    );
  }
  const c = result.value;
  const base = dirname(resolve(file));
  const endpoints = c.authorityHost && c.graphEndpoint ? { authorityHost: c.authorityHost, graphEndpoint: c.graphEndpoint } : CLOUD_ENDPOINTS[c.cloud ?? "global"];
  return {
    file,
    tenantId: normalizeTenantId(c.tenantId),
    clientId: c.clientId,
    certificatePath: resolve(base, c.certificate),
    cloud: c.authorityHost ? "custom" : (c.cloud ?? "global"),
    ...endpoints,
    caFile: c.caFile === undefined ? undefined : resolve(base, c.caFile),
    tasks: c.tasks,
    domains: c.domains,
    includeGuests: c.includeGuests,
    store: storeFromConfig(c.store, base, env, file),
    retainSnapshots: c.retainSnapshots,
    overriddenBy: [...envByField.values()],
  };
}

/** The credentials the environment gives for a PostgreSQL store (the only place that reads them). */
export function readStoreCredentials(env: Readonly<Record<string, string | undefined>>): StoreCredentials {
  const mode = env.SEATWISE_PG_AUTH || "password";
  if (!(PG_AUTH_MODES as readonly string[]).includes(mode)) {
    throw new ValidationError([{ file: "environment variable SEATWISE_PG_AUTH", line: 0, col: 0, path: "", message: `"${mode.slice(0, 40)}" must be one of ${PG_AUTH_MODES.join(", ")}` }]);
  }
  if (mode === "password") return { password: env.PGPASSWORD || undefined };
  const missing = (["IDENTITY_ENDPOINT", "IDENTITY_HEADER"] as const).filter((n) => !env[n]);
  if (missing.length > 0) {
    throw new ValidationError([
      { file: "environment variable SEATWISE_PG_AUTH", line: 0, col: 0, path: "", message: `azure-managed-identity needs ${missing.join(" and ")} (set by Azure Container Apps for a job with a managed identity)` },
    ]);
  }
  return { azure: { identityEndpoint: env.IDENTITY_ENDPOINT!, identityHeader: env.IDENTITY_HEADER!, clientId: env.AZURE_CLIENT_ID || undefined } };
}

/**
 * The store a `--db` option names (a file path, relative to the working directory, or a
 * postgres:// URL without password), else the configuration's, else SEATWISE_STORE's.
 */
export function readStoreOption(db: string | undefined, env: Readonly<Record<string, string | undefined>>, config?: ToolConfig): StoreLocation | undefined {
  if (db !== undefined) {
    try {
      return parseStoreLocation(db, { base: process.cwd(), credentials: readStoreCredentials(env), allowPassword: false });
    } catch (error) {
      if (error instanceof StoreLocationError) throw new ValidationError([{ file: "--db", line: 0, col: 0, path: "", message: error.message }]);
      throw error;
    }
  }
  if (config) return config.store;
  const fromEnv = env.SEATWISE_STORE;
  return fromEnv ? storeFromEnv(fromEnv, env) : undefined;
}

function storeFromEnv(text: string, env: Readonly<Record<string, string | undefined>>): StoreLocation {
  try {
    return parseStoreLocation(text, { base: process.cwd(), credentials: readStoreCredentials(env), allowPassword: true });
  } catch (error) {
    if (error instanceof StoreLocationError) throw new ValidationError([{ file: "environment variable SEATWISE_STORE", line: 0, col: 0, path: "", message: error.message }]);
    throw error;
  }
}

function storeFromConfig(store: ToolConfigFileStore, base: string, env: Readonly<Record<string, string | undefined>>, file: string): StoreLocation {
  if (env.SEATWISE_STORE) return storeFromEnv(env.SEATWISE_STORE, env);
  if (typeof store === "object") return postgresLocation(store.postgres, readStoreCredentials(env));
  try {
    return parseStoreLocation(store, { base, credentials: readStoreCredentials(env), allowPassword: false });
  } catch (error) {
    if (error instanceof StoreLocationError) throw new ValidationError([{ file, line: 0, col: 0, path: "store", message: error.message }]);
    throw error;
  }
}

type ToolConfigFileStore = ToolConfigFile["store"];

function parseBool(raw: string): unknown {
  if (/^(true|1|yes)$/i.test(raw)) return true;
  if (/^(false|0|no)$/i.test(raw)) return false;
  return raw;
}

/**
 * Loads the certificate credential: refuses a file readable by group or others, requires one
 * certificate and one unencrypted private key that belongs to it.
 */
export function readCertificateCredential(path: string): CertificateCredential {
  const mode = statInputFile(path, "certificate", "the certificate file");
  if (process.platform !== "win32" && (mode & 0o077) !== 0) {
    throw new RefusalError(
      "insecure-key-file",
      `${path} holds a private key but its permissions are ${(mode & 0o777).toString(8).padStart(4, "0")}; allow only its owner: chmod 600 ${path}`,
    );
  }
  const pem = readInputFile(path, "certificate", "the certificate file");
  const certMatch = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem);
  const keyMatch = /-----BEGIN (ENCRYPTED |RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END \1?PRIVATE KEY-----/.exec(pem);
  const problems: Problem[] = [];
  if (!certMatch) problems.push({ file: path, line: 0, col: 0, path: "", message: "no PEM certificate (-----BEGIN CERTIFICATE-----) found" });
  if (!keyMatch) problems.push({ file: path, line: 0, col: 0, path: "", message: "no PEM private key (-----BEGIN PRIVATE KEY-----) found" });
  else if (keyMatch[1] === "ENCRYPTED ") problems.push({ file: path, line: 0, col: 0, path: "", message: "the private key is encrypted; store it unencrypted (PKCS#8) with owner-only permissions, or use Key Vault" });
  if (problems.length > 0 || !certMatch || !keyMatch) throw new ValidationError(problems);
  const check = checkKeyPair(certMatch[0], keyMatch[0]);
  // The message never echoes key material: it only says what is wrong.
  if (!check.ok) throw new ValidationError([{ file: path, line: 0, col: 0, path: "", message: check.message }]);
  const cert = check.certificate;
  const privateKeyPem = check.privateKeyPkcs8Pem;
  return {
    certificatePem: certMatch[0],
    privateKeyPem,
    thumbprintSha1: cert.fingerprint.replaceAll(":", ""),
    thumbprintSha256: cert.fingerprint256.replaceAll(":", ""),
    notAfter: new Date(cert.validTo),
  };
}

/**
 * Reads the extra CA bundle (`caFile`): one or more PEM certificates, nothing else. A directory, a
 * missing or unreadable file, or one without a valid certificate is a validation error naming it.
 */
export function readCaFile(path: string): string {
  statInputFile(path, "caFile", "the CA file");
  const pem = readInputFile(path, "caFile", "the CA file");
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  const fail = (message: string) => new ValidationError([{ file: path, line: 0, col: 0, path: "caFile", message }]);
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) throw fail("holds a private key; a CA file holds certificates only (use the CA's certificate, e.g. the simulator's ca.pem)");
  if (blocks.length === 0) throw fail("no PEM certificate (-----BEGIN CERTIFICATE-----) found");
  for (const [i, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch {
      throw fail(`certificate ${i + 1} of ${blocks.length} is not a valid X.509 certificate`);
    }
  }
  return pem;
}

/** The mode of an input file that must be a regular file; a clear validation error otherwise. */
function statInputFile(path: string, field: string, what: string): number {
  let stats;
  try {
    stats = statSync(path);
  } catch (error) {
    throw new ValidationError([{ file: path, line: 0, col: 0, path: field, message: `cannot read ${what}: ${describeFsError(error)}` }]);
  }
  if (!stats.isFile()) throw new ValidationError([{ file: path, line: 0, col: 0, path: field, message: `${what} is ${stats.isDirectory() ? "a directory" : "not a regular file"}; give the path of a PEM file` }]);
  return stats.mode;
}

function readInputFile(path: string, field: string, what: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new ValidationError([{ file: path, line: 0, col: 0, path: field, message: `cannot read ${what}: ${describeFsError(error)}` }]);
  }
}

const FS_ERRORS: Record<string, string> = {
  ENOENT: "no such file",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EISDIR: "is a directory",
  ENOTDIR: "a part of the path is not a directory",
  ELOOP: "too many symbolic links",
};

/** An fs error as a short phrase with its code (never the file's contents). */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code) return FS_ERRORS[code] ? `${FS_ERRORS[code]} (${code})` : code;
  return error instanceof Error ? error.name : "unknown error";
}
