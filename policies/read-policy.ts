/**
 * Reads policy files from disk (the I/O edge of `composePolicy`). `extends: default` is the shipped
 * pack `policies/default.yaml`; other references are paths relative to the extending file.
 */
import { readFileSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ValidationError } from "../core/errors.ts";
import type { Problem } from "../core/errors.ts";
import { composePolicy } from "./compose-policy.ts";
import type { PolicyReader } from "./compose-policy.ts";
import type { Policy } from "./policy-schema.ts";

/** Absolute path of the shipped default pack. */
export const DEFAULT_POLICY_FILE = fileURLToPath(new URL("./default.yaml", import.meta.url));

/** Shows paths relative to the working directory when they are inside it (shorter messages). */
function display(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : file;
}

function fileReader(cwd: string): PolicyReader {
  return {
    read: (file) => readFileSync(resolve(cwd, file), "utf8"),
    resolve: (reference, fromFile) => display(reference === "default" ? DEFAULT_POLICY_FILE : resolve(cwd, dirname(fromFile), reference), cwd),
    isShipped: (file) => resolve(cwd, file) === DEFAULT_POLICY_FILE,
  };
}

/**
 * Reads and composes policy files (each with its `extends` chain); no files → the default pack.
 * Throws `ValidationError` with every problem found.
 */
export function readPolicy(files: readonly string[], cwd: string = process.cwd()): Policy {
  const result = composePolicy(files.length > 0 ? files : [display(DEFAULT_POLICY_FILE, cwd)], fileReader(cwd));
  if (!result.ok) throw new ValidationError(result.problems);
  return result.policy;
}

/** Checks policy files without a store (`seatwise policy check`): every problem, none when valid. */
export function checkPolicyFiles(files: readonly string[], cwd: string = process.cwd()): Problem[] {
  const result = composePolicy(files, fileReader(cwd));
  return result.ok ? [] : result.problems;
}
