/**
 * Reads a snapshot JSON file (until the collector's store exists, `seatwise evaluate --snapshot`).
 * Validation problems carry `file:line:col: path: message`. JSON is parsed natively first (fast for
 * 100,000 users); only an invalid file is re-parsed as YAML (a JSON superset) to locate problems.
 */
import { readFileSync } from "node:fs";
import { ValidationError } from "../core/errors.ts";
import { parseYamlDocument, validateWithSchema } from "../core/parse-yaml-with-schema.ts";
import { snapshotSchema } from "../core/user-facts.ts";
import type { Snapshot } from "../core/user-facts.ts";

/** Parses and validates snapshot JSON text. Pure; throws `ValidationError`. */
export function parseSnapshot(text: string, file: string): Snapshot {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    data = undefined;
  }
  if (data !== undefined) {
    const fast = snapshotSchema.safeParse(data);
    if (fast.success) return fast.data;
  }
  const doc = parseYamlDocument(text, file);
  if (!doc.ok) throw new ValidationError(doc.problems);
  const result = validateWithSchema(doc.data, snapshotSchema, file, doc.locate);
  if (!result.ok) throw new ValidationError(result.problems);
  return result.value;
}

/** Reads and validates a snapshot file. */
export function readSnapshot(file: string): Snapshot {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ValidationError([{ file, line: 0, col: 0, path: "", message: `cannot read the snapshot file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).name}` }]);
  }
  return parseSnapshot(text, file);
}
