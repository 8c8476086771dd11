/**
 * Microsoft's licensing catalogue (product names and service plan identifiers), compiled into
 * `core/data/sku-catalogue.json` by `scripts/build-sku-catalogue.ts`. Keyed by skuId (the CSV's GUID,
 * = subscribedSku.skuId); String_Id is the skuPartNumber. Display names drift between Microsoft's
 * pages, so key on the id. Note: the source lists 569 product GUIDs but 568 part numbers
 * (`MCOPSTN5` has two GUIDs); `skuByPartNumber` returns the first one listed.
 */
import { readFileSync } from "node:fs";

/** One service plan of a product. */
export interface CataloguePlan {
  servicePlanId: string;
  servicePlanName: string;
  friendlyName: string;
}

/** One product (SKU) of the catalogue. */
export interface CatalogueSku {
  skuPartNumber: string;
  displayName: string;
  servicePlans: CataloguePlan[];
}

/** The JSON file's shape. */
export interface SkuCatalogueFile {
  source: string;
  /** Products by lower-case skuId. */
  skus: Record<string, CatalogueSku>;
}

/** A product with its id. */
export interface CatalogueEntry extends CatalogueSku {
  skuId: string;
}

let loaded: { byId: Map<string, CatalogueEntry>; byPart: Map<string, CatalogueEntry> } | undefined;

function catalogue(): { byId: Map<string, CatalogueEntry>; byPart: Map<string, CatalogueEntry> } {
  if (!loaded) {
    // Read once on first use (1 MB); JSON import attributes would work too but keep tsc and Node simple.
    const file = JSON.parse(readFileSync(new URL("./data/sku-catalogue.json", import.meta.url), "utf8")) as SkuCatalogueFile;
    const byId = new Map<string, CatalogueEntry>();
    const byPart = new Map<string, CatalogueEntry>();
    for (const [skuId, sku] of Object.entries(file.skus)) {
      const entry: CatalogueEntry = { skuId, ...sku };
      byId.set(skuId, entry);
      const part = sku.skuPartNumber.toUpperCase();
      if (!byPart.has(part)) byPart.set(part, entry);
    }
    loaded = { byId, byPart };
  }
  return loaded;
}

/** Every product in catalogue order. */
export function allSkus(): CatalogueEntry[] {
  return [...catalogue().byId.values()];
}

/** The product with this skuId (case-insensitive), or undefined. */
export function skuById(skuId: string): CatalogueEntry | undefined {
  return catalogue().byId.get(skuId.toLowerCase());
}

/** The product with this skuPartNumber (String_Id, case-insensitive), or undefined. */
export function skuByPartNumber(part: string): CatalogueEntry | undefined {
  return catalogue().byPart.get(part.toUpperCase());
}

/**
 * A person-readable name for a skuId: the catalogue's product display name, else the id itself
 * (tenants hold SKUs newer than any catalogue copy).
 */
export function friendlySkuName(skuId: string): string {
  return skuById(skuId)?.displayName ?? skuId;
}

/**
 * Microsoft 365 Copilot SKUs by skuId (Microsoft's licensing CSV): Microsoft_365_Copilot, M365_Copilot and
 * Microsoft_365_Copilot_EDU. Keyed on the GUID: part numbers and display names drift.
 */
export const COPILOT_SKU_IDS: ReadonlySet<string> = new Set([
  "639dec6b-bb19-468b-871c-c5c441c4b0cb",
  "a809996b-059e-42e2-9866-db24b99a9782",
  "ad9c22b3-52d7-4e7e-973c-88121ea96436",
]);
