/**
 * Protect groups whose members cannot be known from a collection run: the collection reported it did
 * not find them (its `groups.list` coverage record names them), or the snapshot holds no group of that
 * name or id at all (the collection never looked for it: it ran with another policy). `reclaim plan`
 * refuses when a group the user's own policy names is among them; groups only the shipped pack
 * suggests are not. Pure.
 */
import type { CoverageRecord } from "../store/snapshot-repository.ts";

/** What is read of a run's coverage: the `groups.list` records (other parts are ignored). */
export type ProtectGroupCoverage = Pick<CoverageRecord, "part" | "status" | "reason" | "detail"> & { notFound?: readonly { name: string }[] };

export interface UnknownProtectGroup {
  name: string;
  /** Why its members are unknown, in words. */
  why: string;
}

/** Reasons of a `groups.list` record whose detail names groups that were not found or not readable. */
const NOT_FOUND_REASONS = new Set(["unresolved-groups", "protect-groups-not-found", "suggested-groups-not-found", "group-query-refused"]);

/** The group names a run's coverage says were not found (or refused): `notFound`, else the quoted names of the detail. */
export function groupsNotFoundIn(coverage: readonly ProtectGroupCoverage[]): string[] {
  const names: string[] = [];
  for (const c of coverage) {
    if (c.part !== "groups.list") continue;
    if (c.notFound) names.push(...c.notFound.map((g) => g.name));
    else if (c.reason && NOT_FOUND_REASONS.has(c.reason) && c.detail) {
      for (const m of c.detail.matchAll(/"([^"]+)"/g)) names.push(m[1]!);
    }
  }
  return [...new Set(names)];
}

/**
 * The policy's own protect groups (not in `suggested`) whose members the run cannot tell, each with
 * why. A group matches a collected one by display name or object id, case-insensitively.
 */
export function unknownProtectGroups(
  groups: readonly string[],
  suggested: readonly string[],
  collected: readonly { id: string; displayName: string }[],
  coverage: readonly ProtectGroupCoverage[],
): UnknownProtectGroup[] {
  const lower = (s: string) => s.toLowerCase();
  const isSuggested = new Set(suggested.map(lower));
  const known = new Set(collected.flatMap((g) => [lower(g.id), lower(g.displayName)]));
  const notFound = new Set(groupsNotFoundIn(coverage).map(lower));
  const out: UnknownProtectGroup[] = [];
  for (const name of new Set(groups)) {
    if (isSuggested.has(lower(name))) continue;
    if (notFound.has(lower(name))) out.push({ name, why: "the collection did not find it" });
    else if (!known.has(lower(name))) out.push({ name, why: "it is not in the collected snapshot: collect with this policy (--policy) so that its members are collected" });
  }
  return out;
}
