/**
 * The stack outputs, derived from a built stack. Private keys are wrapped in `pulumi.secret` here
 * (in addition to the certificate resource's `additionalSecretOutputs`), so they are encrypted in
 * the state and shown only with `--show-secrets`.
 */
import * as pulumi from "@pulumi/pulumi";
import type { SeatwiseStack } from "./build-stack.ts";

/** Output name → value, as exported by index.ts and read by `seatwise provision-config`. */
export interface StackOutputs {
  tenantId: string;
  cloud: string;
  tasks: string[];
  readerClientId: pulumi.Output<string>;
  readerCertificatePem: pulumi.Output<string>;
  readerPrivateKeyPem: pulumi.Output<string>;
  readerThumbprintSha1: pulumi.Output<string>;
  readerThumbprintSha256: pulumi.Output<string>;
  readerCertificateNotAfter: pulumi.Output<string>;
  reclaimerClientId: pulumi.Output<string> | undefined;
  reclaimerCertificatePem: pulumi.Output<string> | undefined;
  reclaimerPrivateKeyPem: pulumi.Output<string> | undefined;
  reclaimerThumbprintSha256: pulumi.Output<string> | undefined;
  reclaimerCertificateNotAfter: pulumi.Output<string> | undefined;
  keyVaultUri: pulumi.Output<string> | undefined;
  collectorJobName: pulumi.Output<string> | undefined;
  /** `<server>.postgres.database.azure.com` when seatwise:postgres is on. */
  postgresServerFqdn: pulumi.Output<string> | undefined;
  /** The job's SEATWISE_STORE (user = the managed identity; no password: Entra token). */
  postgresStoreUrl: pulumi.Output<string> | undefined;
  /** Tenant stacks a fleet job collects besides this one (jobMode: fleet). */
  fleetTenants: string[] | undefined;
  seatwiseYaml: pulumi.Output<string>;
  reclaimerSeatwiseYaml: pulumi.Output<string> | undefined;
}

export function stackOutputs(stack: SeatwiseStack): StackOutputs {
  const { reader, reclaimer } = stack;
  return {
    tenantId: stack.tenantId,
    cloud: stack.cloud,
    tasks: stack.tasks,
    readerClientId: reader.clientId,
    readerCertificatePem: reader.certificate.certPem,
    readerPrivateKeyPem: pulumi.secret(reader.certificate.privateKeyPem),
    readerThumbprintSha1: reader.certificate.thumbprintSha1Hex,
    readerThumbprintSha256: reader.certificate.thumbprintSha256Hex,
    readerCertificateNotAfter: reader.certificate.notAfter,
    reclaimerClientId: reclaimer?.clientId,
    reclaimerCertificatePem: reclaimer?.certificate.certPem,
    reclaimerPrivateKeyPem: reclaimer ? pulumi.secret(reclaimer.certificate.privateKeyPem) : undefined,
    reclaimerThumbprintSha256: reclaimer?.certificate.thumbprintSha256Hex,
    reclaimerCertificateNotAfter: reclaimer?.certificate.notAfter,
    keyVaultUri: stack.keyVault?.vaultUri,
    collectorJobName: stack.collectorJob?.job.name,
    postgresServerFqdn: stack.postgres?.fqdn,
    postgresStoreUrl: stack.postgres?.url,
    fleetTenants: stack.fleetTenants.length > 0 ? stack.fleetTenants : undefined,
    seatwiseYaml: stack.seatwiseYaml,
    reclaimerSeatwiseYaml: stack.reclaimerSeatwiseYaml,
  };
}
