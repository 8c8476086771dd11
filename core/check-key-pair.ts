/**
 * Checks that a PEM certificate and a PEM private key belong together, pure (no I/O). Answers a
 * problem in words — never any key material — or the parsed certificate.
 */
import { X509Certificate, createPrivateKey, createPublicKey } from "node:crypto";

export type KeyPairCheck =
  | { ok: true; certificate: X509Certificate; privateKeyPkcs8Pem: string }
  | { ok: false; field: "certificate" | "privateKey"; message: string };

export function checkKeyPair(certificatePem: string, privateKeyPem: string): KeyPairCheck {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certificatePem);
  } catch {
    return { ok: false, field: "certificate", message: "the certificate cannot be parsed" };
  }
  try {
    const key = createPrivateKey(privateKeyPem);
    const fromKey = createPublicKey(key).export({ type: "spki", format: "der" });
    if (!fromKey.equals(certificate.publicKey.export({ type: "spki", format: "der" }))) {
      return { ok: false, field: "privateKey", message: "the private key does not belong to the certificate" };
    }
    return { ok: true, certificate, privateKeyPkcs8Pem: key.export({ type: "pkcs8", format: "pem" }).toString() };
  } catch {
    return { ok: false, field: "privateKey", message: "the private key cannot be parsed" };
  }
}
