/**
 * CSV price books (`--prices prices.csv`) for tenants with hundreds of SKUs: columns skuPartNumber,
 * term, currency, price (by name, any order; other columns are ignored). `term` is `monthly`,
 * `annual` or empty (the SKU's default price); `price` is the monthly price of one seat on that
 * commitment. Every row must be in the policy's currency: Seatwise never guesses exchange rates.
 * `parsePriceBook` and `applyPriceBook` are pure; `readPricedPolicy` is the file edge that every command
 * taking `--policy` and `--prices` calls.
 */
import { readFileSync } from "node:fs";
import { ValidationError } from "../core/errors.ts";
import type { Problem } from "../core/errors.ts";
import { keyedRecord } from "../core/keyed-record.ts";
import { quoteValue } from "../core/redact.ts";
import type { Policy } from "./policy-schema.ts";
import { readPolicy } from "./read-policy.ts";

export const PRICE_BOOK_COLUMNS = ["skuPartNumber", "term", "currency", "price"] as const;
export const PRICE_BOOK_TERMS = ["monthly", "annual", ""] as const;

/** One row of a price book. `term` "" is the SKU's default price. */
export interface PriceBookEntry {
  skuPartNumber: string;
  term: (typeof PRICE_BOOK_TERMS)[number];
  price: number;
  line: number;
}

export type PriceBookResult = { ok: true; entries: PriceBookEntry[] } | { ok: false; problems: Problem[] };

/** Fields of one CSV line with their 1-based start columns (quotes as RFC 4180; a row is one line). */
function splitLine(line: string): { value: string; col: number }[] {
  const out: { value: string; col: number }[] = [];
  let i = 0;
  for (;;) {
    const col = i + 1;
    let value = "";
    if (line[i] === '"') {
      i++;
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (line[i] === '"') {
          i++;
          break;
        } else value += line[i++];
      }
      while (i < line.length && line[i] !== ",") value += line[i++];
    } else {
      while (i < line.length && line[i] !== ",") value += line[i++];
    }
    out.push({ value: value.trim(), col });
    if (i >= line.length) return out;
    i++; // the comma
  }
}

/** Parses a price book; every problem names file:line:col and the column. */
export function parsePriceBook(text: string, file: string, currency: string): PriceBookResult {
  const problems: Problem[] = [];
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const headerIndex = lines.findIndex((l) => l.trim() !== "");
  if (headerIndex < 0) return { ok: false, problems: [{ file, line: 1, col: 1, path: "", message: `empty price book: expected a header ${PRICE_BOOK_COLUMNS.join(",")}` }] };
  const header = splitLine(lines[headerIndex]!);
  const position = new Map<string, number>();
  header.forEach((h, k) => position.set(h.value.toLowerCase(), k));
  const missing = PRICE_BOOK_COLUMNS.filter((c) => !position.has(c.toLowerCase()));
  if (missing.length > 0) {
    return { ok: false, problems: [{ file, line: headerIndex + 1, col: 1, path: missing[0]!, message: `missing column "${missing.join('", "')}" (the header needs ${PRICE_BOOK_COLUMNS.join(", ")})` }] };
  }
  const at = (name: (typeof PRICE_BOOK_COLUMNS)[number]) => position.get(name.toLowerCase())!;
  const entries: PriceBookEntry[] = [];
  const firstLine = new Map<string, number>();
  for (let k = headerIndex + 1; k < lines.length; k++) {
    const raw = lines[k]!;
    if (raw.trim() === "") continue;
    const line = k + 1;
    const fields = splitLine(raw);
    const field = (name: (typeof PRICE_BOOK_COLUMNS)[number]) => fields[at(name)] ?? { value: "", col: raw.length + 1 };
    const problem = (name: (typeof PRICE_BOOK_COLUMNS)[number], message: string) => problems.push({ file, line, col: field(name).col, path: name, message });
    const sku = field("skuPartNumber").value;
    const term = field("term").value.toLowerCase();
    const rowCurrency = field("currency").value.toUpperCase();
    const priceText = field("price").value;
    if (sku === "") {
      problem("skuPartNumber", "is empty");
      continue;
    }
    if (!(PRICE_BOOK_TERMS as readonly string[]).includes(term)) {
      problem("term", `must be monthly, annual or empty (got ${quoteValue(field("term").value)})`);
      continue;
    }
    if (rowCurrency !== currency) {
      problem("currency", `"${field("currency").value}" is not the policy's currency ${currency}: convert the price book to ${currency} (Seatwise never guesses exchange rates)`);
      continue;
    }
    const price = Number(priceText);
    if (priceText === "" || !/^\d+(\.\d+)?$/.test(priceText) || !Number.isFinite(price)) {
      problem("price", `must be a non-negative number such as 36.00 (got ${quoteValue(priceText)})`);
      continue;
    }
    const key = `${sku.toUpperCase()}|${term}`;
    const first = firstLine.get(key);
    if (first !== undefined) {
      problem("skuPartNumber", `duplicate price for ${sku}${term ? ` (${term})` : ""}: first given at line ${first}`);
      continue;
    }
    firstLine.set(key, line);
    entries.push({ skuPartNumber: sku, term: term as PriceBookEntry["term"], price, line });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, entries };
}

/** The policy with the price book's prices over its own (per SKU and term). Pure. */
export function applyPriceBook(policy: Policy, entries: readonly PriceBookEntry[]): Policy {
  const prices = { ...policy.prices };
  // Keyed by the book's rows: no prototype (a row for "__proto__" must not reach Object.prototype).
  const termPrices: Policy["termPrices"] = keyedRecord();
  for (const [k, v] of Object.entries(policy.termPrices)) termPrices[k] = { ...v };
  // Keys match the policy's spelling when it has the SKU, so one SKU never has two keys.
  const keyOf = (sku: string) => Object.keys(prices).find((k) => k.toUpperCase() === sku.toUpperCase()) ?? sku;
  for (const e of entries) {
    const key = keyOf(e.skuPartNumber);
    if (e.term === "") prices[key] = e.price;
    else (termPrices[key] ??= {})[e.term] = e.price;
  }
  // A SKU the book prices only per term gets its default from those (annual first), as in a policy file.
  const withDefault = new Set(entries.filter((e) => e.term === "").map((e) => e.skuPartNumber.toUpperCase()));
  for (const e of entries) {
    if (e.term === "" || withDefault.has(e.skuPartNumber.toUpperCase())) continue;
    const key = keyOf(e.skuPartNumber);
    prices[key] = termPrices[key]!.annual ?? termPrices[key]!.monthly ?? 0;
  }
  return { ...policy, prices, termPrices };
}

/** Reads `file` and applies it to the policy. Throws `ValidationError` naming file:line:col for bad rows. */
export function readPriceBook(file: string, policy: Policy): Policy {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ValidationError([{ file, line: 0, col: 0, path: "", message: `cannot read price book: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` }]);
  }
  const result = parsePriceBook(text, file, policy.currency);
  if (!result.ok) throw new ValidationError(result.problems);
  return applyPriceBook(policy, result.entries);
}

/**
 * The policy every command evaluates with: the policy files composed (no files → the default pack),
 * then the CSV price book over their prices when one is given (`--prices`). Throws `ValidationError`.
 */
export function readPricedPolicy(policyFiles: readonly string[], priceBookFile?: string): Policy {
  const policy = readPolicy(policyFiles);
  return priceBookFile === undefined ? policy : readPriceBook(priceBookFile, policy);
}
