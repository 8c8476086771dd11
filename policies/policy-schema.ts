/**
 * The one schema of a policy file (`version: 1`). Types derive from it; `schemas/policy.schema.json`
 * is generated from it for editors. Structural checks live here; checks that need the fact table,
 * the operators or the SKU catalogue (unknown fact, operator, SKU) are in `check-policy.ts`.
 */
import { z } from "zod";
import { ACTIONS, ACTIVITY_WORKLOADS, SEVERITIES } from "../core/user-facts.ts";

/** `LIC.BLOCKED.1v1`: dotted upper-case segments ending with `<n>v<version>`; change the logic → bump `v`. */
export const RULE_ID_PATTERN = /^[A-Z][A-Z0-9_]*(\.[A-Z][A-Z0-9_]*)*\.\d+v\d+$/;

export const RULE_TARGETS = ["user", "sku", "subscription"] as const;
export type RuleTarget = (typeof RULE_TARGETS)[number];

/** What confirming a review rule's finding would do (`ifConfirmed`): the actions that free money. */
export const IF_CONFIRMED_ACTIONS = ["reclaim", "downgrade"] as const;
export type IfConfirmedAction = (typeof IF_CONFIRMED_ACTIONS)[number];

const positiveInt = z.number().int().positive();

/** Tunable thresholds. Every field is optional in a file; the resolved policy has them all. */
export const settingsSchema = z.strictObject({
  inactivityDays: positiveInt.optional().describe("A licensed user with no sign-in and no activity for more than this many days is inactive. Default: 90."),
  newAccountGraceDays: z.number().int().nonnegative().optional().describe("Accounts younger than this many days (new hires) are never flagged for reclaim. Default: 30."),
  mailboxLicenseThresholdGb: z.number().positive().optional().describe("A shared or room mailbox above this size (GB) needs an Exchange license. Default: 50."),
  smallMailboxGb: z.number().positive().optional().describe("A mailbox at or below this size (GB) fits a frontline (F3) plan. Default: 2."),
  smallOneDriveGb: z.number().positive().optional().describe("OneDrive storage at or below this size (GB) fits a frontline (F3) plan. Default: 2."),
  webPlanMailboxGb: z.number().positive().optional().describe("A mailbox at or below this size (GB) fits a web-only plan (Office 365 E1: 50 GB). Default: 50."),
  addOnUnusedDays: positiveInt.optional().describe("An add-on with no matching activity for more than this many days is unused. Default: 90."),
  staleAfterDays: positiveInt.optional().describe("Evidence whose source is older than this many days is stale: confidence drops, reclaim becomes review. Default: 7."),
  renewalWindowDays: z.number().int().nonnegative().optional().describe("A subscription renewing within this many days is in its renewal window: seat rules (unassigned seats, reduce seats at renewal) fire then. Default: 60."),
  renewalActByDays: z.number().int().nonnegative().optional().describe("Lower a subscription's renewal quantity at least this many days before its renewal (nextLifecycleDateTime): the act-by date of 'reduce seats at renewal'. Default: 7."),
  monthlyTermsInRenewalWindow: z.boolean().optional().describe("A monthly term is always in its renewal window (it renews within the month). false: only within renewalWindowDays like the others. Default: true."),
  copilotUnusedDays: positiveInt
    .optional()
    .describe("A Copilot seat held at least this many days (from its assignment) with no Copilot activity in any app for this many days is idle; apps count as in use within this window. Default: 60."),
  copilotLightUseMaxApps: positiveInt.optional().describe("A Copilot seat in use in at most this many apps (within copilotUnusedDays) is lightly used: review. Default: 1."),
  addOns: z
    .record(
      z.string(),
      z.strictObject({
        workloads: z.array(z.enum(ACTIVITY_WORKLOADS)).describe("Workloads whose activity counts as use of the add-on."),
        activations: z.array(z.string()).default([]).describe("Activation product types (getOffice365ActivationsUserDetail) that count as use."),
      }),
    )
    .optional()
    .describe("Per add-on skuPartNumber: what counts as using it (merged per key when extending)."),
});
export type PolicySettingsInput = z.input<typeof settingsSchema>;

const skuScopeSchema = z
  .union([
    z.enum(["all", "paid"]),
    z.array(z.string().min(1)).min(1),
    z.strictObject({ addOn: z.array(z.string().min(1)).min(1).describe("Add-on skuPartNumbers; the rule runs once per held add-on with the add-on facts.") }),
  ])
  .describe("Which of the user's licenses the rule concerns: all, paid (price above 0), a list of skuPartNumbers, or { addOn: [...] }. Default: all. Downgrade rules (and review rules with ifConfirmed: downgrade) concern their `downgrade[].from`.");

/** One rule as written in a file. In a file that `extends` another, only `id` is required: the rest overrides. */
export const ruleFileSchema = z.strictObject({
  id: z.string().regex(RULE_ID_PATTERN, "must be a versioned rule id such as LIC.BLOCKED.1v1").describe("Stable, versioned id (LIC.BLOCKED.1v1); bump the version when the logic changes."),
  enabled: z.boolean().optional().describe("false turns an inherited rule off. Default: true."),
  name: z.string().min(1).optional().describe("Short name shown in reports."),
  rationale: z.string().min(1).optional().describe("Why the rule exists and why acting on it is safe."),
  action: z.enum(ACTIONS).optional().describe("reclaim, downgrade, review or notify."),
  ifConfirmed: z
    .enum(IF_CONFIRMED_ACTIONS)
    .nullable()
    .optional()
    .describe(
      "Review rules only: what a person who confirms a finding would do (reclaim, or downgrade with `downgrade: [{ from, to }]`). The finding stays a review but carries what that would save (in review, never in the actionable total). null removes an inherited one. Default: none (the finding saves 0).",
    ),
  severity: z.enum(SEVERITIES).optional().describe("low, medium, high or critical."),
  target: z.enum(RULE_TARGETS).optional().describe("user (default): evaluated per user; sku: evaluated per subscribed SKU (seat rules)."),
  skus: skuScopeSchema.optional(),
  downgrade: z
    .array(z.strictObject({ from: z.string().min(1), to: z.string().min(1) }))
    .min(1)
    .optional()
    .describe("Downgrade rules, and review rules with ifConfirmed: downgrade: which SKU is replaced by which (skuPartNumbers)."),
  conditions: z
    .record(z.string(), z.unknown())
    .optional()
    .describe("json-rules-engine conditions: { all: [...] } | { any: [...] } | { not: {...} }; leaves are { fact, operator, value } over the facts of policies/FACTS.md. value may be { setting: name }."),
});
export type RuleFile = z.infer<typeof ruleFileSchema>;

export const POLICY_VERSION = 1;

export const policyFileSchema = z.strictObject({
  version: z.literal(POLICY_VERSION).describe("Policy format version. Always 1."),
  extends: z.string().min(1).optional().describe('"default" (the shipped pack) or a path relative to this file. This file overrides settings, prices and single rules by id.'),
  currency: z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as USD").optional().describe("ISO 4217 currency of prices. Default: USD."),
  prices: z
    .record(
      z.string(),
      z.union([
        z.number().nonnegative(),
        z
          .strictObject({
            annual: z.number().nonnegative().optional().describe("Monthly price per seat on an annual (or three-year) commitment."),
            monthly: z.number().nonnegative().optional().describe("Monthly price per seat on a monthly commitment (typically higher)."),
          })
          .refine((p) => p.annual !== undefined || p.monthly !== undefined, "give annual, monthly or both"),
      ]),
    )
    .optional()
    .describe("Monthly price per seat by skuPartNumber, entered by you: a number, or { annual, monthly } prices per commitment term (merged per key when extending). A CSV price book (--prices) overrides them."),
  terms: z
    .record(z.string(), z.enum(["monthly", "annual"]))
    .optional()
    .describe("The commitment term of a subscription (by its id) or of every subscription of a SKU (by skuPartNumber), when the dates Graph gives do not tell it (merged per key when extending)."),
  settings: settingsSchema.optional(),
  protect: z
    .strictObject({
      users: z.array(z.string().min(1)).optional().describe("UPNs (`*` wildcards allowed) or object ids never flagged for reclaim or downgrade."),
      groups: z.array(z.string().min(1)).optional().describe("Group display names or ids whose members are never flagged for reclaim or downgrade."),
      departments: z.array(z.string().min(1)).optional().describe("Departments never flagged for reclaim or downgrade (case-insensitive)."),
    })
    .optional()
    .describe("Never flagged for reclaim or downgrade. Lists add up when extending."),
  rules: z.array(ruleFileSchema).optional().describe("Rules, evaluated in order; an id already defined by the extended file overrides it field by field."),
});
export type PolicyFile = z.infer<typeof policyFileSchema>;

/** A resolved, checked rule. */
export interface PolicyRule {
  id: string;
  name: string;
  rationale: string;
  action: (typeof ACTIONS)[number];
  severity: (typeof SEVERITIES)[number];
  target: RuleTarget;
  skus: "all" | "paid" | { list: string[] } | { addOn: string[] };
  downgrade: { from: string; to: string }[];
  /**
   * Review rules: the action confirming a finding would take, which prices the finding as that action
   * would (its savings count in review, never in the actionable total); null: the finding saves nothing.
   */
  ifConfirmed: IfConfirmedAction | null;
  /** Conditions with `{ setting }` values replaced by the settings' numbers. */
  conditions: Record<string, unknown>;
  /** Facts the conditions test, in order of appearance: the evidence of a finding. */
  facts: string[];
}

/**
 * The action a rule's findings are priced as: its own for reclaim and downgrade, what confirming would
 * do for a review rule with `ifConfirmed`, else null (the findings save nothing).
 */
export function pricedAction(rule: Pick<PolicyRule, "action" | "ifConfirmed">): IfConfirmedAction | null {
  if (rule.action === "reclaim" || rule.action === "downgrade") return rule.action;
  return rule.action === "review" ? rule.ifConfirmed : null;
}

export interface PolicySettings {
  inactivityDays: number;
  newAccountGraceDays: number;
  mailboxLicenseThresholdGb: number;
  smallMailboxGb: number;
  smallOneDriveGb: number;
  webPlanMailboxGb: number;
  addOnUnusedDays: number;
  staleAfterDays: number;
  renewalWindowDays: number;
  renewalActByDays: number;
  monthlyTermsInRenewalWindow: boolean;
  copilotUnusedDays: number;
  copilotLightUseMaxApps: number;
  addOns: Record<string, { workloads: (typeof ACTIVITY_WORKLOADS)[number][]; activations: string[] }>;
}

/** A policy after composition and checking: what `evaluate` takes. */
export interface Policy {
  version: typeof POLICY_VERSION;
  /** Files it was composed from, base first. */
  files: string[];
  currency: string;
  /** Default monthly price per seat by skuPartNumber: the annual-commitment price when both are given. */
  prices: Record<string, number>;
  /** Monthly price per seat by skuPartNumber and commitment term, where given; read through `seatPrice`. */
  termPrices: Record<string, { annual?: number; monthly?: number }>;
  /** Term overrides by subscription id or skuPartNumber (`terms:`). */
  terms: Record<string, "monthly" | "annual">;
  settings: PolicySettings;
  protect: { users: string[]; groups: string[]; departments: string[] };
  /**
   * The protect groups named only by the shipped pack (`policies/default.yaml`): guesses at common
   * names ("Break Glass Accounts"), so a tenant without them gets a note, not a failure. A group the
   * user's own policy names is never in this list.
   */
  suggestedProtectGroups?: string[];
  rules: PolicyRule[];
}

/** Defaults of every setting (the shipped pack states them explicitly too). */
export const DEFAULT_SETTINGS: PolicySettings = {
  inactivityDays: 90,
  newAccountGraceDays: 30,
  mailboxLicenseThresholdGb: 50,
  smallMailboxGb: 2,
  smallOneDriveGb: 2,
  webPlanMailboxGb: 50,
  addOnUnusedDays: 90,
  staleAfterDays: 7,
  renewalWindowDays: 60,
  renewalActByDays: 7,
  monthlyTermsInRenewalWindow: true,
  copilotUnusedDays: 60,
  copilotLightUseMaxApps: 1,
  addOns: {},
};
