/**
 * A small hand-written `SimTenant` for the Graph route tests: one predictable base tenant, plus one
 * change per test through `overrides`/`modes`. The real generator lives in `simulator/tenant/`; this
 * builder only has to be obvious, so every user property is a simple function of the index.
 *
 * Base rules (index i): every 10th user (i % 10 === 9) is a guest; i % 7 === 3 is blocked;
 * i % 3 === 0 holds SPE_E3 directly, i % 3 === 1 holds SPE_E5 through group `GROUP_E5_ID`;
 * i % 4 === 0 never signed in, others signed in `i` days before `now`.
 */
import type { SimLicense, SimModes, SimSku, SimTenant, SimUser } from "../model.ts";

export const TEST_TENANT_ID = "84841066-274d-4ec0-a5c1-276be684bdd3";
export const SKU_E3 = "05e9a617-0261-4cee-bb44-138d3ef5d965";
export const SKU_E5 = "06ebc4ee-1bb5-47dd-8120-11324bc54e06";
export const GROUP_E5_ID = "9d1b2c3e-0000-4000-8000-0000000000e5";
export const TEST_NOW = new Date("2026-11-20T12:00:00Z");

/** What a test may change on the base tenant. */
export interface TestTenantOptions {
  /** Number of users. Default 25. */
  users?: number;
  /** Tenant seed. Default 7. */
  seed?: number;
  /** Mode overrides; defaults premium true, concealedNames false, reportLagDays 2. */
  modes?: Partial<SimModes>;
  /** Per-index property overrides applied on top of the base rules. */
  overrides?: Record<number, Partial<SimUser>>;
}

function guid(prefix: string, i: number): string {
  return `${prefix}-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;
}

function license(skuId: string, assignedByGroup: string | null): SimLicense {
  return { skuId, disabledPlans: [], assignedByGroup, state: "Active", error: "None", lastUpdatedDateTime: "2025-03-01T08:00:00Z" };
}

function daysBefore(now: Date, days: number): string {
  return new Date(now.getTime() - days * 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function baseUser(i: number, now: Date): SimUser {
  const guest = i % 10 === 9;
  const upn = guest ? `ext${i}_fabrikam.com#EXT#@contoso.onmicrosoft.com` : `user${i}@contoso.com`;
  const licenses: SimLicense[] = i % 3 === 0 ? [license(SKU_E3, null)] : i % 3 === 1 ? [license(SKU_E5, GROUP_E5_ID)] : [];
  const signedIn = i % 4 !== 0 ? daysBefore(now, i) : null;
  const ext = {} as SimUser["onPremisesExtensionAttributes"];
  for (let k = 1; k <= 15; k++) ext[`extensionAttribute${k}`] = null;
  return {
    index: i,
    id: guid("6ea91a8d", i),
    userPrincipalName: upn,
    displayName: guest ? `Guest ${i}` : `User ${i}`,
    givenName: guest ? null : "User",
    surname: guest ? null : `${i}`,
    mail: guest ? `ext${i}@fabrikam.com` : `user${i}@contoso.com`,
    otherMails: [],
    proxyAddresses: guest ? [] : [`SMTP:user${i}@contoso.com`],
    userType: guest ? "Guest" : "Member",
    accountEnabled: i % 7 !== 3,
    createdDateTime: daysBefore(now, 400 + i),
    department: guest ? null : ["Sales", "Finance", "IT"][i % 3]!,
    companyName: null,
    jobTitle: null,
    employeeId: guest ? null : `E${i}`,
    officeLocation: null,
    streetAddress: null,
    city: null,
    state: null,
    postalCode: null,
    country: guest ? null : "Netherlands",
    usageLocation: guest ? null : "NL",
    preferredLanguage: null,
    onPremisesSyncEnabled: null,
    onPremisesExtensionAttributes: ext,
    managerId: null,
    licenses,
    signInActivity: { lastSignInDateTime: signedIn, lastNonInteractiveSignInDateTime: signedIn, lastSuccessfulSignInDateTime: signedIn },
    mfa: { isMfaRegistered: false, isMfaCapable: false, isAdmin: false, isSsprRegistered: false, methodsRegistered: [], defaultMethod: "none" },
    mailbox: { kind: guest ? "none" : "user", storageUsedBytes: 0, itemCount: 0, hasArchive: false, createdDate: null },
    apps: { windows: false, mac: false, mobile: false, web: false, lastActivityDate: null, activations: [] },
    oneDrive: { storageUsedBytes: 0, fileCount: 0, activeFileCount: 0, lastActivityDate: null },
    activity: { exchange: null, oneDrive: null, sharePoint: null, teams: null, yammer: null, skypeForBusiness: null, outlook: null, powerBi: null, project: null, visio: null, dynamics: null, copilot: null },
    copilot: null,
    persona: guest ? "guest" : "regular",
    truth: { reclaim: [], reclaimViaGroup: [], downgrade: [], traps: [], review: [] },
  };
}

function sku(skuId: string, skuPartNumber: string, displayName: string, enabled: number): SimSku {
  return {
    skuId,
    skuPartNumber,
    displayName,
    appliesTo: "User",
    capabilityStatus: "Enabled",
    prepaidUnits: { enabled, suspended: 0, warning: 0, lockedOut: 0 },
    servicePlans: [
      { servicePlanId: "efb87545-963c-4e0d-99df-69c6916d9eb0", servicePlanName: "EXCHANGE_S_ENTERPRISE", provisioningStatus: "Success", appliesTo: "User" },
      { servicePlanId: "57ff2da0-773e-42df-b2af-ffb7a2317929", servicePlanName: "TEAMS1", provisioningStatus: "Success", appliesTo: "User" },
    ],
    subscriptionIds: [guid("43d26afe", skuPartNumber.length)],
  };
}

/** Builds the base test tenant with the given changes. */
export function buildTestTenant(options: TestTenantOptions = {}): SimTenant {
  const count = options.users ?? 25;
  const now = TEST_NOW;
  const licenseChanges = new Map<number, SimLicense[]>();
  const userAt = (i: number): SimUser => {
    if (!Number.isInteger(i) || i < 0 || i >= count) throw new RangeError(`user index ${i} out of range 0..${count - 1}`);
    const u = { ...baseUser(i, now), ...options.overrides?.[i] };
    const changed = licenseChanges.get(i);
    return changed === undefined ? u : { ...u, licenses: changed };
  };
  const indexOf = (idOrUpn: string): number => {
    const key = idOrUpn.toLowerCase();
    for (let i = 0; i < count; i++) {
      const u = userAt(i);
      if (u.id === key || u.userPrincipalName.toLowerCase() === key) return i;
    }
    return -1;
  };
  return {
    tenantId: TEST_TENANT_ID,
    displayName: "Contoso",
    domains: ["contoso.com", "contoso.onmicrosoft.com"],
    now,
    seed: options.seed ?? 7,
    modes: { premium: true, concealedNames: false, reportLagDays: 2, ...options.modes },
    userCount: count,
    userAt,
    indexOf,
    skus: [sku(SKU_E3, "SPE_E3", "Microsoft 365 E3", count), sku(SKU_E5, "SPE_E5", "Microsoft 365 E5", count)],
    consumedUnits(skuId: string): number {
      let n = 0;
      for (let i = 0; i < count; i++) if (userAt(i).licenses.some((l) => l.skuId === skuId && l.state !== "Error")) n++;
      return n;
    },
    groups: [{ id: GROUP_E5_ID, displayName: "E5 users", mailNickname: "e5users", assignedLicenses: [{ skuId: SKU_E5, disabledPlans: [] }], memberIndexes: [] }],
    servicePrincipals: [],
    apps: [],
    signIns: () => [],
    setLicenses(i: number, licenses: SimLicense[]): void {
      licenseChanges.set(i, licenses);
    },
  };
}
