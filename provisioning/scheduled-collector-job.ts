/**
 * `ScheduledCollectorJob` (optional): an Azure Container Apps Job that runs `seatwise collect` on a
 * cron schedule as the Key Vault's user-assigned managed identity. Container Apps fetches the PEM
 * from Key Vault (latest version, so rotation needs no redeploy) and mounts it, with a generated
 * seatwise.yaml, as files; the job itself holds no directory role and no secret.
 */
import * as app from "@pulumi/azure-native/app/index.js";
import * as pulumi from "@pulumi/pulumi";
import type { CollectorJobConfig } from "./config.ts";
import type { KeyVaultCredentials } from "./key-vault-credentials.ts";
import { READER_PEM_FILE } from "./seatwise-yaml.ts";

/** Where the job's config volume (seatwise.yaml + PEM from Key Vault, read-only) is mounted. */
export const JOB_CONFIG_DIR = "/etc/seatwise";
/** Where the job's data volume is mounted. */
export const JOB_DATA_DIR = "/var/lib/seatwise";
/** The store path written into the job's seatwise.yaml. */
export const JOB_STORE_PATH = `${JOB_DATA_DIR}/seatwise.sqlite`;

export interface ScheduledCollectorJobArgs {
  config: CollectorJobConfig;
  resourceGroupName: string;
  location: string;
  keyVault: KeyVaultCredentials;
  /** Name of the reader credential in `keyVault.secrets`. */
  readerSecret: string;
  /** seatwise.yaml for the job (its certificate path is `seatwise-reader.pem`). */
  seatwiseYaml: pulumi.Input<string>;
}

export class ScheduledCollectorJob extends pulumi.ComponentResource {
  readonly job: app.Job;

  constructor(name: string, args: ScheduledCollectorJobArgs, opts?: pulumi.ComponentResourceOptions) {
    super("seatwise:provisioning:ScheduledCollectorJob", name, {}, opts);
    const { config, keyVault } = args;
    const secret = keyVault.secrets[args.readerSecret];
    if (!secret) throw new Error(`no Key Vault secret for credential "${args.readerSecret}"`);

    this.job = new app.Job(
      name,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        environmentId: config.environmentId,
        identity: { type: app.ManagedServiceIdentityType.UserAssigned, userAssignedIdentities: [keyVault.identity.id] },
        configuration: {
          triggerType: app.TriggerType.Schedule,
          replicaTimeout: config.replicaTimeoutSeconds,
          replicaRetryLimit: 1,
          scheduleTriggerConfig: { cronExpression: config.cron, parallelism: 1, replicaCompletionCount: 1 },
          secrets: [
            { name: "seatwise-yaml", value: args.seatwiseYaml },
            // Versionless secret URI: Container Apps picks up the rotated certificate by itself.
            { name: "reader-pem", keyVaultUrl: secret.properties.apply((p) => p.secretUri), identity: keyVault.identity.id },
          ],
        },
        template: {
          containers: [
            {
              name: "seatwise",
              image: config.image,
              args: ["collect", "--config", `${JOB_CONFIG_DIR}/seatwise.yaml`],
              env: [{ name: "AZURE_CLIENT_ID", value: keyVault.identity.clientId }],
              resources: { cpu: config.cpu, memory: config.memory },
              volumeMounts: [
                { volumeName: "seatwise-config", mountPath: JOB_CONFIG_DIR },
                { volumeName: "seatwise-data", mountPath: JOB_DATA_DIR },
              ],
            },
          ],
          volumes: [
            {
              name: "seatwise-config",
              storageType: app.StorageType.Secret,
              secrets: [
                { secretRef: "seatwise-yaml", path: "seatwise.yaml" },
                { secretRef: "reader-pem", path: READER_PEM_FILE },
              ],
            },
            // Azure Files storage of the managed environment when configured; otherwise the store
            // lives only as long as one run (EmptyDir).
            config.storageName
              ? { name: "seatwise-data", storageType: app.StorageType.AzureFile, storageName: config.storageName }
              : { name: "seatwise-data", storageType: app.StorageType.EmptyDir },
          ],
        },
      },
      // The identity must hold Key Vault Secrets User before Container Apps resolves the reference.
      { parent: this, dependsOn: [keyVault.secretsUser] },
    );
    this.registerOutputs({ jobName: this.job.name });
  }
}
