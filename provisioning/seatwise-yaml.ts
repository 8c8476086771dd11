/**
 * Renders the collector's `seatwise.yaml` (core/tool-config-schema.ts) from provisioning results.
 * Pure, shared by the Pulumi program (stack outputs) and `seatwise provision-config`. The file holds
 * no secret: it names the PEM file (certificate + PKCS#8 key) next to it, written with mode 0o600.
 * The reclaimer gets its own file (`seatwise-reclaimer.yaml`, tasks: [reclamation]) because it is a
 * separate app registration with its own certificate.
 */
import { stringify } from "yaml";

/** File name of the reader identity's PEM (certificate + private key), relative to seatwise.yaml. */
export const READER_PEM_FILE = "seatwise-reader.pem";
/** File name of the reclaimer identity's PEM, relative to seatwise-reclaimer.yaml. */
export const RECLAIMER_PEM_FILE = "seatwise-reclaimer.pem";
/** The reader's tool configuration file name. */
export const READER_YAML_FILE = "seatwise.yaml";
/** The reclaimer's tool configuration file name. */
export const RECLAIMER_YAML_FILE = "seatwise-reclaimer.yaml";

/** What goes into a seatwise.yaml. */
export interface SeatwiseYamlInput {
  tenantId: string;
  /** The identity's application (client) id. */
  clientId: string;
  cloud: string;
  /** Task names (core/permissions.ts) this identity serves. */
  tasks: readonly string[];
  /** Path of the PEM, relative to the yaml. */
  certificate: string;
  /** Store path; omitted → the tool's default (./seatwise.sqlite next to the yaml). */
  store?: string;
}

/** Returns the YAML text, with a header saying where it came from. */
export function renderSeatwiseYaml(input: SeatwiseYamlInput): string {
  const doc: Record<string, unknown> = {
    tenantId: input.tenantId,
    clientId: input.clientId,
    certificate: input.certificate,
    cloud: input.cloud,
    tasks: [...input.tasks],
  };
  if (input.store !== undefined) doc.store = input.store;
  return `# Generated from the Seatwise Pulumi stack outputs. No secret inside: the private key is in\n# ${input.certificate} (mode 0600). Regenerate after each certificate rotation.\n${stringify(doc)}`;
}
