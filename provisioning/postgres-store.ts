/**
 * `PostgresStore` (optional): an Azure Database for PostgreSQL flexible server holding the `seatwise`
 * database of the scheduled job. Microsoft Entra authentication only — password authentication is
 * disabled and no administrator login or password exists anywhere — with the job's user-assigned
 * managed identity as the server's Entra administrator; TLS required (TLS 1.2 at least). The job
 * connects as that identity with an Entra access token as its password (`SEATWISE_PG_AUTH`).
 */
import * as dbforpostgresql from "@pulumi/azure-native/dbforpostgresql/index.js";
import * as pulumi from "@pulumi/pulumi";
import type { PostgresConfig } from "./config.ts";

/** The database the job stores into. */
export const POSTGRES_DATABASE = "seatwise";
/** Azure's reserved name for the 0.0.0.0 rule that admits connections from Azure services. */
export const AZURE_SERVICES_RULE = "AllowAllAzureServicesAndResourcesWithinAzureIps";
/** Server parameters set on every server: TLS required, nothing older than TLS 1.2. */
export const POSTGRES_TLS_PARAMETERS: readonly { name: string; value: string }[] = [
  { name: "require_secure_transport", value: "on" },
  { name: "ssl_min_protocol_version", value: "TLSv1.2" },
];

/**
 * The store URL the job's `SEATWISE_STORE` carries: the identity's name as the user, no password (the
 * store fetches an Entra token for it), TLS required. Pure.
 */
export function postgresStoreUrl(user: string, fqdn: string): string {
  return `postgres://${encodeURIComponent(user)}@${fqdn}:5432/${POSTGRES_DATABASE}?sslmode=require`;
}

export interface PostgresStoreArgs {
  config: PostgresConfig;
  resourceGroupName: string;
  location: string;
  tenantId: string;
  /** The Entra principal made administrator: the job's user-assigned managed identity. */
  administrator: { objectId: pulumi.Input<string>; principalName: pulumi.Input<string> };
}

export class PostgresStore extends pulumi.ComponentResource {
  readonly server: dbforpostgresql.Server;
  readonly parameters: dbforpostgresql.Configuration[];
  readonly firewallRules: dbforpostgresql.FirewallRule[];
  readonly administrator: dbforpostgresql.Administrator;
  readonly database: dbforpostgresql.Database;
  /** `<server>.postgres.database.azure.com`. */
  readonly fqdn: pulumi.Output<string>;
  /** `SEATWISE_STORE` for the administrator identity (no secret inside). */
  readonly url: pulumi.Output<string>;

  constructor(name: string, args: PostgresStoreArgs, opts?: pulumi.ComponentResourceOptions) {
    super("seatwise:provisioning:PostgresStore", name, {}, opts);
    const { config, resourceGroupName } = args;
    const isPrivate = config.network === "private";

    this.server = new dbforpostgresql.Server(
      name,
      {
        resourceGroupName,
        location: args.location,
        serverName: config.serverName,
        version: config.version,
        sku: { name: config.skuName, tier: config.skuTier },
        storage: { storageSizeGB: config.storageSizeGB, autoGrow: "Enabled" },
        backup: { backupRetentionDays: config.backupRetentionDays, geoRedundantBackup: "Disabled" },
        highAvailability: { mode: "Disabled" },
        // Entra only: no administratorLogin/administratorLoginPassword is ever set.
        authConfig: { activeDirectoryAuth: "Enabled", passwordAuth: "Disabled", tenantId: args.tenantId },
        network: isPrivate
          ? { publicNetworkAccess: "Disabled", delegatedSubnetResourceId: config.delegatedSubnetId, privateDnsZoneArmResourceId: config.privateDnsZoneId }
          : { publicNetworkAccess: "Enabled" },
      },
      { parent: this },
    );
    const serverName = this.server.name;
    this.fqdn = this.server.fullyQualifiedDomainName;

    // A flexible server applies one change at a time: each step waits for the previous one.
    let previous: pulumi.Resource = this.server;
    this.parameters = POSTGRES_TLS_PARAMETERS.map((p) => {
      const parameter = new dbforpostgresql.Configuration(
        `${name}-${p.name.replace(/_/g, "-")}`,
        { resourceGroupName, serverName, configurationName: p.name, value: p.value, source: "user-override" },
        { parent: this, dependsOn: [previous] },
      );
      previous = parameter;
      return parameter;
    });

    const rules = isPrivate
      ? []
      : [
          ...(config.allowAzureServices ? [{ name: AZURE_SERVICES_RULE, startIpAddress: "0.0.0.0", endIpAddress: "0.0.0.0" }] : []),
          ...config.firewallRules,
        ];
    this.firewallRules = rules.map((rule) => {
      const created = new dbforpostgresql.FirewallRule(
        `${name}-fw-${rule.name}`,
        { resourceGroupName, serverName, firewallRuleName: rule.name, startIpAddress: rule.startIpAddress, endIpAddress: rule.endIpAddress },
        { parent: this, dependsOn: [previous] },
      );
      previous = created;
      return created;
    });

    this.administrator = new dbforpostgresql.Administrator(
      `${name}-entra-admin`,
      {
        resourceGroupName,
        serverName,
        objectId: args.administrator.objectId,
        principalName: args.administrator.principalName,
        principalType: "ServicePrincipal",
        tenantId: args.tenantId,
      },
      { parent: this, dependsOn: [previous] },
    );

    this.database = new dbforpostgresql.Database(
      `${name}-db`,
      { resourceGroupName, serverName, databaseName: POSTGRES_DATABASE, charset: "UTF8", collation: "en_US.utf8" },
      { parent: this, dependsOn: [this.administrator] },
    );

    this.url = pulumi.all([args.administrator.principalName, this.fqdn]).apply(([user, fqdn]) => postgresStoreUrl(user, fqdn));
    this.registerOutputs({ fqdn: this.fqdn, url: this.url });
  }
}
