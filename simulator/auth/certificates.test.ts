import { X509Certificate, createPrivateKey } from "node:crypto";
import forge from "node-forge";
import { beforeAll, describe, expect, it } from "vitest";
import { certificateThumbprints, createAppIdentity, createCertificateAuthority, generateRsaKeyPair, issueServerCertificate } from "./certificates.ts";
import type { CertifiedKey, RsaKeyPairPem } from "./certificates.ts";

let keys: RsaKeyPairPem[];
let ca: CertifiedKey;

beforeAll(async () => {
  keys = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair(), generateRsaKeyPair()]);
  ca = createCertificateAuthority(keys[0]!);
});

function forgeThumbprint(pem: string, md: "sha1" | "sha256"): string {
  const der = forge.asn1.toDer(forge.pki.certificateToAsn1(forge.pki.certificateFromPem(pem))).getBytes();
  return forge.md[md].create().update(der).digest().toHex().toUpperCase();
}

describe("certificates", () => {
  it("generates 2048-bit RSA keys with a PKCS#8 private key", () => {
    const key = createPrivateKey(keys[0]!.privateKeyPem);
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(keys[0]!.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it("builds a self-signed CA certificate signed with SHA-256", () => {
    const x509 = new X509Certificate(ca.certificatePem);
    expect(x509.ca).toBe(true);
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.subject).toContain("CN=Seatwise Simulator CA");
    expect(forge.pki.certificateFromPem(ca.certificatePem).siginfo.algorithmOid).toBe(forge.pki.oids["sha256WithRSAEncryption"]);
  });

  it("issues a server certificate for 127.0.0.1 and localhost signed by the CA", () => {
    const server = issueServerCertificate(ca, keys[1]!);
    const x509 = new X509Certificate(server.certificatePem);
    const caX509 = new X509Certificate(ca.certificatePem);
    expect(x509.ca).toBe(false);
    expect(x509.verify(caX509.publicKey)).toBe(true);
    expect(x509.checkIssued(caX509)).toBe(true);
    expect(x509.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(x509.checkHost("localhost")).toBe("localhost");
    expect(x509.checkHost("example.com")).toBeUndefined();
    expect(x509.keyUsage).toContain("1.3.6.1.5.5.7.3.1");
    expect(x509.checkPrivateKey(createPrivateKey(server.privateKeyPem))).toBe(true);
  });

  it("creates an app identity whose thumbprints match the certificate's DER digests", () => {
    const identity = createAppIdentity("aaaaaaaa-0000-4000-8000-000000000001", "Seatwise Reader", keys[2]!);
    const x509 = new X509Certificate(identity.certificatePem);
    expect(identity.clientId).toBe("aaaaaaaa-0000-4000-8000-000000000001");
    expect(x509.subject).toBe("CN=Seatwise Reader");
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.checkPrivateKey(createPrivateKey(identity.privateKeyPem))).toBe(true);
    expect(identity.thumbprintSha1).toBe(forgeThumbprint(identity.certificatePem, "sha1"));
    expect(identity.thumbprintSha256).toBe(forgeThumbprint(identity.certificatePem, "sha256"));
    expect(identity.thumbprintSha1).toBe(x509.fingerprint.replaceAll(":", ""));
    expect(identity.thumbprintSha1).toMatch(/^[0-9A-F]{40}$/);
    expect(identity.thumbprintSha256).toMatch(/^[0-9A-F]{64}$/);
  });

  it("gives every certificate a distinct serial number and a validity starting before now", () => {
    const now = new Date("2026-06-01T00:00:00Z");
    const a = new X509Certificate(createAppIdentity("a", "A", keys[2]!, { now, days: 30 }).certificatePem);
    const b = new X509Certificate(createAppIdentity("b", "B", keys[2]!, { now }).certificatePem);
    expect(a.serialNumber).not.toBe(b.serialNumber);
    expect(Date.parse(a.validFrom)).toBeLessThan(now.getTime());
    expect(Date.parse(a.validTo)).toBe(now.getTime() + 30 * 86_400_000);
    expect(certificateThumbprints(b.toString()).sha256).toBe(b.fingerprint256.replaceAll(":", ""));
  });
});
