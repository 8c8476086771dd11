/**
 * Whether a user falls under a policy's `protect` lists (users by UPN glob or object id, groups by
 * display name or id, departments). The planner uses it as a second guard after `evaluate`, and apply
 * re-checks it against a newer snapshot when the store has one.
 */
import { compileGlob } from "../core/match-glob.ts";
import type { Snapshot, SnapshotUser } from "../core/user-facts.ts";

export interface ProtectLists {
  users: readonly string[];
  groups: readonly string[];
  departments: readonly string[];
}

/** Builds a matcher for one snapshot (group ids → names from `snapshot.groups`). */
export function protectionMatcher(protect: ProtectLists, snapshot: Pick<Snapshot, "groups">): (user: SnapshotUser) => string | null {
  const users = protect.users.map((p) => ({ p, re: compileGlob(p) }));
  const groups = new Set(protect.groups.map((g) => g.toLowerCase()));
  const departments = new Set(protect.departments.map((d) => d.toLowerCase()));
  const names = new Map(snapshot.groups.map((g) => [g.id.toLowerCase(), g.displayName]));
  return (user) => {
    const byUser = users.find(({ re }) => re.test(user.userPrincipalName) || re.test(user.id));
    if (byUser) return `protected user "${byUser.p}"`;
    const ids = [...user.memberOf, ...user.licenses.flatMap((l) => (l.assignedByGroup === null ? [] : [l.assignedByGroup]))];
    for (const id of ids) {
      const name = names.get(id.toLowerCase());
      if (groups.has(id.toLowerCase()) || (name !== undefined && groups.has(name.toLowerCase()))) return `member of protected group "${name ?? id}"`;
    }
    if (user.department !== null && departments.has(user.department.toLowerCase())) return `protected department "${user.department}"`;
    return null;
  };
}
