/**
 * argv → one command → exit code. The only place that maps errors to exit codes and text.
 */
import { RefusalError, SeatwiseError, UsageError, ValidationError, formatProblem } from "../core/errors.ts";
import { cutLongRuns, redactSecrets, safeMessageLine } from "../core/redact.ts";
import type { CliIo, Command } from "./command.ts";
import { EXIT } from "./exit-codes.ts";


const COMMANDS: Record<string, () => Promise<Command>> = {
  simulate: async () => (await import("./simulate-command.ts")).simulateCommand,
  config: async () => (await import("./config-command.ts")).configCommand,
  collect: async () => (await import("./collect-command.ts")).collectCommand,
  export: async () => (await import("./export-command.ts")).exportCommand,
  schedule: async () => (await import("./schedule-command.ts")).scheduleCommand,
  reclaim: async () => (await import("./reclaim-command.ts")).reclaimCommand,
  evaluate: async () => (await import("./evaluate-command.ts")).evaluateCommand,
  report: async () => (await import("./report-command.ts")).reportCommand,
  policy: async () => (await import("./policy-command.ts")).policyCommand,
  "provision-config": async () => (await import("./provision-config-command.ts")).provisionConfigCommand,
  demo: async () => (await import("./demo-command.ts")).demoCommand,
  store: async () => (await import("./store-command.ts")).storeCommand,
};

async function help(): Promise<string> {
  const names = Object.keys(COMMANDS);
  const commands = await Promise.all(names.map((n) => COMMANDS[n]!()));
  const width = Math.max(...names.map((k) => k.length));
  const lines = names.map((name, i) => `  ${name.padEnd(width)}  ${commands[i]!.summary}`);
  return [
    "seatwise — least-privilege Microsoft 365 license steward",
    "",
    "Usage: seatwise <command> [options]",
    "",
    "Commands:",
    ...lines,
    "",
    "Run `seatwise <command> --help` for a command's options.",
    "",
  ].join("\n");
}

const defaultIo: CliIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  env: process.env,
};

/** Runs the CLI and returns the exit code. */
export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.out(await help());
    return name ? EXIT.ok : EXIT.invalidInput;
  }
  if (name === "--version") {
    io.out("seatwise 0.1.0\n");
    return EXIT.ok;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.err(`seatwise: unknown command "${name}"\n\n${await help()}`);
    return EXIT.invalidInput;
  }
  const command = await load();
  if (rest.includes("--help") || rest.includes("-h")) {
    io.out(`${command.usage}\n`);
    return EXIT.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    return reportError(error, io);
  }
}

function isParseArgsError(error: unknown): boolean {
  return error instanceof TypeError && String((error as NodeJS.ErrnoException).code ?? "").startsWith("ERR_PARSE_ARGS");
}

/**
 * Maps an error to text on stderr and an exit code. Every line goes through `redactSecrets` (errors
 * should carry no secret; this is the last guard) and an error is one line per problem, never a stack:
 * an unexpected error prints its message and, only with `SEATWISE_DEBUG=1`, its stack.
 */
export function reportError(error: unknown, io: CliIo): number {
  const print = (text: string) => io.err(`${text.split("\n").map(redactSecrets).join("\n")}\n`);
  if (error instanceof ValidationError) {
    // A file name may hold line breaks (a path built from a pasted value): shown escaped, on one line.
    const oneLine = (text: string) => text.replace(/[\r\n]/g, (c) => (c === "\n" ? "\\n" : "\\r"));
    print(error.problems.map((p) => safeMessageLine(formatProblem({ ...p, file: oneLine(p.file), path: cutLongRuns(oneLine(p.path)), message: oneLine(p.message) }))).join("\n"));
    return EXIT.invalidInput;
  }
  if (error instanceof UsageError || isParseArgsError(error)) {
    // Usage errors may end with the command's usage text (several lines, none from the input).
    print(`seatwise: ${(error as Error).message}`);
    return EXIT.invalidInput;
  }
  if (error instanceof RefusalError) {
    print(`seatwise: refused (${error.reason}): ${safeMessageLine(error.message)}`);
    return EXIT.refused;
  }
  if (error instanceof SeatwiseError) {
    print(`seatwise: ${safeMessageLine(error.message)}`);
    return EXIT.failure;
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ERR_SQLITE_ERROR" || (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) && error instanceof Error && "severity" in error)) {
    // A store statement failed (SQLite, or a PostgreSQL server error): one line, no stack trace.
    print(`seatwise: store error: ${safeMessageLine((error as Error).message)}`);
    return EXIT.failure;
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  if (io.env["SEATWISE_DEBUG"] === "1" && error instanceof Error && error.stack) print(`seatwise: unexpected error: ${error.stack}`);
  else print(`seatwise: unexpected error (a bug, please report it; SEATWISE_DEBUG=1 shows where): ${safeMessageLine(message)}`);
  return EXIT.failure;
}
