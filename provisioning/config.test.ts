import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { ValidationError } from "../core/errors.ts";
import { DEFAULT_TASKS } from "../core/permissions.ts";
import { parseProvisioningConfig, readProvisioningConfig } from "./config.ts";
import { createMocks } from "./testing/pulumi-mocks.ts";

const TENANT = "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
const JOB = { environmentId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.App/managedEnvironments/env", image: "ghcr.io/example/seatwise:1" };

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
    });
  });

  it("applies the collector job defaults", () => {
    const c = parseProvisioningConfig({ tenantId: TENANT, keyVault: { resourceGroupName: "rg", location: "westeurope" }, collectorJob: JOB });
    expect(c.collectorJob).toEqual({ ...JOB, cron: "0 3 * * *", cpu: 0.5, memory: "1Gi", replicaTimeoutSeconds: 3600 });
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

  it("needs keyVault for the collector job", () => {
    expect(problemsOf({ tenantId: TENANT, collectorJob: JOB })).toEqual(["seatwise:collectorJob: needs seatwise:keyVault: the job reads its certificate from Key Vault"]);
  });

  it("names nested keys of the optional blocks", () => {
    expect(problemsOf({ tenantId: TENANT, keyVault: { location: "westeurope" } })).toEqual([expect.stringMatching(/^seatwise:keyVault\.resourceGroupName: /)]);
    expect(problemsOf({ tenantId: TENANT, keyVault: { resourceGroupName: "rg", location: "x" }, collectorJob: { ...JOB, cron: "daily" } })).toEqual([
      'seatwise:collectorJob.cron: must be a 5-field cron expression (got "daily")',
    ]);
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
      "azuread:tenantId": TENANT,
    });
    expect(readProvisioningConfig()).toMatchObject({ tenantId: TENANT, keySize: 4096, reclamation: true, tasks: ["hrRoster"] });
  });

  it("fails before any resource with the stack file and key in the message", () => {
    pulumi.runtime.setAllConfig({ "seatwise:tenantId": TENANT, "seatwise:certificateValidityDays": "500" });
    expect(() => readProvisioningConfig()).toThrow(/^stacks\/Pulumi\.contoso\.yaml: seatwise:certificateValidityDays: /);
  });
});
