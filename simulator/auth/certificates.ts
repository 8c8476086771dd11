/**
 * X.509 material of the simulator: its own certificate authority, the HTTPS server certificate it
 * signs, and the self-signed client certificates of the simulated app identities. Keys come from
 * Node's native RSA key generation (fast); node-forge only builds and signs the certificates
 * (SHA-256, X.509 v3), because Node can parse X.509 but not create it.
 */
import { X509Certificate, createPrivateKey, generateKeyPair, randomBytes, sign as nodeSign } from "node:crypto";
import { promisify } from "node:util";
import forge from "node-forge";
import type { SimIdentity } from "../contract.ts";

const generateKeyPairAsync = promisify(generateKeyPair);

/** An RSA key pair as PEM: SPKI public key, PKCS#8 private key. */
export interface RsaKeyPairPem {
  publicKeyPem: string;
  privateKeyPem: string;
}

/** A certificate with its PKCS#8 private key. */
export interface CertifiedKey {
  certificatePem: string;
  privateKeyPem: string;
}

/**
 * Generates a 2048-bit RSA key pair with Node's native implementation. Runs on the libuv thread
 * pool, so several keys generated concurrently use several cores.
 */
export async function generateRsaKeyPair(): Promise<RsaKeyPairPem> {
  const { publicKey, privateKey } = await generateKeyPairAsync("rsa", {
    modulusLength: 2048,
    publicExponent: 0x10001,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  return { publicKeyPem: publicKey, privateKeyPem: privateKey };
}

/** Validity of certificates the simulator makes; starts an hour back to tolerate clock skew. */
interface Validity {
  /** Reference time. Default: now. */
  now?: Date;
  /** Days the certificate stays valid after `now`. */
  days?: number;
}

function setValidity(cert: forge.pki.Certificate, validity: Validity, defaultDays: number): void {
  const now = validity.now ?? new Date();
  cert.validity.notBefore = new Date(now.getTime() - 3_600_000);
  cert.validity.notAfter = new Date(now.getTime() + (validity.days ?? defaultDays) * 86_400_000);
}

/** A random positive serial number (16 bytes, high bit clear, never leading zero). */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString("hex");
}

/**
 * Signs the certificate sha256WithRSAEncryption. forge builds the TBSCertificate and asks its "key"
 * to sign the digest object it fed; we hand it a message collector and a key that signs the
 * collected bytes with Node's native RSA, several times faster than forge's JavaScript RSA.
 */
function sign(cert: forge.pki.Certificate, privateKeyPem: string): string {
  const nativeKey = createPrivateKey(privateKeyPem);
  const collected: string[] = [];
  const md = { algorithm: "sha256", update: (bytes: string) => (collected.push(bytes), md) };
  const key = { sign: () => nodeSign("sha256", Buffer.from(collected.join(""), "binary"), nativeKey).toString("binary") };
  cert.sign(key as unknown as forge.pki.rsa.PrivateKey, md as unknown as forge.md.MessageDigest);
  return forge.pki.certificateToPem(cert);
}

/**
 * Builds the simulator's certificate authority: a self-signed CA certificate (basicConstraints
 * cA, keyCertSign) for the given key. Default common name "Seatwise Simulator CA", valid 2 years.
 */
export function createCertificateAuthority(key: RsaKeyPairPem, options: Validity & { commonName?: string } = {}): CertifiedKey {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(key.publicKeyPem);
  cert.serialNumber = serialNumber();
  setValidity(cert, options, 730);
  const subject = [
    { name: "commonName", value: options.commonName ?? "Seatwise Simulator CA" },
    { name: "organizationName", value: "Seatwise" },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: "basicConstraints", cA: true, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  return { certificatePem: sign(cert, key.privateKeyPem), privateKeyPem: key.privateKeyPem };
}

/**
 * Issues the HTTPS server certificate, signed by `ca`, for `127.0.0.1` and `localhost` (IP and DNS
 * subject alternative names, serverAuth extended key usage). Valid 1 year by default.
 */
export function issueServerCertificate(ca: CertifiedKey, key: RsaKeyPairPem, options: Validity = {}): CertifiedKey {
  const caCert = forge.pki.certificateFromPem(ca.certificatePem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(key.publicKeyPem);
  cert.serialNumber = serialNumber();
  setValidity(cert, options, 365);
  cert.setSubject([{ name: "commonName", value: "127.0.0.1" }, { name: "organizationName", value: "Seatwise" }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: "basicConstraints", cA: false, critical: true },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "extKeyUsage", serverAuth: true },
    {
      name: "subjectAltName",
      altNames: [
        { type: 7, ip: "127.0.0.1" },
        { type: 2, value: "localhost" },
      ],
    },
    { name: "subjectKeyIdentifier" },
    // The issuer's key id (not this certificate's own), so chain builders can match the CA.
    { name: "authorityKeyIdentifier", keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  return { certificatePem: sign(cert, ca.privateKeyPem), privateKeyPem: key.privateKeyPem };
}

/** SHA-1 and SHA-256 thumbprints of a PEM certificate, hex upper-case without separators. */
export function certificateThumbprints(certificatePem: string): { sha1: string; sha256: string } {
  const x509 = new X509Certificate(certificatePem);
  return { sha1: x509.fingerprint.replaceAll(":", ""), sha256: x509.fingerprint256.replaceAll(":", "") };
}

/**
 * Creates an app identity: a self-signed client certificate (clientAuth) whose subject is the app's
 * display name, as `New-SelfSignedCertificate`/`openssl req -x509` make for Entra app credentials.
 * Valid 1 year by default.
 */
export function createAppIdentity(clientId: string, displayName: string, key: RsaKeyPairPem, options: Validity = {}): SimIdentity {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(key.publicKeyPem);
  cert.serialNumber = serialNumber();
  setValidity(cert, options, 365);
  const subject = [{ name: "commonName", value: displayName }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "extKeyUsage", clientAuth: true },
    { name: "subjectKeyIdentifier" },
  ]);
  const certificatePem = sign(cert, key.privateKeyPem);
  const { sha1, sha256 } = certificateThumbprints(certificatePem);
  return { clientId, certificatePem, privateKeyPem: key.privateKeyPem, thumbprintSha1: sha1, thumbprintSha256: sha256 };
}
