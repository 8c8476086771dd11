import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ValidationError, formatProblem } from "../core/errors.ts";
import { applyPriceBook, parsePriceBook, readPriceBook } from "./price-book.ts";
import { readPolicy } from "./read-policy.ts";
import { seatPrice } from "./seat-price.ts";

const policy = readPolicy([]);

describe("parsePriceBook", () => {
  it("reads rows by column name, in any column order, with a BOM and CRLF", () => {
    const text = "\uFEFFprice,currency,skuPartNumber,term,description\r\n36.50,USD,SPE_E3,annual,Microsoft 365 E3\r\n43.80,usd,SPE_E3,monthly,\r\n\r\n12,USD,VISIOCLIENT,,\r\n";
    const result = parsePriceBook(text, "prices.csv", "USD");
    expect(result).toEqual({
      ok: true,
      entries: [
        { skuPartNumber: "SPE_E3", term: "annual", price: 36.5, line: 2 },
        { skuPartNumber: "SPE_E3", term: "monthly", price: 43.8, line: 3 },
        { skuPartNumber: "VISIOCLIENT", term: "", price: 12, line: 5 },
      ],
    });
  });

  it("refuses a row in another currency, naming file, line, column and field", () => {
    const result = parsePriceBook("skuPartNumber,term,currency,price\nSPE_E3,annual,USD,36\nSPE_E5,annual,EUR,52\n", "prices.csv", "USD");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map(formatProblem)).toEqual([
      'prices.csv:3:15: currency: "EUR" is not the policy\'s currency USD: convert the price book to USD (Seatwise never guesses exchange rates)',
    ]);
  });

  it("refuses bad terms, prices, empty SKUs, duplicates and a missing column", () => {
    const text = 'skuPartNumber,term,currency,price\nSPE_E3,yearly,USD,36\nSPE_E3,annual,USD,"1,000"\n,annual,USD,3\nSPE_E5,,USD,57\nspe_e5,,USD,58\n';
    const result = parsePriceBook(text, "p.csv", "USD");
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([
      'p.csv:2:8: term: must be monthly, annual or empty (got "yearly")',
      'p.csv:3:19: price: must be a non-negative number such as 36.00 (got "1,000")',
      "p.csv:4:1: skuPartNumber: is empty",
      "p.csv:6:1: skuPartNumber: duplicate price for spe_e5: first given at line 5",
    ]);
    const noPrice = parsePriceBook("skuPartNumber,term,currency\nSPE_E3,annual,USD\n", "p.csv", "USD");
    expect(noPrice.ok ? [] : noPrice.problems.map(formatProblem)).toEqual(['p.csv:1:1: price: missing column "price" (the header needs skuPartNumber, term, currency, price)']);
  });

  it("reads back any well-formed book it is given", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ sku: fc.stringMatching(/^[A-Z][A-Z0-9_]{1,20}$/), term: fc.constantFrom("monthly", "annual", "") as fc.Arbitrary<"monthly" | "annual" | "">, cents: fc.integer({ min: 0, max: 1_000_000 }) }), {
          selector: (r) => `${r.sku}|${r.term}`,
          maxLength: 30,
        }),
        (rows) => {
          const text = ["skuPartNumber,term,currency,price", ...rows.map((r) => `${r.sku},${r.term},USD,${(r.cents / 100).toFixed(2)}`)].join("\n");
          const result = parsePriceBook(text, "p.csv", "USD");
          expect(result.ok && result.entries.map((e) => [e.skuPartNumber, e.term, e.price])).toEqual(rows.map((r) => [r.sku, r.term, r.cents / 100]));
        },
      ),
    );
  });
});

describe("seatPrice with a price book", () => {
  it("takes the book's price per term over the policy's, and the default for other terms", () => {
    const book = parsePriceBook("skuPartNumber,term,currency,price\nspe_e3,monthly,USD,50\nVISIOCLIENT,annual,USD,11\nNEW_SKU,,USD,3\n", "p.csv", "USD");
    if (!book.ok) throw new Error("book");
    const priced = applyPriceBook(policy, book.entries);
    expect(seatPrice(priced, "SPE_E3", "monthly")).toBe(50);
    expect(seatPrice(priced, "SPE_E3", "annual")).toBe(36);
    expect(seatPrice(priced, "SPE_E3")).toBe(36);
    expect(seatPrice(priced, "VISIOCLIENT", "monthly")).toBe(11);
    expect(seatPrice(priced, "visioclient", "annual")).toBe(11);
    expect(seatPrice(priced, "NEW_SKU", "unknown")).toBe(3);
    expect(seatPrice(priced, "NOT_PRICED", "annual")).toBe(0);
    // The policy itself is unchanged.
    expect(seatPrice(policy, "SPE_E3", "monthly")).toBe(43.2);
  });

  it("readPriceBook throws a ValidationError naming the file and nothing is applied", () => {
    const dir = mkdtempSync(join(tmpdir(), "seatwise-prices-"));
    const file = join(dir, "prices.csv");
    writeFileSync(file, "skuPartNumber,term,currency,price\nSPE_E3,annual,GBP,30\n");
    expect(() => readPriceBook(file, policy)).toThrow(ValidationError);
    expect(() => readPriceBook(file, policy)).toThrow(`${file}:2:15: currency: "GBP" is not the policy's currency USD`);
    expect(() => readPriceBook(join(dir, "missing.csv"), policy)).toThrow("cannot read price book: ENOENT");
  });
});
