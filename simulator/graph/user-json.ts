/**
 * Projection of a simulated user onto Microsoft Graph's `user` JSON, with `$select`, following
 * ../shared/reference/graph-examples/users-list.json (default property set and order) and
 * users-signInActivity.json / users-assignedLicenses-filter.json (selected properties).
 *
 * Property order as Graph sends it: the selected properties in the order requested, then `id` when it
 * was not selected, then `signInActivity` (Graph serves it from a separate store and appends it).
 */
import type { SimLicense, SimUser } from "../model.ts";
import type { GraphVersion } from "./route.ts";

/** Every user property the simulator can serve, in canonical spelling. */
export const USER_PROPERTIES = [
  "id",
  "businessPhones",
  "displayName",
  "givenName",
  "jobTitle",
  "mail",
  "mobilePhone",
  "officeLocation",
  "preferredLanguage",
  "surname",
  "userPrincipalName",
  "accountEnabled",
  "assignedLicenses",
  "licenseAssignmentStates",
  "userType",
  "createdDateTime",
  "creationType",
  "externalUserState",
  "mailNickname",
  "onPremisesSyncEnabled",
  "onPremisesExtensionAttributes",
  "employeeOrgData",
  "usageLocation",
  "department",
  "companyName",
  "employeeId",
  "streetAddress",
  "city",
  "state",
  "postalCode",
  "country",
  "otherMails",
  "proxyAddresses",
  "signInActivity",
] as const;
export type UserProperty = (typeof USER_PROPERTIES)[number];

/** The v1.0 default property set, in Graph's order (users-list.json). */
export const USER_DEFAULT_PROPERTIES: readonly UserProperty[] = [
  "businessPhones",
  "displayName",
  "givenName",
  "jobTitle",
  "mail",
  "mobilePhone",
  "officeLocation",
  "preferredLanguage",
  "surname",
  "userPrincipalName",
  "id",
];

/**
 * The beta default property set: beta returns (nearly) every non-expensive property without `$select`;
 * `signInActivity` is never returned by default (graph-api-facts.md §3).
 */
export const USER_BETA_DEFAULT_PROPERTIES: readonly UserProperty[] = [
  ...USER_DEFAULT_PROPERTIES.filter((p) => p !== "id"),
  ...USER_PROPERTIES.filter((p) => !USER_DEFAULT_PROPERTIES.includes(p) && p !== "signInActivity"),
  "id",
];

const BY_LOWER = new Map<string, UserProperty>(USER_PROPERTIES.map((p) => [p.toLowerCase(), p]));

/** The canonical spelling of a user property name (Graph matches `$select` names case-insensitively), or undefined. */
export function canonicalUserProperty(name: string): UserProperty | undefined {
  return BY_LOWER.get(name.trim().toLowerCase());
}

/** Options of `toUserJson`. */
export interface UserJsonOptions {
  /** API version; decides the default property set when `select` is null. Default "v1.0". */
  version?: GraphVersion;
}

/** Graph's "never" timestamp in signInActivity (doc example: `0001-01-01T00:00:00Z`). */
export const GRAPH_NEVER = "0001-01-01T00:00:00Z";

/**
 * The user as Graph JSON. `select` holds canonical property names (see `canonicalUserProperty`);
 * null means the default property set of the version. `id` is always included.
 */
export function toUserJson(user: SimUser, select: readonly string[] | null, opts: UserJsonOptions = {}): Record<string, unknown> {
  return compileUserProjection(select, opts)(user);
}

/** `toUserJson` with the property list worked out once, for projecting many users with one `$select`. */
export function compileUserProjection(select: readonly string[] | null, opts: UserJsonOptions = {}): (user: SimUser) => Record<string, unknown> {
  const props = select === null ? (opts.version === "beta" ? USER_BETA_DEFAULT_PROPERTIES : USER_DEFAULT_PROPERTIES) : orderSelected(select);
  return (user) => {
    const out: Record<string, unknown> = {};
    for (const p of props) out[p] = userProperty(user, p);
    return out;
  };
}

function orderSelected(select: readonly string[]): UserProperty[] {
  const seen = new Set<UserProperty>();
  for (const name of select) {
    const p = canonicalUserProperty(name);
    if (p !== undefined && p !== "signInActivity") seen.add(p);
  }
  const out = [...seen];
  if (!seen.has("id")) out.push("id");
  if (select.some((s) => canonicalUserProperty(s) === "signInActivity")) out.push("signInActivity");
  return out;
}

/** The value of one property of the user as Graph serializes it. */
export function userProperty(user: SimUser, p: UserProperty): unknown {
  switch (p) {
    case "id":
      return user.id;
    case "businessPhones":
      return [];
    case "mobilePhone":
      return null;
    case "displayName":
      return user.displayName;
    case "givenName":
      return user.givenName;
    case "jobTitle":
      return user.jobTitle;
    case "mail":
      return user.mail;
    case "officeLocation":
      return user.officeLocation;
    case "preferredLanguage":
      return user.preferredLanguage;
    case "surname":
      return user.surname;
    case "userPrincipalName":
      return user.userPrincipalName;
    case "accountEnabled":
      return user.accountEnabled;
    case "assignedLicenses":
      return assignedLicenses(user.licenses);
    case "licenseAssignmentStates":
      return user.licenses.map((l) => ({
        assignedByGroup: l.assignedByGroup,
        disabledPlans: [...l.disabledPlans],
        error: l.error,
        lastUpdatedDateTime: l.lastUpdatedDateTime,
        skuId: l.skuId,
        state: l.state,
      }));
    case "userType":
      return user.userType;
    case "createdDateTime":
      return user.createdDateTime;
    case "creationType":
      return user.userType === "Guest" ? "Invitation" : null;
    case "externalUserState":
      return user.userType === "Guest" ? "Accepted" : null;
    case "mailNickname":
      return user.userPrincipalName.split("@")[0] ?? user.userPrincipalName;
    case "onPremisesSyncEnabled":
      return user.onPremisesSyncEnabled;
    case "onPremisesExtensionAttributes":
      return extensionAttributes(user);
    case "employeeOrgData":
      return employeeOrgData(user);
    case "usageLocation":
      return user.usageLocation;
    case "department":
      return user.department;
    case "companyName":
      return user.companyName;
    case "employeeId":
      return user.employeeId;
    case "streetAddress":
      return user.streetAddress;
    case "city":
      return user.city;
    case "state":
      return user.state;
    case "postalCode":
      return user.postalCode;
    case "country":
      return user.country;
    case "otherMails":
      return [...user.otherMails];
    case "proxyAddresses":
      return [...user.proxyAddresses];
    case "signInActivity":
      return signInActivityJson(user);
  }
}

/**
 * `assignedLicenses` merges direct and group-inherited assignments of the same SKU; a plan stays
 * disabled only when every assignment disables it. Assignments in state `Error` grant nothing and are
 * left out (they still show in `licenseAssignmentStates`).
 */
export function assignedLicenses(licenses: readonly SimLicense[]): { disabledPlans: string[]; skuId: string }[] {
  const bySku = new Map<string, string[]>();
  for (const l of licenses) {
    if (l.state === "Error") continue;
    const prev = bySku.get(l.skuId);
    bySku.set(l.skuId, prev === undefined ? [...l.disabledPlans] : prev.filter((p) => l.disabledPlans.includes(p)));
  }
  return [...bySku].map(([skuId, disabledPlans]) => ({ disabledPlans, skuId }));
}

function extensionAttributes(user: SimUser): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (let i = 1; i <= 15; i++) out[`extensionAttribute${i}`] = user.onPremisesExtensionAttributes[`extensionAttribute${i}`] ?? null;
  return out;
}

/**
 * employeeOrgData: null when unset (as Graph answers); the synthetic tenant's cost center is the
 * `CC-…` code its HR sync also writes to extensionAttribute1, the division its company.
 */
function employeeOrgData(user: SimUser): { costCenter: string | null; division: string | null } | null {
  const costCenter = user.onPremisesExtensionAttributes.extensionAttribute1 ?? null;
  if (costCenter === null && user.companyName === null) return null;
  return { costCenter, division: user.companyName };
}

/**
 * signInActivity as v1.0 serves it (MGD resources/signinactivity.md): a user who never signed in has
 * null; otherwise a missing interactive or non-interactive time is `0001-01-01T00:00:00Z` with an empty
 * request id (doc example), and a missing last successful sign-in is null (not backfilled).
 */
export function signInActivityJson(user: SimUser): Record<string, string | null> | null {
  const a = user.signInActivity;
  if (a.lastSignInDateTime === null && a.lastNonInteractiveSignInDateTime === null && a.lastSuccessfulSignInDateTime === null) return null;
  return {
    lastSignInDateTime: a.lastSignInDateTime ?? GRAPH_NEVER,
    lastSignInRequestId: a.lastSignInDateTime === null ? "" : requestIdFor(user.id, a.lastSignInDateTime),
    lastNonInteractiveSignInDateTime: a.lastNonInteractiveSignInDateTime ?? GRAPH_NEVER,
    lastNonInteractiveSignInRequestId: a.lastNonInteractiveSignInDateTime === null ? "" : requestIdFor(user.id, a.lastNonInteractiveSignInDateTime),
    lastSuccessfulSignInDateTime: a.lastSuccessfulSignInDateTime,
    lastSuccessfulSignInRequestId: a.lastSuccessfulSignInDateTime === null ? null : requestIdFor(user.id, a.lastSuccessfulSignInDateTime),
  };
}

/**
 * A stable GUID-shaped request id for a user's sign-in at a time (same inputs, same id). Four seeded
 * FNV-1a passes instead of a cryptographic hash: this runs for every user of a signInActivity page.
 */
function requestIdFor(userId: string, when: string): string {
  const text = `${userId}|${when}`;
  let hex = "";
  for (const seed of [0x811c9dc5, 0x01000193, 0x9e3779b9, 0x85ebca6b]) {
    let h = seed >>> 0;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
    hex += h.toString(16).padStart(8, "0");
  }
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
