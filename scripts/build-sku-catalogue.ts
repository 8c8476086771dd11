/**
 * Builds `core/data/sku-catalogue.json` from Microsoft's "Product names and service plan identifiers
 * for licensing" CSV (../shared/reference/licensing-service-plan-reference.csv; columns
 * Product_Display_Name,String_Id,GUID,Service_Plan_Name,Service_Plan_Id,Service_Plans_Included_Friendly_Names,
 * one row per product × service plan). The CSV is not shipped with Seatwise; the JSON is.
 *
 * Usage: `node scripts/build-sku-catalogue.ts [csvPath] [outPath]`
 * (defaults: ../shared/reference/licensing-service-plan-reference.csv, core/data/sku-catalogue.json,
 * both relative to the repository root).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseCsv } from "../core/csv.ts";
import type { CatalogueSku, SkuCatalogueFile } from "../core/sku-catalogue.ts";

const REQUIRED_COLUMNS = [
  "Product_Display_Name",
  "String_Id",
  "GUID",
  "Service_Plan_Name",
  "Service_Plan_Id",
  "Service_Plans_Included_Friendly_Names",
] as const;

/**
 * Turns the CSV text into the catalogue: products keyed by lower-case skuId (GUID) in first-seen
 * order, each with its service plans in CSV order. Columns are found by header name. Pure.
 * Throws an Error naming the missing column when the header is not Microsoft's.
 */
export function compileSkuCatalogue(csvText: string): SkuCatalogueFile {
  const rows = parseCsv(csvText);
  const header = rows[0] ?? [];
  const col = Object.fromEntries(
    REQUIRED_COLUMNS.map((name) => {
      const k = header.indexOf(name);
      if (k < 0) throw new Error(`licensing CSV: missing column "${name}" (header: ${header.join(",")})`);
      return [name, k];
    }),
  ) as Record<(typeof REQUIRED_COLUMNS)[number], number>;
  const skus: Record<string, CatalogueSku> = {};
  for (const row of rows.slice(1)) {
    if (row.length === 1 && row[0] === "") continue;
    const skuId = (row[col.GUID] ?? "").trim().toLowerCase();
    if (!skuId) continue;
    let sku = skus[skuId];
    if (!sku) {
      sku = {
        skuPartNumber: (row[col.String_Id] ?? "").trim(),
        displayName: (row[col.Product_Display_Name] ?? "").trim(),
        servicePlans: [],
      };
      skus[skuId] = sku;
    }
    sku.servicePlans.push({
      servicePlanId: (row[col.Service_Plan_Id] ?? "").trim().toLowerCase(),
      servicePlanName: (row[col.Service_Plan_Name] ?? "").trim(),
      friendlyName: (row[col.Service_Plans_Included_Friendly_Names] ?? "").trim(),
    });
  }
  return { source: "Microsoft: Product names and service plan identifiers for licensing (CSV)", skus };
}

/** Serialises compactly: one product per line, so a catalogue refresh diffs readably. */
export function formatSkuCatalogue(file: SkuCatalogueFile): string {
  const lines = Object.entries(file.skus).map(([id, sku]) => `${JSON.stringify(id)}:${JSON.stringify(sku)}`);
  return `{"source":${JSON.stringify(file.source)},"skus":{\n${lines.join(",\n")}\n}}\n`;
}

function main(): void {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  const csvPath = resolve(root, process.argv[2] ?? "../shared/reference/licensing-service-plan-reference.csv");
  const outPath = resolve(root, process.argv[3] ?? "core/data/sku-catalogue.json");
  const catalogue = compileSkuCatalogue(readFileSync(csvPath, "utf8"));
  const text = formatSkuCatalogue(catalogue);
  writeFileSync(outPath, text);
  const plans = Object.values(catalogue.skus).reduce((a, s) => a + s.servicePlans.length, 0);
  console.log(`wrote ${outPath}: ${Object.keys(catalogue.skus).length} products, ${plans} product×plan rows, ${Buffer.byteLength(text)} bytes`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
