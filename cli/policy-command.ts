import { parseArgs } from "node:util";
import { UsageError, ValidationError } from "../core/errors.ts";
import { checkPolicyFiles } from "../policies/read-policy.ts";
import type { Command } from "./command.ts";

const usage = `Usage: seatwise policy check [FILE ...]

Validates policy files (default: the shipped pack) as evaluate would load them: the schema, facts,
operators, rule ids and extends chains. Every problem is reported as file:line:col: path: message.
Exit 0 when valid, 2 otherwise.`;

export const policyCommand: Command = {
  summary: "validate policy files (schema, facts, operators, extends)",
  usage,
  async run(args, io) {
    const { positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: {} });
    if (positionals[0] !== "check") throw new UsageError(`expected "policy check"\n\n${usage}`);
    const files = positionals.slice(1);
    const problems = checkPolicyFiles(files);
    if (problems.length > 0) throw new ValidationError(problems);
    io.out(`${files.length === 0 ? "the default policy pack" : files.join(", ")}: valid\n`);
    return 0;
  },
};
