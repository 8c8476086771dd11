import { generateKeyPairSync } from "node:crypto";
import forge from "node-forge";
import { describe, expect, it } from "vitest";
import { GRAPH_APP_ROLE_IDS, MICROSOFT_GRAPH_APP_ID } from "../../core/permissions.ts";
import { certificateValidity, grantsInTaskMap, jobStore, noPassword, POLICY_RULES, postgresEntraOnly, postgresFirewall, postgresTls, readerReadOnly, rsaKeySize, TYPES } from "./rules.ts";

const DAY = 24 * 60 * 60 * 1000;

/** A self-signed PEM certificate with the given key size and validity (test helper). */
function pem(bits: number, days: number): string {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: bits, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  cert.serialNumber = "41";
  cert.validity.notBefore = new Date("2026-01-01T00:00:00Z");
  cert.validity.notAfter = new Date(Date.parse("2026-01-01T00:00:00Z") + days * DAY);
  cert.setSubject([{ name: "commonName", value: `test-${bits}` }]);
  cert.setIssuer([{ name: "commonName", value: `test-${bits}` }]);
  cert.sign(forge.pki.privateKeyFromPem(privateKey), forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

const graphApp = (ids: string[], tags = ["seatwise:reader"]) => ({
  type: TYPES.application,
  props: { displayName: "Seatwise reader", tags, requiredResourceAccesses: [{ resourceAppId: MICROSOFT_GRAPH_APP_ID, resourceAccesses: ids.map((id) => ({ id, type: "Role" })) }] },
});
const id = (p: keyof typeof GRAPH_APP_ROLE_IDS) => GRAPH_APP_ROLE_IDS[p]!;

describe("policy rules", () => {
  it("have unique, versioned ids and unique names", () => {
    expect(new Set(POLICY_RULES.map((r) => r.id)).size).toBe(POLICY_RULES.length);
    expect(new Set(POLICY_RULES.map((r) => r.name)).size).toBe(POLICY_RULES.length);
    for (const r of POLICY_RULES) expect(r.id).toMatch(/^SEAT\.[A-Z0-9-]+\.\d+v\d+$/);
  });

  describe(noPassword.id, () => {
    it("passes an application without passwords and a certificate credential", () => {
      expect(noPassword.check(graphApp([id("User.Read.All")]))).toBeUndefined();
      expect(noPassword.check({ type: TYPES.applicationCertificate, props: { value: "x" } })).toBeUndefined();
    });
    it("fails an application password, a service principal password and inline passwords", () => {
      expect(noPassword.check({ type: TYPES.applicationPassword, props: { applicationId: "/applications/x" } })).toMatch(/client secret/);
      expect(noPassword.check({ type: TYPES.servicePrincipalPassword, props: {} })).toMatch(/client secret/);
      expect(noPassword.check({ type: TYPES.application, props: { passwords: [{ displayName: "s" }] } })).toMatch(/inline password/);
    });
  });

  describe(grantsInTaskMap.id, () => {
    it("passes grants and requests inside the task map", () => {
      expect(grantsInTaskMap.check({ type: TYPES.appRoleAssignment, props: { appRoleId: id("AuditLog.Read.All") } })).toBeUndefined();
      expect(grantsInTaskMap.check(graphApp([id("User.Read.All"), id("MailboxSettings.Read")]))).toBeUndefined();
    });
    it("fails a grant outside the task map, naming it", () => {
      expect(grantsInTaskMap.check({ type: TYPES.appRoleAssignment, props: { appRoleId: id("Directory.Read.All") } })).toBe(
        `Graph role(s) outside the task map: Directory.Read.All (${id("Directory.Read.All")})`,
      );
      expect(grantsInTaskMap.check({ type: TYPES.appRoleAssignment, props: { appRoleId: "810c84a8-4a9e-49e6-bf7d-12d183f40d01" } })).toMatch(/810c84a8/);
      expect(grantsInTaskMap.check(graphApp([id("User.Read.All"), id("User.ReadWrite.All")]))).toMatch(/User\.ReadWrite\.All/);
    });
    it("ignores values still unknown during preview", () => {
      expect(grantsInTaskMap.check({ type: TYPES.appRoleAssignment, props: {} })).toBeUndefined();
    });
  });

  describe(readerReadOnly.id, () => {
    it("passes a read-only reader and a reclaimer with LicenseAssignment.ReadWrite.All", () => {
      expect(readerReadOnly.check(graphApp([id("User.Read.All"), id("Reports.Read.All")]))).toBeUndefined();
      expect(readerReadOnly.check(graphApp([id("LicenseAssignment.ReadWrite.All")], ["seatwise:reclaimer"]))).toBeUndefined();
    });
    it("fails a reader requesting a ReadWrite role", () => {
      expect(readerReadOnly.check(graphApp([id("User.Read.All"), id("LicenseAssignment.ReadWrite.All")]))).toMatch(/LicenseAssignment\.ReadWrite\.All/);
    });
  });

  describe(certificateValidity.id, () => {
    const good = pem(2048, 365);
    const long = pem(2048, 400);
    it("passes 365 days", () => {
      expect(certificateValidity.check({ type: TYPES.selfSignedCertificate, props: { validityDays: 365 } })).toBeUndefined();
      expect(certificateValidity.check({ type: TYPES.applicationCertificate, props: { value: good, startDate: "2026-01-01T00:00:00Z", endDate: "2027-01-01T00:00:00Z" } })).toBeUndefined();
    });
    it("fails more than 365 days in config, in the credential dates or in the certificate itself", () => {
      expect(certificateValidity.check({ type: TYPES.selfSignedCertificate, props: { validityDays: 366 } })).toMatch(/366 days/);
      expect(certificateValidity.check({ type: TYPES.applicationCertificate, props: { value: good, startDate: "2026-01-01T00:00:00Z", endDate: "2028-01-01T00:00:00Z" } })).toMatch(/730 days/);
      expect(certificateValidity.check({ type: TYPES.applicationCertificate, props: { value: long, encoding: "pem" } })).toMatch(/400 days/);
    });
  });

  describe(rsaKeySize.id, () => {
    it("passes 2048-bit keys", () => {
      expect(rsaKeySize.check({ type: TYPES.selfSignedCertificate, props: { keySize: 2048 } })).toBeUndefined();
      expect(rsaKeySize.check({ type: TYPES.applicationCertificate, props: { value: pem(2048, 30) } })).toBeUndefined();
    });
    it("fails shorter keys, configured or inside a certificate (PEM or base64 DER)", () => {
      expect(rsaKeySize.check({ type: TYPES.selfSignedCertificate, props: { keySize: 1024 } })).toMatch(/1024 bits/);
      const weak = pem(1024, 30);
      expect(rsaKeySize.check({ type: TYPES.applicationCertificate, props: { value: weak } })).toMatch(/1024-bit/);
      const der = Buffer.from(weak.replace(/-----[^-]+-----|\s/g, ""), "base64").toString("base64");
      expect(rsaKeySize.check({ type: TYPES.applicationCertificate, props: { value: der, encoding: "base64" } })).toMatch(/1024-bit/);
    });
  });

  describe(postgresEntraOnly.id, () => {
    const server = (props: Record<string, unknown>) => ({ type: TYPES.postgresServer, props: { resourceGroupName: "rg", ...props } });
    it("passes an Entra-only server", () => {
      expect(postgresEntraOnly.check(server({ authConfig: { activeDirectoryAuth: "Enabled", passwordAuth: "Disabled", tenantId: "t" } }))).toBeUndefined();
    });
    it("fails password authentication, enabled or left to Azure's default, a missing Entra authentication and an administrator password", () => {
      expect(postgresEntraOnly.check(server({ authConfig: { activeDirectoryAuth: "Enabled", passwordAuth: "Enabled" } }))).toMatch(/password authentication is Enabled/);
      expect(postgresEntraOnly.check(server({}))).toMatch(/Azure's default is Enabled/);
      expect(postgresEntraOnly.check(server({ authConfig: { passwordAuth: "Disabled" } }))).toMatch(/Entra authentication is not enabled/);
      expect(postgresEntraOnly.check(server({ authConfig: { activeDirectoryAuth: "Enabled", passwordAuth: "Disabled" }, administratorLoginPassword: "x" }))).toMatch(/administrator login or password/);
    });
  });

  describe(postgresTls.id, () => {
    const parameter = (configurationName: string, value: string) => ({ type: TYPES.postgresConfiguration, props: { configurationName, value } });
    it("passes TLS required at 1.2 or later, and other parameters", () => {
      expect(postgresTls.check(parameter("require_secure_transport", "on"))).toBeUndefined();
      expect(postgresTls.check(parameter("require_secure_transport", "ON"))).toBeUndefined();
      expect(postgresTls.check(parameter("ssl_min_protocol_version", "TLSv1.3"))).toBeUndefined();
      expect(postgresTls.check(parameter("work_mem", "off"))).toBeUndefined();
    });
    it("fails TLS switched off and TLS versions below 1.2", () => {
      expect(postgresTls.check(parameter("require_secure_transport", "off"))).toMatch(/without TLS/);
      expect(postgresTls.check(parameter("ssl_min_protocol_version", "TLSv1.1"))).toMatch(/TLSv1\.1/);
    });
  });

  describe(postgresFirewall.id, () => {
    const rule = (startIpAddress: string, endIpAddress: string) => ({ type: TYPES.postgresFirewallRule, props: { firewallRuleName: "r", startIpAddress, endIpAddress } });
    it("passes the Azure-services rule and a narrow range", () => {
      expect(postgresFirewall.check(rule("0.0.0.0", "0.0.0.0"))).toBeUndefined();
      expect(postgresFirewall.check(rule("203.0.113.1", "203.0.113.9"))).toBeUndefined();
    });
    it("fails a rule admitting the whole internet", () => {
      expect(postgresFirewall.check(rule("0.0.0.0", "255.255.255.255"))).toBe('firewall rule "r" admits 0.0.0.0-255.255.255.255, the whole internet');
    });
  });

  describe(jobStore.id, () => {
    const job = (volumes: unknown[], env: unknown[] = []) => ({ type: TYPES.containerAppsJob, props: { template: { containers: [{ name: "seatwise", env }], volumes } } });
    it("passes a job on PostgreSQL with a secret volume, and the ephemeral EmptyDir", () => {
      expect(jobStore.check(job([{ name: "seatwise-config", storageType: "Secret" }], [{ name: "SEATWISE_STORE", value: "postgres://mi-seatwise@s.postgres.database.azure.com:5432/seatwise?sslmode=require" }]))).toBeUndefined();
      expect(jobStore.check(job([{ name: "seatwise-data", storageType: "EmptyDir" }]))).toBeUndefined();
    });
    it("fails an Azure Files volume and a database password in the environment", () => {
      expect(jobStore.check(job([{ name: "seatwise-data", storageType: "AzureFile", storageName: "share" }]))).toMatch(/Azure Files: seatwise-data/);
      expect(jobStore.check(job([], [{ name: "PGPASSWORD", value: "x" }]))).toMatch(/PGPASSWORD/);
      expect(jobStore.check(job([], [{ name: "SEATWISE_STORE", value: "postgres://u:secret@h:5432/seatwise" }]))).toMatch(/carries a password/);
    });
  });
});
