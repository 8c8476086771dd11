import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { TASK_IDENTITY, TASK_PERMISSIONS, TASKS } from "../core/permissions.ts";
import { parseProvisioningConfig, provisioningConfigSchema } from "./config.ts";
import { permissionRows, renderPermissionTable } from "./permission-table.ts";
import { POLICY_RULES } from "./policy/rules.ts";

const root = new URL("../", import.meta.url);
const docs = readFileSync(new URL("docs/provisioning.md", root), "utf8");

describe("docs/provisioning.md", () => {
  it("embeds the permission table generated from core/permissions.ts", () => {
    const embedded = /<!-- permission-table:start -->\n([\s\S]*?)<!-- permission-table:end -->/.exec(docs)?.[1];
    expect(embedded, "regenerate the table with renderPermissionTable()").toBe(renderPermissionTable());
  });

  it("has a row for every permission of every task and its identity", () => {
    const rows = new Set(permissionRows().map((r) => `${r.identity}:${r.permission}`));
    const expected = new Set(TASKS.flatMap((t) => TASK_PERMISSIONS[t].map((p) => `${TASK_IDENTITY[t]}:${p}`)));
    expect(rows).toEqual(expected);
  });

  it("names the Entra roles for pulumi up and every guard rail id", () => {
    expect(docs).toContain("**Privileged Role Administrator**");
    expect(docs).toContain("**Application Developer**");
    expect(docs).toContain("**Scheduled collection needs no directory role at all.**");
    for (const rule of POLICY_RULES) expect(docs).toContain(`\`${rule.id}\``);
  });

  it("documents every configuration key", () => {
    for (const key of Object.keys(provisioningConfigSchema.def.shape)) expect(docs).toContain(`| \`${key}\` |`);
  });
});

describe("stacks/Pulumi.example.yaml", () => {
  const text = readFileSync(new URL("stacks/Pulumi.example.yaml", root), "utf8");
  const config = (parse(text) as { config: Record<string, unknown> }).config;

  it("lists every top-level key, the optional blocks as commented examples", () => {
    for (const key of Object.keys(provisioningConfigSchema.def.shape)) expect(text).toMatch(new RegExp(`^ *#? *seatwise:${key}:`, "m"));
    const { keyVault, postgres, collectorJob } = provisioningConfigSchema.def.shape;
    const nestedKeys = [keyVault, postgres, collectorJob].flatMap((block) => Object.keys(block.unwrap().def.shape));
    expect(nestedKeys).toContain("ephemeralStore");
    for (const nested of nestedKeys) {
      expect(text).toMatch(new RegExp(`^ *# +${nested}:`, "m"));
    }
  });

  it("shows the defaults as values", () => {
    const raw = Object.fromEntries(Object.entries(config).map(([k, v]) => [k.replace(/^seatwise:/, ""), v]));
    const { tenantId: _tenant, ...rest } = raw;
    const defaults = parseProvisioningConfig({ tenantId: raw.tenantId });
    expect(parseProvisioningConfig({ tenantId: raw.tenantId, ...rest })).toEqual(defaults);
    expect(Object.keys(rest).sort()).toEqual(Object.keys(defaults).filter((k) => k !== "tenantId").sort());
  });
});

describe("Pulumi.yaml", () => {
  it("runs provisioning/ with Node's type stripping from the stacks/ folder", () => {
    const project = parse(readFileSync(new URL("Pulumi.yaml", root), "utf8")) as Record<string, unknown>;
    expect(project).toMatchObject({ name: "seatwise", main: "provisioning/", stackConfigDir: "stacks", runtime: { name: "nodejs", options: { typescript: false } } });
  });
});
