/**
 * `ScheduledCollectorJob` (optional): an Azure Container Apps Job that runs `seatwise collect` (one
 * tenant) or `seatwise collect --fleet` (a fleet of tenants) on a cron schedule as the Key Vault's
 * user-assigned managed identity. Container Apps fetches each PEM from Key Vault (latest version, so
 * rotation needs no redeploy) and mounts it, with generated configuration files, read-only under
 * /etc/seatwise. The store is the PostgreSQL server (Entra token of the same identity), or — only when
 * the stack opts in — an EmptyDir that is lost after each run. The job holds no directory role and
 * no secret.
 */
import * as app from "@pulumi/azure-native/app/index.js";
import type * as keyvault from "@pulumi/azure-native/keyvault/index.js";
import * as pulumi from "@pulumi/pulumi";
import type { CollectorJobConfig } from "./config.ts";
import type { KeyVaultCredentials } from "./key-vault-credentials.ts";

/** Where the job's configuration volume (generated files + PEMs from Key Vault, read-only) is mounted. */
export const JOB_CONFIG_DIR = "/etc/seatwise";
/** Where the ephemeral data volume is mounted (opt-in only). */
export const JOB_DATA_DIR = "/var/lib/seatwise";
/** The store path written into the job's seatwise.yaml when the store is ephemeral. */
export const JOB_STORE_PATH = `${JOB_DATA_DIR}/seatwise.sqlite`;
/** The fleet file of a fleet job. */
export const JOB_FLEET_FILE = `${JOB_CONFIG_DIR}/fleet.yaml`;
/** `SEATWISE_PG_AUTH` value: the store authenticates with an Entra token of the managed identity. */
export const PG_AUTH_MANAGED_IDENTITY = "azure-managed-identity";

/** One file of the configuration volume: generated text, or a Key Vault secret (a PEM). */
export type JobFile = { name: string; value: pulumi.Input<string> } | { name: string; keyVaultSecret: keyvault.Secret };

/** Where the job stores: the PostgreSQL URL (`SEATWISE_STORE`), or the explicit ephemeral opt-in. */
export type JobStore = { kind: "postgres"; url: pulumi.Input<string> } | { kind: "ephemeral" };

export interface ScheduledCollectorJobArgs {
  config: CollectorJobConfig;
  resourceGroupName: string;
  location: string;
  keyVault: KeyVaultCredentials;
  /** Files mounted in JOB_CONFIG_DIR, by file name. */
  files: readonly JobFile[];
  /** The seatwise command line, e.g. `["collect", "--config", "/etc/seatwise/seatwise.yaml"]`. */
  args: readonly string[];
  store: JobStore;
  /** Resources the job must wait for (e.g. the store's Entra administrator). */
  dependsOn?: pulumi.Resource[];
}

/**
 * The job container's environment: the managed identity's client id (Container Apps adds
 * IDENTITY_ENDPOINT and IDENTITY_HEADER itself) and, with PostgreSQL, the store and how it signs in.
 * Pure; the image test runs the image with exactly this environment.
 */
export function jobEnvironment(store: JobStore, identityClientId: pulumi.Input<string>): { name: string; value: pulumi.Input<string> }[] {
  const env = [{ name: "AZURE_CLIENT_ID", value: identityClientId }];
  if (store.kind === "postgres") env.push({ name: "SEATWISE_STORE", value: store.url }, { name: "SEATWISE_PG_AUTH", value: PG_AUTH_MANAGED_IDENTITY });
  return env;
}

/** Container Apps secret name for a mounted file: lower-case letters, digits and hyphens. Pure. */
export function jobSecretName(fileName: string): string {
  return fileName.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

export class ScheduledCollectorJob extends pulumi.ComponentResource {
  readonly job: app.Job;

  constructor(name: string, args: ScheduledCollectorJobArgs, opts?: pulumi.ComponentResourceOptions) {
    super("seatwise:provisioning:ScheduledCollectorJob", name, {}, opts);
    const { config, keyVault, store } = args;
    const names = args.files.map((f) => jobSecretName(f.name));
    if (new Set(names).size !== names.length) throw new Error(`two job files map to the same secret name: ${names.join(", ")}`);

    const env = jobEnvironment(store, keyVault.identity.clientId);
    const ephemeral = store.kind === "ephemeral";

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
          secrets: args.files.map((f, i) =>
            "value" in f
              ? { name: names[i]!, value: f.value }
              : // Versionless secret URI: Container Apps picks up the rotated certificate by itself.
                { name: names[i]!, keyVaultUrl: f.keyVaultSecret.properties.apply((p) => p.secretUri), identity: keyVault.identity.id },
          ),
        },
        template: {
          containers: [
            {
              name: "seatwise",
              image: config.image,
              args: [...args.args],
              env,
              resources: { cpu: config.cpu, memory: config.memory },
              volumeMounts: [{ volumeName: "seatwise-config", mountPath: JOB_CONFIG_DIR }, ...(ephemeral ? [{ volumeName: "seatwise-data", mountPath: JOB_DATA_DIR }] : [])],
            },
          ],
          volumes: [
            { name: "seatwise-config", storageType: app.StorageType.Secret, secrets: args.files.map((f, i) => ({ secretRef: names[i]!, path: f.name })) },
            // Opt-in only (collectorJob.ephemeralStore): the store lives as long as one run.
            ...(ephemeral ? [{ name: "seatwise-data", storageType: app.StorageType.EmptyDir }] : []),
          ],
        },
      },
      // The identity must hold Key Vault Secrets User before Container Apps resolves the references.
      { parent: this, dependsOn: [keyVault.secretsUser, ...(args.dependsOn ?? [])] },
    );
    this.registerOutputs({ jobName: this.job.name });
  }
}
