/**
 * Parses a YAML document and validates it with a zod schema, returning problems as data with the
 * file, line and column of the offending node (`file:line:col: path: message`).
 */
import { LineCounter, isMap, isNode, isPair, isScalar, parseDocument, type Document } from "yaml";
import type { z } from "zod";
import { didYouMean } from "./did-you-mean.ts";
import type { Problem } from "./errors.ts";

export type ParseResult<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

/** Parses `text` (the content of `file`) as YAML and validates it against `schema`. Pure. */
export function parseYamlWithSchema<S extends z.ZodType>(text: string, file: string, schema: S): ParseResult<z.output<S>> {
  const parsed = parseYamlDocument(text, file);
  if (!parsed.ok) return parsed;
  return validateWithSchema(parsed.data, schema, file, parsed.locate);
}

/** A parsed YAML document: its plain data and a way to find the line/column of a path in it. */
export type ParsedYaml =
  | { ok: true; data: unknown; locate: (path: readonly PropertyKey[], target?: "key" | "value") => { line: number; col: number } }
  | { ok: false; problems: Problem[] };

/** Parses YAML text, reporting syntax errors (and duplicate keys) with their position. Pure. */
export function parseYamlDocument(text: string, file: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => lineCounter.linePos(offset);
  if (document.errors.length > 0) {
    return {
      ok: false,
      problems: document.errors.map((e) => {
        const { line, col } = at(e.pos[0]);
        return { file, line, col, path: "", message: `invalid YAML: ${e.message.split("\n")[0]}` };
      }),
    };
  }
  return { ok: true, data: document.toJS() ?? {}, locate: (path, target) => locate(document, path, at, target) };
}

/** Validates already-parsed data, locating each problem with `locate(path)`. */
export function validateWithSchema<S extends z.ZodType>(
  data: unknown,
  schema: S,
  file: string,
  locate: (path: readonly PropertyKey[], target?: "key" | "value") => { line: number; col: number },
): ParseResult<z.output<S>> {
  const result = schema.safeParse(data);
  if (result.success) return { ok: true, value: result.data };
  const problems: Problem[] = [];
  for (const issue of result.error.issues) {
    if (issue.code === "unrecognized_keys") {
      const known = knownKeys(schema, issue.path);
      for (const key of issue.keys) {
        const { line, col } = locate([...issue.path, key], "key");
        const hint = didYouMean(key, known);
        problems.push({ file, line, col, path: formatPath([...issue.path, key]), message: `unknown field "${key}"${hint ? ` (did you mean "${hint}"?)` : ""}` });
      }
      continue;
    }
    const { line, col } = locate(issue.path);
    problems.push({ file, line, col, path: formatPath(issue.path), message: describeIssue(issue, data) });
  }
  return { ok: false, problems };
}

/** `rules[2].conditions.all[0].fact` from `["rules", 2, "conditions", "all", 0, "fact"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

function describeIssue(issue: z.core.$ZodIssue, data: unknown): string {
  const value = valueAt(data, issue.path);
  if (issue.code === "invalid_type" && value === undefined) return "is required";
  const shown = value === undefined ? "" : ` (got ${JSON.stringify(value)})`;
  if (issue.code === "invalid_value" && typeof value === "string") {
    const hint = didYouMean(value, issue.values.map(String));
    return `${issue.message}${shown}${hint ? ` — did you mean "${hint}"?` : ""}`;
  }
  return `${issue.message}${shown}`;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let cur = data;
  for (const p of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[p];
  }
  return cur;
}

/** Line/column of the deepest existing node on `path` (the key itself for a map entry). */
function locate(
  document: Document,
  path: readonly PropertyKey[],
  at: (offset: number) => { line: number; col: number },
  target: "key" | "value" = "value",
): { line: number; col: number } {
  let node: unknown = document.contents;
  let best: { line: number; col: number } = node && isNode(node) && node.range ? at(node.range[0]) : { line: 1, col: 1 };
  for (const [i, segment] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === segment);
      if (!pair) break;
      if (isScalar(pair.key) && pair.key.range) best = at(pair.key.range[0]);
      node = pair.value;
      if (target === "key" && i === path.length - 1) break;
      if (isNode(node) && node.range && !isMap(node)) best = at(node.range[0]);
    } else if (node && isNode(node) && "items" in node && Array.isArray((node as { items: unknown[] }).items) && typeof segment === "number") {
      node = (node as { items: unknown[] }).items[segment];
      if (!node) break;
      if (isNode(node) && node.range) best = at(node.range[0]);
    } else break;
  }
  return best;
}

/** Keys an object schema at `path` knows (for "did you mean"). Best effort over zod's internals. */
function knownKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let cur: unknown = schema;
  for (const p of path) {
    cur = unwrap(cur);
    const def = (cur as { def?: { type?: string; shape?: Record<string, unknown>; element?: unknown } }).def;
    if (def?.type === "object" && typeof p === "string") cur = def.shape?.[p];
    else if (def?.type === "array" && typeof p === "number") cur = def.element;
    else return [];
  }
  const def = (unwrap(cur) as { def?: { type?: string; shape?: Record<string, unknown> } }).def;
  return def?.type === "object" && def.shape ? Object.keys(def.shape) : [];
}

function unwrap(s: unknown): unknown {
  let cur = s as { def?: { type?: string; innerType?: unknown; in?: unknown } };
  for (let i = 0; i < 10 && cur?.def; i++) {
    const t = cur.def.type;
    if ((t === "optional" || t === "default" || t === "nullable" || t === "prefault") && cur.def.innerType) cur = cur.def.innerType as typeof cur;
    else if (t === "pipe" && cur.def.in) cur = cur.def.in as typeof cur;
    else break;
  }
  return cur;
}
