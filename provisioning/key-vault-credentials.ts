/**
 * `KeyVaultCredentials` (optional): a Key Vault in RBAC mode holding each identity's certificate +
 * private key PEM as a secret, and a user-assigned managed identity that may read those secrets
 * (`Key Vault Secrets User`, scoped to this vault only). The scheduled collector job runs as that
 * managed identity, so no key ever leaves Azure for cloud collection.
 */
import * as authorization from "@pulumi/azure-native/authorization/index.js";
import * as keyvault from "@pulumi/azure-native/keyvault/index.js";
import * as managedidentity from "@pulumi/azure-native/managedidentity/index.js";
import * as pulumi from "@pulumi/pulumi";
import type { KeyVaultConfig } from "./config.ts";

/** Built-in Azure role "Key Vault Secrets User" (read secret contents). */
export const KEY_VAULT_SECRETS_USER_ROLE_ID = "4633458b-17de-408a-b874-0445c86b69e6";

/** One PEM to store: `name` becomes the secret name `seatwise-<name>`. */
export interface StoredCredential {
  name: string;
  pem: pulumi.Input<string>;
  /** RFC 3339 expiry of the certificate; becomes the secret's `expires` attribute. */
  notAfter: pulumi.Input<string>;
}

export interface KeyVaultCredentialsArgs {
  config: KeyVaultConfig;
  tenantId: string;
  credentials: readonly StoredCredential[];
}

/** `/subscriptions/<id>/providers/Microsoft.Authorization/roleDefinitions/<role>` for any ARM id under that subscription. */
export function roleDefinitionIdFor(armId: string, roleId: string): string {
  const match = /^\/subscriptions\/[^/]+/i.exec(armId);
  if (!match) throw new Error(`not an ARM resource id under a subscription: ${armId}`);
  return `${match[0]}/providers/Microsoft.Authorization/roleDefinitions/${roleId}`;
}

export class KeyVaultCredentials extends pulumi.ComponentResource {
  readonly vault: keyvault.Vault;
  readonly identity: managedidentity.UserAssignedIdentity;
  readonly secretsUser: authorization.RoleAssignment;
  /** Secret by credential name. */
  readonly secrets: Record<string, keyvault.Secret>;
  readonly vaultUri: pulumi.Output<string>;

  constructor(name: string, args: KeyVaultCredentialsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("seatwise:provisioning:KeyVaultCredentials", name, {}, opts);
    const { resourceGroupName, location, vaultName } = args.config;

    this.vault = new keyvault.Vault(
      name,
      {
        resourceGroupName,
        location,
        vaultName,
        properties: {
          tenantId: args.tenantId,
          sku: { family: keyvault.SkuFamily.A, name: keyvault.SkuName.Standard },
          enableRbacAuthorization: true,
          enableSoftDelete: true,
          softDeleteRetentionInDays: 90,
        },
      },
      { parent: this },
    );
    this.vaultUri = this.vault.properties.apply((p) => p.vaultUri ?? "");

    this.identity = new managedidentity.UserAssignedIdentity(`${name}-collector`, { resourceGroupName, location }, { parent: this });

    this.secretsUser = new authorization.RoleAssignment(
      `${name}-secrets-user`,
      {
        principalId: this.identity.principalId,
        principalType: "ServicePrincipal",
        roleDefinitionId: this.vault.id.apply((id) => roleDefinitionIdFor(id, KEY_VAULT_SECRETS_USER_ROLE_ID)),
        scope: this.vault.id,
        description: "Seatwise collector reads its certificate and key from this vault.",
      },
      { parent: this },
    );

    this.secrets = {};
    for (const credential of args.credentials) {
      this.secrets[credential.name] = new keyvault.Secret(
        `${name}-${credential.name}`,
        {
          resourceGroupName,
          vaultName: this.vault.name,
          secretName: `seatwise-${credential.name}`,
          properties: {
            // The SDK does not mark this input secret by itself.
            value: pulumi.secret(credential.pem),
            contentType: "application/x-pem-file",
            attributes: { enabled: true, expires: pulumi.output(credential.notAfter).apply((d) => Math.floor(Date.parse(d) / 1000)) },
          },
        },
        { parent: this },
      );
    }
    this.registerOutputs({ vaultUri: this.vaultUri });
  }
}
