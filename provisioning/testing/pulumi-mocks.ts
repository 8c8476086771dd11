/**
 * Pulumi unit-test mocks for the provisioning program: records every registered resource and answers
 * the Microsoft Graph service principal lookup with Microsoft's published app role ids.
 */
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { GRAPH_APP_ROLE_IDS, MICROSOFT_GRAPH_APP_ID } from "../../core/permissions.ts";

/**
 * App role ids of the Microsoft Graph service principal: Microsoft's auto-generated permissions-ids.md
 * (via core/permissions.ts). TEST FIXTURE caveat: `MailboxSettings.Read` is not in that reference
 * extract; its id comes from a public mirror of the Graph service principal (see core/permissions.ts).
 * Provisioning itself never uses these ids: it reads them from the service principal.
 */
export const GRAPH_APP_ROLE_FIXTURE: Readonly<Record<string, string>> = {
  ...(GRAPH_APP_ROLE_IDS as Record<string, string>),
  // Real roles outside the task map, so a grant "by accident" would be visible.
  "Policy.Read.All": "246dd0d5-5bd0-4def-940b-0421030a5b68",
  "AppRoleAssignment.ReadWrite.All": "06b708a9-e830-4db3-a914-8e69da51d44f",
};

/** Object id of Microsoft Graph's service principal in the reference tenant payload. */
export const GRAPH_SP_OBJECT_ID = "7ea9e944-71ce-443d-811c-71e8047b557a";

/** A resource as the mock monitor saw it. */
export interface RecordedResource {
  type: string;
  name: string;
  id: string;
  /** Inputs with secrets revealed. */
  inputs: Record<string, unknown>;
  /** Inputs exactly as received (secrets wrapped). */
  rawInputs: Record<string, unknown>;
  state: Record<string, unknown>;
}

/** Pulumi's wire signature of a secret value (`{ [SIG]: SECRET_SIG, value }`). */
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** True when a mock input arrived as a secret. */
export function isSecretInput(v: unknown): boolean {
  return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SIG] === SECRET_SIG;
}

/** Replaces secret wrappers by their plain values, recursively. */
export function reveal(v: unknown): unknown {
  if (isSecretInput(v)) return reveal((v as { value: unknown }).value);
  if (Array.isArray(v)) return v.map(reveal);
  if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, reveal(x)]));
  return v;
}

/** Deterministic GUID-shaped id from a seed. */
export function fakeGuid(seed: string): string {
  const h = createHash("sha256").update(seed).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const SUB = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-seatwise";

/** What a referenced tenant stack named `stack` exports (the outputs a fleet job reads). */
export function fleetStackOutputs(stack: string): Record<string, unknown> {
  return {
    tenantId: fakeGuid(`${stack}/tenant`),
    cloud: "global",
    tasks: ["applicationRoster", "licenseInformation", "reclamation"],
    readerClientId: fakeGuid(`${stack}/reader`),
    readerCertificatePem: `-----BEGIN CERTIFICATE-----\n${stack}\n-----END CERTIFICATE-----\n`,
    readerPrivateKeyPem: `-----BEGIN PRIVATE KEY-----\n${stack}\n-----END PRIVATE KEY-----\n`,
    readerCertificateNotAfter: "2027-05-25T10:00:00Z",
  };
}

/** Builds mocks that append to `recorded`; `appRoleIds` is what the Graph service principal publishes. */
export function createMocks(recorded: RecordedResource[], appRoleIds: () => Readonly<Record<string, string>> = () => GRAPH_APP_ROLE_FIXTURE): pulumi.runtime.Mocks {
  return {
    newResource(args) {
      const rawInputs = args.inputs as Record<string, unknown>;
      const inputs = reveal(rawInputs) as Record<string, unknown>;
      let id = `${args.name}-id`;
      let state: Record<string, unknown> = { ...inputs };
      switch (args.type) {
        case "azuread:index/application:Application": {
          const objectId = fakeGuid(`${args.name}/app`);
          id = `/applications/${objectId}`;
          state = { ...inputs, objectId, clientId: fakeGuid(`${args.name}/client`) };
          break;
        }
        case "azuread:index/servicePrincipal:ServicePrincipal": {
          const objectId = fakeGuid(`${args.name}/sp`);
          id = `/servicePrincipals/${objectId}`;
          state = { ...inputs, objectId };
          break;
        }
        case "pulumi-nodejs:dynamic/seatwise:SelfSignedCertificate":
          id = `thumb-${args.name}`;
          state = {
            ...inputs,
            certPem: `-----BEGIN CERTIFICATE-----\n${args.name}\n-----END CERTIFICATE-----\n`,
            privateKeyPem: `-----BEGIN PRIVATE KEY-----\n${args.name}\n-----END PRIVATE KEY-----\n`,
            thumbprintSha1Hex: "AA".repeat(20),
            thumbprintSha256Hex: "BB".repeat(32),
            x5t: "qqqqqqqqqqqqqqqqqqqqqqqqqqo",
            x5tS256: "u7u7u7u7u7u7u7u7u7u7u7u7u7u7u7u7u7u7u7u7u7s",
            notBefore: "2026-11-26T09:55:00Z",
            notAfter: "2027-05-25T10:00:00Z",
            serialNumber: "40",
          };
          break;
        case "azure-native:keyvault:Vault": {
          const vaultName = (inputs.vaultName as string | undefined) ?? `${args.name}abc`;
          id = `${SUB}/providers/Microsoft.KeyVault/vaults/${vaultName}`;
          state = { ...inputs, name: vaultName, properties: { ...(inputs.properties as object), vaultUri: `https://${vaultName}.vault.azure.net/` } };
          break;
        }
        case "azure-native:managedidentity:UserAssignedIdentity":
          id = `${SUB}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${args.name}`;
          state = { ...inputs, name: `${args.name}-mi`, principalId: fakeGuid(`${args.name}/principal`), clientId: fakeGuid(`${args.name}/client`) };
          break;
        case "azure-native:dbforpostgresql:Server": {
          const serverName = (inputs.serverName as string | undefined) ?? `${args.name}xyz`;
          id = `${SUB}/providers/Microsoft.DBforPostgreSQL/flexibleServers/${serverName}`;
          state = { ...inputs, name: serverName, fullyQualifiedDomainName: `${serverName}.postgres.database.azure.com` };
          break;
        }
        case "pulumi:pulumi:StackReference": {
          // Another tenant stack of a fleet: its outputs as stack-outputs.ts exports them.
          const stackName = String(inputs.name).split("/").at(-1)!;
          const outputs = fleetStackOutputs(stackName);
          id = String(inputs.name);
          state = { ...inputs, outputs, secretOutputNames: ["readerPrivateKeyPem"] };
          break;
        }
        case "azure-native:keyvault:Secret":
          state = { ...inputs, properties: { ...(inputs.properties as object), secretUri: `https://vault.vault.azure.net/secrets/${String(inputs.secretName)}` } };
          break;
        case "azure-native:app:Job":
          state = { ...inputs, name: args.name };
          break;
      }
      recorded.push({ type: args.type, name: args.name, id, inputs, rawInputs, state });
      return { id, state };
    },
    call(args) {
      if (args.token === "azuread:index/getServicePrincipal:getServicePrincipal") {
        const inputs = args.inputs as { clientId?: string };
        if (inputs.clientId !== MICROSOFT_GRAPH_APP_ID) throw new Error(`unexpected service principal lookup ${JSON.stringify(inputs)}`);
        return {
          id: `/servicePrincipals/${GRAPH_SP_OBJECT_ID}`,
          objectId: GRAPH_SP_OBJECT_ID,
          clientId: MICROSOFT_GRAPH_APP_ID,
          displayName: "Microsoft Graph",
          appRoleIds: { ...appRoleIds() },
        };
      }
      throw new Error(`unexpected invoke ${args.token}`);
    },
  };
}

/** Resolves an output's value (mocks supply every output the program reads). */
export function valueOf<T>(o: pulumi.Input<T>): Promise<T> {
  return new Promise((resolve) => {
    pulumi.output(o).apply((v) => {
      resolve(v as T);
      return v;
    });
  });
}
