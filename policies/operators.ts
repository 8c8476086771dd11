/**
 * Operators a policy condition may use: json-rules-engine's built-ins (listed so that an unknown
 * operator is rejected at load time) and Seatwise's custom ones. Custom operators that need the
 * clock take `now` when the engine is built, never from `new Date()`.
 */
import type { Engine } from "json-rules-engine";
import { parseGraphDate } from "./facts.ts";
import type { FactType } from "./facts.ts";

/** What an operator's `value` must be. */
export type OperatorValue = "number" | "string" | "boolean" | "scalar" | "list" | "any" | "sku" | "skuList";

export interface OperatorDefinition {
  name: string;
  /** Fact types it applies to. */
  factTypes: readonly FactType[];
  value: OperatorValue;
  description: string;
  custom: boolean;
}

const ALL: readonly FactType[] = ["boolean", "number", "string", "date", "string[]"];

/** Every operator policies may use. */
export const OPERATORS: readonly OperatorDefinition[] = [
  { name: "equal", factTypes: ALL, value: "any", description: "fact === value (null matches null: never / not collected).", custom: false },
  { name: "notEqual", factTypes: ALL, value: "any", description: "fact !== value.", custom: false },
  { name: "lessThan", factTypes: ["number"], value: "number", description: "fact < value (false when the fact is null).", custom: false },
  { name: "lessThanInclusive", factTypes: ["number"], value: "number", description: "fact <= value (false when null).", custom: false },
  { name: "greaterThan", factTypes: ["number"], value: "number", description: "fact > value (false when null).", custom: false },
  { name: "greaterThanInclusive", factTypes: ["number"], value: "number", description: "fact >= value (false when null).", custom: false },
  { name: "in", factTypes: ["string", "number", "boolean"], value: "list", description: "fact is one of the listed values.", custom: false },
  { name: "notIn", factTypes: ["string", "number", "boolean"], value: "list", description: "fact is none of the listed values.", custom: false },
  { name: "contains", factTypes: ["string[]"], value: "scalar", description: "the list fact contains value.", custom: false },
  { name: "doesNotContain", factTypes: ["string[]"], value: "scalar", description: "the list fact does not contain value.", custom: false },
  {
    name: "olderThanDays",
    factTypes: ["date"],
    value: "number",
    description: "the date is more than `value` whole days before now, or null (never). `lastSignIn olderThanDays 90`: no sign-in in 90 days.",
    custom: true,
  },
  { name: "withinDays", factTypes: ["date"], value: "number", description: "the date is at most `value` whole days before now (false when null).", custom: true },
  { name: "hasSku", factTypes: ["string[]"], value: "sku", description: "the license list holds this skuPartNumber (case-insensitive).", custom: true },
  { name: "hasAnySku", factTypes: ["string[]"], value: "skuList", description: "the license list holds at least one of these skuPartNumbers.", custom: true },
  { name: "hasNoSku", factTypes: ["string[]"], value: "skuList", description: "the license list holds none of these skuPartNumbers.", custom: true },
];

export const OPERATORS_BY_NAME: ReadonlyMap<string, OperatorDefinition> = new Map(OPERATORS.map((o) => [o.name, o]));

const DAY_MS = 86_400_000;

function upperList(v: unknown): string[] {
  return Array.isArray(v) ? v.map((x) => String(x).toUpperCase()) : [];
}

type OperatorFunction = (fact: unknown, value: unknown) => boolean;

// json-rules-engine's numeric validator; a number (the usual fact) needs no string round trip.
const isNumeric = (v: unknown) => (typeof v === "number" ? !Number.isNaN(v) : Number.parseFloat(v as string).toString() !== "NaN");

/**
 * Every operator as a plain function, `now` bound. The custom ones are what the engine runs; the
 * built-ins mirror json-rules-engine's (engine-default-operators.js, validators included) so that
 * `evaluate` can compute a user's leaf outcomes to memoize engine runs. A test checks that memoized
 * and direct evaluation agree.
 */
export function operatorFunctions(now: number): Record<string, OperatorFunction> {
  // One-entry cache: leaves on the same fact are evaluated one after another (see evaluate.ts).
  let lastDate: unknown;
  let lastAge: number | null = null;
  const ageDays = (date: unknown): number | null => {
    if (date === lastDate) return lastAge;
    const t = typeof date === "string" ? parseGraphDate(date) : null;
    lastDate = date;
    lastAge = t === null ? null : Math.floor((now - t) / DAY_MS);
    return lastAge;
  };
  return {
    equal: (a, b) => a === b,
    notEqual: (a, b) => a !== b,
    in: (a, b) => (b as unknown[]).indexOf(a) > -1,
    notIn: (a, b) => (b as unknown[]).indexOf(a) === -1,
    contains: (a, b) => Array.isArray(a) && a.indexOf(b) > -1,
    doesNotContain: (a, b) => Array.isArray(a) && a.indexOf(b) === -1,
    lessThan: (a, b) => isNumeric(a) && (a as number) < (b as number),
    lessThanInclusive: (a, b) => isNumeric(a) && (a as number) <= (b as number),
    greaterThan: (a, b) => isNumeric(a) && (a as number) > (b as number),
    greaterThanInclusive: (a, b) => isNumeric(a) && (a as number) >= (b as number),
    olderThanDays: (fact, days) => {
      const age = ageDays(fact);
      return age === null || age > (days as number);
    },
    withinDays: (fact, days) => {
      const age = ageDays(fact);
      return age !== null && age <= (days as number);
    },
    hasSku: (fact, sku) => upperList(fact).includes(String(sku).toUpperCase()),
    hasAnySku: (fact, skus) => {
      const held = upperList(fact);
      return upperList(skus).some((s) => held.includes(s));
    },
    hasNoSku: (fact, skus) => {
      const held = upperList(fact);
      return !upperList(skus).some((s) => held.includes(s));
    },
  };
}

/** Registers Seatwise's custom operators on an engine, with the evaluation's `now` (ms since epoch). */
export function addCustomOperators(engine: Engine, now: number): void {
  const functions = operatorFunctions(now);
  for (const op of OPERATORS) if (op.custom) engine.addOperator<unknown, unknown>(op.name, functions[op.name]!);
}
