/**
 * The one schema of a reclamation plan file (`planVersion: 1`): what `seatwise reclaim plan` writes,
 * a person reviews, and `seatwise reclaim apply` executes. Types derive from it;
 * `schemas/reclaim-plan.schema.json` is generated from it for editors.
 *
 * A plan names, per user, exactly which SKUs to remove (and which to add, for a downgrade), why
 * (rule ids and evidence), and the user's license state when the plan was built (the precondition:
 * apply acts only on users still in that state). Group-assigned licenses are never actions: they
 * are listed under `groupRemovals` ("remove from group …") for a person to handle.
 *
 * **A plan can only be narrowed.** A reviewer may delete whole actions, or SKUs from an action's
 * `remove` (the `add` entries that `replaces` only deleted SKUs go with them; `ruleIds`, `evidence`
 * and `monthlySavings` then cover what is left). Anything else edited refuses the whole plan at apply.
 * The guard is not a digest in the file — anyone who edits the file can recompute a hash — but the
 * store: apply rebuilds the plan from the collection run the plan names (`snapshot.runId`), the
 * policy given to apply, and the plan's own `createdAt`, rules and limits; the rebuilt plan must have
 * the same `planId` (a hash of the whole plan as built, `policy.files` left out) and the same header,
 * and each action left in the file must be the rebuilt action of that user or a narrowing of it.
 * So an action moved to another user, an `add` that is not the policy's downgrade target, a user no
 * longer flagged by the rule, or an edited precondition, limit or protect list is refused, naming
 * the action and the field. The cap and the snapshot age limit at apply come from apply's command
 * line, never from `limits` in the file.
 */
import { z } from "zod";

export const PLAN_VERSION = 1;

const guid = z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, "must be a GUID");

/** One entry of Graph's `assignedLicenses`. */
export const assignedLicenseSchema = z.strictObject({
  skuId: guid,
  disabledPlans: z.array(guid).default([]).describe("Service plan ids turned off in this license."),
});
export type AssignedLicense = z.infer<typeof assignedLicenseSchema>;

/** One entry of Graph's `licenseAssignmentStates`, reduced to what identifies an assignment. */
export const licenseAssignmentSchema = z.strictObject({
  skuId: guid,
  assignedByGroup: z.string().nullable().describe("null when assigned directly, else the group's object id."),
  disabledPlans: z.array(guid).default([]),
});
export type LicenseAssignment = z.infer<typeof licenseAssignmentSchema>;

/** A user's license state as Graph shows it: what apply compares before writing and what rollback restores. */
export const licenseStateSchema = z.strictObject({
  accountEnabled: z.boolean(),
  assignedLicenses: z.array(assignedLicenseSchema),
  /** null when `licenseAssignmentStates` was not collected (then direct vs group is unknown). */
  assignments: z.array(licenseAssignmentSchema).nullable().default(null),
});
export type LicenseState = z.infer<typeof licenseStateSchema>;

const skuRefSchema = z.strictObject({ skuId: guid, skuPartNumber: z.string().min(1) });

/** One SKU an action removes, with the rule that flags it and what removing it saves: a reviewer may delete it. */
export const removeEntrySchema = skuRefSchema.extend({
  ruleId: z.string().describe("The rule whose finding flags this SKU (one of the action's ruleIds)."),
  monthlySavings: z.number().describe("Monthly savings of removing this SKU (the action's monthlySavings is their sum)."),
});
export type RemoveEntry = z.infer<typeof removeEntrySchema>;

/** One SKU a downgrade adds: the policy's downgrade target of the SKUs it `replaces`. */
export const addEntrySchema = skuRefSchema.extend({
  disabledPlans: z.array(guid).default([]),
  replaces: z.array(guid).min(1).describe("skuIds of this action's remove entries the target replaces; deleting all of them from remove deletes this entry too."),
});
export type AddEntry = z.infer<typeof addEntrySchema>;

const evidenceSchema = z.strictObject({
  fact: z.string(),
  value: z.unknown(),
  source: z.string(),
  asOf: z.string().nullable(),
  status: z.string(),
});

export const PLAN_ACTION_KINDS = ["remove", "downgrade"] as const;
export type PlanActionKind = (typeof PLAN_ACTION_KINDS)[number];

/** Everything done to one user, as ONE assignLicense call. */
export const planActionSchema = z.strictObject({
  userId: z.string().min(1),
  userPrincipalName: z.string(),
  displayName: z.string().nullable(),
  kind: z.enum(PLAN_ACTION_KINDS).describe("remove: only removals; downgrade: adds a cheaper SKU and removes the source in the same call."),
  remove: z.array(removeEntrySchema).describe("Directly assigned SKUs to remove (never a group-assigned one, never anything else)."),
  add: z.array(addEntrySchema).describe("SKUs to add (downgrade targets) with the disabled plans kept from the source."),
  ruleIds: z.array(z.string()).min(1),
  evidence: z.array(z.strictObject({ ruleId: z.string(), evidence: z.array(evidenceSchema) })),
  monthlySavings: z.number(),
  precondition: licenseStateSchema.describe("The user's state in the snapshot; apply skips the user when it changed."),
});
export type PlanAction = z.infer<typeof planActionSchema>;

/** A group-assigned license a finding concerns: only a person can take the user out of the group. */
export const groupRemovalSchema = z.strictObject({
  userId: z.string(),
  userPrincipalName: z.string(),
  skuId: guid,
  skuPartNumber: z.string(),
  groupId: z.string(),
  groupName: z.string(),
  ruleIds: z.array(z.string()),
  remedy: z.string().describe('"remove from group …": never attempted directly.'),
  monthlySavings: z.number(),
});
export type GroupRemoval = z.infer<typeof groupRemovalSchema>;

/** A finding the plan does not act on, and why (review, no free seat of the downgrade target...). */
export const notPlannedSchema = z.strictObject({
  userId: z.string(),
  userPrincipalName: z.string(),
  ruleId: z.string(),
  reason: z.string(),
});
export type NotPlanned = z.infer<typeof notPlannedSchema>;

export const CANNOT_SUCCEED_REASONS = ["no-usage-location", "no-free-seat"] as const;
export type CannotSucceedReason = (typeof CANNOT_SUCCEED_REASONS)[number];

/** A downgrade Graph would refuse, so it is not an action: what is missing and how to fix it. */
export const cannotSucceedSchema = z.strictObject({
  userId: z.string(),
  userPrincipalName: z.string(),
  ruleId: z.string(),
  skuPartNumber: z.string().describe("The downgrade target that cannot be added."),
  reason: z.enum(CANNOT_SUCCEED_REASONS),
  fix: z.string().describe("What a person does so that the next plan can include it."),
});
export type CannotSucceed = z.infer<typeof cannotSucceedSchema>;

export const reclaimPlanSchema = z.strictObject({
  planVersion: z.literal(PLAN_VERSION).describe("Plan format version. Always 1."),
  planId: z.string().min(1).describe("Stable id of this plan: a hash of the whole plan as built (policy.files left out). Apply rebuilds the plan from the store and refuses unless the ids match; it journals under it and resumes by it."),
  createdAt: z.string().describe("When the plan was built (ISO date-time)."),
  tenantId: z.string().min(1),
  snapshot: z.strictObject({
    runId: z.string().min(1).describe("The collection run the plan was built from: apply re-justifies every action against it."),
    collectedAt: z.string(),
    ageDays: z.number(),
    licensedUsers: z.number().int().nonnegative(),
  }),
  policy: z.strictObject({
    files: z.array(z.string()),
    currency: z.string(),
    rules: z.array(z.string()).describe("Rule ids the plan was built from (all reclaim and downgrade rules unless --rule named some)."),
    protect: z.strictObject({ users: z.array(z.string()), groups: z.array(z.string()), departments: z.array(z.string()) }),
  }),
  limits: z.strictObject({
    maxSnapshotAgeDays: z.number().describe("Snapshots older than this were refused when planning. Default 7. Apply takes its own limit from its command line."),
    maxUsers: z.number().int().nonnegative().describe("The cap of users when planning: min(50, 10 % of licensed users) unless overridden. Apply takes its own cap from its command line."),
    overridden: z.boolean().describe("true when --max set the cap explicitly."),
  }),
  actions: z.array(planActionSchema),
  groupRemovals: z.array(groupRemovalSchema),
  notPlanned: z.array(notPlannedSchema),
  cannotSucceed: z.array(cannotSucceedSchema).describe("Downgrades Graph would refuse (no usageLocation, no free seat of the target), with the fix."),
  totals: z.strictObject({
    users: z.number().int(),
    removals: z.number().int(),
    downgrades: z.number().int(),
    groupRemovals: z.number().int(),
    monthlySavings: z.number(),
    annualSavings: z.number(),
    currency: z.string(),
    bySku: z.record(z.string(), z.strictObject({ removed: z.number().int(), added: z.number().int(), monthlySavings: z.number() })),
  }),
});
export type ReclaimPlan = z.infer<typeof reclaimPlanSchema>;
