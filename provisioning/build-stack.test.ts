import * as pulumi from "@pulumi/pulumi";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { DEFAULT_TASKS, MICROSOFT_GRAPH_APP_ID, permissionsFor, TASK_IDENTITY, TASKS } from "../core/permissions.ts";
import type { GraphPermission, Task } from "../core/permissions.ts";
import type * as BuildStackModule from "./build-stack.ts";
import type { SeatwiseStack } from "./build-stack.ts";
import type * as ConfigModule from "./config.ts";
import type * as StackOutputsModule from "./stack-outputs.ts";
import type { ProvisioningConfigInput } from "./config.ts";
import { POLICY_RULES } from "./policy/rules.ts";
import { createMocks, fleetStackOutputs, GRAPH_APP_ROLE_FIXTURE, GRAPH_SP_OBJECT_ID, isSecretInput, valueOf } from "./testing/pulumi-mocks.ts";
import type { RecordedResource } from "./testing/pulumi-mocks.ts";

const TENANT = "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
const T = {
  app: "azuread:index/application:Application",
  sp: "azuread:index/servicePrincipal:ServicePrincipal",
  assignment: "azuread:index/appRoleAssignment:AppRoleAssignment",
  certCredential: "azuread:index/applicationCertificate:ApplicationCertificate",
  password: "azuread:index/applicationPassword:ApplicationPassword",
  cert: "pulumi-nodejs:dynamic/seatwise:SelfSignedCertificate",
  pgServer: "azure-native:dbforpostgresql:Server",
} as const;
const KV = { resourceGroupName: "rg-seatwise", location: "westeurope" };
const JOB = { environmentId: "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.App/managedEnvironments/env", image: "ghcr.io/example/seatwise:1" };

const recorded: RecordedResource[] = [];
let appRoleIds: Readonly<Record<string, string>> = GRAPH_APP_ROLE_FIXTURE;
let buildStack: typeof BuildStackModule.buildStack;
let parse: typeof ConfigModule.parseProvisioningConfig;
let stackOutputs: typeof StackOutputsModule.stackOutputs;
let counter = 0;

beforeAll(async () => {
  await pulumi.runtime.setMocks(createMocks(recorded, () => appRoleIds), "seatwise", "test", false);
  // Import the program only after the mocks are in place.
  ({ buildStack } = await import("./build-stack.ts"));
  ({ parseProvisioningConfig: parse } = await import("./config.ts"));
  ({ stackOutputs } = await import("./stack-outputs.ts"));
});

beforeEach(() => {
  appRoleIds = GRAPH_APP_ROLE_FIXTURE;
});

/** Builds one stack under a unique name and waits until every resource is registered. */
async function build(input: Omit<ProvisioningConfigInput, "tenantId">): Promise<{ stack: SeatwiseStack; resources: RecordedResource[]; name: string }> {
  const name = `s${counter++}`;
  const stack = buildStack(parse({ tenantId: TENANT, ...input }), name);
  const all = [stack.reader, ...(stack.reclaimer ? [stack.reclaimer] : [])];
  await Promise.all(
    all.flatMap((i) => [i.application.id, i.servicePrincipal.id, i.certificate.id, i.certificateCredential.id, ...i.appRoleAssignments.map((a) => a.id)]).map((o) => valueOf(o)),
  );
  if (stack.keyVault) await Promise.all([stack.keyVault.vault.id, stack.keyVault.secretsUser.id, ...Object.values(stack.keyVault.secrets).map((s) => s.id)].map((o) => valueOf(o)));
  if (stack.postgres) {
    const pg = stack.postgres;
    await Promise.all([pg.server.id, pg.administrator.id, pg.database.id, ...pg.parameters.map((p) => p.id), ...pg.firewallRules.map((r) => r.id)].map((o) => valueOf(o)));
  }
  if (stack.collectorJob) await valueOf(stack.collectorJob.job.id);
  await valueOf(stack.seatwiseYaml);
  const resources = recorded.filter((r) => r.name === `${name}-azuread` || r.name.startsWith(`${name}-`));
  return { stack, resources, name };
}

const ofType = (rs: RecordedResource[], type: string) => rs.filter((r) => r.type === type);
const ids = (permissions: readonly GraphPermission[]) => permissions.map((p) => GRAPH_APP_ROLE_FIXTURE[p]!).sort();

/** Checks one identity end to end; returns nothing, fails on the first mismatch. */
function expectIdentity(resources: RecordedResource[], prefix: string, expected: readonly GraphPermission[]) {
  const app = ofType(resources, T.app).filter((r) => r.name === prefix);
  expect(app).toHaveLength(1);
  const sp = ofType(resources, T.sp).filter((r) => r.name === prefix)[0]!;
  expect(sp.inputs.clientId).toBe(app[0]!.state.clientId);

  // Required resource access: exactly the mapped roles, all application permissions on Graph.
  const rra = app[0]!.inputs.requiredResourceAccesses as { resourceAppId: string; resourceAccesses: { id: string; type: string }[] }[];
  expect(rra).toHaveLength(1);
  expect(rra[0]!.resourceAppId).toBe(MICROSOFT_GRAPH_APP_ID);
  expect(rra[0]!.resourceAccesses.every((a) => a.type === "Role")).toBe(true);
  expect(rra[0]!.resourceAccesses.map((a) => a.id).sort()).toEqual(ids(expected));

  // Admin consent: one assignment per mapped role, from this identity's SP to Graph's SP.
  const assignments = ofType(resources, T.assignment).filter((r) => r.name.startsWith(`${prefix}-`));
  expect(assignments.map((a) => a.inputs.appRoleId as string).sort()).toEqual(ids(expected));
  for (const a of assignments) {
    expect(a.inputs.principalObjectId).toBe(sp.state.objectId);
    expect(a.inputs.resourceObjectId).toBe(GRAPH_SP_OBJECT_ID);
  }

  // The certificate is attached to this application, valid no longer than the certificate.
  const cert = ofType(resources, T.cert).filter((r) => r.name === `${prefix}-certificate`);
  expect(cert).toHaveLength(1);
  const credentials = ofType(resources, T.certCredential).filter((r) => r.name === `${prefix}-certificate`);
  expect(credentials).toHaveLength(1);
  expect(credentials[0]!.inputs).toMatchObject({
    applicationId: app[0]!.id,
    type: "AsymmetricX509Cert",
    encoding: "pem",
    value: cert[0]!.state.certPem,
    endDate: cert[0]!.state.notAfter,
    startDate: cert[0]!.state.notBefore,
  });
  expect(isSecretInput(credentials[0]!.rawInputs.value)).toBe(true);
  expect(app[0]!.inputs.passwords ?? []).toEqual([]);
}

const READER_TASK_LIST = TASKS.filter((t) => TASK_IDENTITY[t] === "reader");

/**
 * Task combinations checked through the whole program: every single task and every pair (so each
 * task's permissions and each overlap are covered), the defaults and all reader tasks; singles,
 * defaults and "all" with and without reclamation, pairs alternating. All 1,022 combinations would
 * take ~100 s here (a mock stack build costs ~75 ms of Pulumi SDK latency).
 */
function combinations(): { tasks: Task[]; reclamation: boolean }[] {
  const out: { tasks: Task[]; reclamation: boolean }[] = [];
  const both = (tasks: Task[]) => out.push({ tasks, reclamation: false }, { tasks, reclamation: true });
  for (const t of READER_TASK_LIST) both([t]);
  let i = 0;
  for (const [a, x] of READER_TASK_LIST.entries()) for (const y of READER_TASK_LIST.slice(a + 1)) out.push({ tasks: [x, y], reclamation: i++ % 2 === 1 });
  both([...DEFAULT_TASKS]);
  both([...READER_TASK_LIST]);
  return out;
}

describe("buildStack under Pulumi mocks", () => {
  it("grants exactly the task map, with certificates and no password, for each combination of tasks, with and without reclamation", async () => {
    const cases = combinations();
    expect(cases).toHaveLength(9 * 2 + 36 + 2 + 2);
    // Pulumi records a stack trace for every internal promise; skip that cost while building.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    let built: Awaited<ReturnType<typeof build>>[];
    try {
      built = [];
      for (const c of cases) built.push(await build(c));
    } finally {
      Error.stackTraceLimit = limit;
    }
    const seen = new Set<string>();
    built.forEach(({ stack, resources, name: prefix }, j) => {
      const { tasks, reclamation } = cases[j]!;
      expectIdentity(resources, `${prefix}-reader`, permissionsFor(tasks, "reader"));
      if (reclamation) {
        expectIdentity(resources, `${prefix}-reclaimer`, permissionsFor(["reclamation"], "reclaimer"));
        expect(ofType(resources, T.app)).toHaveLength(2);
      } else {
        expect(stack.reclaimer).toBeUndefined();
        expect(ofType(resources, T.app)).toHaveLength(1);
        expect(resources.some((r) => r.name.includes("reclaimer"))).toBe(false);
      }
      expect(ofType(resources, T.password)).toEqual([]);
      for (const p of permissionsFor(tasks, "reader")) seen.add(p);
    });
    // Every permission any reader task maps to was granted in at least one case.
    expect([...seen].sort()).toEqual(permissionsFor(READER_TASK_LIST, "reader"));
  });

  it("never gives the reader a ReadWrite role and gives the reclaimer LicenseAssignment.ReadWrite.All plus User.Read.All", async () => {
    const { resources } = await build({ tasks: [...READER_TASK_LIST], reclamation: true });
    const byId = new Map(Object.entries(GRAPH_APP_ROLE_FIXTURE).map(([k, v]) => [v, k]));
    const granted = (prefix: string) =>
      ofType(resources, T.assignment)
        .filter((a) => a.name.includes(prefix))
        .map((a) => byId.get(a.inputs.appRoleId as string))
        .sort();
    expect(granted("-reader-").some((p) => p!.includes(".ReadWrite."))).toBe(false);
    expect(granted("-reclaimer-")).toEqual(["LicenseAssignment.ReadWrite.All", "User.Read.All"]);
  });

  it("resolves role ids from the tenant's Graph service principal instead of hard-coding them", async () => {
    // A cloud whose Graph publishes other ids (sovereign clouds may): grants must follow the lookup.
    appRoleIds = Object.fromEntries(Object.keys(GRAPH_APP_ROLE_FIXTURE).map((k) => [k, `other-${k}`]));
    const { resources } = await build({ tasks: ["hrRoster"] });
    expect(ofType(resources, T.assignment).map((a) => a.inputs.appRoleId)).toEqual(["other-User.Read.All"]);
  });

  it("marks the private key outputs as secrets and keeps them out of seatwise.yaml", async () => {
    const { stack } = await build({ reclamation: true });
    const outputs = stackOutputs(stack);
    expect(await pulumi.isSecret(outputs.readerPrivateKeyPem)).toBe(true);
    expect(await pulumi.isSecret(outputs.reclaimerPrivateKeyPem!)).toBe(true);
    expect(await pulumi.isSecret(outputs.readerCertificatePem)).toBe(false);
    const yaml = await valueOf(outputs.seatwiseYaml);
    expect(yaml).not.toContain("PRIVATE KEY");
    expect(yaml).toContain(`tenantId: ${TENANT}`);
    expect(yaml).toContain(`clientId: ${await valueOf(stack.reader.clientId)}`);
    expect(yaml).toContain("certificate: seatwise-reader.pem");
    expect(yaml).not.toContain("reclamation");
    const reclaimerYaml = await valueOf(outputs.reclaimerSeatwiseYaml!);
    expect(reclaimerYaml).toContain(`clientId: ${await valueOf(stack.reclaimer!.clientId)}`);
    expect(reclaimerYaml).toContain("certificate: seatwise-reclaimer.pem");
    expect(reclaimerYaml).toMatch(/tasks:\n {2}- reclamation\n/);
  });

  it("pins the azuread provider to the configured tenant and cloud", async () => {
    const { resources } = await build({ cloud: "usgovdod" });
    const provider = resources.find((r) => r.type === "pulumi:providers:azuread")!;
    expect(provider.inputs).toMatchObject({ tenantId: TENANT, environment: "dod" });
  });

  it("passes owners, single-tenant audience and the certificate settings to the resources", async () => {
    const owner = "11111111-2222-4333-8444-555555555555";
    const { resources } = await build({ owners: [owner], certificateValidityDays: 90, rotationWindowDays: 10, keySize: 3072, displayName: "Contoso Seatwise" });
    const app = ofType(resources, T.app)[0]!;
    expect(app.inputs).toMatchObject({ displayName: "Contoso Seatwise reader", signInAudience: "AzureADMyOrg", owners: [owner], tags: ["seatwise:reader"] });
    expect(ofType(resources, T.cert)[0]!.inputs).toMatchObject({ commonName: "Contoso Seatwise reader", validityDays: 90, rotationWindowDays: 10, keySize: 3072 });
  });

  it("creates no Azure resources unless keyVault is configured", async () => {
    const { resources } = await build({});
    expect(resources.filter((r) => r.type.startsWith("azure-native:"))).toEqual([]);
  });

  it("stores each PEM in an RBAC Key Vault readable only by the collector identity, and schedules the job with it", async () => {
    const { resources } = await build({
      reclamation: true,
      keyVault: { resourceGroupName: "rg-seatwise", location: "westeurope", vaultName: "kv-seatwise-contoso" },
      collectorJob: { ...JOB, ephemeralStore: true },
    });
    const vault = ofType(resources, "azure-native:keyvault:Vault")[0]!;
    expect(vault.inputs).toMatchObject({ properties: { tenantId: TENANT, enableRbacAuthorization: true } });
    const identity = ofType(resources, "azure-native:managedidentity:UserAssignedIdentity")[0]!;
    const assignment = ofType(resources, "azure-native:authorization:RoleAssignment")[0]!;
    expect(assignment.inputs).toMatchObject({
      principalId: identity.state.principalId,
      principalType: "ServicePrincipal",
      scope: vault.id,
      roleDefinitionId: "/subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6",
    });
    const secrets = ofType(resources, "azure-native:keyvault:Secret");
    expect(secrets.map((s) => s.inputs.secretName).sort()).toEqual(["seatwise-reader", "seatwise-reclaimer"]);
    const readerSecret = secrets.find((s) => s.inputs.secretName === "seatwise-reader")!;
    // The secret value makes the whole `properties` input secret on the wire.
    expect(isSecretInput(readerSecret.rawInputs.properties)).toBe(true);
    const value = (readerSecret.inputs.properties as { value: string }).value;
    expect(value).toContain("BEGIN CERTIFICATE");
    expect(value).toContain("BEGIN PRIVATE KEY");

    const job = ofType(resources, "azure-native:app:Job")[0]!;
    expect(job.inputs).toMatchObject({
      identity: { type: "UserAssigned", userAssignedIdentities: [identity.id] },
      configuration: { triggerType: "Schedule", scheduleTriggerConfig: { cronExpression: "0 3 * * *" } },
    });
    const configuration = job.inputs.configuration as { secrets: { name: string; keyVaultUrl?: string; identity?: string; value?: string }[] };
    expect(configuration.secrets.find((s) => s.name === "seatwise-reader-pem")).toEqual({
      name: "seatwise-reader-pem",
      keyVaultUrl: "https://vault.vault.azure.net/secrets/seatwise-reader",
      identity: identity.id,
    });
    const jobYaml = configuration.secrets.find((s) => s.name === "seatwise-yaml")!.value!;
    expect(jobYaml).not.toContain("reclaimer");
    expect(jobYaml).not.toContain("PRIVATE KEY");
    expect(jobYaml).toContain("store: /var/lib/seatwise/seatwise.sqlite");
    const template = job.inputs.template as JobTemplate;
    expect(template.containers[0]!.args).toEqual(["collect", "--config", "/etc/seatwise/seatwise.yaml"]);
    // The explicit ephemeral opt-in: SQLite on an EmptyDir, no PostgreSQL in the environment.
    expect(template.volumes.find((v) => v.name === "seatwise-data")).toEqual({ name: "seatwise-data", storageType: "EmptyDir" });
    expect(template.containers[0]!.env.map((e) => e.name)).toEqual(["AZURE_CLIENT_ID"]);
    expect(ofType(resources, "azure-native:dbforpostgresql:Server")).toEqual([]);
  });

  it("creates an Entra-only PostgreSQL server administered by the job's identity, and the job stores into it", async () => {
    const { resources } = await build({ keyVault: KV, postgres: { firewallRules: [{ name: "admin-office", startIpAddress: "203.0.113.10", endIpAddress: "203.0.113.20" }] }, collectorJob: JOB });
    const identity = ofType(resources, "azure-native:managedidentity:UserAssignedIdentity")[0]!;
    const server = ofType(resources, T.pgServer)[0]!;
    expect(server.inputs).toMatchObject({
      resourceGroupName: "rg-seatwise",
      location: "westeurope",
      version: "16",
      sku: { name: "Standard_B1ms", tier: "Burstable" },
      authConfig: { activeDirectoryAuth: "Enabled", passwordAuth: "Disabled", tenantId: TENANT },
      network: { publicNetworkAccess: "Enabled" },
    });
    expect(server.inputs).not.toHaveProperty("administratorLogin");
    expect(server.inputs).not.toHaveProperty("administratorLoginPassword");
    const fqdn = server.state.fullyQualifiedDomainName as string;

    const admin = ofType(resources, "azure-native:dbforpostgresql:Administrator")[0]!;
    expect(admin.inputs).toEqual({
      resourceGroupName: "rg-seatwise",
      serverName: server.state.name,
      objectId: identity.state.principalId,
      principalName: identity.state.name,
      principalType: "ServicePrincipal",
      tenantId: TENANT,
    });
    expect(ofType(resources, "azure-native:dbforpostgresql:Database").map((d) => d.inputs)).toEqual([
      { resourceGroupName: "rg-seatwise", serverName: server.state.name, databaseName: "seatwise", charset: "UTF8", collation: "en_US.utf8" },
    ]);
    const parameters = Object.fromEntries(ofType(resources, "azure-native:dbforpostgresql:Configuration").map((c) => [c.inputs.configurationName, c.inputs.value]));
    expect(parameters).toEqual({ require_secure_transport: "on", ssl_min_protocol_version: "TLSv1.2" });
    expect(ofType(resources, "azure-native:dbforpostgresql:FirewallRule").map((r) => [r.inputs.firewallRuleName, r.inputs.startIpAddress, r.inputs.endIpAddress])).toEqual([
      ["AllowAllAzureServicesAndResourcesWithinAzureIps", "0.0.0.0", "0.0.0.0"],
      ["admin-office", "203.0.113.10", "203.0.113.20"],
    ]);

    const job = ofType(resources, "azure-native:app:Job")[0]!;
    const template = job.inputs.template as JobTemplate;
    expect(template.containers[0]!.env).toEqual([
      { name: "AZURE_CLIENT_ID", value: identity.state.clientId },
      { name: "SEATWISE_STORE", value: `postgres://${identity.state.name as string}@${fqdn}:5432/seatwise?sslmode=require` },
      { name: "SEATWISE_PG_AUTH", value: "azure-managed-identity" },
    ]);
    expect(template.volumes.map((v) => v.name)).toEqual(["seatwise-config"]);
    expect(template.containers[0]!.volumeMounts).toEqual([{ volumeName: "seatwise-config", mountPath: "/etc/seatwise" }]);
    const jobYaml = (job.inputs.configuration as JobConfiguration).secrets.find((x) => x.name === "seatwise-yaml")!.value!;
    expect(jobYaml).not.toMatch(/^store:/m);
    // No password of any kind in any resource of the stack.
    expect(JSON.stringify(resources.map((r) => r.inputs))).not.toMatch(/password(?!Auth)/i);
  });

  it("puts a private PostgreSQL server in the delegated subnet, with no public endpoint and no firewall rule", async () => {
    const delegatedSubnetId = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/pg";
    const privateDnsZoneId = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/x.postgres.database.azure.com";
    const { resources } = await build({ keyVault: KV, postgres: { network: "private", delegatedSubnetId, privateDnsZoneId, serverName: "seatwise-contoso" }, collectorJob: JOB });
    expect(ofType(resources, T.pgServer)[0]!.inputs).toMatchObject({
      serverName: "seatwise-contoso",
      network: { publicNetworkAccess: "Disabled", delegatedSubnetResourceId: delegatedSubnetId, privateDnsZoneArmResourceId: privateDnsZoneId },
    });
    expect(ofType(resources, "azure-native:dbforpostgresql:FirewallRule")).toEqual([]);
    const env = (ofType(resources, "azure-native:app:Job")[0]!.inputs.template as JobTemplate).containers[0]!.env;
    expect(env.find((e) => e.name === "SEATWISE_STORE")!.value).toMatch(/@seatwise-contoso\.postgres\.database\.azure\.com:5432\/seatwise\?sslmode=require$/);
  });

  it("runs one fleet job over this tenant and the referenced tenant stacks, each PEM from this stack's vault", async () => {
    const { stack, resources } = await build({ keyVault: KV, postgres: {}, collectorJob: JOB, jobMode: "fleet", fleetStacks: ["acme/seatwise/contoso", "Fabrikam"] });
    expect(stack.fleetTenants).toEqual(["contoso", "fabrikam"]);
    expect(ofType(resources, "pulumi:pulumi:StackReference").map((r) => r.inputs.name)).toEqual(["acme/seatwise/contoso", "Fabrikam"]);
    const secrets = ofType(resources, "azure-native:keyvault:Secret");
    expect(secrets.map((x) => x.inputs.secretName).sort()).toEqual(["seatwise-fleet-contoso", "seatwise-fleet-fabrikam", "seatwise-reader"]);
    const contosoSecret = secrets.find((x) => x.inputs.secretName === "seatwise-fleet-contoso")!;
    expect(isSecretInput(contosoSecret.rawInputs.properties)).toBe(true);
    const contoso = fleetStackOutputs("contoso");
    expect((contosoSecret.inputs.properties as { value: string }).value).toBe(`${(contoso.readerCertificatePem as string).trimEnd()}\n${(contoso.readerPrivateKeyPem as string).trimEnd()}\n`);

    const job = ofType(resources, "azure-native:app:Job")[0]!;
    const template = job.inputs.template as JobTemplate;
    expect(template.containers[0]!.args).toEqual(["collect", "--fleet", "/etc/seatwise/fleet.yaml"]);
    const configuration = job.inputs.configuration as JobConfiguration;
    const file = (path: string) => {
      const ref = template.volumes[0]!.secrets!.find((x) => x.path === path)!;
      return configuration.secrets.find((x) => x.name === ref.secretRef)!;
    };
    expect(template.volumes[0]!.secrets!.map((x) => x.path).sort()).toEqual(
      ["fleet.yaml", "seatwise-reader.pem", "seatwise.yaml", "tenant-contoso.pem", "tenant-contoso.yaml", "tenant-fabrikam.pem", "tenant-fabrikam.yaml"].sort(),
    );
    const storeUrl = template.containers[0]!.env.find((e) => e.name === "SEATWISE_STORE")!.value;
    expect(storeUrl).toMatch(/^postgres:\/\/[^:@]+@[^/]+\.postgres\.database\.azure\.com:5432\/seatwise\?sslmode=require$/);
    // The fleet file names the store itself: a fleet's tenants take no environment overrides.
    expect(parseYaml(file("fleet.yaml").value!)).toEqual({
      version: 1,
      store: storeUrl,
      tenants: [{ config: "/etc/seatwise/seatwise.yaml" }, { config: "/etc/seatwise/tenant-contoso.yaml" }, { config: "/etc/seatwise/tenant-fabrikam.yaml" }],
    });
    expect(parseYaml(file("tenant-contoso.yaml").value!)).toEqual({
      tenantId: contoso.tenantId,
      clientId: contoso.readerClientId,
      certificate: "tenant-contoso.pem",
      cloud: "global",
      tasks: ["applicationRoster", "licenseInformation"],
    });
    expect(file("tenant-contoso.pem").keyVaultUrl).toBe("https://vault.vault.azure.net/secrets/seatwise-fleet-contoso");
    expect(file("tenant-fabrikam.yaml").value).not.toContain("PRIVATE KEY");
    expect(template.containers[0]!.env.map((e) => e.name)).toEqual(["AZURE_CLIENT_ID", "SEATWISE_STORE", "SEATWISE_PG_AUTH"]);
  });

  it("passes its own guard rails: no policy rule objects to any resource of a full stack", async () => {
    const full = await build({ reclamation: true, keyVault: KV, postgres: { firewallRules: [{ name: "me", startIpAddress: "198.51.100.7", endIpAddress: "198.51.100.7" }] }, collectorJob: JOB, jobMode: "fleet", fleetStacks: ["contoso"] });
    const ephemeral = await build({ keyVault: KV, collectorJob: { ...JOB, ephemeralStore: true } });
    const violations = [...full.resources, ...ephemeral.resources].flatMap((r) => POLICY_RULES.map((rule) => rule.check({ type: r.type, props: r.inputs })).filter((v) => v !== undefined));
    expect(violations).toEqual([]);
  });
});

interface JobTemplate {
  containers: { args: string[]; env: { name: string; value: string }[]; volumeMounts: unknown[] }[];
  volumes: { name: string; storageType: string; secrets?: { secretRef: string; path: string }[] }[];
}
interface JobConfiguration {
  secrets: { name: string; keyVaultUrl?: string; identity?: string; value?: string }[];
}
