import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RefusalError, UsageError, ValidationError } from "../core/errors.ts";
import { createCertificate } from "../provisioning/certificate/certificate-logic.ts";
import type { CertificateOutputs } from "../provisioning/certificate/certificate-logic.ts";
import type { CliIo } from "./command.ts";
import { createProvisionConfigCommand } from "./provision-config-command.ts";
import { readCertificateCredential, readToolConfig } from "./read-tool-config.ts";

const TENANT = "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
const READER_ID = "0d3b1e0c-7a4f-4b43-9a55-2b8e8c7f9d11";
const RECLAIMER_ID = "9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a";

let dir: string;
let reader: CertificateOutputs;
let reclaimer: CertificateOutputs;

function io(): CliIo & { text: () => string } {
  let out = "";
  return { out: (t) => (out += t), err: (t) => (out += t), env: {}, text: () => out };
}

const noStdin = { isTty: () => true, read: async () => "" };

function outputs(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    tenantId: TENANT,
    cloud: "global",
    tasks: ["hrRoster", "licenseInformation", "reclamation"],
    readerClientId: READER_ID,
    readerCertificatePem: reader.certPem,
    readerPrivateKeyPem: reader.privateKeyPem,
    readerThumbprintSha256: reader.thumbprintSha256Hex,
    reclaimerClientId: RECLAIMER_ID,
    reclaimerCertificatePem: reclaimer.certPem,
    reclaimerPrivateKeyPem: reclaimer.privateKeyPem,
    seatwiseYaml: "ignored",
    ...extra,
  };
}

async function inputFile(name: string, content: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "seatwise-provision-config-"));
  const now = new Date();
  [reader, reclaimer] = await Promise.all([
    createCertificate({ commonName: "Seatwise reader", validityDays: 180, rotationWindowDays: 30, keySize: 2048 }, now),
    createCertificate({ commonName: "Seatwise reclaimer", validityDays: 180, rotationWindowDays: 30, keySize: 2048 }, now),
  ]);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("seatwise provision-config", () => {
  it("writes seatwise.yaml and PEM files with mode 0600 that the collector's config reader accepts", async () => {
    const out = join(dir, "out1");
    const cli = io();
    const code = await createProvisionConfigCommand(noStdin).run(["--input", await inputFile("o1.json", outputs()), "--out-dir", out], cli);
    expect(code).toBe(0);
    for (const name of ["seatwise.yaml", "seatwise-reader.pem", "seatwise-reclaimer.yaml", "seatwise-reclaimer.pem"]) {
      expect(((await stat(join(out, name))).mode & 0o777).toString(8)).toBe("600");
    }
    expect(((await stat(out)).mode & 0o777).toString(8)).toBe("700");

    const config = readToolConfig(join(out, "seatwise.yaml"));
    expect(config).toMatchObject({ tenantId: TENANT, clientId: READER_ID, tasks: ["hrRoster", "licenseInformation"] });
    const credential = readCertificateCredential(config.certificatePath);
    expect(credential.thumbprintSha256).toBe(reader.thumbprintSha256Hex);

    const reclaimerConfig = readToolConfig(join(out, "seatwise-reclaimer.yaml"));
    expect(reclaimerConfig).toMatchObject({ clientId: RECLAIMER_ID, tasks: ["reclamation"] });
    expect(readCertificateCredential(reclaimerConfig.certificatePath).thumbprintSha256).toBe(reclaimer.thumbprintSha256Hex);

    expect(await readFile(join(out, "seatwise.yaml"), "utf8")).not.toContain("PRIVATE KEY");
    expect(cli.text()).toContain(`client id ${READER_ID}, certificate SHA-256 ${reader.thumbprintSha256Hex}`);
    expect(cli.text()).not.toContain("PRIVATE KEY");
    expect(cli.text()).not.toContain(reader.privateKeyPem.split("\n")[1]!);
  });

  it("reads the outputs from stdin and writes only the reader files without reclamation", async () => {
    const out = join(dir, "out2");
    const { reclaimerClientId: _a, reclaimerCertificatePem: _b, reclaimerPrivateKeyPem: _c, ...readerOnly } = outputs({ tasks: ["hrRoster"] });
    const stdin = { isTty: () => false, read: async () => JSON.stringify(readerOnly) };
    expect(await createProvisionConfigCommand(stdin).run(["--out-dir", out], io())).toBe(0);
    expect(readToolConfig(join(out, "seatwise.yaml")).tasks).toEqual(["hrRoster"]);
    await expect(stat(join(out, "seatwise-reclaimer.pem"))).rejects.toThrow();
  });

  it("refuses to replace existing files without --force, and replaces them with it", async () => {
    const out = join(dir, "out3");
    const command = createProvisionConfigCommand(noStdin);
    const input = await inputFile("o3.json", outputs());
    expect(await command.run(["-i", input, "-o", out], io())).toBe(0);
    await expect(command.run(["-i", input, "-o", out], io())).rejects.toBeInstanceOf(RefusalError);
    const rotated = await createCertificate({ commonName: "Seatwise reader", validityDays: 180, rotationWindowDays: 30, keySize: 2048 }, new Date());
    const input2 = await inputFile("o3b.json", outputs({ readerCertificatePem: rotated.certPem, readerPrivateKeyPem: rotated.privateKeyPem }));
    expect(await command.run(["-i", input2, "-o", out, "--force"], io())).toBe(0);
    expect(readCertificateCredential(join(out, "seatwise-reader.pem")).thumbprintSha256).toBe(rotated.thumbprintSha256Hex);
    expect(((await stat(join(out, "seatwise-reader.pem"))).mode & 0o777).toString(8)).toBe("600");
  });

  it("asks for --show-secrets when the private keys are hidden", async () => {
    const input = await inputFile("o4.json", outputs({ readerPrivateKeyPem: "[secret]", reclaimerPrivateKeyPem: "[secret]" }));
    const run = createProvisionConfigCommand(noStdin).run(["-i", input, "-o", join(dir, "out4")], io());
    await expect(run).rejects.toThrow(/readerPrivateKeyPem: is hidden as \[secret\]; run `pulumi stack output --json --show-secrets`/);
  });

  it("refuses a private key that does not belong to the certificate, without echoing the key", async () => {
    const input = await inputFile("o5.json", outputs({ readerPrivateKeyPem: reclaimer.privateKeyPem }));
    try {
      await createProvisionConfigCommand(noStdin).run(["-i", input, "-o", join(dir, "out5")], io());
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as Error).message).toContain("readerPrivateKeyPem: does not belong to readerCertificatePem");
      expect((error as Error).message).not.toContain("PRIVATE KEY");
    }
    await expect(stat(join(dir, "out5", "seatwise.yaml"))).rejects.toThrow();
  });

  it("names missing or malformed outputs", async () => {
    const input = await inputFile("o6.json", { tenantId: "x", cloud: "moon", tasks: ["hrRoster"] });
    await expect(createProvisionConfigCommand(noStdin).run(["-i", input], io())).rejects.toThrow(/tenantId: must be a GUID[\s\S]*cloud: [\s\S]*readerClientId: /);
    await expect(createProvisionConfigCommand(noStdin).run(["-i", await inputFile("o7.json", "not json")], io())).rejects.toThrow(/not JSON/);
  });

  it("is a usage error without input on a terminal, or with an unknown option", async () => {
    await expect(createProvisionConfigCommand(noStdin).run([], io())).rejects.toBeInstanceOf(UsageError);
    await expect(createProvisionConfigCommand(noStdin).run(["--bogus"], io())).rejects.toBeInstanceOf(UsageError);
  });
});
