/**
 * Reads a fleet (the I/O edge): a fleet file (`fleet.yaml`, validated by the one schema) or a folder
 * whose every `*.yaml` is a tenant's tool configuration; then each tenant's configuration, and plans
 * the run. Every problem of every file is gathered into one ValidationError (exit 2) before anything
 * is collected. Environment overrides of seatwise.yaml do not apply to fleet tenants: they would
 * give every tenant the same tenant id or credential.
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { ValidationError, type Problem } from "../core/errors.ts";
import { DEFAULT_MAX_CONCURRENT_TENANTS, DEFAULT_MAX_OPEN_CONNECTIONS, fleetFileSchema } from "../core/fleet-schema.ts";
import { parseYamlDocument, validateWithSchema } from "../core/parse-yaml-with-schema.ts";
import { planFleet, type FleetLimits, type FleetPlan } from "../collector/fleet/plan-fleet.ts";
import type { FleetTenantRun } from "../collector/fleet/run-fleet.ts";
import { readToolConfig, type ToolConfig } from "./read-tool-config.ts";

/** A fleet tenant with its effective tool configuration. */
export interface FleetTenant extends FleetTenantRun {
  toolConfig: ToolConfig;
}

/** Reads `path` (a fleet file or a folder of tool configurations) and plans the fleet run. */
export function readFleet(path: string): FleetPlan<FleetTenant> {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (error) {
    throw new ValidationError([{ file: path, line: 0, col: 0, path: "", message: `cannot read the fleet: ${(error as NodeJS.ErrnoException).code ?? String(error)}` }]);
  }
  const entries: { configFile: string; line: number; col: number; index: number }[] = [];
  let limits: FleetLimits;
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
    limits = { ...result.value, store: result.value.store === undefined ? undefined : resolveStore(base, result.value.store) };
  }
  const problems: Problem[] = [];
  const tenants: FleetTenant[] = [];
  for (const e of entries) {
    if (!isDir && !existsSync(e.configFile)) {
      problems.push({ file: path, line: e.line, col: e.col, path: `tenants[${e.index}].config`, message: `no such file: ${e.configFile}` });
      continue;
    }
    try {
      const toolConfig = readToolConfig(e.configFile, {});
      tenants.push({ configFile: e.configFile, line: e.line, col: e.col, tenantId: toolConfig.tenantId, store: toolConfig.storePath, retainSnapshots: toolConfig.retainSnapshots, tasks: toolConfig.tasks, toolConfig });
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

/** A store spec of the fleet file: a URL stays as is, a file path is relative to the fleet file. */
function resolveStore(base: string, store: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(store) ? store : resolve(base, store);
}
