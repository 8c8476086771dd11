import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { createMocks, valueOf } from "./testing/pulumi-mocks.ts";
import type { RecordedResource } from "./testing/pulumi-mocks.ts";

const TENANT = "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
const recorded: RecordedResource[] = [];

describe("the Pulumi program (provisioning/index.ts)", () => {
  beforeAll(async () => {
    await pulumi.runtime.setMocks(createMocks(recorded), "seatwise", "contoso", false);
  });

  it("fails on invalid configuration before declaring any resource", async () => {
    pulumi.runtime.setAllConfig({ "seatwise:tenantId": TENANT, "seatwise:keySize": "1024" });
    await expect(import("./index.ts")).rejects.toThrow(/stacks\/Pulumi\.contoso\.yaml: seatwise:keySize: /);
    expect(recorded).toEqual([]);
  });

  it("exports client id, thumbprints, expiry, secret private keys and a seatwise.yaml without secrets", async () => {
    vi.resetModules();
    pulumi.runtime.setAllConfig({ "seatwise:tenantId": TENANT, "seatwise:reclamation": "true" });
    const program = await import("./index.ts");
    expect(program.tenantId).toBe(TENANT);
    expect(program.tasks).toContain("reclamation");
    expect(await valueOf(program.readerClientId)).toMatch(/^[0-9a-f-]{36}$/);
    expect(await valueOf(program.readerThumbprintSha256)).toMatch(/^[0-9A-F]{64}$/);
    expect(await valueOf(program.readerCertificateNotAfter)).toMatch(/Z$/);
    expect(await pulumi.isSecret(program.readerPrivateKeyPem)).toBe(true);
    expect(await pulumi.isSecret(program.reclaimerPrivateKeyPem!)).toBe(true);
    const yaml = await valueOf(program.seatwiseYaml);
    expect(yaml).not.toContain("PRIVATE KEY");
    expect(yaml).toContain("certificate: seatwise-reader.pem");
    expect(await valueOf(program.reclaimerSeatwiseYaml!)).toContain("certificate: seatwise-reclaimer.pem");
    expect(program.keyVaultUri).toBeUndefined();
    expect(recorded.some((r) => r.type === "azuread:index/application:Application")).toBe(true);
  });

  it("exports the PostgreSQL server and the job's store URL, which holds no password", async () => {
    vi.resetModules();
    pulumi.runtime.setAllConfig({
      "seatwise:tenantId": TENANT,
      "seatwise:keyVault": JSON.stringify({ resourceGroupName: "rg", location: "westeurope" }),
      "seatwise:postgres": JSON.stringify({ serverName: "seatwise-contoso" }),
      "seatwise:collectorJob": JSON.stringify({ environmentId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.App/managedEnvironments/env", image: "seatwise:0.1.0" }),
    });
    const program = await import("./index.ts");
    expect(await valueOf(program.postgresServerFqdn!)).toBe("seatwise-contoso.postgres.database.azure.com");
    const url = new URL(await valueOf(program.postgresStoreUrl!));
    expect(url.password).toBe("");
    expect(`${url.host}${url.pathname}${url.search}`).toBe("seatwise-contoso.postgres.database.azure.com:5432/seatwise?sslmode=require");
    expect(program.fleetTenants).toBeUndefined();
  });
});
