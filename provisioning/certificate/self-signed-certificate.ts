/**
 * `SelfSignedCertificate`: an RSA key pair and a self-signed X.509 v3 SHA-256 certificate, kept in
 * the (encrypted) Pulumi state. Replaced, create-before-delete, when the rotation window is reached.
 */
import * as pulumi from "@pulumi/pulumi";
import { certificateProvider } from "./certificate-provider.ts";

/** Resource arguments; see `CertificateInputs` in certificate-logic.ts for the rules. */
export interface SelfSignedCertificateArgs {
  commonName: pulumi.Input<string>;
  validityDays: pulumi.Input<number>;
  rotationWindowDays: pulumi.Input<number>;
  keySize: pulumi.Input<number>;
}

/** Type token: `pulumi-nodejs:dynamic/seatwise:SelfSignedCertificate`. */
export const SELF_SIGNED_CERTIFICATE_TYPE = "pulumi-nodejs:dynamic/seatwise:SelfSignedCertificate";

/** The output that holds the private key; marked secret by the engine. */
export const CERTIFICATE_SECRET_OUTPUTS = ["privateKeyPem"];

export class SelfSignedCertificate extends pulumi.dynamic.Resource {
  declare readonly commonName: pulumi.Output<string>;
  declare readonly validityDays: pulumi.Output<number>;
  declare readonly rotationWindowDays: pulumi.Output<number>;
  declare readonly keySize: pulumi.Output<number>;
  declare readonly certPem: pulumi.Output<string>;
  /** PKCS#8 PEM; a secret output. */
  declare readonly privateKeyPem: pulumi.Output<string>;
  declare readonly thumbprintSha1Hex: pulumi.Output<string>;
  declare readonly thumbprintSha256Hex: pulumi.Output<string>;
  declare readonly x5t: pulumi.Output<string>;
  declare readonly x5tS256: pulumi.Output<string>;
  declare readonly notBefore: pulumi.Output<string>;
  declare readonly notAfter: pulumi.Output<string>;
  declare readonly serialNumber: pulumi.Output<string>;

  constructor(name: string, args: SelfSignedCertificateArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      certificateProvider,
      name,
      {
        certPem: undefined,
        privateKeyPem: undefined,
        thumbprintSha1Hex: undefined,
        thumbprintSha256Hex: undefined,
        x5t: undefined,
        x5tS256: undefined,
        notBefore: undefined,
        notAfter: undefined,
        serialNumber: undefined,
        ...args,
      },
      // Never deleteBeforeReplace: the new certificate must exist before the old one goes.
      { ...opts, additionalSecretOutputs: CERTIFICATE_SECRET_OUTPUTS, deleteBeforeReplace: false },
      "seatwise",
      "SelfSignedCertificate",
    );
  }
}
