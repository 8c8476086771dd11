/**
 * The pure logic of the self-signed certificate dynamic provider: create, check, diff and update.
 * Kept in a plain module (no Pulumi import) so it is unit-tested directly and loaded by the dynamic
 * provider host at run time instead of being serialized into the provider closure.
 *
 * Key generation uses Node's crypto (native, ~0.2 s for 2048 bits); node-forge only builds and
 * signs the X.509 v3 certificate, because Node can parse certificates but not create them.
 */
import { createHash, generateKeyPair, randomBytes } from "node:crypto";
import { promisify } from "node:util";
import forge from "node-forge";

const generateKeyPairAsync = promisify(generateKeyPair);

const DAY_MS = 24 * 60 * 60 * 1000;
/** Back-dating of notBefore, so a clock a few minutes behind still accepts the certificate. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

/** Microsoft Entra accepts key credentials of at most this many days from Seatwise (guard rail). */
export const MAX_VALIDITY_DAYS = 365;
/** Smallest RSA modulus Seatwise accepts. */
export const MIN_KEY_SIZE = 2048;

/** Inputs of the certificate resource. */
export interface CertificateInputs {
  /** Common name of subject and issuer (the app registration's display name). */
  commonName: string;
  /** Validity in days (1..365). */
  validityDays: number;
  /** Replace the certificate when fewer than this many days remain before notAfter. */
  rotationWindowDays: number;
  /** RSA modulus length in bits (>= 2048). */
  keySize: number;
}

/** Outputs (state) of the certificate resource. `privateKeyPem` is a secret output. */
export interface CertificateOutputs extends CertificateInputs {
  certPem: string;
  /** PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`). */
  privateKeyPem: string;
  /** Upper-case hex SHA-1 of the DER certificate (what Entra shows as "Thumbprint"). */
  thumbprintSha1Hex: string;
  /** Upper-case hex SHA-256 of the DER certificate (msal-node `thumbprintSha256`). */
  thumbprintSha256Hex: string;
  /** base64url SHA-1 thumbprint, the JWT `x5t` header value. */
  x5t: string;
  /** base64url SHA-256 thumbprint, the JWT `x5t#S256` header value. */
  x5tS256: string;
  /** RFC 3339, second precision. */
  notBefore: string;
  /** RFC 3339, second precision. */
  notAfter: string;
  serialNumber: string;
}

/** A failed input check: which property and why. */
export interface CertificateCheckFailure {
  property: keyof CertificateInputs;
  reason: string;
}

/** The diff verdict, in the shape Pulumi's dynamic provider `diff` returns. */
export interface CertificateDiff {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: false;
}

/** Validates inputs; an empty list means valid. */
export function checkCertificateInputs(inputs: CertificateInputs): CertificateCheckFailure[] {
  const failures: CertificateCheckFailure[] = [];
  if (typeof inputs.commonName !== "string" || inputs.commonName.trim() === "" || inputs.commonName.length > 64) {
    failures.push({ property: "commonName", reason: `must be 1..64 characters, got ${JSON.stringify(inputs.commonName)}` });
  }
  if (!Number.isInteger(inputs.validityDays) || inputs.validityDays < 1 || inputs.validityDays > MAX_VALIDITY_DAYS) {
    failures.push({ property: "validityDays", reason: `must be an integer 1..${MAX_VALIDITY_DAYS}, got ${inputs.validityDays}` });
  }
  if (!Number.isInteger(inputs.rotationWindowDays) || inputs.rotationWindowDays < 1 || inputs.rotationWindowDays >= inputs.validityDays) {
    failures.push({ property: "rotationWindowDays", reason: `must be an integer 1..validityDays-1 (${inputs.validityDays - 1}), got ${inputs.rotationWindowDays}` });
  }
  if (!Number.isInteger(inputs.keySize) || inputs.keySize < MIN_KEY_SIZE || inputs.keySize > 8192 || inputs.keySize % 1024 !== 0) {
    failures.push({ property: "keySize", reason: `must be a multiple of 1024 in ${MIN_KEY_SIZE}..8192, got ${inputs.keySize}` });
  }
  return failures;
}

/** Creates a fresh RSA key pair and a self-signed X.509 v3 SHA-256 certificate valid from `now`. */
export async function createCertificate(inputs: CertificateInputs, now: Date): Promise<CertificateOutputs> {
  const failures = checkCertificateInputs(inputs);
  if (failures.length > 0) throw new Error(`invalid certificate inputs: ${failures.map((f) => `${f.property} ${f.reason}`).join("; ")}`);

  const { publicKey, privateKey } = await generateKeyPairAsync("rsa", {
    modulusLength: inputs.keySize,
    publicExponent: 0x10001,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });

  const pki = forge.pki;
  const cert = pki.createCertificate();
  cert.publicKey = pki.publicKeyFromPem(publicKey);
  cert.serialNumber = positiveSerial();
  const notBefore = new Date(Math.floor((now.getTime() - CLOCK_SKEW_MS) / 1000) * 1000);
  const notAfter = new Date(Math.floor((now.getTime() + inputs.validityDays * DAY_MS) / 1000) * 1000);
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  const subject = [{ name: "commonName", value: inputs.commonName }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: "basicConstraints", cA: false, critical: true },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "extKeyUsage", clientAuth: true },
    { name: "subjectKeyIdentifier" },
  ]);
  cert.sign(pki.privateKeyFromPem(privateKey), forge.md.sha256.create());

  const der = Buffer.from(forge.asn1.toDer(pki.certificateToAsn1(cert)).getBytes(), "binary");
  const sha1 = createHash("sha1").update(der).digest();
  const sha256 = createHash("sha256").update(der).digest();
  return {
    ...pickInputs(inputs),
    certPem: pki.certificateToPem(cert).replace(/\r\n/g, "\n"),
    privateKeyPem: privateKey,
    thumbprintSha1Hex: sha1.toString("hex").toUpperCase(),
    thumbprintSha256Hex: sha256.toString("hex").toUpperCase(),
    x5t: sha1.toString("base64url"),
    x5tS256: sha256.toString("base64url"),
    notBefore: rfc3339(notBefore),
    notAfter: rfc3339(notAfter),
    serialNumber: cert.serialNumber,
  };
}

/** The instant from which the certificate is due for replacement. */
export function rotationDueAt(outs: Pick<CertificateOutputs, "notAfter">, rotationWindowDays: number): Date {
  return new Date(Date.parse(outs.notAfter) - rotationWindowDays * DAY_MS);
}

/**
 * Compares the stored state with new inputs at `now`. No change while inputs are equal and the
 * rotation window is not reached; a replacement (create-before-delete) when the subject, validity or
 * key size change or the window is reached; an in-place update when only the window changes.
 */
export function diffCertificate(olds: CertificateOutputs, news: CertificateInputs, now: Date): CertificateDiff {
  const replaces: string[] = [];
  if (olds.commonName !== news.commonName) replaces.push("commonName");
  if (olds.validityDays !== news.validityDays) replaces.push("validityDays");
  if (olds.keySize !== news.keySize) replaces.push("keySize");
  if (now.getTime() >= rotationDueAt(olds, news.rotationWindowDays).getTime()) replaces.push("notAfter");
  const windowChanged = olds.rotationWindowDays !== news.rotationWindowDays;
  return { changes: replaces.length > 0 || windowChanged, replaces, deleteBeforeReplace: false };
}

/** In-place update: only the rotation window can change without a new certificate. */
export function updateCertificate(olds: CertificateOutputs, news: CertificateInputs): CertificateOutputs {
  return { ...olds, rotationWindowDays: news.rotationWindowDays };
}

function pickInputs(i: CertificateInputs): CertificateInputs {
  return { commonName: i.commonName, validityDays: i.validityDays, rotationWindowDays: i.rotationWindowDays, keySize: i.keySize };
}

/** 16 random bytes, top bit clear (positive INTEGER) and non-zero first byte (minimal DER). */
function positiveSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x40;
  return bytes.toString("hex");
}

function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

