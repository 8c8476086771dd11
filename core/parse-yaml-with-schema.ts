/**
 * Parses a YAML document and validates it with a zod schema, returning problems as data with the
 * file, line and column of the offending node (`file:line:col: path: message`).
 */
import { LineCounter, isMap, isNode, isPair, isScalar, parseDocument, visit, type Document } from "yaml";
import type { z } from "zod";
import { didYouMean } from "./did-you-mean.ts";
import type { Problem } from "./errors.ts";
import { quoteValue, safeMessageLine } from "./redact.ts";

/**
 * Limit of alias expansion per document (the yaml package counts an alias once per node it
 * stands for, times the aliases seen): YAML anchors let a few lines name billions of nodes
 * ("billion laughs"); Seatwise's inputs never need more than a handful of aliases.
 */
export const MAX_ALIAS_COUNT = 100;

/** Longest YAML parser message shown (its messages may quote a token of the input). */
const MAX_YAML_MESSAGE = 120;

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
  // logLevel "error": the yaml package would otherwise print warnings quoting the input to the process stderr.
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, logLevel: "error" });
  const at = (offset: number) => lineCounter.linePos(offset);
  if (document.errors.length > 0) {
    return {
      ok: false,
      problems: document.errors.map((e) => {
        const { line, col } = at(e.pos[0]);
        return { file, line, col, path: "", message: `invalid YAML: ${yamlMessage(e.message)}` };
      }),
    };
  }
  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    // The yaml package throws (a ReferenceError, no position) for an undefined alias and for an
    // alias bomb; point at the first alias that fails to resolve, or else at the first alias.
    const alias = firstAlias(document);
    const { line, col } = alias ? at(alias.offset) : { line: 1, col: 1 };
    const undefinedAlias = alias?.unresolved ? `undefined alias "*${alias.name}" (an anchor &${alias.name} must come before it)` : undefined;
    const bomb = /excessive alias count/i.test((error as Error).message) ? `aliases expand past the limit of ${MAX_ALIAS_COUNT}: refusing a document that may expand exponentially ("billion laughs")` : undefined;
    return { ok: false, problems: [{ file, line, col, path: "", message: `invalid YAML: ${undefinedAlias ?? bomb ?? yamlMessage((error as Error).message)}` }] };
  }
  return { ok: true, data: data ?? {}, locate: (path, target) => locate(document, path, at, target) };
}

/** The first alias that resolves to no anchor, else the first alias. */
function firstAlias(document: Document): { offset: number; name: string; unresolved: boolean } | undefined {
  let first: { offset: number; name: string; unresolved: boolean } | undefined;
  visit(document, {
    Alias(_key, node) {
      const unresolved = node.resolve(document) === undefined;
      const found = { offset: node.range?.[0] ?? 0, name: node.source, unresolved };
      if (unresolved) {
        first = found;
        return visit.BREAK;
      }
      first ??= found;
      return undefined;
    },
  });
  return first;
}

/** A YAML parser message as one capped line: the tokens it quotes from the input go through `quoteValue`. */
function yamlMessage(message: string): string {
  const first = message.split("\n", 1)[0] ?? "";
  const line = safeMessageLine(first.replace(/"((?:[^"\\]|\\.)*)"/g, (_m, token: string) => quoteValue(token)));
  return line.length > MAX_YAML_MESSAGE ? `${line.slice(0, MAX_YAML_MESSAGE)}…` : line;
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
        problems.push({ file, line, col, path: formatPath([...issue.path, key]), message: `unknown field ${quoteValue(key)}${hint ? ` (did you mean "${hint}"?)` : ""}` });
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
  // The whole file is not a mapping: say what it is, never what it holds (a key file, /etc/passwd...).
  if (issue.code === "invalid_type" && issue.path.length === 0 && issue.expected === "object") {
    const kind = typeof value === "string" ? "text" : Array.isArray(value) ? "a list" : value === null ? "empty" : `a ${typeof value}`;
    return `must be a YAML or JSON mapping of fields, but the file is ${kind}: is it the right file?`;
  }
  // Never the top-level document (it may be a key file or /etc/passwd given to the wrong option).
  const shown = value === undefined || issue.path.length === 0 ? "" : ` (got ${quoteValue(value)})`;
  if (issue.code === "invalid_value" && typeof value === "string" && issue.path.length > 0) {
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
