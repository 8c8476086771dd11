/**
 * Pure helpers over a user's license state (Graph's `assignedLicenses` and `licenseAssignmentStates`):
 * read it from a Graph user, compare two states, compute the state one assignLicense call leads to,
 * and the call that restores an earlier state. GUIDs compare case-insensitively and lists as sets.
 */
import type { AssignedLicense, LicenseAssignment, LicenseState } from "./plan-schema.ts";

/** The body of `POST /users/{id}/assignLicense` (graph-api-facts.md §6): both fields always sent. */
export interface LicenseChange {
  addLicenses: AssignedLicense[];
  removeLicenses: string[];
}

/** The user fields apply re-reads (`$select=id,accountEnabled,assignedLicenses,licenseAssignmentStates,usageLocation`). */
export interface GraphLicenseUser {
  id: string;
  accountEnabled?: boolean | null;
  usageLocation?: string | null;
  assignedLicenses?: { skuId: string; disabledPlans?: string[] | null }[] | null;
  licenseAssignmentStates?: { skuId: string; assignedByGroup?: string | null; disabledPlans?: string[] | null; state?: string | null }[] | null;
}

const lower = (s: string) => s.toLowerCase();
const plans = (p: readonly string[] | null | undefined) => [...new Set((p ?? []).map(lower))].sort();

/** The license state of a Graph user object. */
export function licenseStateOf(user: GraphLicenseUser): LicenseState {
  return normalizeState({
    accountEnabled: user.accountEnabled ?? true,
    assignedLicenses: (user.assignedLicenses ?? []).map((l) => ({ skuId: l.skuId, disabledPlans: l.disabledPlans ?? [] })),
    assignments: user.licenseAssignmentStates ? user.licenseAssignmentStates.map((a) => ({ skuId: a.skuId, assignedByGroup: a.assignedByGroup ?? null, disabledPlans: a.disabledPlans ?? [] })) : null,
  });
}

/** Lower-case GUIDs, sorted lists: two equal states serialize the same. */
export function normalizeState(state: LicenseState): LicenseState {
  const licenses = state.assignedLicenses.map((l) => ({ skuId: lower(l.skuId), disabledPlans: plans(l.disabledPlans) })).sort((a, b) => a.skuId.localeCompare(b.skuId));
  const assignments =
    state.assignments === null
      ? null
      : state.assignments
          .map((a) => ({ skuId: lower(a.skuId), assignedByGroup: a.assignedByGroup === null ? null : lower(a.assignedByGroup), disabledPlans: plans(a.disabledPlans) }))
          .sort((a, b) => a.skuId.localeCompare(b.skuId) || (a.assignedByGroup ?? "").localeCompare(b.assignedByGroup ?? ""));
  return { accountEnabled: state.accountEnabled, assignedLicenses: licenses, assignments };
}

function sameLicenses(a: readonly AssignedLicense[], b: readonly AssignedLicense[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function sameAssignments(a: readonly LicenseAssignment[] | null, b: readonly LicenseAssignment[] | null): boolean {
  // Either side without licenseAssignmentStates: assignedLicenses alone decides.
  return a === null || b === null || JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Why `current` differs from `expected` (licenses, disabled plans, group assignments or enablement),
 * or null when it does not.
 */
export function describeDifference(expected: LicenseState, current: LicenseState): string | null {
  const e = normalizeState(expected);
  const c = normalizeState(current);
  if (e.accountEnabled !== c.accountEnabled) return `accountEnabled changed from ${e.accountEnabled} to ${c.accountEnabled}`;
  if (!sameLicenses(e.assignedLicenses, c.assignedLicenses)) return `assignedLicenses changed from ${formatLicenses(e.assignedLicenses)} to ${formatLicenses(c.assignedLicenses)}`;
  if (!sameAssignments(e.assignments, c.assignments)) return "license assignments (direct or group) changed";
  return null;
}

/** `[skuId(-N plans), ...]` for messages. */
export function formatLicenses(licenses: readonly AssignedLicense[]): string {
  return `[${licenses.map((l) => (l.disabledPlans.length > 0 ? `${l.skuId} (${l.disabledPlans.length} plans disabled)` : l.skuId)).join(", ")}]`;
}

/** Merges assignments the way `assignedLicenses` shows them: one entry per SKU; a plan stays disabled only when every assignment disables it. */
function mergeAssignments(assignments: readonly LicenseAssignment[]): AssignedLicense[] {
  const bySku = new Map<string, string[]>();
  for (const a of assignments) {
    const prev = bySku.get(a.skuId);
    bySku.set(a.skuId, prev === undefined ? [...a.disabledPlans] : prev.filter((p) => a.disabledPlans.includes(p)));
  }
  return [...bySku].map(([skuId, disabledPlans]) => ({ skuId, disabledPlans }));
}

/** The state after one assignLicense call on `before` (direct assignments only change). */
export function stateAfter(before: LicenseState, change: LicenseChange): LicenseState {
  const b = normalizeState(before);
  const removed = new Set(change.removeLicenses.map(lower));
  const added = change.addLicenses.map((l) => ({ skuId: lower(l.skuId), disabledPlans: plans(l.disabledPlans) }));
  if (b.assignments !== null) {
    const kept = b.assignments.filter((a) => !(a.assignedByGroup === null && (removed.has(a.skuId) || added.some((x) => x.skuId === a.skuId))));
    const assignments = [...kept, ...added.map((x) => ({ ...x, assignedByGroup: null }))];
    return normalizeState({ accountEnabled: b.accountEnabled, assignments, assignedLicenses: mergeAssignments(assignments) });
  }
  const kept = b.assignedLicenses.filter((l) => !removed.has(l.skuId) && !added.some((x) => x.skuId === l.skuId));
  return normalizeState({ accountEnabled: b.accountEnabled, assignments: null, assignedLicenses: [...kept, ...added] });
}

/**
 * Whether `current` is the state `change` leads to from `before`. With assignment states on both
 * sides the direct assignments decide exactly; otherwise the merged `assignedLicenses`.
 */
export function holdsAfter(before: LicenseState, change: LicenseChange, current: LicenseState): boolean {
  const expected = stateAfter(before, change);
  const c = normalizeState(current);
  if (expected.assignments !== null && c.assignments !== null) return JSON.stringify(expected.assignments) === JSON.stringify(c.assignments);
  return sameLicenses(expected.assignedLicenses, c.assignedLicenses);
}

/** Direct assignments of a state (all of `assignedLicenses` when direct vs group is unknown). */
export function directLicenses(state: LicenseState): AssignedLicense[] {
  const s = normalizeState(state);
  if (s.assignments === null) return s.assignedLicenses;
  return s.assignments.filter((a) => a.assignedByGroup === null).map((a) => ({ skuId: a.skuId, disabledPlans: a.disabledPlans }));
}

/** The one call that turns the direct assignments of `current` back into those of `target`. */
export function restoringChange(current: LicenseState, target: LicenseState): LicenseChange {
  const now = new Map(directLicenses(current).map((l) => [l.skuId, l]));
  const want = new Map(directLicenses(target).map((l) => [l.skuId, l]));
  const addLicenses = [...want.values()].filter((l) => JSON.stringify(now.get(l.skuId)?.disabledPlans) !== JSON.stringify(l.disabledPlans));
  const removeLicenses = [...now.keys()].filter((sku) => !want.has(sku));
  return { addLicenses, removeLicenses };
}
