/**
 * The facts rules can test, and their computation from a snapshot. Facts are computed once per user
 * per evaluation in pure code (no Graph, no clock: `now` is passed in). `policies/FACTS.md` documents
 * the same table; a test keeps the two in step.
 */
import type { ActivityWorkload, CopilotApp, FactValue, Snapshot, SnapshotSku, SnapshotSource, SnapshotUser, SkuFacts, UserFacts } from "../core/user-facts.ts";
import { ACTIVITY_WORKLOADS, COPILOT_APPS } from "../core/user-facts.ts";

export const FACT_TYPES = ["boolean", "number", "string", "date", "string[]"] as const;
export type FactType = (typeof FACT_TYPES)[number];

/** Which rules may use a fact: per-user rules, `skus: { addOn: [...] }` rules (also see user facts), seat rules or subscription rules. */
export const FACT_SCOPES = ["user", "addOn", "sku", "subscription"] as const;
export type FactScope = (typeof FACT_SCOPES)[number];

export interface FactDefinition {
  name: string;
  type: FactType;
  /** May be null (unknown, never, or not collected). */
  nullable: boolean;
  scope: FactScope;
  description: string;
  /** Sources the value is computed from; a gap in any of them lowers a finding's confidence. */
  sources: readonly SnapshotSource[];
}

const WORKLOAD_SOURCE: Readonly<Record<ActivityWorkload, SnapshotSource>> = {
  exchange: "workloadActivity",
  oneDrive: "workloadActivity",
  sharePoint: "workloadActivity",
  teams: "workloadActivity",
  yammer: "workloadActivity",
  skypeForBusiness: "workloadActivity",
  outlook: "workloadActivity",
  powerBi: "signInLogs",
  project: "signInLogs",
  visio: "signInLogs",
  dynamics: "signInLogs",
  copilot: "copilotUsage",
};

function fact(name: string, type: FactType, nullable: boolean, sources: readonly SnapshotSource[], description: string, scope: FactScope = "user"): FactDefinition {
  return { name, type, nullable, scope, description, sources };
}

/** Every fact, in documentation order. */
export const FACTS: readonly FactDefinition[] = [
  fact("userPrincipalName", "string", false, ["directory"], "User principal name (Users tab: UPN)."),
  fact("displayName", "string", true, ["directory"], "Display name."),
  fact("department", "string", true, ["directory"], "Department (chargeback)."),
  fact("jobTitle", "string", true, ["directory"], "Job title (Users tab: Title)."),
  fact("country", "string", true, ["directory"], "Country (Users tab: Country)."),
  fact("usageLocation", "string", true, ["directory"], "Usage location (ISO 3166 alpha-2)."),
  fact("blocked", "boolean", false, ["directory"], "Sign-in is blocked: accountEnabled is false (Users tab: Block Credentials)."),
  fact("isGuest", "boolean", false, ["directory"], "userType is Guest (Users tab: Guest)."),
  fact("onPremisesSync", "boolean", true, ["directory"], "Synchronised from on-premises AD (Users tab: onPremisesSync)."),
  fact("accountCreated", "date", true, ["directory"], "createdDateTime (Users tab: Account Created Date)."),
  fact("accountAgeDays", "number", true, ["directory"], "Whole days from accountCreated to now."),
  fact("licenses", "string[]", false, ["directory"], "skuPartNumbers the user holds, however assigned (Users tab: Licenses)."),
  fact("directLicenses", "string[]", false, ["directory"], "skuPartNumbers assigned directly."),
  fact("groupLicenses", "string[]", false, ["directory"], "skuPartNumbers inherited from a group (group-based licensing)."),
  fact("licenseCount", "number", false, ["directory"], "Number of distinct SKUs held."),
  fact("paidLicenses", "string[]", false, ["directory"], "SKUs held whose monthly price in the policy is above 0."),
  fact("paidLicenseCount", "number", false, ["directory"], "Number of paidLicenses."),
  fact("groups", "string[]", false, ["groupMembership"], "Display names (or ids, when unnamed) of the groups the user is a direct member of, as collected, plus the groups that assign it a license."),
  fact("protected", "boolean", false, ["directory", "groupMembership"], "Matched by the policy's `protect` (user, group or department)."),
  fact("lastInteractiveSignIn", "date", true, ["signInActivity"], "signInActivity.lastSignInDateTime: last interactive sign-in attempt (null = never)."),
  fact("lastNonInteractiveSignIn", "date", true, ["signInActivity"], "signInActivity.lastNonInteractiveSignInDateTime (SSO token refresh, service sign-ins; null = never)."),
  fact("lastSuccessfulSignIn", "date", true, ["signInActivity"], "signInActivity.lastSuccessfulSignInDateTime (interactive or not; null = never or not recorded)."),
  fact("lastSignIn", "date", true, ["signInActivity"], "Latest of the three sign-in dates: any sign-in, interactive or not, SSO or MFA (Users tab: Sign In to M365 Domain)."),
  fact("daysSinceLastSignIn", "number", true, ["signInActivity"], "Whole days since lastSignIn (null = never)."),
  ...ACTIVITY_WORKLOADS.map((w) =>
    fact(`${w}LastActivity`, "date", true, [WORKLOAD_SOURCE[w]], `Last ${w} activity date in the report window (null = none).`),
  ),
  fact("lastActivity", "date", true, ["workloadActivity", "appUsage"], "Latest activity of any workload, Microsoft 365 app, mailbox or OneDrive (null = none)."),
  fact("daysSinceLastActivity", "number", true, ["workloadActivity", "appUsage"], "Whole days since lastActivity (Users tab: Days Since Last Activity; null = never)."),
  fact("lastUsedApp", "string", true, ["signInLogs"], "Last used Microsoft 365 application (Users tab: Last Used M365 Application)."),
  fact("mailboxSizeGb", "number", true, ["mailboxUsage"], "Mailbox storage used in GB (1024³ bytes) (Users tab: Mail Usage); null when no mailbox row."),
  fact("mailboxHasArchive", "boolean", true, ["mailboxUsage"], "Mailbox has an archive; null when no mailbox row."),
  fact("mailboxPurpose", "string", true, ["mailboxSettings"], "Exchange userPurpose (user, shared, room, equipment); null when not collected."),
  fact(
    "sharedOrRoomMailbox",
    "boolean",
    false,
    ["mailboxUsage"],
    "mailboxPurpose is shared, room or equipment; when mailboxPurpose was not collected: a mailbox whose account is blocked and never signed in interactively (how Exchange creates shared and room mailboxes).",
  ),
  fact("oneDriveSizeGb", "number", true, ["oneDriveUsage"], "OneDrive storage used in GB (Users tab: OneDrive Usage); null when no OneDrive row."),
  fact("usesWindows", "boolean", true, ["appUsage"], "Used a Microsoft 365 app on Windows in the report period (Users tab: Windows)."),
  fact("usesMac", "boolean", true, ["appUsage"], "Used a Microsoft 365 app on a Mac (Users tab: Mac)."),
  fact("usesMobile", "boolean", true, ["appUsage"], "Used a Microsoft 365 app on mobile (Users tab: Mobile)."),
  fact("usesWeb", "boolean", true, ["appUsage"], "Used a Microsoft 365 app in a browser (Users tab: Web)."),
  fact("desktopActivations", "number", true, ["activations"], "Office products activated on at least one Windows or Mac device (Users tab: Activations)."),
  fact("activatedProducts", "string[]", true, ["activations"], "Product types activated (e.g. \"MICROSOFT 365 APPS FOR ENTERPRISE\", \"Visio Client\")."),
  fact(
    "copilotActiveApps",
    "string[]",
    true,
    ["copilotUsage"],
    `Apps with Copilot activity within settings.copilotUnusedDays (${COPILOT_APPS.join(", ")}); null when the user is not in the Copilot usage report (no Copilot seat, or not collected).`,
  ),
  fact("copilotActiveAppCount", "number", true, ["copilotUsage"], "Number of copilotActiveApps (null when the user is not in the Copilot usage report)."),
  fact("mfaRegistered", "boolean", true, ["mfaRegistration"], "Registered for MFA (Users tab: Is MFA Turned On). Not activity: protects nobody from reclaim."),
  fact("mfaCapable", "boolean", true, ["mfaRegistration"], "Registered a strong method allowed by policy."),
  fact("isAdmin", "boolean", true, ["mfaRegistration"], "Holds an Entra admin role (userRegistrationDetails.isAdmin)."),
  // Add-on facts: evaluated once per add-on the user holds, for rules with `skus: { addOn: [...] }`.
  fact("addOnSku", "string", false, ["directory"], "skuPartNumber of the add-on being evaluated.", "addOn"),
  fact("addOnAssignment", "string", false, ["directory"], "How the add-on is assigned: direct or group.", "addOn"),
  fact("addOnLastActivity", "date", true, ["signInLogs", "activations"], "Latest activity of the add-on's workloads or activation of its desktop client (see settings.addOns; null = none).", "addOn"),
  fact("addOnDaysSinceActivity", "number", true, ["signInLogs", "activations"], "Whole days since addOnLastActivity (null = never).", "addOn"),
  fact(
    "addOnAssigned",
    "date",
    true,
    ["directory"],
    "When the user got the add-on: the earliest licenseAssignmentStates lastUpdatedDateTime of its assignments (Graph keeps no other assignment date; null when none).",
    "addOn",
  ),
  fact("addOnDaysAssigned", "number", true, ["directory"], "Whole days since addOnAssigned (null when unknown): grace for newly assigned seats.", "addOn"),
  // SKU facts: seat rules (`target: sku`).
  fact("skuPartNumber", "string", false, ["subscribedSkus"], "The SKU's part number.", "sku"),
  fact("capabilityStatus", "string", false, ["subscribedSkus"], "Enabled, Warning, Suspended, Deleted or LockedOut.", "sku"),
  fact("purchased", "number", false, ["subscribedSkus"], "prepaidUnits.enabled.", "sku"),
  fact("consumed", "number", false, ["subscribedSkus"], "consumedUnits (assigned).", "sku"),
  fact("available", "number", false, ["subscribedSkus"], "purchased − consumed, never below 0 (unassigned seats).", "sku"),
  fact("monthlyPrice", "number", false, ["subscribedSkus"], "The SKU's monthly price from the policy (0 when none).", "sku"),
  fact(
    "renewalWindowOpen",
    "boolean",
    false,
    ["subscriptions"],
    "A paid, enabled subscription of the SKU is in its renewal window (see inRenewalWindow), so its seat count can be lowered now; true when the subscriptions are unknown (not collected, or none listed for the SKU).",
    "sku",
  ),
  fact("daysToNextRenewal", "number", true, ["subscriptions"], "Whole days to the earliest nextLifecycleDateTime of the SKU's paid, enabled subscriptions (null = unknown).", "sku"),
  // Subscription facts: subscription rules (`target: subscription`), one run per companySubscription.
  fact("subscriptionSku", "string", false, ["subscriptions"], "skuPartNumber of the subscription.", "subscription"),
  fact("subscriptionStatus", "string", false, ["subscriptions"], "Enabled, Warning (expired, in grace), Suspended, Deleted or LockedOut.", "subscription"),
  fact("isTrial", "boolean", false, ["subscriptions"], "The subscription is a trial: it lapses at nextLifecycleDateTime unless bought.", "subscription"),
  fact("term", "string", false, ["subscriptions"], "monthly, annual (one or three years) or unknown: the policy's `terms:` override, else inferred from createdDateTime → nextLifecycleDateTime.", "subscription"),
  fact("daysToRenewal", "number", true, ["subscriptions"], "Whole days to nextLifecycleDateTime (negative when past; null = no date).", "subscription"),
  fact(
    "inRenewalWindow",
    "boolean",
    false,
    ["subscriptions"],
    "Renews within settings.renewalWindowDays (not yet past), or is a monthly term and settings.monthlyTermsInRenewalWindow is true.",
    "subscription",
  ),
  fact("totalLicenses", "number", false, ["subscriptions"], "Seats the subscription holds.", "subscription"),
  fact("unassignedSeats", "number", false, ["subscriptions", "subscribedSkus"], "The SKU's unassigned paid seats (paid seats beyond the assigned ones; trial seats cost nothing) that fall to this subscription: those renewing first take them first.", "subscription"),
  fact("reclaimedSeats", "number", false, ["subscriptions", "directory"], "Seats the evaluation's reclaim and downgrade findings free on this subscription.", "subscription"),
  fact("seatsToDrop", "number", false, ["subscriptions", "subscribedSkus"], "unassignedSeats + reclaimedSeats: how much lower the renewal quantity can be.", "subscription"),
  fact("usersAtRisk", "number", false, ["subscriptions", "subscribedSkus"], "Assigned seats no paid, enabled subscription of the SKU covers, falling to this trial, Warning or Suspended subscription: users who lose service when it lapses.", "subscription"),
  fact("seatPrice", "number", false, ["subscriptions"], "Monthly price of one seat on this subscription's term (policy prices or price book; 0 when none).", "subscription"),
];

export const FACTS_BY_NAME: ReadonlyMap<string, FactDefinition> = new Map(FACTS.map((f) => [f.name, f]));

/** Fact names a rule of this scope may use (add-on rules also see every user fact). */
export function factNamesFor(scope: FactScope): string[] {
  return FACTS.filter((f) => f.scope === scope || (scope === "addOn" && f.scope === "user")).map((f) => f.name);
}

const DAY_MS = 86_400_000;
const GB = 1024 ** 3;

/** Parses an ISO date or date-time; Graph's "0001-01-01T00:00:00Z" (never) and blanks are null. */
export function parseGraphDate(value: string | null | undefined): number | null {
  if (!value || value.startsWith("0001-01-01")) return null;
  const fast = parseIsoUtc(value);
  if (fast !== null) return fast;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : t;
}

/** Two or four decimal digits at `at`, or -1. */
function digitsAt(s: string, at: number, count: number): number {
  let n = 0;
  for (let k = at; k < at + count; k++) {
    const c = s.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/**
 * The two forms Graph and the reports write — `YYYY-MM-DD` and `YYYY-MM-DDTHH:MM:SS[.fff…]Z` — read
 * without `Date.parse` (a profile of 100,000 users showed it as the largest single cost of the facts);
 * null for anything else, which then goes to `Date.parse`. Same result as `Date.parse` (a test checks).
 */
function parseIsoUtc(s: string): number | null {
  const n = s.length;
  if (n < 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return null;
  const y = digitsAt(s, 0, 4);
  const mo = digitsAt(s, 5, 2);
  const d = digitsAt(s, 8, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  if (n === 10) return Date.UTC(y, mo - 1, d);
  if (n < 20 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58 || s.charCodeAt(n - 1) !== 90) return null;
  const h = digitsAt(s, 11, 2);
  const mi = digitsAt(s, 14, 2);
  const sec = digitsAt(s, 17, 2);
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) return null;
  let ms = 0;
  if (n > 20) {
    // Fraction: `.` then digits up to the Z; milliseconds are its first three digits (truncated, as Date.parse does).
    if (s.charCodeAt(19) !== 46 || n === 21) return null;
    for (let k = 20; k < n - 1; k++) {
      const c = s.charCodeAt(k) - 48;
      if (c < 0 || c > 9) return null;
      if (k < 23) ms += c * (k === 20 ? 100 : k === 21 ? 10 : 1);
    }
  }
  return Date.UTC(y, mo - 1, d, h, mi, sec, ms);
}

/** Whole days from `date` to `now` (0 when in the future), null when `date` is null. */
export function daysSince(date: string | null, now: number): number | null {
  const t = parseGraphDate(date);
  return t === null ? null : Math.max(0, Math.floor((now - t) / DAY_MS));
}

function latest(dates: readonly (string | null | undefined)[]): string | null {
  let best: string | null = null;
  let bestT = -Infinity;
  for (const d of dates) {
    const t = parseGraphDate(d);
    if (t !== null && t > bestT) {
      bestT = t;
      best = d!;
    }
  }
  return best;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** What an add-on's activity is read from (policy `settings.addOns`). */
export interface AddOnActivity {
  workloads: readonly ActivityWorkload[];
  /** Activation product types that count as use of the add-on (case-insensitive). */
  activations: readonly string[];
}

/** Policy-dependent inputs to fact computation. */
export interface FactContext {
  /** Evaluation time in ms since the epoch. */
  now: number;
  groupNames: ReadonlyMap<string, string>;
  prices: Readonly<Record<string, number>>;
  /** Whether `protect` matches the user; `groups` holds the names and ids of its groups. */
  isProtected(user: SnapshotUser, groups: readonly string[], groupIds: readonly string[]): boolean;
  /** Days within which a Copilot app counts as in use (policy `copilotUnusedDays`). Default: 60. */
  copilotWindowDays?: number;
}

/** Derives every user-scope fact of one user. Pure. */
export function computeUserFacts(user: SnapshotUser, ctx: FactContext): UserFacts {
  const { now } = ctx;
  const held = new Set<string>();
  const direct = new Set<string>();
  const viaGroup = new Set<string>();
  for (const l of user.licenses) {
    held.add(l.skuPartNumber);
    (l.assignedByGroup === null ? direct : viaGroup).add(l.skuPartNumber);
  }
  const licenses = [...held];
  const paid = licenses.filter((p) => (ctx.prices[p] ?? 0) > 0);
  // A group that assigns the user a license has the user as a member, whether or not memberships were collected.
  const groupIds = new Set(user.memberOf);
  for (const l of user.licenses) if (l.assignedByGroup !== null) groupIds.add(l.assignedByGroup);
  const groups = [...groupIds].map((id) => ctx.groupNames.get(id) ?? id);
  // Each date is parsed once; the latest of several is the first one with the greatest instant.
  const s = user.signInActivity;
  const tInteractive = s ? parseGraphDate(s.lastSignInDateTime) : null;
  const tNonInteractive = s ? parseGraphDate(s.lastNonInteractiveSignInDateTime) : null;
  const tSuccessful = s ? parseGraphDate(s.lastSuccessfulSignInDateTime) : null;
  const lastInteractive = tInteractive === null ? null : s!.lastSignInDateTime;
  const lastNonInteractive = tNonInteractive === null ? null : s!.lastNonInteractiveSignInDateTime;
  const lastSuccessful = tSuccessful === null ? null : s!.lastSuccessfulSignInDateTime;
  // Any sign-in counts, failed interactive attempts included: erring towards "active" never reclaims a user in use.
  let lastSignIn: string | null = null;
  let tSignIn = -Infinity;
  if (tInteractive !== null && tInteractive > tSignIn) [lastSignIn, tSignIn] = [lastInteractive, tInteractive];
  if (tNonInteractive !== null && tNonInteractive > tSignIn) [lastSignIn, tSignIn] = [lastNonInteractive, tNonInteractive];
  if (tSuccessful !== null && tSuccessful > tSignIn) [lastSignIn, tSignIn] = [lastSuccessful, tSuccessful];
  const workload: Record<string, string | null> = {};
  let lastActivity: string | null = null;
  let tActivity = -Infinity;
  const consider = (date: string | null | undefined): string | null => {
    const t = parseGraphDate(date);
    if (t === null) return null;
    if (t > tActivity) [lastActivity, tActivity] = [date!, t];
    return date!;
  };
  for (const w of ACTIVITY_WORKLOADS) workload[`${w}LastActivity`] = consider(user.activity?.[w]);
  consider(user.apps?.lastActivityDate);
  consider(user.mailbox?.lastActivityDate);
  consider(user.oneDrive?.lastActivityDate);
  const wholeDaysSince = (t: number) => (t === -Infinity ? null : Math.max(0, Math.floor((now - t) / DAY_MS)));
  const purpose = user.mailboxPurpose?.toLowerCase() ?? null;
  const sharedOrRoom =
    purpose !== null ? purpose === "shared" || purpose === "room" || purpose === "equipment" : user.mailbox !== null && !user.accountEnabled && lastInteractive === null;
  const facts: UserFacts = {
    userPrincipalName: user.userPrincipalName,
    displayName: user.displayName,
    department: user.department,
    jobTitle: user.jobTitle,
    country: user.country,
    usageLocation: user.usageLocation,
    blocked: !user.accountEnabled,
    isGuest: user.userType === "Guest",
    onPremisesSync: user.onPremisesSyncEnabled,
    accountCreated: user.createdDateTime,
    accountAgeDays: daysSince(user.createdDateTime, now),
    licenses,
    directLicenses: [...direct],
    groupLicenses: [...viaGroup],
    licenseCount: licenses.length,
    paidLicenses: paid,
    paidLicenseCount: paid.length,
    groups,
    protected: ctx.isProtected(user, groups, [...groupIds]),
    lastInteractiveSignIn: lastInteractive,
    lastNonInteractiveSignIn: lastNonInteractive,
    lastSuccessfulSignIn: lastSuccessful,
    lastSignIn,
    daysSinceLastSignIn: wholeDaysSince(tSignIn),
    ...workload,
    lastActivity,
    daysSinceLastActivity: wholeDaysSince(tActivity),
    lastUsedApp: user.lastUsedApp,
    mailboxSizeGb: user.mailbox ? round2(user.mailbox.storageUsedBytes / GB) : null,
    mailboxHasArchive: user.mailbox ? user.mailbox.hasArchive : null,
    mailboxPurpose: purpose,
    sharedOrRoomMailbox: sharedOrRoom,
    oneDriveSizeGb: user.oneDrive ? round2(user.oneDrive.storageUsedBytes / GB) : null,
    usesWindows: user.apps ? user.apps.windows : null,
    usesMac: user.apps ? user.apps.mac : null,
    usesMobile: user.apps ? user.apps.mobile : null,
    usesWeb: user.apps ? user.apps.web : null,
    desktopActivations: user.activations ? user.activations.filter((a) => a.windows + a.mac > 0).length : null,
    activatedProducts: user.activations ? user.activations.map((a) => a.productType) : null,
    ...copilotFacts(user, now, ctx.copilotWindowDays ?? 60),
    mfaRegistered: user.mfa ? user.mfa.isMfaRegistered : null,
    mfaCapable: user.mfa ? user.mfa.isMfaCapable : null,
    isAdmin: user.mfa ? user.mfa.isAdmin : null,
  };
  return facts;
}

/** Copilot apps in use within `windowDays` (null when the user is not in the Copilot report). */
function copilotFacts(user: SnapshotUser, now: number, windowDays: number): { copilotActiveApps: string[] | null; copilotActiveAppCount: number | null } {
  if (user.copilot === null) return { copilotActiveApps: null, copilotActiveAppCount: null };
  const active: CopilotApp[] = [];
  for (const app of COPILOT_APPS) {
    const days = daysSince(user.copilot.apps[app] ?? null, now);
    if (days !== null && days <= windowDays) active.push(app);
  }
  return { copilotActiveApps: active, copilotActiveAppCount: active.length };
}

/** Add-on facts of one held add-on (merged over the user's facts by the engine). Pure. */
export function computeAddOnFacts(user: SnapshotUser, skuPartNumber: string, activity: AddOnActivity, now: number): UserFacts {
  const wanted = new Set(activity.activations.map((a) => a.toLowerCase()));
  const dates: (string | null | undefined)[] = activity.workloads.map((w) => user.activity?.[w]);
  for (const a of user.activations ?? []) if (wanted.has(a.productType.toLowerCase())) dates.push(a.lastActivatedDate);
  const last = latest(dates);
  const direct = user.licenses.some((l) => l.skuPartNumber === skuPartNumber && l.assignedByGroup === null);
  // Held since the earliest of its assignments (a direct and a group assignment may differ).
  let assigned: string | null = null;
  let assignedT = Infinity;
  for (const l of user.licenses) {
    if (l.skuPartNumber !== skuPartNumber) continue;
    const t = parseGraphDate(l.lastUpdatedDateTime);
    if (t !== null && t < assignedT) {
      assignedT = t;
      assigned = l.lastUpdatedDateTime;
    }
  }
  return {
    addOnSku: skuPartNumber,
    addOnAssignment: direct ? "direct" : "group",
    addOnLastActivity: last,
    addOnDaysSinceActivity: daysSince(last, now),
    addOnAssigned: assigned,
    addOnDaysAssigned: daysSince(assigned, now),
  };
}

/** Facts of one subscribed SKU. Pure. */
export function computeSkuFacts(sku: SnapshotSku, prices: Readonly<Record<string, number>>): SkuFacts & UserFacts {
  return {
    skuId: sku.skuId,
    skuPartNumber: sku.skuPartNumber,
    displayName: sku.displayName ?? sku.skuPartNumber,
    capabilityStatus: sku.capabilityStatus,
    purchased: sku.purchased,
    consumed: sku.consumed,
    available: Math.max(0, sku.purchased - sku.consumed),
    suspended: sku.suspended,
    warning: sku.warning,
    monthlyPrice: prices[sku.skuPartNumber] ?? 0,
  };
}

/** Names of the groups in a snapshot by id. */
export function groupNamesOf(snapshot: Snapshot): Map<string, string> {
  return new Map(snapshot.groups.map((g) => [g.id, g.displayName]));
}

export type { FactValue };
