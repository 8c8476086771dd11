/**
 * Compiles a parsed `$filter` into a predicate over simulated users, enforcing Graph's rules for the
 * `user` resource: which properties are filterable with which operators, which operators are
 * "advanced" (need `ConsistencyLevel: eventual` and `$count=true`: `ne`, `not`, `endsWith`, `eq null`),
 * and that `signInActivity` filters stand alone (graph-api-facts.md §3).
 */
import type { SimUser } from "../../model.ts";
import { assignedLicenses } from "../user-json.ts";
import { GraphQueryError } from "./graph-query-error.ts";
import type { CompareOp, FilterExpr, FilterLiteral } from "./parse-filter.ts";

/** A compiled user filter. */
export interface UserFilter {
  test(user: SimUser): boolean;
  /** The first advanced operator used (Graph's spelling, e.g. `endsWith`), or null. */
  advanced: string | null;
  /** True when the filter reads signInActivity (needs AuditLog.Read.All and a premium tenant). */
  signInActivity: boolean;
}

const STRING_PROPS = {
  id: (u: SimUser) => u.id,
  userPrincipalName: (u: SimUser) => u.userPrincipalName,
  mail: (u: SimUser) => u.mail,
  displayName: (u: SimUser) => u.displayName,
  givenName: (u: SimUser) => u.givenName,
  surname: (u: SimUser) => u.surname,
  userType: (u: SimUser) => u.userType,
  department: (u: SimUser) => u.department,
  companyName: (u: SimUser) => u.companyName,
  jobTitle: (u: SimUser) => u.jobTitle,
  employeeId: (u: SimUser) => u.employeeId,
  usageLocation: (u: SimUser) => u.usageLocation,
  country: (u: SimUser) => u.country,
  city: (u: SimUser) => u.city,
  state: (u: SimUser) => u.state,
} as const satisfies Record<string, (u: SimUser) => string | null>;

const BOOLEAN_PROPS = {
  accountEnabled: (u: SimUser) => u.accountEnabled,
  onPremisesSyncEnabled: (u: SimUser) => u.onPremisesSyncEnabled,
} as const satisfies Record<string, (u: SimUser) => boolean | null>;

const DATE_PROPS = {
  createdDateTime: (u: SimUser) => u.createdDateTime,
  "signInActivity/lastSignInDateTime": (u: SimUser) => u.signInActivity.lastSignInDateTime,
  "signInActivity/lastNonInteractiveSignInDateTime": (u: SimUser) => u.signInActivity.lastNonInteractiveSignInDateTime,
  "signInActivity/lastSuccessfulSignInDateTime": (u: SimUser) => u.signInActivity.lastSuccessfulSignInDateTime,
} as const satisfies Record<string, (u: SimUser) => string | null>;

/** Properties `endsWith` accepts (advanced query). */
const ENDSWITH_PROPS = new Set(["mail", "userPrincipalName", "displayName", "givenName", "surname"]);

function lookup<T>(table: Record<string, T>, name: string): [string, T] | undefined {
  const lower = name.toLowerCase();
  for (const key of Object.keys(table)) if (key.toLowerCase() === lower) return [key, table[key]!];
  return undefined;
}

function unsupportedProperty(name: string): GraphQueryError {
  return new GraphQueryError(400, "Request_UnsupportedQuery", `Unsupported or invalid query filter clause specified for property '${name}' of resource 'User'.`);
}

function incompatible(expected: string, got: FilterLiteral, op: string): GraphQueryError {
  const edm = { string: "Edm.String", guid: "Edm.Guid", datetime: "Edm.DateTimeOffset", number: "Edm.Int32", boolean: "Edm.Boolean", null: "null" }[got.type];
  return new GraphQueryError(400, "BadRequest", `A binary operator with incompatible types was detected. Found operand types '${expected}' and '${edm}' for operator kind '${op}'.`);
}

const OP_KIND: Record<CompareOp, string> = { eq: "Equal", ne: "NotEqual", lt: "LessThan", le: "LessThanOrEqual", gt: "GreaterThan", ge: "GreaterThanOrEqual" };

function compareNumbers(op: CompareOp, a: number, b: number): boolean {
  switch (op) {
    case "eq":
      return a === b;
    case "ne":
      return a !== b;
    case "lt":
      return a < b;
    case "le":
      return a <= b;
    case "gt":
      return a > b;
    case "ge":
      return a >= b;
  }
}

/** Compiles `expr`; throws `GraphQueryError` for what Graph refuses on users. */
export function compileUserFilter(expr: FilterExpr): UserFilter {
  let advanced: string | null = null;
  const properties = new Set<string>();
  const markAdvanced = (op: string): void => {
    advanced ??= op;
  };

  const compile = (e: FilterExpr): ((u: SimUser) => boolean) => {
    switch (e.kind) {
      case "and": {
        const parts = e.items.map(compile);
        return (u) => parts.every((p) => p(u));
      }
      case "or": {
        const parts = e.items.map(compile);
        return (u) => parts.some((p) => p(u));
      }
      case "not": {
        markAdvanced("not");
        const inner = compile(e.item);
        return (u) => !inner(u);
      }
      case "in": {
        const s = lookup(STRING_PROPS, e.property);
        if (!s) throw unsupportedProperty(e.property);
        properties.add(s[0]);
        const values = e.values.map((v) => {
          if (v.type !== "string") throw incompatible("Edm.String", v, "In");
          return v.value.toLowerCase();
        });
        const get = s[1];
        return (u) => {
          const x = get(u);
          return x !== null && values.includes(x.toLowerCase());
        };
      }
      case "call": {
        const s = lookup(STRING_PROPS, e.property);
        if (!s) throw unsupportedProperty(e.property);
        if (e.value.type !== "string") throw incompatible("Edm.String", e.value, e.fn);
        properties.add(s[0]);
        const needle = e.value.value.toLowerCase();
        const get = s[1];
        if (e.fn === "endswith") {
          if (!ENDSWITH_PROPS.has(s[0])) throw unsupportedProperty(e.property);
          markAdvanced("endsWith");
          return (u) => {
            const x = get(u);
            return x !== null && x.toLowerCase().endsWith(needle);
          };
        }
        return (u) => {
          const x = get(u);
          return x !== null && x.toLowerCase().startsWith(needle);
        };
      }
      case "any": {
        if (e.collection.toLowerCase() !== "assignedlicenses") throw unsupportedProperty(e.collection);
        properties.add("assignedLicenses");
        const body = e.body;
        const prop = `${e.variable}/skuId`.toLowerCase();
        if (body.kind !== "compare" || body.op !== "eq" || body.property.toLowerCase() !== prop) {
          throw new GraphQueryError(400, "Request_UnsupportedQuery", "Unsupported query: only 'assignedLicenses/any(x:x/skuId eq <guid>)' is supported on assignedLicenses.");
        }
        if (body.value.type !== "guid") throw incompatible("Edm.Guid", body.value, "Equal");
        const skuId = body.value.value;
        return (u) => assignedLicenses(u.licenses).some((l) => l.skuId.toLowerCase() === skuId);
      }
      case "compare": {
        const { op, value } = e;
        if (op === "ne") markAdvanced("ne");
        if (value.type === "null") markAdvanced("eq null");
        const b = lookup(BOOLEAN_PROPS, e.property);
        if (b) {
          properties.add(b[0]);
          if (op !== "eq" && op !== "ne") throw unsupportedProperty(e.property);
          if (value.type !== "boolean" && value.type !== "null") throw incompatible("Edm.Boolean", value, OP_KIND[op]);
          const get = b[1];
          return (u) => (get(u) === value.value) === (op === "eq");
        }
        const d = lookup(DATE_PROPS, e.property);
        if (d) {
          properties.add(d[0]);
          if (value.type !== "datetime" && value.type !== "null") throw incompatible("Edm.DateTimeOffset", value, OP_KIND[op]);
          const get = d[1];
          if (value.type === "null") {
            if (op !== "eq" && op !== "ne") throw unsupportedProperty(e.property);
            return (u) => (get(u) === null) === (op === "eq");
          }
          const t = Date.parse(value.value);
          // A null timestamp never satisfies a comparison (Graph leaves never-signed-in users out).
          return (u) => {
            const x = get(u);
            return x !== null && compareNumbers(op, Date.parse(x), t);
          };
        }
        const s = lookup(STRING_PROPS, e.property);
        if (s) {
          properties.add(s[0]);
          if (op !== "eq" && op !== "ne") throw unsupportedProperty(e.property);
          const isId = s[0] === "id";
          if (value.type !== "string" && value.type !== "null" && !(isId && value.type === "guid")) throw incompatible("Edm.String", value, OP_KIND[op]);
          const get = s[1];
          const want = value.value === null ? null : String(value.value).toLowerCase();
          return (u) => {
            const x = get(u);
            const eq = want === null ? x === null : x !== null && x.toLowerCase() === want;
            return op === "eq" ? eq : !eq;
          };
        }
        throw unsupportedProperty(e.property);
      }
    }
  };

  const test = compile(expr);
  const signIn = [...properties].filter((p) => p.startsWith("signInActivity/"));
  if (signIn.length > 0 && properties.size > signIn.length) {
    throw new GraphQueryError(400, "Request_UnsupportedQuery", "Unsupported query: signInActivity can not be combined with filters on other properties.");
  }
  return { test, advanced, signInActivity: signIn.length > 0 };
}
