/**
 * The Pulumi program: read and validate the stack configuration (fails before any resource), build
 * the stack, export its outputs. `seatwise provision-config` turns
 * `pulumi stack output --json --show-secrets` into seatwise.yaml and the PEM key file(s).
 */
import * as pulumi from "@pulumi/pulumi";
import { ValidationError } from "../core/errors.ts";
import { buildStack } from "./build-stack.ts";
import { readProvisioningConfig } from "./config.ts";
import type { ProvisioningConfig } from "./config.ts";
import { stackOutputs } from "./stack-outputs.ts";

function configOrExit(): ProvisioningConfig {
  try {
    return readProvisioningConfig();
  } catch (error) {
    // RunError: Pulumi prints the message alone (every problem, naming each key), no stack trace.
    if (error instanceof ValidationError) throw new pulumi.RunError(`invalid stack configuration:\n${error.message}`);
    throw error;
  }
}

const outputs = stackOutputs(buildStack(configOrExit()));

export const tenantId = outputs.tenantId;
export const cloud = outputs.cloud;
export const tasks = outputs.tasks;
export const readerClientId = outputs.readerClientId;
export const readerCertificatePem = outputs.readerCertificatePem;
export const readerPrivateKeyPem: pulumi.Output<string> = outputs.readerPrivateKeyPem;
export const readerThumbprintSha1 = outputs.readerThumbprintSha1;
export const readerThumbprintSha256 = outputs.readerThumbprintSha256;
export const readerCertificateNotAfter = outputs.readerCertificateNotAfter;
export const reclaimerClientId = outputs.reclaimerClientId;
export const reclaimerCertificatePem = outputs.reclaimerCertificatePem;
export const reclaimerPrivateKeyPem = outputs.reclaimerPrivateKeyPem;
export const reclaimerThumbprintSha256 = outputs.reclaimerThumbprintSha256;
export const reclaimerCertificateNotAfter = outputs.reclaimerCertificateNotAfter;
export const keyVaultUri = outputs.keyVaultUri;
export const collectorJobName = outputs.collectorJobName;
export const postgresServerFqdn = outputs.postgresServerFqdn;
export const postgresStoreUrl = outputs.postgresStoreUrl;
export const fleetTenants = outputs.fleetTenants;
export const seatwiseYaml = outputs.seatwiseYaml;
export const reclaimerSeatwiseYaml = outputs.reclaimerSeatwiseYaml;
