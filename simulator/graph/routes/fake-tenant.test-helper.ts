/**
 * A small hand-written `SimTenant` for the report, sign-in, directory and assignLicense route tests:
 * one base tenant plus one change per test (`modes`, `overrides`, `seats`). Every value is spelled out
 * so a test can state what it expects.
 *
 * now = 2026-11-20T12:00Z; with the default lag of 2 days the reports' refresh date is 2026-11-18.
 *
 * | i | who        | licenses                               | notes                                       |
 * |---|------------|----------------------------------------|---------------------------------------------|
 * | 0 | alice      | E3 direct                               | active everywhere on 11-15, MFA + admin      |
 * | 1 | bob        | E5 via GROUP_E5                        | Exchange activity 11-19 (after refresh date) |
 * | 2 | carol      | E3 direct + E3 via GROUP_E3 (both)     | disabled account                             |
 * | 3 | guest      | none                                   | Guest, no usage location, no mailbox         |
 * | 4 | shared     | none                                   | shared mailbox, blocked                      |
 * | 5 | dave       | E3 direct + Visio direct               | last activity 2026-10-01 (D90 only)          |
 * | 6 | erin       | none                                   | member without usage location                |
 * | 7+| fillerN    | E3 direct                              | no activity                                  |
 */
import type { GraphContext, GraphRequest, GraphResponse, GraphRoute, GraphVersion } from "../route.ts";
import type { SimGroup, SimLicense, SimModes, SimServicePrincipal, SimSignIn, SimSku, SimTenant, SimUser, Workload } from "../../model.ts";

export const NOW = new Date("2026-11-20T12:00:00Z");
export const TENANT_ID = "84841066-274d-4ec0-a5c1-276be684bdd3";
export const SKU_E3 = "05e9a617-0261-4cee-bb44-138d3ef5d965";
export const SKU_E5 = "06ebc4ee-1bb5-47dd-8120-11324bc54e06";
export const SKU_VISIO = "c5928f49-12ba-48f7-ada3-0d743a3601d5";
export const SKU_COMPANY = "0c266dff-15dd-4b49-8397-2bb16070ed52";
export const SKU_NOT_OWNED = "6fd2c87f-b296-42f0-b197-1e91e994b900";
export const GROUP_E5 = "9d1b2c3e-0000-4000-8000-0000000000e5";
export const GROUP_E3 = "9d1b2c3e-0000-4000-8000-0000000000e3";
export const GROUP_ALL = "9d1b2c3e-0000-4000-8000-000000000a11";
export const SP_SALESFORCE = "59e617e5-e447-4adc-8b88-00af644d7c92";
export const SP_HIDDEN = "59e617e5-e447-4adc-8b88-00af644d7c93";
export const APP_SALESFORCE = "65415bb1-9267-4313-bbf5-ae259732ee12";
export const APP_OUTLOOK = "5d661950-3475-41cd-a2c3-d671a3162bc1";
export const PLAN_EXCHANGE = "efb87545-963c-4e0d-99df-69c6916d9eb0";
export const PLAN_TEAMS = "57ff2da0-773e-42df-b2af-ffb7a2317929";

export interface FakeTenantOptions {
  /** Number of users (≥ 7). Default 7. */
  users?: number;
  modes?: Partial<SimModes>;
  overrides?: Record<number, Partial<SimUser>>;
  /** prepaidUnits.enabled per skuId. Default 100 for every SKU. */
  seats?: Record<string, number>;
  /** Sign-in log entries, newest first. Default `SIGN_INS`. */
  signIns?: SimSignIn[];
}

export function userId(i: number): string {
  return `6ea91a8d-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;
}

function lic(skuId: string, group: string | null = null): SimLicense {
  return { skuId, disabledPlans: [], assignedByGroup: group, state: "Active", error: "None", lastUpdatedDateTime: "2025-03-01T08:00:00Z" };
}

function activity(day: string | null, only?: readonly Workload[]): Record<Workload, string | null> {
  const all: Workload[] = ["exchange", "oneDrive", "sharePoint", "teams", "yammer", "skypeForBusiness", "outlook", "powerBi", "project", "visio", "dynamics", "copilot"];
  const out = {} as Record<Workload, string | null>;
  for (const w of all) out[w] = only === undefined || only.includes(w) ? day : null;
  return out;
}

const NAMES = ["alice", "bob", "carol", "guest", "shared", "dave", "erin"];

function baseUser(i: number): SimUser {
  const name = NAMES[i] ?? `filler${i}`;
  const guest = i === 3;
  const upn = guest ? "ext3_fabrikam.com#EXT#@contoso.onmicrosoft.com" : `${name}@contoso.com`;
  const ext = {} as SimUser["onPremisesExtensionAttributes"];
  for (let k = 1; k <= 15; k++) ext[`extensionAttribute${k}`] = null;
  const licenses = i === 0 || i >= 7 ? [lic(SKU_E3)] : i === 1 ? [lic(SKU_E5, GROUP_E5)] : i === 2 ? [lic(SKU_E3), lic(SKU_E3, GROUP_E3)] : i === 5 ? [lic(SKU_E3), lic(SKU_VISIO)] : [];
  const day = i === 0 ? "2026-11-15" : i === 1 ? "2026-11-19" : i === 5 ? "2026-10-01" : null;
  return {
    index: i,
    id: userId(i),
    userPrincipalName: upn,
    displayName: name.charAt(0).toUpperCase() + name.slice(1),
    givenName: null,
    surname: null,
    mail: guest ? "ext3@fabrikam.com" : upn,
    otherMails: [],
    proxyAddresses: [],
    userType: guest ? "Guest" : "Member",
    accountEnabled: i !== 2 && i !== 4,
    createdDateTime: "2024-01-10T09:00:00Z",
    department: null,
    companyName: "Contoso",
    jobTitle: null,
    employeeId: null,
    officeLocation: null,
    streetAddress: null,
    city: "Amsterdam",
    state: null,
    postalCode: null,
    country: "Netherlands",
    usageLocation: guest || i === 6 ? null : "NL",
    preferredLanguage: null,
    onPremisesSyncEnabled: null,
    onPremisesExtensionAttributes: ext,
    managerId: i === 1 ? userId(0) : null,
    licenses,
    signInActivity: { lastSignInDateTime: null, lastNonInteractiveSignInDateTime: null, lastSuccessfulSignInDateTime: null },
    mfa:
      i === 0
        ? { isMfaRegistered: true, isMfaCapable: true, isAdmin: true, isSsprRegistered: true, methodsRegistered: ["microsoftAuthenticatorPush", "fido2"], defaultMethod: "push" }
        : { isMfaRegistered: false, isMfaCapable: false, isAdmin: false, isSsprRegistered: false, methodsRegistered: [], defaultMethod: "none" },
    mailbox: {
      kind: guest || i === 6 ? "none" : i === 4 ? "shared" : "user",
      storageUsedBytes: i === 4 ? 60 * 1024 ** 3 : 1_000_000 * (i + 1),
      itemCount: 100 * (i + 1),
      hasArchive: i === 4,
      createdDate: "2024-01-10",
    },
    apps: {
      windows: i === 0,
      mac: false,
      mobile: i === 0,
      web: false,
      lastActivityDate: day,
      activations:
        i === 0
          ? [
              { productType: "MICROSOFT 365 APPS FOR ENTERPRISE", lastActivatedDate: "2026-06-01", windows: 2, mac: 0 },
              { productType: "Visio Client", lastActivatedDate: "2026-11-19", windows: 1, mac: 0 },
            ]
          : i === 5
            ? [{ productType: "Visio Client", lastActivatedDate: "2025-01-05", windows: 1, mac: 0 }]
            : [],
    },
    oneDrive: { storageUsedBytes: i === 0 ? 5_000_000 : 0, fileCount: i === 0 ? 40 : 0, activeFileCount: i === 0 ? 4 : 0, lastActivityDate: i === 0 ? day : null },
    activity: activity(day, i === 1 ? ["exchange"] : undefined),
    copilot: null,
    persona: guest ? "guest" : i === 4 ? "sharedMailbox" : "regular",
    truth: { reclaim: [], reclaimViaGroup: [], downgrade: [], traps: [], review: [] },
  };
}

function sku(skuId: string, part: string, displayName: string, enabled: number, plans: [string, string][], appliesTo: "User" | "Company" = "User"): SimSku {
  return {
    skuId,
    skuPartNumber: part,
    displayName,
    appliesTo,
    capabilityStatus: "Enabled",
    prepaidUnits: { enabled, suspended: 0, warning: 0, lockedOut: 0 },
    servicePlans: plans.map(([id, name]) => ({ servicePlanId: id, servicePlanName: name, provisioningStatus: "Success", appliesTo: "User" })),
    subscriptionIds: ["43d26afe-cb98-48b9-acc4-ae3ef2ac6c51"],
  };
}

const SUITE_PLANS: [string, string][] = [
  [PLAN_EXCHANGE, "EXCHANGE_S_ENTERPRISE"],
  ["5dbe027f-2339-4123-9542-606e4d348a72", "SHAREPOINTENTERPRISE"],
  [PLAN_TEAMS, "TEAMS1"],
  ["0feaeb32-d00e-4d66-bd5a-43b5b83db82c", "MCOSTANDARD"],
  ["7547a3fe-08ee-4ccb-b430-5077c5041653", "YAMMER_ENTERPRISE"],
  ["43de0ff5-c92c-492b-9116-175376d08c38", "OFFICESUBSCRIPTION"],
];

/** Sign-ins newest first: 6 entries over four days, mixed apps, users and event types. */
export const SIGN_INS: SimSignIn[] = [
  signIn("a6", "2026-11-20T10:00:00.0000000Z", 0, APP_SALESFORCE, "interactiveUser"),
  signIn("a5", "2026-11-19T10:00:00.0000000Z", 1, APP_OUTLOOK, "nonInteractiveUser"),
  signIn("a4", "2026-11-19T09:00:00.0000000Z", 0, APP_OUTLOOK, "interactiveUser"),
  signIn("a3", "2026-11-18T09:00:00.0000000Z", 5, APP_SALESFORCE, "interactiveUser"),
  signIn("a2", "2026-11-17T09:00:00.0000000Z", 0, APP_SALESFORCE, "nonInteractiveUser"),
  signIn("a1", "2026-10-01T09:00:00.0000000Z", 5, APP_OUTLOOK, "interactiveUser"),
];

export function signIn(tag: string, createdDateTime: string, userIndex: number, appId: string, type: SimSignIn["signInEventType"]): SimSignIn {
  return {
    id: `66ea54eb-6301-4ee5-be62-ff5a759b${tag.padStart(4, "0")}`,
    createdDateTime,
    userIndex,
    appId,
    appDisplayName: appId === APP_SALESFORCE ? "Salesforce" : "Office 365 Exchange Online",
    resourceId: "00000003-0000-0000-c000-000000000000",
    resourceDisplayName: "Microsoft Graph",
    isInteractive: type === "interactiveUser",
    signInEventType: type,
    clientAppUsed: "Browser",
    ipAddress: "131.107.159.37",
    location: { city: "Amsterdam", state: "Noord-Holland", countryOrRegion: "NL" },
    status: { errorCode: 0, failureReason: null },
    mfa: true,
  };
}

function servicePrincipal(id: string, appId: string, name: string, tags: string[], assignments: SimServicePrincipal["assignments"]): SimServicePrincipal {
  return {
    id,
    appId,
    displayName: name,
    appDisplayName: name,
    publisherName: "Contoso",
    appOwnerOrganizationId: "1bc1c026-2f7b-48a5-98da-afa2fd8bc7bc",
    accountEnabled: true,
    appRoleAssignmentRequired: true,
    preferredSingleSignOnMode: "saml",
    servicePrincipalType: "Application",
    signInAudience: "AzureADMyOrg",
    tags,
    verifiedPublisher: { displayName: null, verifiedPublisherId: null, addedDateTime: null },
    assignments,
  };
}

/** Builds the base fake tenant with the given changes. */
export function buildFakeTenant(options: FakeTenantOptions = {}): SimTenant {
  const count = Math.max(7, options.users ?? 7);
  const changed = new Map<number, SimLicense[]>();
  const userAt = (i: number): SimUser => {
    if (!Number.isInteger(i) || i < 0 || i >= count) throw new RangeError(`user index ${i} out of range`);
    const u = { ...baseUser(i), ...options.overrides?.[i] };
    const l = changed.get(i);
    return l === undefined ? u : { ...u, licenses: l };
  };
  const seats = (skuId: string): number => options.seats?.[skuId] ?? 100;
  const groups: SimGroup[] = [
    { id: GROUP_E5, displayName: "E5 users", mailNickname: "e5users", assignedLicenses: [{ skuId: SKU_E5, disabledPlans: [] }], memberIndexes: [1] },
    { id: GROUP_E3, displayName: "E3 users", mailNickname: "e3users", assignedLicenses: [{ skuId: SKU_E3, disabledPlans: [] }], memberIndexes: [2] },
    { id: GROUP_ALL, displayName: "Everyone", mailNickname: "everyone", assignedLicenses: [], memberIndexes: Array.from({ length: count }, (_, i) => i) },
  ];
  const signIns = options.signIns ?? SIGN_INS;
  return {
    tenantId: TENANT_ID,
    displayName: "Contoso",
    domains: ["contoso.com", "contoso.onmicrosoft.com"],
    now: NOW,
    seed: 1,
    modes: { premium: true, concealedNames: false, reportLagDays: 2, ...options.modes },
    userCount: count,
    userAt,
    indexOf(idOrUpn: string): number {
      const key = idOrUpn.toLowerCase();
      for (let i = 0; i < count; i++) {
        const u = userAt(i);
        if (u.id === key || u.userPrincipalName.toLowerCase() === key) return i;
      }
      return -1;
    },
    skus: [
      sku(SKU_E3, "SPE_E3", "Microsoft 365 E3", seats(SKU_E3), SUITE_PLANS),
      sku(SKU_E5, "SPE_E5", "Microsoft 365 E5", seats(SKU_E5), SUITE_PLANS),
      sku(SKU_VISIO, "VISIOCLIENT", "Visio Plan 2", seats(SKU_VISIO), [["663a804f-1c30-4ff0-9915-9db84f0d1cea", "VISIO_CLIENT_SUBSCRIPTION"]]),
      sku(SKU_COMPANY, "RMSBASIC", "Rights Management Service Basic Content Protection", seats(SKU_COMPANY), [], "Company"),
    ],
    consumedUnits(skuId: string): number {
      let n = 0;
      for (let i = 0; i < count; i++) if (userAt(i).licenses.some((l) => l.skuId === skuId && l.state !== "Error")) n++;
      return n;
    },
    groups,
    servicePrincipals: [
      servicePrincipal(SP_SALESFORCE, APP_SALESFORCE, "Salesforce", ["WindowsAzureActiveDirectoryIntegratedApp"], [
        { id: "41W1zT6z1U-kJxf62svfp1HFE8pMZhxDun-ThPczmJE", appRoleId: "00000000-0000-0000-0000-000000000000", createdDateTime: "2025-02-02T04:22:45.9480566Z", principalType: "User", principalId: userId(0), principalDisplayName: "Alice" },
        { id: "41W1zT6z1U-kJxf62svfp1HFE8pMZhxDun-ThPczmJF", appRoleId: "00000000-0000-0000-0000-000000000000", createdDateTime: "2025-02-03T04:22:45.9480566Z", principalType: "Group", principalId: GROUP_E5, principalDisplayName: "E5 users" },
      ]),
      servicePrincipal(SP_HIDDEN, "65415bb1-9267-4313-bbf5-ae259732ee13", "Graph helper", ["HideApp"], []),
      servicePrincipal("59e617e5-e447-4adc-8b88-00af644d7c94", "65415bb1-9267-4313-bbf5-ae259732ee14", "Workday", ["WindowsAzureActiveDirectoryIntegratedApp", "HideApp"], []),
    ],
    apps: [],
    *signIns(o: { sinceIso: string; untilIso: string }): Iterable<SimSignIn> {
      const since = Date.parse(o.sinceIso);
      const until = Date.parse(o.untilIso);
      for (const s of signIns) if (Date.parse(s.createdDateTime) >= since && Date.parse(s.createdDateTime) <= until) yield s;
    },
    setLicenses(i: number, licenses: SimLicense[]): void {
      changed.set(i, licenses);
    },
  };
}

/** A request as the pipeline would hand it to a route. */
export interface FakeRequestInit {
  method?: string;
  version?: GraphVersion;
  path: string;
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
}

export function fakeRequest(init: FakeRequestInit): GraphRequest {
  return {
    method: init.method ?? "GET",
    version: init.version ?? "v1.0",
    path: init.path,
    params: init.params ?? {},
    query: new URLSearchParams(init.query ?? {}),
    headers: init.headers ?? {},
    body: init.body,
    claims: { appid: "reader", tid: TENANT_ID, roles: [], exp: 0 },
    requestId: "00000000-0000-4000-8000-00000000beef",
    baseUrl: "https://127.0.0.1:5555",
  };
}

/** A context whose downloads are kept in `downloads` by URL. */
export function fakeContext(tenant: SimTenant): GraphContext & { downloads: Map<string, { body: Buffer; contentType: string }> } {
  const downloads = new Map<string, { body: Buffer; contentType: string }>();
  return {
    tenant,
    now: () => NOW,
    putDownload(body: Buffer, contentType: string): string {
      const url = `https://127.0.0.1:5555/download/${downloads.size + 1}`;
      downloads.set(url, { body, contentType });
      return url;
    },
    downloads,
  };
}

/** Matches a route pattern against a path the way the pipeline does: literals verbatim, `{name}` = one segment's characters. */
export function matchPattern(pattern: string, path: string): Record<string, string> | null {
  const names: string[] = [];
  const source = pattern
    .split(/(\{\w+\})/)
    .map((part) => {
      const m = /^\{(\w+)\}$/.exec(part);
      if (m !== null) {
        names.push(m[1]!);
        return "([^/]+)";
      }
      return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("");
  const m = new RegExp(`^${source}$`).exec(path);
  if (m === null) return null;
  const params: Record<string, string> = {};
  names.forEach((n, k) => (params[n] = decodeURIComponent(m[k + 1]!)));
  return params;
}

/** Finds the route serving `method path` among `routes` and calls it with the matched params. */
export async function call(routes: readonly GraphRoute[], ctx: GraphContext, init: FakeRequestInit): Promise<GraphResponse> {
  const method = init.method ?? "GET";
  const version = init.version ?? "v1.0";
  for (const r of routes) {
    if (r.method !== method || !r.versions.includes(version)) continue;
    const params = matchPattern(r.pattern, init.path);
    if (params !== null) return r.handle(fakeRequest({ ...init, params }), ctx);
  }
  throw new Error(`no route for ${method} ${version}${init.path}`);
}
