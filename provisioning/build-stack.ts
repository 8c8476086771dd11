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
import { JOB_STORE_PATH, ScheduledCollectorJob } from "./scheduled-collector-job.ts";
import { READER_PEM_FILE, RECLAIMER_PEM_FILE, renderSeatwiseYaml } from "./seatwise-yaml.ts";

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
  collectorJob: ScheduledCollectorJob | undefined;
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
  let collectorJob: ScheduledCollectorJob | undefined;
  if (config.keyVault) {
    const pem = (identity: GraphAppIdentity) => pulumi.all([identity.certificate.certPem, identity.certificate.privateKeyPem]).apply(([c, k]) => `${c.trimEnd()}\n${k.trimEnd()}\n`);
    const credentials = [{ name: "reader", pem: pem(reader), notAfter: reader.certificate.notAfter }];
    if (reclaimer) credentials.push({ name: "reclaimer", pem: pem(reclaimer), notAfter: reclaimer.certificate.notAfter });
    keyVault = new KeyVaultCredentials(`${name}-kv`, { config: config.keyVault, tenantId: config.tenantId, credentials });

    if (config.collectorJob) {
      // The job only collects (reader tasks, no reclaimer); config and PEM are mounted read-only,
      // the store lives on the job's data volume.
      const jobYaml = reader.clientId.apply((clientId) =>
        renderSeatwiseYaml({ tenantId: config.tenantId, clientId, cloud: config.cloud, tasks: config.tasks, certificate: READER_PEM_FILE, store: JOB_STORE_PATH }),
      );
      collectorJob = new ScheduledCollectorJob(`${name}-collect`, {
        config: config.collectorJob,
        resourceGroupName: config.keyVault.resourceGroupName,
        location: config.keyVault.location,
        keyVault,
        readerSecret: "reader",
        seatwiseYaml: jobYaml,
      });
    }
  }

  return { tenantId: config.tenantId, cloud: config.cloud, tasks, reader, reclaimer, keyVault, collectorJob, seatwiseYaml, reclaimerSeatwiseYaml };
}
