/**
 * `seatwise provision-config`: turns `pulumi stack output --json --show-secrets` (a file or stdin)
 * into seatwise.yaml + seatwise-reader.pem (and the reclaimer's pair when reclamation is enabled),
 * every file written atomically with mode 0o600. Never prints key material.
 */
import { lstat, mkdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { RefusalError, UsageError } from "../core/errors.ts";
import { writeFileAtomic } from "../core/write-file-atomic.ts";
import { parseStackOutputs, planProvisionFiles } from "../provisioning/parse-stack-outputs.ts";
import type { CliIo, Command } from "./command.ts";

const usage = `Usage: seatwise provision-config [--input FILE] [--out-dir DIR] [--force]

Writes the collector configuration from the outputs of the Seatwise Pulumi stack:
  seatwise.yaml + seatwise-reader.pem              (reader identity)
  seatwise-reclaimer.yaml + seatwise-reclaimer.pem (only when reclamation is enabled)
Each PEM holds the certificate and its PKCS#8 private key; every file gets mode 0600.

  --input, -i FILE    JSON from \`pulumi stack output --json --show-secrets\` (default: stdin; "-" = stdin)
  --out-dir, -o DIR   folder to write into (default: the current folder; created with mode 0700)
  --force             replace existing files (needed after a certificate rotation)

Example:
  pulumi stack output --json --show-secrets | seatwise provision-config --out-dir ~/.seatwise/contoso`;

/** Where the command reads stdin from; tests pass their own. */
export interface ProvisionConfigInput {
  isTty(): boolean;
  read(): Promise<string>;
}

const processStdin: ProvisionConfigInput = {
  isTty: () => process.stdin.isTTY === true,
  read: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
    return Buffer.concat(chunks).toString("utf8");
  },
};

/** Builds the command with a given stdin (the registered command uses the process's). */
export function createProvisionConfigCommand(stdin: ProvisionConfigInput): Command {
  return {
    summary: "write seatwise.yaml and key files from the Pulumi stack outputs",
    usage,
    async run(args: string[], io: CliIo): Promise<number> {
      let values: { input?: string; "out-dir"?: string; force?: boolean };
      try {
        ({ values } = parseArgs({
          args,
          strict: true,
          allowPositionals: false,
          options: { input: { type: "string", short: "i" }, "out-dir": { type: "string", short: "o" }, force: { type: "boolean", default: false } },
        }));
      } catch (error) {
        throw new UsageError(`${(error as Error).message}\n\n${usage}`);
      }
      const fromStdin = values.input === undefined || values.input === "-";
      if (fromStdin && stdin.isTty()) throw new UsageError(`no input: pipe \`pulumi stack output --json --show-secrets\` into this command or pass --input FILE\n\n${usage}`);
      const source = fromStdin ? "<stdin>" : values.input!;
      let text: string;
      try {
        text = fromStdin ? await stdin.read() : await readFile(values.input!, "utf8");
      } catch (error) {
        throw new UsageError(`cannot read ${source}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
      const outputs = parseStackOutputs(text, source);
      const files = planProvisionFiles(outputs);
      const dir = resolve(values["out-dir"] ?? ".");
      await mkdir(dir, { recursive: true, mode: 0o700 });
      if (!values.force) {
        const existing: string[] = [];
        for (const f of files) if (await exists(join(dir, f.name))) existing.push(join(dir, f.name));
        if (existing.length > 0) throw new RefusalError("exists", `${existing.join(", ")} already exist(s); pass --force to replace (e.g. after a certificate rotation)`);
      }
      for (const f of files) await writeFileAtomic(join(dir, f.name), f.content, f.mode);
      for (const f of files) io.out(`wrote ${join(dir, f.name)} (mode 0${f.mode.toString(8)}${f.secret ? ", certificate + private key" : ""})\n`);
      const describe = (role: string, i: { clientId: string; thumbprintSha256: string; notAfter: Date }) =>
        `${role}: client id ${i.clientId}, certificate SHA-256 ${i.thumbprintSha256}, expires ${i.notAfter.toISOString()}\n`;
      io.out(describe("reader", outputs.reader));
      if (outputs.reclaimer) io.out(describe("reclaimer", outputs.reclaimer));
      io.out(`next: seatwise config check --config ${join(dir, "seatwise.yaml")}\n`);
      return 0;
    },
  };
}

/** The registered command: `seatwise provision-config`. */
export const provisionConfigCommand: Command = createProvisionConfigCommand(processStdin);

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** Writes to a fresh 0600 temp file in the same folder, then renames over the target. */
