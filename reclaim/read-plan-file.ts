/**
 * Reads a plan file (the I/O edge) and validates it with the one plan schema; problems carry
 * `file:line:col: path: message` (a hand-edited plan is located like any other input file).
 */
import { readFileSync } from "node:fs";
import { ValidationError } from "../core/errors.ts";
import { parseYamlDocument, validateWithSchema } from "../core/parse-yaml-with-schema.ts";
import { reclaimPlanSchema } from "./plan-schema.ts";
import type { ReclaimPlan } from "./plan-schema.ts";

/** Parses and validates plan JSON text. Pure; throws `ValidationError`. */
export function parsePlan(text: string, file: string): ReclaimPlan {
  // JSON is YAML: the YAML parser gives line and column for every problem.
  const doc = parseYamlDocument(text, file);
  if (!doc.ok) throw new ValidationError(doc.problems);
  const result = validateWithSchema(doc.data, reclaimPlanSchema, file, doc.locate);
  if (!result.ok) throw new ValidationError(result.problems);
  return result.value;
}

/** Reads and validates a plan file. */
export function readPlanFile(file: string): ReclaimPlan {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ValidationError([{ file, line: 0, col: 0, path: "", message: `cannot read the plan file: ${(error as NodeJS.ErrnoException).code ?? String(error)}` }]);
  }
  return parsePlan(text, file);
}
