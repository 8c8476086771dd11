/**
 * Protect groups of a policy that a snapshot does not know: no collected group has that display name
 * or object id, so nobody can be known to be protected by it. `reclaim plan` refuses a policy whose
 * own groups are missing; groups the shipped pack merely suggests are reported, not refused. Pure.
 */
import type { Policy } from "./policy-schema.ts";

export interface MissingProtectGroup {
  name: string;
  /** True when only the shipped pack names it (a suggestion); false when the user's policy does. */
  suggested: boolean;
}

/** The policy's protect groups that match none of `groups` (case-insensitive, by name or id). */
export function missingProtectGroups(
  policy: Pick<Policy, "protect" | "suggestedProtectGroups">,
  groups: readonly { id: string; displayName: string }[],
): MissingProtectGroup[] {
  const known = new Set(groups.flatMap((g) => [g.id.toLowerCase(), g.displayName.toLowerCase()]));
  const suggested = new Set((policy.suggestedProtectGroups ?? []).map((g) => g.toLowerCase()));
  return policy.protect.groups.filter((g) => !known.has(g.toLowerCase())).map((name) => ({ name, suggested: suggested.has(name.toLowerCase()) }));
}
