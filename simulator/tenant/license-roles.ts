/**
 * The licenses the synthetic tenant buys, by role, mapped to real Microsoft SKUs from the catalogue.
 * In a tenant without Entra ID P1 (`modes.premium === false`) the Microsoft 365 suites (which include
 * the AAD_PREMIUM service plan) are replaced by their Office 365 counterparts, so no SKU carries an
 * Entra ID P1/P2 plan.
 */

export const LICENSE_ROLES = ["e3", "e5", "f3", "bizStd", "bizPrem", "bizBasic", "visio", "project", "powerBi", "exo1", "exo2", "copilot"] as const;
export type LicenseRole = (typeof LICENSE_ROLES)[number];

/** Add-ons whose use the usage data reveals (unused add-on rule). */
export const ADD_ON_ROLES = ["visio", "project", "powerBi"] as const satisfies readonly LicenseRole[];

/** skuPartNumber per role in a tenant with Entra ID P1. */
export const PREMIUM_PART_NUMBERS: Readonly<Record<LicenseRole, string>> = {
  e3: "SPE_E3",
  e5: "SPE_E5",
  f3: "SPE_F1",
  bizStd: "O365_BUSINESS_PREMIUM",
  bizPrem: "SPB",
  bizBasic: "O365_BUSINESS_ESSENTIALS",
  visio: "VISIOCLIENT",
  project: "PROJECTPREMIUM",
  powerBi: "POWER_BI_PRO",
  exo1: "EXCHANGESTANDARD",
  exo2: "EXCHANGEENTERPRISE",
  // Microsoft 365 Copilot (skuId 639dec6b-bb19-468b-871c-c5c441c4b0cb in Microsoft's licensing CSV).
  copilot: "Microsoft_365_Copilot",
};

/** skuPartNumber per role in a tenant without Entra ID P1 (no AAD_PREMIUM plan in any SKU). */
export const NON_PREMIUM_PART_NUMBERS: Readonly<Record<LicenseRole, string>> = {
  ...PREMIUM_PART_NUMBERS,
  e3: "ENTERPRISEPACK",
  e5: "ENTERPRISEPREMIUM",
  f3: "DESKLESSPACK",
  bizPrem: "O365_BUSINESS_PREMIUM",
};

/** Service plans that signal Entra ID P1/P2; never present when `premium` is false. */
export const ENTRA_PREMIUM_PLAN_NAMES = ["AAD_PREMIUM", "AAD_PREMIUM_P2"] as const;
