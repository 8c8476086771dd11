/**
 * Parser for the OData `$filter` subset the simulated Graph accepts: comparisons (`eq ne lt le gt ge`),
 * `in (...)`, `startswith(p,'x')` / `endswith(p,'x')`, lambda `coll/any(x:x/prop eq v)`, `and`, `or`,
 * `not`, parentheses. Literals: single-quoted strings ('' escapes a quote), GUIDs and datetimes
 * unquoted, numbers, true/false/null. Pure; routes decide which properties and operators they allow.
 */
import { GraphQueryError } from "./graph-query-error.ts";

export const COMPARE_OPS = ["eq", "ne", "lt", "le", "gt", "ge"] as const;
export type CompareOp = (typeof COMPARE_OPS)[number];

export type FilterLiteral =
  | { type: "string"; value: string }
  | { type: "guid"; value: string }
  | { type: "datetime"; value: string }
  | { type: "number"; value: number }
  | { type: "boolean"; value: boolean }
  | { type: "null"; value: null };

export type FilterExpr =
  | { kind: "and"; items: FilterExpr[] }
  | { kind: "or"; items: FilterExpr[] }
  | { kind: "not"; item: FilterExpr }
  /** `property` is a path such as `signInActivity/lastSignInDateTime`; inside a lambda it starts with the variable. */
  | { kind: "compare"; op: CompareOp; property: string; value: FilterLiteral }
  | { kind: "in"; property: string; values: FilterLiteral[] }
  | { kind: "call"; fn: "startswith" | "endswith"; property: string; value: FilterLiteral }
  | { kind: "any"; collection: string; variable: string; body: FilterExpr };

type Token =
  | { t: "punct"; v: "(" | ")" | "," | ":"; pos: number }
  | { t: "word"; v: string; pos: number }
  | { t: "literal"; v: FilterLiteral; pos: number };

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})/;
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![\w-])/;
const NUMBER = /^-?\d+(?:\.\d+)?(?![\w-])/;
const WORD = /^[A-Za-z_$][A-Za-z0-9_]*(?:\/[A-Za-z_][A-Za-z0-9_]*)*/;

function syntaxError(text: string, pos: number): GraphQueryError {
  return new GraphQueryError(400, "BadRequest", `Invalid filter clause: Syntax error at position ${pos} in '${text}'.`);
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "(" || c === ")" || c === "," || c === ":") {
      out.push({ t: "punct", v: c, pos: i });
      i++;
      continue;
    }
    if (c === "'") {
      let j = i + 1;
      let value = "";
      for (;;) {
        if (j >= text.length) throw syntaxError(text, i);
        if (text[j] === "'") {
          if (text[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          }
          break;
        }
        value += text[j];
        j++;
      }
      out.push({ t: "literal", v: { type: "string", value }, pos: i });
      i = j + 1;
      continue;
    }
    const rest = text.slice(i);
    const dt = DATETIME.exec(rest);
    if (dt) {
      if (Number.isNaN(Date.parse(dt[0]))) throw syntaxError(text, i);
      out.push({ t: "literal", v: { type: "datetime", value: dt[0] }, pos: i });
      i += dt[0].length;
      continue;
    }
    const g = GUID.exec(rest);
    if (g) {
      out.push({ t: "literal", v: { type: "guid", value: g[0].toLowerCase() }, pos: i });
      i += g[0].length;
      continue;
    }
    const n = NUMBER.exec(rest);
    if (n) {
      out.push({ t: "literal", v: { type: "number", value: Number(n[0]) }, pos: i });
      i += n[0].length;
      continue;
    }
    const w = WORD.exec(rest);
    if (w) {
      const lower = w[0].toLowerCase();
      if (lower === "true" || lower === "false") out.push({ t: "literal", v: { type: "boolean", value: lower === "true" }, pos: i });
      else if (lower === "null") out.push({ t: "literal", v: { type: "null", value: null }, pos: i });
      else out.push({ t: "word", v: w[0], pos: i });
      i += w[0].length;
      continue;
    }
    throw syntaxError(text, i);
  }
  return out;
}

/** Parses a `$filter` value (already URL-decoded). Throws `GraphQueryError` 400 `BadRequest` on a syntax error. */
export function parseFilter(text: string): FilterExpr {
  const tokens = tokenize(text);
  let k = 0;
  const peek = (): Token | undefined => tokens[k];
  const fail = (): never => {
    throw syntaxError(text, peek()?.pos ?? text.length);
  };
  const isWord = (tok: Token | undefined, word: string): boolean => tok?.t === "word" && tok.v.toLowerCase() === word;
  const expectPunct = (v: string): void => {
    const tok = peek();
    if (tok?.t !== "punct" || tok.v !== v) fail();
    k++;
  };
  const literal = (): FilterLiteral => {
    const tok = peek();
    if (tok?.t !== "literal") return fail();
    k++;
    return tok.v;
  };
  const path = (): string => {
    const tok = peek();
    if (tok?.t !== "word") return fail();
    k++;
    return tok.v;
  };

  const orExpr = (): FilterExpr => {
    const items = [andExpr()];
    while (isWord(peek(), "or")) {
      k++;
      items.push(andExpr());
    }
    return items.length === 1 ? items[0]! : { kind: "or", items };
  };
  const andExpr = (): FilterExpr => {
    const items = [unary()];
    while (isWord(peek(), "and")) {
      k++;
      items.push(unary());
    }
    return items.length === 1 ? items[0]! : { kind: "and", items };
  };
  const unary = (): FilterExpr => {
    if (isWord(peek(), "not")) {
      k++;
      return { kind: "not", item: unary() };
    }
    return primary();
  };
  const primary = (): FilterExpr => {
    const tok = peek();
    if (tok?.t === "punct" && tok.v === "(") {
      k++;
      const inner = orExpr();
      expectPunct(")");
      return inner;
    }
    if (tok?.t !== "word") return fail();
    const lower = tok.v.toLowerCase();
    if ((lower === "startswith" || lower === "endswith") && tokens[k + 1]?.t === "punct" && tokens[k + 1]!.v === "(") {
      k += 2;
      const property = path();
      expectPunct(",");
      const value = literal();
      expectPunct(")");
      return { kind: "call", fn: lower, property, value };
    }
    const lambda = /^(.*)\/(any|all)$/i.exec(tok.v);
    if (lambda && tokens[k + 1]?.t === "punct" && tokens[k + 1]!.v === "(") {
      if (lambda[2]!.toLowerCase() === "all") {
        throw new GraphQueryError(400, "Request_UnsupportedQuery", "Unsupported query: the 'all' lambda operator is not supported.");
      }
      k += 2;
      const variable = path();
      expectPunct(":");
      const body = orExpr();
      expectPunct(")");
      return { kind: "any", collection: lambda[1]!, variable, body };
    }
    const property = path();
    const opTok = peek();
    if (opTok?.t !== "word") return fail();
    const op = opTok.v.toLowerCase();
    k++;
    if (op === "in") {
      expectPunct("(");
      const values = [literal()];
      while (peek()?.t === "punct" && (peek() as { v: string }).v === ",") {
        k++;
        values.push(literal());
      }
      expectPunct(")");
      return { kind: "in", property, values };
    }
    if (!(COMPARE_OPS as readonly string[]).includes(op)) {
      k--;
      return fail();
    }
    return { kind: "compare", op: op as CompareOp, property, value: literal() };
  };

  if (tokens.length === 0) fail();
  const expr = orExpr();
  if (k !== tokens.length) fail();
  return expr;
}
