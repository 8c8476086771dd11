/**
 * Declares every resource of one tenant's stack from a validated configuration. `index.ts` calls it
 * once with the stack's configuration; tests call it once per configuration under Pulumi's mocks.
 */
import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import { MICROSOFT_GRAPH_APP_ID, permissionsFor } from "../core/permissions.ts";
import type { Task } from "../core/permissions.ts";
import type { Cloud, ProvisioningConfig } from "./config.ts";
import { GraphAppIdentity } from "./graph-app-identity.ts";
import { KeyVaultCredentials } from "./key-vault-credentials.ts";
import type { StoredCredential } from "./key-vault-credentials.ts";
import { PostgresStore } from "./postgres-store.ts";
import { JOB_CONFIG_DIR, JOB_FLEET_FILE, JOB_STORE_PATH, ScheduledCollectorJob } from "./scheduled-collector-job.ts";
import type { JobFile, JobStore } from "./scheduled-collector-job.ts";
import { READER_PEM_FILE, READER_YAML_FILE, RECLAIMER_PEM_FILE, renderFleetYaml, renderSeatwiseYaml } from "./seatwise-yaml.ts";
import { fleetTenantName } from "./config.ts";

/** azuread provider `environment` per Seatwise cloud name. */
export const AZUREAD_ENVIRONMENT: Readonly<Record<Cloud, string>> = {
  global: "global",
  usgov: "usgovernment",
  usgovdod: "dod",
  china: "china",
};

/** Everything the stack declares, for index.ts outputs and for tests. */
export interface SeatwiseStack {
  tenantId: string;
  cloud: Cloud;
  /** Enabled tasks; `reclamation` included when enabled. */
  tasks: Task[];
  reader: GraphAppIdentity;
  reclaimer: GraphAppIdentity | undefined;
  keyVault: KeyVaultCredentials | undefined;
  postgres: PostgresStore | undefined;
  collectorJob: ScheduledCollectorJob | undefined;
  /** Tenant names (stack names) of the other stacks a fleet job collects, in fleetStacks order. */
  fleetTenants: string[];
  /** seatwise.yaml of the reader, to sit next to seatwise-reader.pem; no secret inside. */
  seatwiseYaml: pulumi.Output<string>;
  /** seatwise-reclaimer.yaml (tasks: [reclamation]) when reclamation is enabled. */
  reclaimerSeatwiseYaml: pulumi.Output<string> | undefined;
}

/**
 * Declares the stack. `name` prefixes logical names (default `seatwise`; tests use distinct names
 * to build several stacks in one process).
 */
export function buildStack(config: ProvisioningConfig, name = "seatwise"): SeatwiseStack {
  // An explicit provider pins the tenant and cloud: ambient `az login` to another tenant cannot
  // make this stack provision there.
  const provider = new azuread.Provider(`${name}-azuread`, { tenantId: config.tenantId, environment: AZUREAD_ENVIRONMENT[config.cloud] });
  const graph = azuread.getServicePrincipalOutput({ clientId: MICROSOFT_GRAPH_APP_ID }, { provider });
  const graphSp = pulumi.all([graph.objectId, graph.appRoleIds]).apply(([objectId, appRoleIds]) => ({ objectId, appRoleIds }));
  const certificate = { validityDays: config.certificateValidityDays, rotationWindowDays: config.rotationWindowDays, keySize: config.keySize };
  const owners = config.owners;

  const tasks: Task[] = [...(config.tasks as Task[]), ...(config.reclamation ? (["reclamation"] as const) : [])];

  const reader = new GraphAppIdentity(
    `${name}-reader`,
    { role: "reader", displayName: `${config.displayName} reader`, permissions: permissionsFor(tasks, "reader"), graph: graphSp, owners, certificate },
    { providers: [provider] },
  );
  const reclaimer = config.reclamation
    ? new GraphAppIdentity(
        `${name}-reclaimer`,
        { role: "reclaimer", displayName: `${config.displayName} reclaimer`, permissions: permissionsFor(tasks, "reclaimer"), graph: graphSp, owners, certificate },
        { providers: [provider] },
      )
    : undefined;

  const seatwiseYaml = reader.clientId.apply((clientId) =>
    renderSeatwiseYaml({ tenantId: config.tenantId, clientId, cloud: config.cloud, tasks: config.tasks, certificate: READER_PEM_FILE }),
  );
  const reclaimerSeatwiseYaml = reclaimer?.clientId.apply((clientId) =>
    renderSeatwiseYaml({ tenantId: config.tenantId, clientId, cloud: config.cloud, tasks: ["reclamation"], certificate: RECLAIMER_PEM_FILE }),
  );

  let keyVault: KeyVaultCredentials | undefined;
  let postgres: PostgresStore | undefined;
  let collectorJob: ScheduledCollectorJob | undefined;
  const fleet = config.jobMode === "fleet" ? config.fleetStacks.map((ref) => fleetTenant(`${name}-fleet`, ref)) : [];
  if (config.keyVault) {
    const pem = (identity: GraphAppIdentity) => pulumi.all([identity.certificate.certPem, identity.certificate.privateKeyPem]).apply(([c, k]) => joinPem(c, k));
    const credentials: StoredCredential[] = [{ name: "reader", pem: pem(reader), notAfter: reader.certificate.notAfter }];
    if (reclaimer) credentials.push({ name: "reclaimer", pem: pem(reclaimer), notAfter: reclaimer.certificate.notAfter });
    // A fleet job reads every tenant's reader PEM from this stack's vault (copied from that stack's outputs).
    for (const t of fleet) credentials.push({ name: `fleet-${t.name}`, pem: t.pem, notAfter: t.notAfter });
    keyVault = new KeyVaultCredentials(`${name}-kv`, { config: config.keyVault, tenantId: config.tenantId, credentials });
    const { resourceGroupName, location } = config.keyVault;

    if (config.postgres) {
      postgres = new PostgresStore(`${name}-pg`, {
        config: config.postgres,
        resourceGroupName,
        location,
        tenantId: config.tenantId,
        administrator: { objectId: keyVault.identity.principalId, principalName: keyVault.identity.name },
      });
    }

    if (config.collectorJob) {
      // The job only collects (reader tasks, never the reclaimer). With PostgreSQL the store comes from
      // SEATWISE_STORE, so the yaml names none; the ephemeral opt-in keeps SQLite on the EmptyDir.
      const store: JobStore = postgres ? { kind: "postgres", url: postgres.url } : { kind: "ephemeral" };
      const storePath = postgres ? undefined : JOB_STORE_PATH;
      const ownYaml = reader.clientId.apply((clientId) =>
        renderSeatwiseYaml({ tenantId: config.tenantId, clientId, cloud: config.cloud, tasks: config.tasks, certificate: READER_PEM_FILE, ...(storePath ? { store: storePath } : {}) }),
      );
      const secret = (credential: string) => keyVault!.secrets[credential]!;
      const files: JobFile[] = [
        { name: READER_YAML_FILE, value: ownYaml },
        { name: READER_PEM_FILE, keyVaultSecret: secret("reader") },
      ];
      let args = ["collect", "--config", `${JOB_CONFIG_DIR}/${READER_YAML_FILE}`];
      if (config.jobMode === "fleet") {
        for (const t of fleet) {
          files.push({ name: `tenant-${t.name}.yaml`, value: t.yaml(`tenant-${t.name}.pem`, storePath) });
          files.push({ name: `tenant-${t.name}.pem`, keyVaultSecret: secret(`fleet-${t.name}`) });
        }
        const configs = [READER_YAML_FILE, ...fleet.map((t) => `tenant-${t.name}.yaml`)].map((f) => `${JOB_CONFIG_DIR}/${f}`);
        const fleetStore = postgres ? postgres.url : pulumi.output(JOB_STORE_PATH);
        files.push({ name: "fleet.yaml", value: fleetStore.apply((url) => renderFleetYaml(configs, url)) });
        args = ["collect", "--fleet", JOB_FLEET_FILE];
      }
      collectorJob = new ScheduledCollectorJob(`${name}-collect`, {
        config: config.collectorJob,
        resourceGroupName,
        location,
        keyVault,
        files,
        args,
        store,
        dependsOn: postgres ? [postgres.administrator, postgres.database] : [],
      });
    }
  }

  return {
    tenantId: config.tenantId,
    cloud: config.cloud,
    tasks,
    reader,
    reclaimer,
    keyVault,
    postgres,
    collectorJob,
    fleetTenants: fleet.map((t) => t.name),
    seatwiseYaml,
    reclaimerSeatwiseYaml,
  };
}

/** Certificate and private key in one PEM, as seatwise.yaml's `certificate` expects. */
function joinPem(certificatePem: string, privateKeyPem: string): string {
  return `${certificatePem.trimEnd()}\n${privateKeyPem.trimEnd()}\n`;
}

/** Another tenant stack of a fleet, read through a StackReference to its outputs (stack-outputs.ts). */
interface FleetTenant {
  name: string;
  pem: pulumi.Output<string>;
  notAfter: pulumi.Output<string>;
  /** That tenant's seatwise.yaml inside the fleet job. */
  yaml(certificate: string, store: string | undefined): pulumi.Output<string>;
}

function fleetTenant(prefix: string, stackReference: string): FleetTenant {
  const name = fleetTenantName(stackReference);
  const ref = new pulumi.StackReference(`${prefix}-${name}`, { name: stackReference });
  const out = (key: string) => ref.requireOutput(key) as pulumi.Output<unknown>;
  const pem = pulumi.all([out("readerCertificatePem"), out("readerPrivateKeyPem")]).apply(([c, k]) => joinPem(String(c), String(k)));
  return {
    name,
    pem: pulumi.secret(pem),
    notAfter: out("readerCertificateNotAfter").apply(String),
    yaml: (certificate, store) =>
      pulumi.all([out("tenantId"), out("readerClientId"), out("cloud"), out("tasks")]).apply(([tenantId, clientId, cloud, tasks]) =>
        renderSeatwiseYaml({
          tenantId: String(tenantId),
          clientId: String(clientId),
          cloud: String(cloud),
          // The tenant stack's outputs list reclamation when it is on; the fleet job only collects.
          tasks: (tasks as string[]).filter((t) => t !== "reclamation"),
          certificate,
          ...(store ? { store } : {}),
        }),
      ),
  };
}
