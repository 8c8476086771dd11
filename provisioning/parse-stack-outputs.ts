/**
 * Parses `pulumi stack output --json --show-secrets` of the Seatwise stack and plans the files
 * `seatwise provision-config` writes. Pure: no I/O; problems are returned as a ValidationError whose
 * messages never contain key material.
 */
import { z } from "zod";
import { ValidationError } from "../core/errors.ts";
import type { Problem } from "../core/errors.ts";
import { TASKS } from "../core/permissions.ts";
import type { Task } from "../core/permissions.ts";
// From core, not ./config.ts: the CLI (and the job image) must not load @pulumi/pulumi.
import { CLOUDS } from "../core/tool-config-schema.ts";
import { READER_PEM_FILE, READER_YAML_FILE, RECLAIMER_PEM_FILE, RECLAIMER_YAML_FILE, renderSeatwiseYaml } from "./seatwise-yaml.ts";
import { checkKeyPair } from "../core/check-key-pair.ts";

/** What `pulumi stack output --json` prints for a secret without `--show-secrets`. */
const HIDDEN_SECRET = "[secret]";

const guid = z.guid({ message: "must be a GUID" });
const certPem = z.string().regex(/-----BEGIN CERTIFICATE-----/, "must be a PEM certificate");
const keyPem = z.string().regex(/-----BEGIN PRIVATE KEY-----/, "must be a PKCS#8 PEM private key");

const stackOutputsSchema = z.looseObject({
  tenantId: guid,
  cloud: z.enum(CLOUDS),
  tasks: z.array(z.enum(TASKS)).min(1),
  readerClientId: guid,
  readerCertificatePem: certPem,
  readerPrivateKeyPem: keyPem,
  reclaimerClientId: guid.optional(),
  reclaimerCertificatePem: certPem.optional(),
  reclaimerPrivateKeyPem: keyPem.optional(),
});

/** One identity's credentials from the stack outputs. */
export interface IdentityOutputs {
  clientId: string;
  certificatePem: string;
  /** Secret. Never log. */
  privateKeyPem: string;
  thumbprintSha256: string;
  notAfter: Date;
}

/** The validated stack outputs. */
export interface ParsedStackOutputs {
  tenantId: string;
  cloud: (typeof CLOUDS)[number];
  tasks: Task[];
  reader: IdentityOutputs;
  reclaimer: IdentityOutputs | undefined;
}

/** A file to write, relative to the output folder. Every file is written with `mode`. */
export interface PlannedFile {
  name: string;
  content: string;
  mode: number;
  /** True when the file holds a private key. */
  secret: boolean;
}

/** Parses and validates the JSON text of the stack outputs. `source` names the input in messages. */
export function parseStackOutputs(text: string, source: string): ParsedStackOutputs {
  const problem = (path: string, message: string): Problem => ({ file: source, line: 0, col: 0, path, message });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ValidationError([problem("", `not JSON (${(error as Error).message}); pipe \`pulumi stack output --json --show-secrets\``)]);
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new ValidationError([problem("", "must be the JSON object printed by `pulumi stack output --json --show-secrets`")]);
  }
  const record = data as Record<string, unknown>;
  const hidden = Object.keys(record).filter((k) => record[k] === HIDDEN_SECRET);
  if (hidden.length > 0) {
    throw new ValidationError(hidden.map((k) => problem(k, "is hidden as [secret]; run `pulumi stack output --json --show-secrets`")));
  }
  const result = stackOutputsSchema.safeParse(record);
  if (!result.success) {
    // Messages name the output, never echo its value (it may be a key).
    throw new ValidationError(result.error.issues.map((i) => problem(i.path.map(String).join("."), i.message)));
  }
  const o = result.data;
  const problems: Problem[] = [];
  const reclaimerKeys = [o.reclaimerClientId, o.reclaimerCertificatePem, o.reclaimerPrivateKeyPem];
  if (reclaimerKeys.some((v) => v !== undefined) && reclaimerKeys.some((v) => v === undefined)) {
    problems.push(problem("reclaimerClientId", "reclaimerClientId, reclaimerCertificatePem and reclaimerPrivateKeyPem must come together"));
  }
  const reader = identity("reader", o.readerClientId, o.readerCertificatePem, o.readerPrivateKeyPem, problems, problem);
  const reclaimer =
    o.reclaimerClientId && o.reclaimerCertificatePem && o.reclaimerPrivateKeyPem
      ? identity("reclaimer", o.reclaimerClientId, o.reclaimerCertificatePem, o.reclaimerPrivateKeyPem, problems, problem)
      : undefined;
  if (problems.length > 0 || !reader) throw new ValidationError(problems);
  return { tenantId: o.tenantId, cloud: o.cloud, tasks: o.tasks, reader, reclaimer };
}

function identity(
  prefix: string,
  clientId: string,
  certificatePem: string,
  privateKeyPem: string,
  problems: Problem[],
  problem: (path: string, message: string) => Problem,
): IdentityOutputs | undefined {
  const check = checkKeyPair(certificatePem, privateKeyPem);
  if (!check.ok) {
    const field = check.field === "certificate" ? `${prefix}CertificatePem` : `${prefix}PrivateKeyPem`;
    problems.push(problem(field, check.message === "the private key does not belong to the certificate" ? `does not belong to ${prefix}CertificatePem` : check.message));
    return undefined;
  }
  const cert = check.certificate;
  return { clientId, certificatePem, privateKeyPem, thumbprintSha256: cert.fingerprint256.replace(/:/g, ""), notAfter: new Date(cert.validTo) };
}

/** The files to write: seatwise.yaml + PEM for the reader, and the reclaimer's pair when present. */
export function planProvisionFiles(o: ParsedStackOutputs): PlannedFile[] {
  const pem = (i: IdentityOutputs) => `${i.certificatePem.trimEnd()}\n${i.privateKeyPem.trimEnd()}\n`;
  const files: PlannedFile[] = [
    {
      name: READER_YAML_FILE,
      content: renderSeatwiseYaml({ tenantId: o.tenantId, clientId: o.reader.clientId, cloud: o.cloud, tasks: o.tasks.filter((t) => t !== "reclamation"), certificate: READER_PEM_FILE }),
      mode: 0o600,
      secret: false,
    },
    { name: READER_PEM_FILE, content: pem(o.reader), mode: 0o600, secret: true },
  ];
  if (o.reclaimer) {
    files.push(
      {
        name: RECLAIMER_YAML_FILE,
        content: renderSeatwiseYaml({ tenantId: o.tenantId, clientId: o.reclaimer.clientId, cloud: o.cloud, tasks: ["reclamation"], certificate: RECLAIMER_PEM_FILE }),
        mode: 0o600,
        secret: false,
      },
      { name: RECLAIMER_PEM_FILE, content: pem(o.reclaimer), mode: 0o600, secret: true },
    );
  }
  return files;
}
