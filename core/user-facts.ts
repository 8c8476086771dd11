/**
 * Shared domain types of Seatwise's evaluation: the snapshot the collector fills (users as Graph
 * shows them, SKU positions, the as-of date of every source and what could not be collected and
 * why), the per-user facts the policy engine derives from it, and the findings it produces.
 *
 * The snapshot is a versioned contract (`snapshotVersion: 1`): the collector writes it, the policy
 * engine reads it, `seatwise evaluate --snapshot FILE.json` validates it with `snapshotSchema`.
 * It holds only Graph-visible data, never anything the engine could not learn from Microsoft Graph.
 */
import { z } from "zod";

/** Workloads whose last activity the usage reports and sign-in logs reveal (seed 000 "Application Access"). */
export const ACTIVITY_WORKLOADS = [
  "exchange",
  "oneDrive",
  "sharePoint",
  "teams",
  "yammer",
  "skypeForBusiness",
  "outlook",
  "powerBi",
  "project",
  "visio",
  "dynamics",
  /** Microsoft 365 Copilot in any app (getMicrosoft365CopilotUsageUserDetail: Last Activity Date). */
  "copilot",
] as const;
export type ActivityWorkload = (typeof ACTIVITY_WORKLOADS)[number];

/** The apps whose last Copilot activity the Microsoft 365 Copilot usage report shows, in its column order. */
export const COPILOT_APPS = ["copilotChat", "teams", "word", "excel", "powerPoint", "outlook", "oneNote", "loop"] as const;
export type CopilotApp = (typeof COPILOT_APPS)[number];

/**
 * Data sources of a snapshot. Each has its own as-of date and collection status, so that a finding can
 * say how fresh (or missing) each piece of its evidence is.
 */
export const SNAPSHOT_SOURCES = [
  /** GET /v1.0/users ($select accountEnabled, userType, createdDateTime, licenseAssignmentStates, ...). */
  "directory",
  /** GET /v1.0/users?$select=signInActivity (Entra ID P1 + AuditLog.Read.All). */
  "signInActivity",
  /** GET /v1.0/reports/authenticationMethods/userRegistrationDetails (Entra ID P1 + AuditLog.Read.All). */
  "mfaRegistration",
  /** GET /beta/reports/getMailboxUsageDetail (Reports.Read.All). */
  "mailboxUsage",
  /** GET /beta/reports/getOneDriveUsageAccountDetail (Reports.Read.All). */
  "oneDriveUsage",
  /** GET /beta/reports/getM365AppUserDetail (Reports.Read.All). */
  "appUsage",
  /** GET /beta/reports/getOffice365ActivationsUserDetail (Reports.Read.All). */
  "activations",
  /** GET /beta/reports/getOffice365ActiveUserDetail and getEmailActivityUserDetail (Reports.Read.All). */
  "workloadActivity",
  /** GET /v1.0/auditLogs/signIns (Entra ID P1 + AuditLog.Read.All): Power BI, Project, Visio, Dynamics, last used app. */
  "signInLogs",
  /** GET /v1.0/users/{id}/mailboxSettings userPurpose (MailboxSettings.Read; optional task). */
  "mailboxSettings",
  /** GET /v1.0/groups/{id}/members (GroupMember.Read.All): memberships used by `protect.groups`. */
  "groupMembership",
  /** GET /v1.0/subscribedSkus (Organization.Read.All). */
  "subscribedSkus",
  /** GET /v1.0/directory/subscriptions (Organization.Read.All): terms and renewal dates of the seats. */
  "subscriptions",
  /** GET /v1.0/copilot/reports/getMicrosoft365CopilotUsageUserDetail (Reports.Read.All): Copilot activity per app. */
  "copilotUsage",
] as const;
export type SnapshotSource = (typeof SNAPSHOT_SOURCES)[number];

/** Why a source is missing or incomplete. */
export const GAP_REASONS = ["missingPermission", "noPremium", "concealedNames", "failed", "notRun"] as const;
export type GapReason = (typeof GAP_REASONS)[number];

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:\d{2})?)?$/, "must be an ISO 8601 date or date-time");

/** What the collector got from one source. */
export const sourceStatusSchema = z.object({
  /** `collected`: complete; `partial`: some users or fields missing; `unavailable`: nothing usable. */
  status: z.enum(["collected", "partial", "unavailable"]),
  /** Date the data describes (a report's `Report Refresh Date`, or the collection time). Null when unavailable. */
  asOf: isoDate.nullable(),
  reason: z.enum(GAP_REASONS).optional(),
  /** The permission that was missing, when `reason` is `missingPermission`. */
  missingPermission: z.string().optional(),
  /** Person-readable detail, e.g. how to turn report concealment off. */
  detail: z.string().optional(),
});
export type SourceStatus = z.infer<typeof sourceStatusSchema>;

/** One license of a user as `licenseAssignmentStates` shows it (a user may hold a SKU both directly and via groups). */
export const snapshotLicenseSchema = z.object({
  skuId: z.string(),
  skuPartNumber: z.string(),
  /** null when assigned directly, else the group's object id. */
  assignedByGroup: z.string().nullable(),
  state: z.enum(["Active", "ActiveWithError", "Disabled", "Error"]).default("Active"),
  /**
   * `licenseAssignmentStates[].lastUpdatedDateTime`: when this assignment last changed (Graph keeps no
   * separate assignment date); read as "held since" for grace periods. Null when Graph gave none.
   */
  lastUpdatedDateTime: isoDate.nullable().default(null),
});
export type SnapshotLicense = z.infer<typeof snapshotLicenseSchema>;

const nullableDate = isoDate.nullable();

/** One user as collected. Sub-records are null when their source was not collected for this user. */
export const snapshotUserSchema = z.object({
  id: z.string(),
  userPrincipalName: z.string(),
  displayName: z.string().nullable().default(null),
  userType: z.enum(["Member", "Guest"]),
  accountEnabled: z.boolean(),
  createdDateTime: isoDate.nullable(),
  department: z.string().nullable().default(null),
  /** companyName (chargeback by company). */
  companyName: z.string().nullable().default(null),
  jobTitle: z.string().nullable().default(null),
  country: z.string().nullable().default(null),
  usageLocation: z.string().nullable().default(null),
  onPremisesSyncEnabled: z.boolean().nullable().default(null),
  /**
   * Attributes a cost allocation may group by, non-empty values only: `extensionAttribute1`…`15`
   * (onPremisesExtensionAttributes) and `employeeOrgData.costCenter` / `employeeOrgData.division`.
   */
  attributes: z.record(z.string(), z.string()).default({}),
  licenses: z.array(snapshotLicenseSchema),
  /** Object ids of the groups the user is a (direct) member of, as far as `groupMembership` collected them. */
  memberOf: z.array(z.string()).default([]),
  signInActivity: z
    .object({
      lastSignInDateTime: nullableDate,
      lastNonInteractiveSignInDateTime: nullableDate,
      lastSuccessfulSignInDateTime: nullableDate.default(null),
    })
    .nullable()
    .default(null),
  mfa: z
    .object({ isMfaRegistered: z.boolean(), isMfaCapable: z.boolean(), isAdmin: z.boolean(), methodsRegistered: z.array(z.string()).default([]) })
    .nullable()
    .default(null),
  mailbox: z
    .object({ storageUsedBytes: z.number().nonnegative(), hasArchive: z.boolean(), itemCount: z.number().nonnegative().default(0), lastActivityDate: nullableDate.default(null) })
    .nullable()
    .default(null),
  /** Exchange `userPurpose` from mailboxSettings: user, shared, room, equipment, ... */
  mailboxPurpose: z.string().nullable().default(null),
  oneDrive: z.object({ storageUsedBytes: z.number().nonnegative(), lastActivityDate: nullableDate.default(null) }).nullable().default(null),
  apps: z
    .object({ windows: z.boolean(), mac: z.boolean(), mobile: z.boolean(), web: z.boolean(), lastActivityDate: nullableDate.default(null) })
    .nullable()
    .default(null),
  activations: z
    .array(z.object({ productType: z.string(), lastActivatedDate: nullableDate.default(null), windows: z.number().default(0), mac: z.number().default(0) }))
    .nullable()
    .default(null),
  /** Last activity date per workload; a missing key or null means no activity in the report window. */
  activity: z.partialRecord(z.enum(ACTIVITY_WORKLOADS), nullableDate).nullable().default(null),
  /** Last used Microsoft 365 application (from sign-in logs or app usage), null when unknown. */
  lastUsedApp: z.string().nullable().default(null),
  /** Last Copilot activity per app (Microsoft 365 Copilot usage report); null when the user is not in a collected report. */
  copilot: z
    .object({ lastActivityDate: nullableDate.default(null), apps: z.partialRecord(z.enum(COPILOT_APPS), nullableDate).default({}) })
    .nullable()
    .default(null),
});
export type SnapshotUser = z.infer<typeof snapshotUserSchema>;
export type SnapshotUserInput = z.input<typeof snapshotUserSchema>;

/** A subscribed SKU's position (License Information). */
export const snapshotSkuSchema = z.object({
  skuId: z.string(),
  skuPartNumber: z.string(),
  displayName: z.string().nullable().default(null),
  capabilityStatus: z.string().default("Enabled"),
  /** prepaidUnits.enabled */
  purchased: z.number().int().nonnegative(),
  suspended: z.number().int().nonnegative().default(0),
  warning: z.number().int().nonnegative().default(0),
  consumed: z.number().int().nonnegative(),
});
export type SnapshotSku = z.infer<typeof snapshotSkuSchema>;

/** companySubscription `status` values (MGD companysubscription.md). */
export const SUBSCRIPTION_STATUSES = ["Enabled", "Warning", "Suspended", "Deleted", "LockedOut"] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/**
 * A commercial subscription (GET /v1.0/directory/subscriptions, companySubscription): the seats of a SKU
 * are the sum of its subscriptions' `totalLicenses`, each with its own renewal (`nextLifecycleDateTime`).
 * Graph has no term field: the term is inferred from `createdDateTime` → `nextLifecycleDateTime`.
 */
export const snapshotSubscriptionSchema = z.object({
  id: z.string(),
  commerceSubscriptionId: z.string().nullable().default(null),
  skuId: z.string(),
  skuPartNumber: z.string(),
  status: z.enum(SUBSCRIPTION_STATUSES),
  isTrial: z.boolean().default(false),
  createdDateTime: nullableDate.default(null),
  /** Next renewal, or for Warning/Suspended/trials the next state change (expiry, deletion). */
  nextLifecycleDateTime: nullableDate.default(null),
  totalLicenses: z.number().int().nonnegative(),
});
export type SnapshotSubscription = z.infer<typeof snapshotSubscriptionSchema>;

export const SNAPSHOT_VERSION = 1;

/** The evaluation input: one collection run, frozen. */
export const snapshotSchema = z.object({
  snapshotVersion: z.literal(SNAPSHOT_VERSION),
  tenantId: z.string(),
  /** When the collection run finished (ISO date-time). */
  collectedAt: isoDate,
  /** Status of every source; a source missing here counts as `unavailable` / `notRun`. */
  sources: z.partialRecord(z.enum(SNAPSHOT_SOURCES), sourceStatusSchema),
  groups: z.array(z.object({ id: z.string(), displayName: z.string() })).default([]),
  skus: z.array(snapshotSkuSchema),
  /** Commercial subscriptions behind the SKUs; empty when `sources.subscriptions` was not collected. */
  subscriptions: z.array(snapshotSubscriptionSchema).default([]),
  users: z.array(snapshotUserSchema),
});
export type Snapshot = z.infer<typeof snapshotSchema>;
export type SnapshotInput = z.input<typeof snapshotSchema>;

/** A fact value: what rules compare. Dates are ISO strings; lists are string arrays. */
export type FactValue = string | number | boolean | null | readonly string[];

/** The derived facts of one user (see policies/FACTS.md), keyed by fact name. */
export type UserFacts = Record<string, FactValue>;

/** The facts of one subscribed SKU (seat rules). */
export interface SkuFacts {
  skuId: string;
  skuPartNumber: string;
  displayName: string;
  capabilityStatus: string;
  purchased: number;
  consumed: number;
  /** purchased − consumed, never below 0. */
  available: number;
  suspended: number;
  warning: number;
}

export const ACTIONS = ["reclaim", "downgrade", "review", "notify"] as const;
export type Action = (typeof ACTIONS)[number];

export const SEVERITIES = ["low", "medium", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CONFIDENCE_LEVELS = ["high", "medium", "low"] as const;
export type ConfidenceLevel = (typeof CONFIDENCE_LEVELS)[number];

/** One piece of evidence: a fact that made a rule fire, with where it came from and how fresh it is. */
export interface Evidence {
  fact: string;
  value: FactValue;
  source: SnapshotSource;
  /** As-of date of the source, null when the source was not collected. */
  asOf: string | null;
  /** `ok`, `stale` (older than the policy's staleness limit), or why it is missing. */
  status: "ok" | "stale" | GapReason;
}

/**
 * A license a finding concerns and what removing it takes. A SKU a group assigns is listed by its
 * group path(s) only ("remove from group X"), never as a direct reclaim.
 */
export interface FindingLicense {
  skuId: string;
  skuPartNumber: string;
  assignment: "direct" | "group";
  groupId: string | null;
  groupName: string | null;
  /** `remove direct assignment`, `remove from group "X"`, or `change to SKU` for downgrades. */
  remedy: string;
  /** Monthly price of this SKU in the policy's currency (0 when the policy has no price). */
  monthlyPrice: number;
  /** A group assigns this SKU and the user also holds it directly: the seat frees only when both go. */
  alsoAssignedDirectly: boolean;
  /** This license's share of the finding's monthly savings (0 when another finding already counts it). */
  monthlySavings: number;
  /** When this license's savings arrive (YYYY-MM-DD) and why then; null when it saves nothing. */
  realizable: Realizable | null;
}

/**
 * Why savings arrive when they do. `renewal`: the seat count of a committed (annual) subscription can be
 * reduced only at its renewal; `monthlyTerm`: a monthly term renews within the month, counted from today;
 * `unknownTerm`: the term could not be inferred, counted from today; `noSubscriptions`: the subscriptions
 * were not collected (e.g. no Organization.Read.All), counted from today.
 */
export const REALIZABLE_BASES = ["renewal", "monthlyTerm", "unknownTerm", "noSubscriptions"] as const;
export type RealizableBasis = (typeof REALIZABLE_BASES)[number];

/** When a seat's savings arrive. */
export interface Realizable {
  /** The date the seat count can be reduced (YYYY-MM-DD). */
  from: string;
  basis: RealizableBasis;
  /** The subscription whose seat count drops, when known. */
  subscriptionId: string | null;
}

/** Contract terms of a subscription: `annual` covers one- and three-year commitments. */
export const SUBSCRIPTION_TERMS = ["monthly", "annual", "unknown"] as const;
export type SubscriptionTerm = (typeof SUBSCRIPTION_TERMS)[number];

/** A finding's savings: how much per month, and from when. */
export interface FindingSavings {
  monthly: number;
  annual: number;
  currency: string;
  /** The date the whole monthly amount is saved (the latest of its licenses' dates, YYYY-MM-DD); null when nothing is saved. */
  realizableFrom: string | null;
  /** Monthly amount already saved before `realizableFrom` (0 when every seat is on an annual term: it is paid for). */
  monthlyUntilRealizable: number;
  /** Why `realizableFrom` is that date (the basis of its latest part). */
  basis: RealizableBasis | null;
  /** The monthly amount by the date it starts (ascending; sums to `monthly`). */
  schedule: { from: string; monthly: number; basis: RealizableBasis }[];
}

/** One uniform result record. */
export interface Finding {
  ruleId: string;
  ruleName: string;
  /** What to do now: a `reclaim` with lowered confidence becomes `review`. */
  action: Action;
  /** What the rule asks for when the evidence is complete. */
  ruleAction: Action;
  severity: Severity;
  target: "user" | "sku" | "subscription";
  user: { id: string; userPrincipalName: string; displayName: string | null; department: string | null } | null;
  sku: { skuId: string; skuPartNumber: string; available: number } | null;
  licenses: FindingLicense[];
  downgrade: { from: string; to: string } | null;
  savings: FindingSavings;
  /** The subscription a subscription rule (`target: subscription`) concerns. */
  subscription?: FindingSubscription | null;
  evidence: Evidence[];
  confidence: { level: ConfidenceLevel; reasons: string[] };
}

/** A subscription finding's subject: which subscription, its term and when to act. */
export interface FindingSubscription {
  id: string;
  skuPartNumber: string;
  status: SubscriptionStatus;
  isTrial: boolean;
  term: SubscriptionTerm;
  totalLicenses: number;
  nextLifecycleDateTime: string | null;
  /** Last day to lower the renewal quantity (renewal − settings.renewalActByDays). */
  actBy: string | null;
  /** Seats to drop at renewal: unassigned seats plus seats the other findings reclaim. */
  seatsToDrop: number;
  /** Assigned users who lose service when the subscription lapses (trial, Warning, Suspended). */
  usersAtRisk: number;
}

/**
 * Monthly savings by when they arrive: `now` (today), within 30 and 90 days, and `atRenewal` (all of it,
 * once every subscription concerned has renewed).
 */
export interface RealizableTotals {
  now: number;
  within30Days: number;
  within90Days: number;
  atRenewal: number;
}

export interface SavingsTotal {
  findings: number;
  monthly: number;
  annual: number;
  realizable: RealizableTotals;
}

export const EVALUATION_VERSION = 1;

/** The output of `evaluate`: findings plus chargeback totals (seed 003 cost allocation). */
export interface Evaluation {
  evaluationVersion: typeof EVALUATION_VERSION;
  evaluatedAt: string;
  snapshot: { tenantId: string; collectedAt: string; users: number };
  currency: string;
  /** How savings were dated: false when subscriptions were not collected (every saving counted from now). */
  renewalDates: { known: boolean; detail: string | null };
  findings: Finding[];
  totals: {
    overall: SavingsTotal;
    byRule: Record<string, SavingsTotal>;
    bySku: Record<string, SavingsTotal>;
    byDepartment: Record<string, SavingsTotal>;
    byAction: Record<string, SavingsTotal>;
  };
  /** Sources that were not fully collected, and why: evidence from them lowers confidence. */
  gaps: { source: SnapshotSource; status: SourceStatus["status"]; reason: GapReason; detail: string | null }[];
  /** Findings not reported because the user is protected (`protect`), per rule. */
  suppressedByProtection: Record<string, number>;
}
