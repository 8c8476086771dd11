/**
 * The one schema of `seatwise.yaml`, the tool configuration. Types derive from it; defaults and
 * descriptions live in it; `schemas/seatwise.schema.json` is generated from it for editors.
 * Later features extend this schema (never a second one).
 */
import { z } from "zod";
import { DEFAULT_TASKS, TASKS } from "./permissions.ts";

export const CLOUDS = ["global", "usgov", "usgovdod", "china"] as const;
export type Cloud = (typeof CLOUDS)[number];

/** Entra authority host and Microsoft Graph endpoint of each national cloud. */
export const CLOUD_ENDPOINTS: Readonly<Record<Cloud, { authorityHost: string; graphEndpoint: string }>> = {
  global: { authorityHost: "https://login.microsoftonline.com", graphEndpoint: "https://graph.microsoft.com" },
  usgov: { authorityHost: "https://login.microsoftonline.us", graphEndpoint: "https://graph.microsoft.us" },
  usgovdod: { authorityHost: "https://login.microsoftonline.us", graphEndpoint: "https://dod-graph.microsoft.us" },
  china: { authorityHost: "https://login.chinacloudapi.cn", graphEndpoint: "https://microsoftgraph.chinacloudapi.cn" },
};

const guid = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const domainName = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const httpsOrigin = z
  .string()
  .refine((v) => {
    try {
      const u = new URL(v);
      return u.protocol === "https:" && (u.pathname === "/" || u.pathname === "") && !u.search && !u.hash;
    } catch {
      return false;
    }
  }, "must be an https:// origin without path, e.g. https://login.microsoftonline.com")
  .transform((v) => new URL(v).origin);

/** `store: { postgres: { … } }`: where the PostgreSQL store is; never its password. */
export const postgresStoreSchema = z.strictObject({
  host: z.string().min(1).describe("Server host name, e.g. seatwise.postgres.database.azure.com."),
  port: z.number().int().min(1).max(65535).default(5432).describe("Server port. Default: 5432."),
  database: z.string().min(1).describe("Database name (created by whoever provisions the server)."),
  user: z.string().min(1).describe("User (role) name; with Entra authentication, the managed identity's name."),
  ssl: z.boolean().optional().describe("TLS with the server certificate verified. Default: true, except for a server on this machine (localhost, 127.0.0.1, ::1)."),
});

export const toolConfigSchema = z
  .strictObject({
    tenantId: z
      .string()
      .refine((v) => guid.test(v) || domainName.test(v), "must be the tenant id (a GUID) or a verified domain name")
      .describe("Directory (tenant) id of the Microsoft 365 tenant, or one of its verified domain names."),
    clientId: z.string().regex(guid, "must be the application (client) id, a GUID").describe("Application (client) id of the Seatwise app registration."),
    certificate: z
      .string()
      .min(1)
      .describe(
        "Path to a PEM file holding the app's certificate and its unencrypted PKCS#8 private key. Relative to this file. Must not be readable by group or others.",
      ),
    cloud: z.enum(CLOUDS).optional().describe("National cloud preset for authorityHost and graphEndpoint. Default: global."),
    authorityHost: httpsOrigin.optional().describe("Entra authority host, overriding the cloud preset. Requires graphEndpoint too."),
    graphEndpoint: httpsOrigin.optional().describe("Microsoft Graph endpoint, overriding the cloud preset. Requires authorityHost too."),
    caFile: z.string().min(1).optional().describe("Extra PEM CA bundle to trust for TLS (e.g. the simulator's ca.pem or a TLS-inspecting proxy). Relative to this file."),
    tasks: z
      .array(z.enum(TASKS))
      .min(1)
      .refine((t) => new Set(t).size === t.length, "lists a task twice")
      .default([...DEFAULT_TASKS])
      .describe(`Integration tasks to run. Default: ${DEFAULT_TASKS.join(", ")}.`),
    domains: z
      .array(z.string().regex(domainName, "must be a domain name such as contoso.com"))
      .default([])
      .describe("Collect only users whose UPN or mail is in one of these domains (HR roster filter). Default: all domains."),
    includeGuests: z.boolean().default(false).describe("Include guest accounts in the HR roster. Default: false."),
    store: z
      .union([
        z.string().min(1),
        z.strictObject({ postgres: postgresStoreSchema }),
      ])
      .default("./seatwise.sqlite")
      .describe(
        "The store: a SQLite file path (relative to this file), a postgres:// URL without password, or { postgres: { host, port, database, user, ssl } }. The PostgreSQL password comes from the environment only (PGPASSWORD, SEATWISE_STORE, or SEATWISE_PG_AUTH=azure-managed-identity). Default: ./seatwise.sqlite.",
      ),
    retainSnapshots: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(14)
      .describe("Complete collection runs kept in the store; older ones are deleted after each run (sign-in history is kept regardless). Default: 14."),
  })
  .superRefine((c, ctx) => {
    if ((c.authorityHost === undefined) !== (c.graphEndpoint === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: [c.authorityHost === undefined ? "authorityHost" : "graphEndpoint"],
        message: "authorityHost and graphEndpoint must be given together (or use cloud)",
      });
    }
    if (c.cloud !== undefined && c.authorityHost !== undefined) {
      ctx.addIssue({ code: "custom", path: ["cloud"], message: "give either cloud or authorityHost + graphEndpoint, not both" });
    }
  });

/** seatwise.yaml as written (defaults applied). */
export type ToolConfigFile = z.output<typeof toolConfigSchema>;

/**
 * Environment variables that override fields of seatwise.yaml (read once by the CLI).
 * Lists are comma-separated; booleans are `true`/`false`.
 */
export const TOOL_CONFIG_ENV = {
  SEATWISE_TENANT_ID: "tenantId",
  SEATWISE_CLIENT_ID: "clientId",
  SEATWISE_CERTIFICATE: "certificate",
  SEATWISE_CLOUD: "cloud",
  SEATWISE_AUTHORITY_HOST: "authorityHost",
  SEATWISE_GRAPH_ENDPOINT: "graphEndpoint",
  SEATWISE_CA_FILE: "caFile",
  SEATWISE_TASKS: "tasks",
  SEATWISE_DOMAINS: "domains",
  SEATWISE_INCLUDE_GUESTS: "includeGuests",
  SEATWISE_STORE: "store",
  SEATWISE_RETAIN_SNAPSHOTS: "retainSnapshots",
} as const satisfies Record<string, keyof ToolConfigFile>;

/**
 * Environment variables for the PostgreSQL store's credentials (read once by the CLI, never from
 * seatwise.yaml): `PGPASSWORD`; or `SEATWISE_PG_AUTH=azure-managed-identity`, which takes the
 * password as an Entra access token from the managed identity (Azure Container Apps sets
 * `IDENTITY_ENDPOINT` and `IDENTITY_HEADER`; `AZURE_CLIENT_ID` picks a user-assigned identity).
 */
export const STORE_CREDENTIAL_ENV = ["PGPASSWORD", "SEATWISE_PG_AUTH", "AZURE_CLIENT_ID", "IDENTITY_ENDPOINT", "IDENTITY_HEADER"] as const;

/** Values of SEATWISE_PG_AUTH. */
export const PG_AUTH_MODES = ["password", "azure-managed-identity"] as const;
