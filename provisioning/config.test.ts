import * as pulumi from "@pulumi/pulumi";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { ValidationError } from "../core/errors.ts";
import { DEFAULT_TASKS } from "../core/permissions.ts";
import { parseProvisioningConfig, readProvisioningConfig } from "./config.ts";
import { createMocks } from "./testing/pulumi-mocks.ts";

const TENANT = "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
const JOB = { environmentId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.App/managedEnvironments/env", image: "ghcr.io/example/seatwise:1" };
const KV = { resourceGroupName: "rg", location: "westeurope" };
const SUBNET = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/pg";
const ZONE = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/seatwise.postgres.database.azure.com";

function problemsOf(raw: Record<string, unknown>): string[] {
  try {
    parseProvisioningConfig(raw, "stacks/Pulumi.contoso.yaml");
  } catch (error) {
    if (error instanceof ValidationError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  return [];
}

describe("parseProvisioningConfig", () => {
  it("applies the documented defaults", () => {
    expect(parseProvisioningConfig({ tenantId: TENANT })).toEqual({
      tenantId: TENANT,
      cloud: "global",
      tasks: [...DEFAULT_TASKS],
      reclamation: false,
      displayName: "Seatwise",
      owners: [],
      certificateValidityDays: 180,
      rotationWindowDays: 30,
      keySize: 2048,
      jobMode: "tenant",
      fleetStacks: [],
    });
  });

  it("applies the collector job and PostgreSQL defaults", () => {
    const c = parseProvisioningConfig({ tenantId: TENANT, keyVault: KV, postgres: {}, collectorJob: JOB });
    expect(c.collectorJob).toEqual({ ...JOB, cron: "0 3 * * *", cpu: 0.5, memory: "1Gi", replicaTimeoutSeconds: 3600, ephemeralStore: false });
    expect(c.postgres).toEqual({
      version: "16",
      skuName: "Standard_B1ms",
      skuTier: "Burstable",
      storageSizeGB: 32,
      backupRetentionDays: 7,
      network: "public",
      allowAzureServices: true,
      firewallRules: [],
    });
  });

  it("requires the tenant id", () => {
    expect(problemsOf({})).toEqual([expect.stringMatching(/^seatwise:tenantId: /)]);
  });

  it("refuses an RSA key shorter than 2048 bits, naming the key and the value", () => {
    expect(problemsOf({ tenantId: TENANT, keySize: 1024 })).toEqual([expect.stringMatching(/^seatwise:keySize: .*2048.*\(got 1024\)$/)]);
  });

  it("refuses a certificate validity above 365 days", () => {
    expect(problemsOf({ tenantId: TENANT, certificateValidityDays: 730 })).toEqual([expect.stringMatching(/^seatwise:certificateValidityDays: .*365/)]);
  });

  it("refuses a rotation window that is not shorter than the validity", () => {
    expect(problemsOf({ tenantId: TENANT, certificateValidityDays: 30, rotationWindowDays: 30 })).toEqual([
      "seatwise:rotationWindowDays: must be smaller than certificateValidityDays (30), got 30",
    ]);
  });

  it("refuses unknown tasks and an empty task list", () => {
    expect(problemsOf({ tenantId: TENANT, tasks: ["hrRoster", "payroll"] })).toEqual([expect.stringMatching(/^seatwise:tasks\[1\]: .*\(got "payroll"\)$/)]);
    expect(problemsOf({ tenantId: TENANT, tasks: [] })).toEqual([expect.stringMatching(/^seatwise:tasks: /)]);
  });

  it("points to seatwise:reclamation when reclamation is listed as a task", () => {
    expect(problemsOf({ tenantId: TENANT, tasks: ["reclamation"] })[0]).toMatch(/^seatwise:tasks: lists "reclamation": set seatwise:reclamation: true/);
  });

  it("rejects an unknown key and suggests the right one", () => {
    expect(problemsOf({ tenantId: TENANT, keysize: 4096 })).toEqual([expect.stringMatching(/^seatwise:keysize: unknown key \(did you mean "keySize"\?\)/)]);
  });

  it("needs keyVault for the collector job and for PostgreSQL", () => {
    expect(problemsOf({ tenantId: TENANT, postgres: {}, collectorJob: JOB })).toEqual([
      "seatwise:collectorJob: needs seatwise:keyVault: the job reads its certificate from Key Vault",
      "seatwise:postgres: needs seatwise:keyVault: its managed identity is the server's Entra administrator",
    ]);
  });

  it("refuses a job without PostgreSQL unless it opts in to a store lost after each run", () => {
    expect(problemsOf({ tenantId: TENANT, keyVault: KV, collectorJob: JOB })).toEqual([
      "seatwise:collectorJob: needs seatwise:postgres for its store (a job's local store is lost after each run); set collectorJob.ephemeralStore: true only to try the job out",
    ]);
    expect(problemsOf({ tenantId: TENANT, keyVault: KV, collectorJob: { ...JOB, ephemeralStore: true } })).toEqual([]);
    expect(problemsOf({ tenantId: TENANT, keyVault: KV, postgres: {}, collectorJob: { ...JOB, ephemeralStore: true } })).toEqual([
      "seatwise:collectorJob.ephemeralStore: cannot be true with seatwise:postgres: the job stores into PostgreSQL",
    ]);
  });

  it("refuses the job's store on Azure Files, saying why", () => {
    expect(problemsOf({ tenantId: TENANT, keyVault: KV, postgres: {}, collectorJob: { ...JOB, storageName: "share" } })).toEqual([
      "seatwise:collectorJob.storageName: is no longer supported: SQLite's file locking is not safe on Azure Files (SMB); remove it and configure seatwise:postgres for the job's store",
    ]);
  });

  it("needs a delegated subnet and a private DNS zone for a private server, and no firewall rules", () => {
    expect(problemsOf({ tenantId: TENANT, keyVault: KV, postgres: { network: "private" } })).toEqual([
      "seatwise:postgres.delegatedSubnetId: is required with network: private",
      "seatwise:postgres.privateDnsZoneId: is required with network: private",
    ]);
    expect(problemsOf({ tenantId: TENANT, keyVault: KV, postgres: { network: "private", delegatedSubnetId: SUBNET, privateDnsZoneId: ZONE } })).toEqual([]);
    expect(
      problemsOf({ tenantId: TENANT, keyVault: KV, postgres: { network: "private", delegatedSubnetId: SUBNET, privateDnsZoneId: ZONE, firewallRules: [{ name: "me", startIpAddress: "1.2.3.4", endIpAddress: "1.2.3.4" }] } }),
    ).toEqual(["seatwise:postgres.firewallRules: apply to network: public only (a private server has no public endpoint)"]);
    expect(problemsOf({ tenantId: TENANT, keyVault: KV, postgres: { delegatedSubnetId: SUBNET } })).toEqual(["seatwise:postgres.delegatedSubnetId: applies to network: private only"]);
  });

  it("accepts a firewall range exactly when it is ordered and not the whole internet", () => {
    const ip = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join("."));
    const asNumber = (a: string) => a.split(".").reduce((n, x) => n * 256 + Number(x), 0);
    fc.assert(
      fc.property(ip, ip, (start, end) => {
        const problems = problemsOf({ tenantId: TENANT, keyVault: KV, postgres: { firewallRules: [{ name: "r", startIpAddress: start, endIpAddress: end }] } });
        const expected = asNumber(start) <= asNumber(end) && !(start === "0.0.0.0" && end === "255.255.255.255");
        expect(problems.length === 0).toBe(expected);
      }),
    );
    expect(problemsOf({ tenantId: TENANT, keyVault: KV, postgres: { firewallRules: [{ name: "all", startIpAddress: "0.0.0.0", endIpAddress: "255.255.255.255" }] } })).toEqual([
      "seatwise:postgres.firewallRules[0]: opens the server to the whole internet; list the addresses that need it",
    ]);
    expect(problemsOf({ tenantId: TENANT, keyVault: KV, postgres: { firewallRules: [{ name: "r", startIpAddress: "10.0.0.300", endIpAddress: "10.0.0.1" }] } })).toEqual([
      'seatwise:postgres.firewallRules[0].startIpAddress: must be an IPv4 address (got "10.0.0.300")',
    ]);
  });

  it("runs a fleet only with a job, takes fleet stacks only in fleet mode, and refuses two stacks of the same name", () => {
    const base = { tenantId: TENANT, keyVault: KV, postgres: {} };
    expect(problemsOf({ ...base, jobMode: "fleet" })).toEqual(["seatwise:jobMode: is fleet but there is no seatwise:collectorJob to run the fleet"]);
    expect(problemsOf({ ...base, collectorJob: JOB, fleetStacks: ["contoso"] })).toEqual(["seatwise:fleetStacks: needs seatwise:jobMode: fleet"]);
    expect(problemsOf({ ...base, collectorJob: JOB, jobMode: "fleet", fleetStacks: ["acme/seatwise/contoso", "other/seatwise/Contoso"] })).toEqual([
      'seatwise:fleetStacks[1]: names stack "contoso" again (as fleetStacks[0]); stack names must differ',
    ]);
    expect(problemsOf({ ...base, collectorJob: JOB, jobMode: "fleet", fleetStacks: ["a/b/c/d"] })).toEqual([expect.stringMatching(/^seatwise:fleetStacks\[0\]: must be a stack reference/)]);
    expect(problemsOf({ ...base, collectorJob: JOB, jobMode: "fleet", fleetStacks: ["acme/seatwise/contoso", "fabrikam"] })).toEqual([]);
  });

  it("names nested keys of the optional blocks", () => {
    expect(problemsOf({ tenantId: TENANT, keyVault: { location: "westeurope" } })).toEqual([expect.stringMatching(/^seatwise:keyVault\.resourceGroupName: /)]);
    expect(problemsOf({ tenantId: TENANT, keyVault: KV, postgres: {}, collectorJob: { ...JOB, cron: "daily" } })).toEqual([
      'seatwise:collectorJob.cron: must be a 5-field cron expression (got "daily")',
    ]);
    expect(problemsOf({ tenantId: TENANT, keyVault: KV, postgres: { serverName: "Seatwise_PG" } })).toEqual([expect.stringMatching(/^seatwise:postgres\.serverName: must be 3-63 lower-case/)]);
  });

  it("reports every problem at once, with the stack file in the message", () => {
    try {
      parseProvisioningConfig({ tenantId: "nope", keySize: 1000, owners: ["x"] }, "stacks/Pulumi.contoso.yaml");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      const message = (error as Error).message;
      expect(message).toContain("stacks/Pulumi.contoso.yaml: seatwise:tenantId:");
      expect(message).toContain("seatwise:keySize:");
      expect(message).toContain("seatwise:owners[0]:");
    }
  });
});

describe("readProvisioningConfig", () => {
  beforeAll(async () => {
    await pulumi.runtime.setMocks(createMocks([]), "seatwise", "contoso", false);
  });

  it("reads typed values from the stack's seatwise: namespace", () => {
    pulumi.runtime.setAllConfig({
      "seatwise:tenantId": TENANT,
      "seatwise:keySize": "4096",
      "seatwise:reclamation": "true",
      "seatwise:tasks": JSON.stringify(["hrRoster"]),
      "seatwise:keyVault": JSON.stringify(KV),
      "seatwise:postgres": JSON.stringify({ network: "public" }),
      "seatwise:collectorJob": JSON.stringify(JOB),
      "seatwise:jobMode": "fleet",
      "seatwise:fleetStacks": JSON.stringify(["acme/seatwise/contoso"]),
      "azuread:tenantId": TENANT,
    });
    expect(readProvisioningConfig()).toMatchObject({ tenantId: TENANT, keySize: 4096, reclamation: true, tasks: ["hrRoster"], jobMode: "fleet", fleetStacks: ["acme/seatwise/contoso"], postgres: { network: "public" } });
  });

  it("fails before any resource with the stack file and key in the message", () => {
    pulumi.runtime.setAllConfig({ "seatwise:tenantId": TENANT, "seatwise:certificateValidityDays": "500" });
    expect(() => readProvisioningConfig()).toThrow(/^stacks\/Pulumi\.contoso\.yaml: seatwise:certificateValidityDays: /);
  });
});
