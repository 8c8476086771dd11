import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileSkuCatalogue, formatSkuCatalogue } from "../scripts/build-sku-catalogue.ts";
import { COPILOT_SKU_IDS, allSkus, friendlySkuName, skuById, skuByPartNumber } from "./sku-catalogue.ts";
import type { SkuCatalogueFile } from "./sku-catalogue.ts";

const csvUrl = new URL("../../shared/reference/licensing-service-plan-reference.csv", import.meta.url);
const jsonUrl = new URL("./data/sku-catalogue.json", import.meta.url);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("sku catalogue", () => {
  it("finds Microsoft 365 E3 by id and by part number with its service plans", () => {
    const e3 = skuByPartNumber("spe_e3");
    expect(e3?.skuId).toBe("05e9a617-0261-4cee-bb44-138d3ef5d965");
    expect(skuById("05E9A617-0261-4CEE-BB44-138D3EF5D965")?.skuPartNumber).toBe("SPE_E3");
    expect(e3?.servicePlans).toHaveLength(50);
    expect(e3?.servicePlans.find((p) => p.servicePlanName === "AAD_PREMIUM")?.servicePlanId).toBe("41781fb2-bc02-4b7c-bd55-b576c07bb09d");
  });

  it("keys the Copilot SKUs on the GUIDs of Microsoft's licensing CSV, every Copilot seat product included", () => {
    expect([...COPILOT_SKU_IDS].map((id) => skuById(id)?.skuPartNumber).sort()).toEqual(["M365_Copilot", "Microsoft_365_Copilot", "Microsoft_365_Copilot_EDU"]);
    // Every product whose plans include Copilot in the Microsoft 365 apps is one of them (not suites with Copilot Chat only).
    const withCopilotApps = allSkus().filter((s) => s.servicePlans.some((p) => p.servicePlanName === "M365_COPILOT_APPS"));
    expect(withCopilotApps.map((s) => s.skuId).sort()).toEqual([...COPILOT_SKU_IDS].sort());
  });

  it("names a known sku by its display name and an unknown one by its id", () => {
    expect(friendlySkuName("f8a1db68-be16-40ed-86d5-cb42ce701560")).toBe("Power BI Pro");
    expect(friendlySkuName("00000000-0000-0000-0000-00000000abcd")).toBe("00000000-0000-0000-0000-00000000abcd");
    expect(skuByPartNumber("NO_SUCH_SKU")).toBeUndefined();
  });

  it("holds well-formed products: lower-case GUIDs, part numbers, at least one plan each", () => {
    const skus = allSkus();
    expect(skus.length).toBeGreaterThanOrEqual(500);
    for (const s of skus) {
      expect(s.skuId).toMatch(GUID);
      expect(s.skuPartNumber).not.toBe("");
      expect(s.displayName).not.toBe("");
      expect(s.servicePlans.length).toBeGreaterThan(0);
      for (const p of s.servicePlans) expect(p.servicePlanId).toMatch(GUID);
    }
    expect(new Set(skus.map((s) => s.skuPartNumber)).size).toBe(568);
  });

  it("compiles quoted CSV with BOM and CRLF, grouping plans under their product", () => {
    const csv =
      "\uFEFFProduct_Display_Name,String_Id,GUID,Service_Plan_Name,Service_Plan_Id,Service_Plans_Included_Friendly_Names\r\n" +
      '"Power BI Pro","POWER_BI_PRO","F8A1DB68-BE16-40ED-86D5-CB42CE701560","EXCHANGE_S_FOUNDATION","113feb6c-3fe4-4440-bddc-54d774bf0318","Exchange Foundation"\r\n' +
      '"Power BI Pro","POWER_BI_PRO","f8a1db68-be16-40ed-86d5-cb42ce701560","BI_AZURE_P2","70d33638-9c74-4d01-bfd3-562de28bd4ba","Power BI Pro, with ""quotes"""\r\n';
    const out = compileSkuCatalogue(csv);
    expect(Object.keys(out.skus)).toEqual(["f8a1db68-be16-40ed-86d5-cb42ce701560"]);
    expect(out.skus["f8a1db68-be16-40ed-86d5-cb42ce701560"]?.servicePlans.map((p) => p.friendlyName)).toEqual([
      "Exchange Foundation",
      'Power BI Pro, with "quotes"',
    ]);
  });

  it("refuses a CSV without Microsoft's columns", () => {
    expect(() => compileSkuCatalogue("a,b\n1,2\n")).toThrow(/missing column "Product_Display_Name"/);
  });

  // CI has ../shared next to the checkout, so this compares with Microsoft's CSV there; a user's clone
  // without it still checks that the shipped file is exactly what the build script writes.
  it("is in sync with Microsoft's CSV (rebuild with node scripts/build-sku-catalogue.ts)", () => {
    const shipped = readFileSync(jsonUrl, "utf8");
    const expected = existsSync(csvUrl)
      ? formatSkuCatalogue(compileSkuCatalogue(readFileSync(csvUrl, "utf8")))
      : formatSkuCatalogue(JSON.parse(shipped) as SkuCatalogueFile);
    expect(shipped).toBe(expected);
  });
});
