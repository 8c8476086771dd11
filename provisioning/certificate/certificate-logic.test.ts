import { createPrivateKey, createPublicKey, X509Certificate } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { checkCertificateInputs, createCertificate, diffCertificate, rotationDueAt, updateCertificate } from "./certificate-logic.ts";
import type { CertificateInputs, CertificateOutputs } from "./certificate-logic.ts";

const DAY = 24 * 60 * 60 * 1000;
const NOW = new Date("2026-11-26T10:00:00Z");
const INPUTS: CertificateInputs = { commonName: "Seatwise reader", validityDays: 180, rotationWindowDays: 30, keySize: 2048 };

describe("createCertificate", () => {
  let outs: CertificateOutputs;
  let x509: X509Certificate;
  beforeAll(async () => {
    outs = await createCertificate(INPUTS, NOW);
    x509 = new X509Certificate(outs.certPem);
  });

  it("builds a self-signed certificate that node:crypto parses, with the display name as subject and issuer", () => {
    expect(x509.subject).toBe("CN=Seatwise reader");
    expect(x509.issuer).toBe("CN=Seatwise reader");
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.ca).toBe(false);
  });

  it("signs with SHA-256 RSA and uses a key of the configured size", () => {
    // sha256WithRSAEncryption OID in the DER signature algorithm field.
    expect(x509.raw.includes(Buffer.from("06092a864886f70d01010b", "hex"))).toBe(true);
    expect(x509.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
  });

  it("returns a PKCS#8 private key that matches the certificate", () => {
    expect(outs.privateKeyPem.startsWith("-----BEGIN PRIVATE KEY-----")).toBe(true);
    const key = createPrivateKey(outs.privateKeyPem);
    expect(x509.checkPrivateKey(key)).toBe(true);
    expect(createPublicKey(key).export({ type: "spki", format: "der" }).equals(x509.publicKey.export({ type: "spki", format: "der" }))).toBe(true);
  });

  it("reports thumbprints equal to those node:crypto computes, in hex and base64url", () => {
    expect(outs.thumbprintSha1Hex).toBe(x509.fingerprint.replace(/:/g, ""));
    expect(outs.thumbprintSha256Hex).toBe(x509.fingerprint256.replace(/:/g, ""));
    expect(outs.x5t).toBe(Buffer.from(outs.thumbprintSha1Hex, "hex").toString("base64url"));
    expect(outs.x5tS256).toBe(Buffer.from(outs.thumbprintSha256Hex, "hex").toString("base64url"));
    expect(outs.x5t).not.toMatch(/[+/=]/);
  });

  it("sets notBefore just before now and notAfter validityDays later, matching the certificate", () => {
    expect(Date.parse(outs.notBefore)).toBe(Date.parse(x509.validFrom));
    expect(Date.parse(outs.notAfter)).toBe(Date.parse(x509.validTo));
    expect(Date.parse(outs.notBefore)).toBeLessThanOrEqual(NOW.getTime());
    expect(Date.parse(outs.notAfter)).toBe(NOW.getTime() + 180 * DAY);
    expect(outs.notAfter).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it("makes a new key and serial each time", async () => {
    const again = await createCertificate(INPUTS, NOW);
    expect(again.thumbprintSha256Hex).not.toBe(outs.thumbprintSha256Hex);
    expect(again.serialNumber).not.toBe(outs.serialNumber);
  });

  it("refuses a key shorter than 2048 bits", async () => {
    await expect(createCertificate({ ...INPUTS, keySize: 1024 }, NOW)).rejects.toThrow(/keySize/);
  });

  describe("diffCertificate", () => {
    it("reports no change before the rotation window", () => {
      const justBefore = new Date(rotationDueAt(outs, 30).getTime() - 1000);
      expect(diffCertificate(outs, INPUTS, NOW)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
      expect(diffCertificate(outs, INPUTS, justBefore).changes).toBe(false);
    });

    it("reports a create-before-delete replacement inside the rotation window", () => {
      const inside = new Date(Date.parse(outs.notAfter) - 29 * DAY);
      expect(diffCertificate(outs, INPUTS, inside)).toEqual({ changes: true, replaces: ["notAfter"], deleteBeforeReplace: false });
      expect(diffCertificate(outs, INPUTS, rotationDueAt(outs, 30)).replaces).toEqual(["notAfter"]);
    });

    it("replaces when the subject, validity or key size change", () => {
      expect(diffCertificate(outs, { ...INPUTS, commonName: "Other" }, NOW).replaces).toEqual(["commonName"]);
      expect(diffCertificate(outs, { ...INPUTS, validityDays: 90 }, NOW).replaces).toEqual(["validityDays"]);
      expect(diffCertificate(outs, { ...INPUTS, keySize: 3072 }, NOW).replaces).toEqual(["keySize"]);
    });

    it("updates in place when only the rotation window changes and it is not yet reached", () => {
      expect(diffCertificate(outs, { ...INPUTS, rotationWindowDays: 20 }, NOW)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
      const updated = updateCertificate(outs, { ...INPUTS, rotationWindowDays: 20 });
      expect(updated.rotationWindowDays).toBe(20);
      expect(updated.certPem).toBe(outs.certPem);
      expect(diffCertificate(updated, { ...INPUTS, rotationWindowDays: 20 }, NOW).changes).toBe(false);
    });

    it("replaces when a wider rotation window is already reached", () => {
      const day100 = new Date(NOW.getTime() + 100 * DAY);
      expect(diffCertificate(outs, INPUTS, day100).changes).toBe(false);
      expect(diffCertificate(outs, { ...INPUTS, rotationWindowDays: 90 }, day100).replaces).toEqual(["notAfter"]);
    });
  });
});

describe("checkCertificateInputs", () => {
  it("accepts the defaults", () => {
    expect(checkCertificateInputs(INPUTS)).toEqual([]);
  });

  it("names every invalid property", () => {
    const failures = checkCertificateInputs({ commonName: "", validityDays: 400, rotationWindowDays: 400, keySize: 1024 });
    expect(failures.map((f) => f.property)).toEqual(["commonName", "validityDays", "rotationWindowDays", "keySize"]);
  });
});
