import { parseArgs } from "node:util";
import { UsageError } from "../core/errors.ts";
import { describeStore } from "../store/store-location.ts";
import type { Command } from "./command.ts";
import { readCaFile, readCertificateCredential, readToolConfig } from "./read-tool-config.ts";

const usage = `Usage: seatwise config check [--config FILE]

Validates a tool configuration (default ./seatwise.yaml) with the environment overrides applied
(SEATWISE_TENANT_ID, SEATWISE_CLIENT_ID, SEATWISE_CERTIFICATE, SEATWISE_CLOUD, SEATWISE_AUTHORITY_HOST,
SEATWISE_GRAPH_ENDPOINT, SEATWISE_CA_FILE, SEATWISE_TASKS, SEATWISE_DOMAINS, SEATWISE_INCLUDE_GUESTS,
SEATWISE_STORE, SEATWISE_RETAIN_SNAPSHOTS), checks the certificate file, and prints the effective configuration. Never prints
the private key. Exit 0 when valid, 2 when invalid, 3 when the key file is readable by others.`;

export const configCommand: Command = {
  summary: "validate a seatwise.yaml and print the effective configuration",
  usage,
  async run(args, io) {
    const { positionals, values } = parseArgs({ args, options: { config: { type: "string", short: "c" } }, allowPositionals: true, strict: true });
    if (positionals[0] !== "check" || positionals.length > 1) throw new UsageError(`expected "config check"\n\n${usage}`);
    const config = readToolConfig(values.config ?? "seatwise.yaml", io.env);
    const credential = readCertificateCredential(config.certificatePath);
    if (config.caFile !== undefined) readCaFile(config.caFile);
    const shown = {
      ...config,
      // The store as a URL or path, and how it authenticates: never the password or token.
      store: { location: describeStore(config.store), ...(config.store.engine === "postgres" ? { ssl: config.store.ssl, auth: config.store.auth.kind } : {}) },
      certificate: { thumbprintSha1: credential.thumbprintSha1, thumbprintSha256: credential.thumbprintSha256, notAfter: credential.notAfter.toISOString() },
    };
    io.out(`${JSON.stringify(shown, null, 2)}\n`);
    return 0;
  },
};
