/**
 * Renders the collector's `seatwise.yaml` from provisioning results. Pure, shared by the Pulumi
 * program (stack output) and `seatwise provision-config`. The file holds no secret: it names the
 * PEM file (certificate + PKCS#8 key) next to it, which is written with mode 0o600.
 */
import { stringify } from "yaml";

/** File name of the reader identity's PEM (certificate + private key), relative to seatwise.yaml. */
export const READER_PEM_FILE = "seatwise-reader.pem";
/** File name of the reclaimer identity's PEM, relative to seatwise.yaml. */
export const RECLAIMER_PEM_FILE = "seatwise-reclaimer.pem";

/** What goes into seatwise.yaml. */
export interface SeatwiseYamlInput {
  tenantId: string;
  /** Reader identity's application (client) id. */
  clientId: string;
  cloud: string;
  /** Enabled task names (core/permissions.ts), `reclamation` included when enabled. */
  tasks: readonly string[];
  /** Path of the reader PEM, relative to seatwise.yaml. Default: `seatwise-reader.pem`. */
  certificate?: string;
  /** Present only when reclamation is enabled. */
  reclaimer?: { clientId: string; certificate?: string };
}

/** Returns the YAML text, with a header saying where it came from. */
export function renderSeatwiseYaml(input: SeatwiseYamlInput): string {
  const doc: Record<string, unknown> = {
    tenantId: input.tenantId,
    clientId: input.clientId,
    certificate: input.certificate ?? READER_PEM_FILE,
    cloud: input.cloud,
    tasks: [...input.tasks],
  };
  if (input.reclaimer) {
    doc.reclaimer = { clientId: input.reclaimer.clientId, certificate: input.reclaimer.certificate ?? RECLAIMER_PEM_FILE };
  }
  return `# Generated from the Seatwise Pulumi stack outputs. No secret inside: the private key is in the\n# PEM file(s) named below (mode 0600). Regenerate after each certificate rotation.\n${stringify(doc)}`;
}
