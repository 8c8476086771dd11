/**
 * Reads a fleet (the I/O edge): a fleet file (`fleet.yaml`, validated by the one schema) or a folder
 * whose every `*.yaml` is a tenant's tool configuration; then each tenant's configuration, and plans
 * the run. Every problem of every file is gathered into one ValidationError (exit 2) before anything
 * is collected. Environment overrides of seatwise.yaml fields do not apply to fleet tenants (they
 * would give every tenant the same tenant id or credential); the store's credentials do.
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { ValidationError, type Problem } from "../core/errors.ts";
import { TOOL_CONFIG_ENV } from "../core/tool-config-schema.ts";
import { DEFAULT_MAX_CONCURRENT_TENANTS, DEFAULT_MAX_OPEN_CONNECTIONS, fleetFileSchema } from "../core/fleet-schema.ts";
import { parseYamlDocument, validateWithSchema } from "../core/parse-yaml-with-schema.ts";
import { planFleet, type FleetLimits, type FleetPlan } from "../collector/fleet/plan-fleet.ts";
import type { FleetTenantRun } from "../collector/fleet/run-fleet.ts";
import { describeStore, parseStoreLocation, StoreLocationError, type StoreLocation } from "../store/store-location.ts";
import { readStoreCredentials, readToolConfig, type ToolConfig } from "./read-tool-config.ts";

/** A fleet tenant with its effective tool configuration and the store it is collected into. */
export interface FleetTenant extends FleetTenantRun {
  toolConfig: ToolConfig;
  storeLocation: StoreLocation;
}

/**
 * Reads `path` (a fleet file or a folder of tool configurations) and plans the fleet run. `env`
 * gives the PostgreSQL credentials of a fleet's `store:` (PGPASSWORD or Entra), never a password in
 * the file.
 */
export function readFleet(path: string, env: Readonly<Record<string, string | undefined>>): FleetPlan<FleetTenant> {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (error) {
    throw new ValidationError([{ file: path, line: 0, col: 0, path: "", message: `cannot read the fleet: ${(error as NodeJS.ErrnoException).code ?? String(error)}` }]);
  }
  const entries: { configFile: string; line: number; col: number; index: number }[] = [];
  let limits: FleetLimits;
  let fleetStore: StoreLocation | undefined;
  if (isDir) {
    const files = readdirSync(path).filter((f) => /\.ya?ml$/i.test(f) && !f.startsWith(".")).sort();
    if (files.length === 0) throw new ValidationError([{ file: path, line: 0, col: 0, path: "", message: "the fleet folder holds no *.yaml tenant configuration" }]);
    files.forEach((f, index) => entries.push({ configFile: join(path, f), line: 0, col: 0, index }));
    limits = { maxConcurrentTenants: DEFAULT_MAX_CONCURRENT_TENANTS, maxOpenConnections: DEFAULT_MAX_OPEN_CONNECTIONS };
  } else {
    const parsed = parseYamlDocument(readFileSync(path, "utf8"), path);
    if (!parsed.ok) throw new ValidationError(parsed.problems);
    const result = validateWithSchema(parsed.data, fleetFileSchema, path, parsed.locate);
    if (!result.ok) throw new ValidationError(result.problems);
    const base = dirname(resolve(path));
    result.value.tenants.forEach((t, index) => entries.push({ configFile: resolve(base, t.config), ...parsed.locate(["tenants", index, "config"]), index }));
    if (result.value.store !== undefined) {
      try {
        fleetStore = parseStoreLocation(result.value.store, { base, credentials: readStoreCredentials(env), allowPassword: false });
      } catch (error) {
        if (!(error instanceof StoreLocationError)) throw error;
        throw new ValidationError([{ file: path, ...parsed.locate(["store"]), path: "store", message: error.message }]);
      }
    }
    limits = { ...result.value, store: fleetStore === undefined ? undefined : storeKey(fleetStore) };
  }
  const problems: Problem[] = [];
  const tenants: FleetTenant[] = [];
  // The tenants' files get the store credentials of the environment, not its overrides of fields.
  const credentialsOnly = Object.fromEntries(Object.entries(env).filter(([name]) => !(name in TOOL_CONFIG_ENV)));
  for (const e of entries) {
    if (!isDir && !existsSync(e.configFile)) {
      problems.push({ file: path, line: e.line, col: e.col, path: `tenants[${e.index}].config`, message: `no such file: ${e.configFile}` });
      continue;
    }
    try {
      const toolConfig = readToolConfig(e.configFile, credentialsOnly);
      const storeLocation = fleetStore ?? toolConfig.store;
      tenants.push({ configFile: e.configFile, line: e.line, col: e.col, tenantId: toolConfig.tenantId, store: storeKey(storeLocation), retainSnapshots: toolConfig.retainSnapshots, tasks: toolConfig.tasks, toolConfig, storeLocation });
    } catch (error) {
      if (error instanceof ValidationError) problems.push(...error.problems);
      else throw error;
    }
  }
  if (problems.length > 0) throw new ValidationError(problems);
  const planned = planFleet(path, limits, tenants);
  if (!planned.ok) throw new ValidationError(planned.problems);
  return planned.plan;
}

/** One key per store (a SQLite file's path, a PostgreSQL database without credentials): tenants sharing it share one connection. */
function storeKey(location: StoreLocation): string {
  return describeStore(location);
}
