/**
 * Turns policy files into one checked `Policy`: parses each file (YAML syntax and schema), follows
 * `extends`, merges (later files override settings, prices and single rules by id; `protect` lists
 * add up), then checks what the schema alone cannot: unknown facts, operators, settings and SKUs,
 * duplicate ids, missing fields of new rules. Every problem carries `file:line:col` and a path.
 * Pure: file contents come in through `PolicyReader`.
 */
import { formatPath, parseYamlDocument, validateWithSchema } from "../core/parse-yaml-with-schema.ts";
import { didYouMean } from "../core/did-you-mean.ts";
import type { Problem } from "../core/errors.ts";
import { quoteValue } from "../core/redact.ts";
import { allSkus } from "../core/sku-catalogue.ts";
import { FACTS_BY_NAME, factNamesFor } from "./facts.ts";
import type { FactScope } from "./facts.ts";
import { OPERATORS, OPERATORS_BY_NAME } from "./operators.ts";
import { DEFAULT_SETTINGS, POLICY_VERSION, policyFileSchema } from "./policy-schema.ts";
import type { IfConfirmedAction, Policy, PolicyFile, PolicyRule, PolicySettings, RuleFile } from "./policy-schema.ts";

/** `didYouMean`, or a candidate the word is a prefix of (`olderThan` → `olderThanDays`). */
function suggest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  return didYouMean(word, candidates) ?? (word.length >= 4 ? candidates.find((c) => c.toLowerCase().startsWith(lower)) : undefined);
}

type Locate = (path: readonly PropertyKey[], target?: "key" | "value") => { line: number; col: number };

/** Reads a policy file's text; `resolve` turns an `extends` reference into the file name to read. */
export interface PolicyReader {
  read(file: string): string;
  /** `"default"` → the shipped pack; else a path relative to `fromFile`. */
  resolve(reference: string, fromFile: string): string;
  /** Whether `file` is the shipped pack (its protect groups are suggestions). Default: never. */
  isShipped?(file: string): boolean;
}

export type ComposeResult = { ok: true; policy: Policy } | { ok: false; problems: Problem[] };

interface ParsedFile {
  file: string;
  data: PolicyFile;
  locate: Locate;
  /** When rules were dropped for schema problems: index in `data.rules` → index in the file. */
  ruleIndexes?: number[];
}

/** Where a value came from, to point problems at the right file and line. */
interface Origin {
  file: string;
  locate: Locate;
  path: (string | number)[];
}

interface ComposedRule {
  fields: Partial<Record<keyof RuleFile, { value: unknown; origin: Origin }>>;
  idOrigin: Origin;
}

/**
 * Composes the files (each with its `extends` chain, base first) into one checked policy. Every
 * problem of every file is reported in one pass, sorted by file and line: a schema problem drops
 * only the part it is in (a rule, a setting), and the rest is still checked.
 */
export function composePolicy(files: readonly string[], reader: PolicyReader): ComposeResult {
  const problems: Problem[] = [];
  const chain: ParsedFile[] = [];
  const seen = new Set<string>();
  // A file that could not be read or parsed at all: the composed checks would only add noise.
  let incomplete = false;
  const load = (file: string, stack: string[]): void => {
    if (stack.includes(file)) {
      problems.push({ file, line: 0, col: 0, path: "extends", message: `circular extends: ${[...stack, file].join(" → ")}` });
      incomplete = true;
      return;
    }
    if (seen.has(file)) return;
    let text: string;
    try {
      text = reader.read(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      problems.push({ file, line: 0, col: 0, path: "", message: `cannot read policy file: ${code ?? (error as Error).name}` });
      incomplete = true;
      return;
    }
    const result = parsePolicyFile(text, file);
    let parsed: ParsedFile;
    if (result.ok) parsed = result;
    else {
      problems.push(...result.problems);
      if (!result.partial) {
        incomplete = true;
        seen.add(file);
        return;
      }
      parsed = result.partial;
    }
    if (parsed.data.extends !== undefined) load(reader.resolve(parsed.data.extends, file), [...stack, file]);
    if (!seen.has(file)) {
      seen.add(file);
      chain.push(parsed);
    }
  };
  for (const f of files) load(f, []);
  if (incomplete) return { ok: false, problems: sortProblems(problems) };
  const merged = mergeAndCheck(chain, reader.isShipped ?? (() => false));
  if (problems.length === 0) return merged;
  return { ok: false, problems: sortProblems([...problems, ...(merged.ok ? [] : merged.problems)]) };
}

/** Problems grouped by file (in the order files first appear), then by line and column. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  const order = new Map<string, number>();
  for (const p of problems) if (!order.has(p.file)) order.set(p.file, order.size);
  const key = (p: Problem) => [order.get(p.file)!, p.line, p.col] as const;
  const unique = [...new Map(problems.map((p) => [`${p.file}|${p.line}|${p.col}|${p.path}|${p.message}`, p])).values()];
  return unique.sort((a, b) => {
    const [fa, la, ca] = key(a);
    const [fb, lb, cb] = key(b);
    return fa - fb || la - lb || ca - cb;
  });
}

/**
 * Parses and schema-validates one policy file. Pure. On schema problems, `partial` is the file
 * without the parts they are in (each bad rule, setting, price or protect list), for the checks that
 * need a whole policy; absent when nothing sensible remains (a bad `version` or `extends`, not a mapping).
 */
export function parsePolicyFile(text: string, file: string): ({ ok: true } & ParsedFile) | { ok: false; problems: Problem[]; partial?: ParsedFile } {
  const doc = parseYamlDocument(text, file);
  if (!doc.ok) return doc;
  const result = validateWithSchema(doc.data, policyFileSchema, file, doc.locate);
  let parsed: ParsedFile;
  const problems: Problem[] = [];
  if (result.ok) parsed = { file, data: result.value, locate: doc.locate };
  else {
    problems.push(...result.problems);
    const pruned = pruneProblemParts(doc.data, result.problems);
    const again = pruned ? policyFileSchema.safeParse(pruned.data) : undefined;
    if (!pruned || !again?.success) return { ok: false, problems };
    parsed = { file, data: again.data, locate: doc.locate, ruleIndexes: pruned.ruleIndexes };
  }
  const ids = new Map<string, number>();
  for (const [i, rule] of (parsed.data.rules ?? []).entries()) {
    const at = parsed.ruleIndexes?.[i] ?? i;
    const first = ids.get(rule.id);
    if (first !== undefined) {
      const { line, col } = doc.locate(["rules", at, "id"]);
      problems.push({ file, line, col, path: `rules[${at}].id`, message: `duplicate rule id ${quoteValue(rule.id)} (first at rules[${first}])` });
    } else ids.set(rule.id, at);
  }
  if (problems.length > 0) return { ok: false, problems, partial: parsed };
  return { ok: true, ...parsed };
}

/** Valid values for required rule fields whose written value is bad (only for the checks that follow). */
const RULE_STAND_INS = {
  name: "-",
  rationale: "-",
  severity: "low",
  action: (rule: Record<string, unknown>) => (rule.downgrade === undefined ? "review" : "downgrade"),
} as const;

/** A copy of `data` without the parts `problems` are in, or undefined when the file as a whole is bad. */
function pruneProblemParts(data: unknown, problems: readonly Problem[]): { data: Record<string, unknown>; ruleIndexes: number[] | undefined } | undefined {
  if (data === null || typeof data !== "object" || Array.isArray(data)) return undefined;
  const out = structuredClone(data) as Record<string, unknown>;
  const droppedRules = new Set<number>();
  const record = (v: unknown): Record<string, unknown> | undefined => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
  for (const p of problems) {
    const [top, second, third] = p.path.split(/[.[\]]+/).filter(Boolean);
    if (top === undefined || top === "version" || top === "extends") return undefined;
    if (top === "rules" && second !== undefined && /^\d+$/.test(second) && Array.isArray(out.rules)) {
      const rule = record((out.rules as unknown[])[Number(second)]);
      // A bad field of a rule gets a neutral stand-in, so the rest of the rule (its conditions) is checked.
      if (rule && third !== undefined && third !== "id") {
        const standIn = RULE_STAND_INS[third as keyof typeof RULE_STAND_INS];
        if (standIn === undefined) delete rule[third];
        else rule[third] = typeof standIn === "function" ? standIn(rule) : standIn;
      } else droppedRules.add(Number(second));
    } else if (top === "settings" && second === "addOns" && third !== undefined && record(record(out.settings)?.addOns)) {
      // Keep the key (rules name it); an empty mapping says "no activity counts".
      record(record(out.settings)!.addOns)![third] = { workloads: [], activations: [] };
    } else if ((top === "settings" || top === "protect") && second !== undefined && record(out[top])) delete record(out[top])![second];
    else if (top === "prices" && second !== undefined && record(out.prices)) record(out.prices)![second] = 0;
    else delete out[top];
  }
  let ruleIndexes: number[] | undefined;
  if (droppedRules.size > 0 && Array.isArray(out.rules)) {
    const rules = out.rules as unknown[];
    ruleIndexes = rules.map((_, i) => i).filter((i) => !droppedRules.has(i));
    out.rules = ruleIndexes.map((i) => rules[i]);
  }
  return { data: out, ruleIndexes };
}

function problemAt(origin: Origin, sub: (string | number)[], message: string, target?: "key" | "value"): Problem {
  const path = [...origin.path, ...sub];
  const { line, col } = origin.locate(path, target);
  return { file: origin.file, line, col, path: formatPath(path), message };
}

function mergeAndCheck(chain: readonly ParsedFile[], isShipped: (file: string) => boolean): ComposeResult {
  const problems: Problem[] = [];
  let currency = "USD";
  const prices: Record<string, number> = {};
  const termPrices: Policy["termPrices"] = {};
  const terms: Policy["terms"] = {};
  const termOrigins = new Map<string, Origin>();
  const settings: Omit<PolicySettings, "addOns"> & { addOns: PolicySettings["addOns"] } = { ...DEFAULT_SETTINGS, addOns: {} };
  const protect = { users: [] as string[], groups: [] as string[], departments: [] as string[] };
  /** Protect groups some file other than the shipped pack names (lower-case). */
  const ownGroups = new Set<string>();
  const rules = new Map<string, ComposedRule>();
  const addOnOrigins = new Map<string, Origin>();

  for (const { file, data, locate, ruleIndexes } of chain) {
    if (data.currency) currency = data.currency;
    for (const [sku, price] of Object.entries(data.prices ?? {})) {
      // A later file's entry replaces the earlier one whole: a plain number drops earlier term prices.
      if (typeof price === "number") {
        prices[sku] = price;
        delete termPrices[sku];
      } else {
        termPrices[sku] = { ...price };
        prices[sku] = price.annual ?? price.monthly ?? 0;
      }
    }
    for (const [key, term] of Object.entries(data.terms ?? {})) {
      terms[key] = term;
      termOrigins.set(key, { file, locate, path: ["terms"] });
    }
    const { addOns, ...plain } = data.settings ?? {};
    for (const [key, value] of Object.entries(plain)) {
      if (value === undefined) continue;
      (settings as unknown as Record<string, unknown>)[key] = value;
    }
    for (const [sku, mapping] of Object.entries(addOns ?? {})) {
      settings.addOns[sku] = { workloads: [...mapping.workloads], activations: [...mapping.activations] };
      addOnOrigins.set(sku, { file, locate, path: ["settings", "addOns", sku] });
    }
    for (const key of ["users", "groups", "departments"] as const) for (const v of data.protect?.[key] ?? []) if (!protect[key].includes(v)) protect[key].push(v);
    if (!isShipped(file)) for (const g of data.protect?.groups ?? []) ownGroups.add(g.toLowerCase());
    for (const [index, rule] of (data.rules ?? []).entries()) {
      const i = ruleIndexes?.[index] ?? index;
      const origin = (field: string): Origin => ({ file, locate, path: ["rules", i, field] });
      const existing = rules.get(rule.id) ?? { fields: {}, idOrigin: origin("id") };
      for (const [field, value] of Object.entries(rule)) {
        if (value === undefined) continue;
        existing.fields[field as keyof RuleFile] = { value, origin: { file, locate, path: ["rules", i] } };
      }
      rules.set(rule.id, existing);
    }
  }

  const knownSkus = new Set<string>([...allSkus().map((s) => s.skuPartNumber.toUpperCase()), ...Object.keys(prices).map((p) => p.toUpperCase())]);
  const skuCandidates = [...new Set([...Object.keys(prices), ...allSkus().map((s) => s.skuPartNumber)])];
  const checkSku = (sku: string, origin: Origin, sub: (string | number)[], target?: "key"): void => {
    if (knownSkus.has(sku.toUpperCase())) return;
    const hint = suggest(sku, skuCandidates);
    problems.push(problemAt(origin, sub, `unknown SKU ${quoteValue(sku)}${hint ? ` (did you mean "${hint}"?)` : ""}: not in Microsoft's catalogue nor in prices`, target));
  };
  for (const [sku, origin] of addOnOrigins) checkSku(sku, { ...origin, path: ["settings", "addOns"] }, [sku]);
  // `terms:` keys are subscription ids (GUIDs) or skuPartNumbers.
  for (const [key, origin] of termOrigins) if (!/^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i.test(key)) checkSku(key, origin, [key], "key");

  // Which file of the chain wrote a field: an inherited `ifConfirmed` lapses when a later file changes the action.
  const fileOrder = new Map(chain.map((c, i) => [c.file, i]));
  const resolved: PolicyRule[] = [];
  for (const [id, composed] of rules) {
    const f = composed.fields;
    if (f.enabled?.value === false) continue;
    const at = (field: keyof RuleFile) => f[field]?.origin ?? composed.idOrigin;
    for (const required of ["name", "rationale", "action", "severity", "conditions"] as const) {
      if (f[required] === undefined) {
        const o = composed.idOrigin;
        problems.push(problemAt({ ...o, path: o.path.slice(0, 2) }, [required], `is required (rule ${quoteValue(id)} does not inherit it from an extended file)`));
      }
    }
    if (f.name === undefined || f.rationale === undefined || f.action === undefined || f.severity === undefined || f.conditions === undefined) continue;
    const action = f.action.value as PolicyRule["action"];
    const target = (f.target?.value as PolicyRule["target"] | undefined) ?? "user";
    const downgrade = (f.downgrade?.value as { from: string; to: string }[] | undefined) ?? [];
    const ifConfirmed = ifConfirmedOf(f, action, target, fileOrder, problems);
    // The SKUs a finding would be priced by: a downgrade rule's, or a review rule's that a confirmation would downgrade.
    const downgrades = action === "downgrade" || ifConfirmed === "downgrade";
    if (action === "downgrade" && downgrade.length === 0) problems.push(problemAt(at("action"), ["action"], 'a downgrade rule needs "downgrade: [{ from, to }]"'));
    if (ifConfirmed === "downgrade" && downgrade.length === 0) problems.push(problemAt(at("ifConfirmed"), ["ifConfirmed"], 'a review confirmed as a downgrade needs "downgrade: [{ from, to }]"'));
    if (!downgrades && downgrade.length > 0) {
      problems.push(problemAt(at("downgrade"), ["downgrade"], `only downgrade rules (or review rules with ifConfirmed: downgrade) take "downgrade" (action is "${action}")`));
    }
    for (const [j, d] of downgrade.entries()) {
      checkSku(d.from, at("downgrade"), ["downgrade", j, "from"]);
      checkSku(d.to, at("downgrade"), ["downgrade", j, "to"]);
    }
    const rawSkus = f.skus?.value as RuleFile["skus"] | undefined;
    let skus: PolicyRule["skus"] = "all";
    if (Array.isArray(rawSkus)) {
      rawSkus.forEach((s, j) => checkSku(s, at("skus"), ["skus", j]));
      skus = { list: rawSkus };
    } else if (rawSkus && typeof rawSkus === "object") {
      rawSkus.addOn.forEach((s, j) => {
        checkSku(s, at("skus"), ["skus", "addOn", j]);
        if (!settings.addOns[s]) problems.push(problemAt(at("skus"), ["skus", "addOn", j], `add-on ${quoteValue(s)} has no activity mapping in settings.addOns`));
      });
      skus = { addOn: rawSkus.addOn };
    } else if (rawSkus) skus = rawSkus;
    if (downgrades) skus = { list: downgrade.map((d) => d.from) };
    if (target !== "user" && rawSkus !== undefined && !Array.isArray(rawSkus) && rawSkus !== "all") {
      problems.push(problemAt(at("skus"), ["skus"], `seat rules (target: ${target}) take "all" or a list of skuPartNumbers`));
    }
    if (target !== "user" && (action === "reclaim" || action === "downgrade")) {
      problems.push(problemAt(at("action"), ["action"], `seat rules (target: ${target}) can only review or notify (got "${action}")`));
    }
    const scope: FactScope = target === "sku" ? "sku" : target === "subscription" ? "subscription" : typeof skus === "object" && "addOn" in skus ? "addOn" : "user";
    const facts: string[] = [];
    const conditionsOrigin = at("conditions");
    const conditions = checkTopLevel(f.conditions.value, conditionsOrigin, scope, settings, knownSkus, skuCandidates, problems, facts);
    resolved.push({
      id,
      name: String(f.name.value),
      rationale: String(f.rationale.value),
      action,
      severity: f.severity.value as PolicyRule["severity"],
      target,
      skus,
      downgrade,
      ifConfirmed,
      conditions,
      facts,
    });
  }
  if (problems.length > 0) return { ok: false, problems: sortProblems(problems) };
  const suggestedProtectGroups = protect.groups.filter((g) => !ownGroups.has(g.toLowerCase()));
  return { ok: true, policy: { version: POLICY_VERSION, files: chain.map((c) => c.file), currency, prices, termPrices, terms, settings, protect, suggestedProtectGroups, rules: resolved } };
}

/**
 * A rule's `ifConfirmed`, or null; a problem when it cannot apply. It qualifies a review: written with
 * another action (in the same file, or added by a later file) it is an error; inherited from a file
 * earlier than the one that changed the action, it lapses (that file replaced the review it qualified).
 */
function ifConfirmedOf(f: ComposedRule["fields"], action: PolicyRule["action"], target: PolicyRule["target"], fileOrder: ReadonlyMap<string, number>, problems: Problem[]): IfConfirmedAction | null {
  const written = f.ifConfirmed;
  if (written === undefined || written.value === null) return null;
  const value = written.value as IfConfirmedAction;
  if (action !== "review") {
    const inherited = f.action !== undefined && fileOrder.get(written.origin.file)! < fileOrder.get(f.action.origin.file)!;
    if (!inherited) problems.push(problemAt(written.origin, ["ifConfirmed"], `only review rules take "ifConfirmed" (action is "${action}"; write action: review, or leave ifConfirmed out)`));
    return null;
  }
  if (target !== "user") {
    problems.push(problemAt(written.origin, ["ifConfirmed"], `only user rules take "ifConfirmed" (target is "${target}": its findings are priced by their seats already)`));
    return null;
  }
  return value;
}

const SETTING_NAMES = Object.keys(DEFAULT_SETTINGS).filter((k) => k !== "addOns");

function checkTopLevel(
  value: unknown,
  origin: Origin,
  scope: FactScope,
  settings: PolicySettings,
  knownSkus: ReadonlySet<string>,
  skuCandidates: readonly string[],
  problems: Problem[],
  facts: string[],
): Record<string, unknown> {
  const sub = ["conditions"];
  const node = value as Record<string, unknown>;
  const keys = Object.keys(node);
  if (!keys.some((k) => k === "all" || k === "any" || k === "not")) {
    problems.push(problemAt(origin, sub, 'must start with "all", "any" or "not"'));
    return node;
  }
  return checkCondition(node, sub, { origin, scope, settings, knownSkus, skuCandidates, problems, facts }) as Record<string, unknown>;
}

interface CheckContext {
  origin: Origin;
  scope: FactScope;
  settings: PolicySettings;
  knownSkus: ReadonlySet<string>;
  skuCandidates: readonly string[];
  problems: Problem[];
  facts: string[];
}

const LEAF_KEYS = ["fact", "operator", "value"];

function checkCondition(node: unknown, path: (string | number)[], ctx: CheckContext): unknown {
  const report = (sub: (string | number)[], message: string, target?: "key" | "value") => ctx.problems.push(problemAt(ctx.origin, [...path, ...sub], message, target));
  if (node === null || typeof node !== "object" || Array.isArray(node)) {
    report([], 'must be a condition: { all: [...] }, { any: [...] }, { not: {...} } or { fact, operator, value }');
    return node;
  }
  const obj = node as Record<string, unknown>;
  const keys = Object.keys(obj);
  for (const group of ["all", "any"] as const) {
    if (!(group in obj)) continue;
    for (const k of keys) if (k !== group) report([k], `unknown field ${quoteValue(k)} next to "${group}"`, "key");
    const list = obj[group];
    if (!Array.isArray(list) || list.length === 0) {
      report([group], "must be a non-empty list of conditions");
      return obj;
    }
    return { [group]: list.map((c, i) => checkCondition(c, [...path, group, i], ctx)) };
  }
  if ("not" in obj) {
    for (const k of keys) if (k !== "not") report([k], `unknown field ${quoteValue(k)} next to "not"`, "key");
    return { not: checkCondition(obj.not, [...path, "not"], ctx) };
  }
  if (!("fact" in obj) && !("operator" in obj)) {
    const hint = keys.map((k) => suggest(k, ["all", "any", "not", ...LEAF_KEYS])).find(Boolean);
    report([], `expected "all", "any", "not" or { fact, operator, value }${hint ? ` (did you mean "${hint}"?)` : ""}`);
    return obj;
  }
  for (const k of keys) {
    if (LEAF_KEYS.includes(k)) continue;
    const hint = suggest(k, LEAF_KEYS);
    report([k], `unknown field ${quoteValue(k)}${hint ? ` (did you mean "${hint}"?)` : ""}`, "key");
  }
  const factName = obj.fact;
  const opName = obj.operator;
  if (typeof factName !== "string") {
    report(["fact"], factName === undefined ? "is required" : "must be a fact name");
    return obj;
  }
  const allowed = factNamesFor(ctx.scope);
  const def = FACTS_BY_NAME.get(factName);
  if (!def) {
    const hint = suggest(factName, allowed);
    report(["fact"], `unknown fact ${quoteValue(factName)}${hint ? ` (did you mean "${hint}"?)` : ""}`);
    return obj;
  }
  if (!allowed.includes(factName)) {
    const where = def.scope === "addOn" ? "rules with skus: { addOn: [...] }" : def.scope === "sku" ? "seat rules (target: sku)" : def.scope === "subscription" ? "subscription rules (target: subscription)" : "user rules";
    report(["fact"], `fact "${factName}" is only available to ${where}`);
    return obj;
  }
  if (!ctx.facts.includes(factName)) ctx.facts.push(factName);
  if (typeof opName !== "string") {
    report(["operator"], opName === undefined ? "is required" : "must be an operator name");
    return obj;
  }
  const op = OPERATORS_BY_NAME.get(opName);
  if (!op) {
    const hint = suggest(opName, OPERATORS.map((o) => o.name));
    report(["operator"], `unknown operator ${quoteValue(opName)}${hint ? ` (did you mean "${hint}"?)` : ""}`);
    return obj;
  }
  if (!op.factTypes.includes(def.type)) {
    const fits = OPERATORS.filter((o) => o.factTypes.includes(def.type)).map((o) => o.name);
    report(["operator"], `operator "${opName}" does not apply to ${def.type} fact "${factName}" (use one of: ${fits.join(", ")})`);
    return obj;
  }
  if (!("value" in obj)) {
    report(["value"], "is required");
    return obj;
  }
  let value = obj.value;
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const ref = (value as Record<string, unknown>).setting;
    const extra = Object.keys(value).filter((k) => k !== "setting");
    if (typeof ref !== "string" || extra.length > 0) {
      report(["value"], 'an object value must be { setting: <name> } (facts are compared with literal values or settings)');
      return obj;
    }
    if (!SETTING_NAMES.includes(ref)) {
      const hint = suggest(ref, SETTING_NAMES);
      report(["value", "setting"], `unknown setting ${quoteValue(ref)}${hint ? ` (did you mean "${hint}"?)` : ""}`);
      return obj;
    }
    value = (ctx.settings as unknown as Record<string, unknown>)[ref];
  }
  const bad = (expected: string) => report(["value"], `operator "${opName}" needs ${expected} (got ${quoteValue(value)})`);
  const checkSkuValue = (sku: unknown, sub: (string | number)[]) => {
    if (typeof sku !== "string") return bad("skuPartNumbers");
    if (ctx.knownSkus.has(sku.toUpperCase())) return;
    const hint = suggest(sku, ctx.skuCandidates);
    report(["value", ...sub], `unknown SKU ${quoteValue(sku)}${hint ? ` (did you mean "${hint}"?)` : ""}: not in Microsoft's catalogue nor in prices`);
  };
  switch (op.value) {
    case "number":
      if (typeof value !== "number") bad("a number");
      break;
    case "list":
      if (!Array.isArray(value)) bad("a list");
      break;
    case "scalar":
      if (!["string", "number", "boolean"].includes(typeof value)) bad("a string, number or boolean");
      break;
    case "sku":
      checkSkuValue(value, []);
      break;
    case "skuList":
      if (!Array.isArray(value) || value.length === 0) bad("a non-empty list of skuPartNumbers");
      else value.forEach((s, i) => checkSkuValue(s, [i]));
      break;
    default: {
      const expected = def.type === "date" ? "string" : def.type === "string[]" ? "object" : def.type;
      if (value !== null && typeof value !== expected) bad(`a ${def.type}${def.nullable ? " or null" : ""} to compare ${def.type} fact "${factName}" with`);
    }
  }
  return { fact: factName, operator: opName, value };
}
