/**
 * `planReclaim(input, options)` → a reclamation plan (`planVersion: 1`). Pure: no I/O, no clock (now
 * is injected), no Graph. The plan acts only on `reclaim` and `downgrade` findings whose evidence is
 * complete, only on directly assigned licenses, one assignLicense call per user; everything else is
 * listed with the reason it is not acted on.
 *
 * Safety limits (each a `RefusalError`, exit code 3):
 * - `stale-snapshot`: the snapshot is older than `maxSnapshotAgeDays` (default 7);
 * - `missing-evidence`: a selected rule has findings whose activity evidence (sign-in activity, usage
 *   reports, sign-in logs) was concealed or not collected: acting on them would reclaim from people
 *   who may well be active (seed 000: users signing in with MFA or SSO must keep their licenses);
 * - `cap-exceeded`: more users than the cap, min(50, 10 % of licensed users), unless `maxUsers` sets
 *   the cap explicitly;
 * - `unknown-protect-group`: a protect group the user's own policy names is not in the snapshot (the
 *   collection did not find it, or did not look for it): nobody can be known to be protected by it.
 *
 * Downgrades Graph would refuse (the user has no `usageLocation`, no free seat of the target) are
 * not actions: they are listed under `cannotSucceed` with the fix.
 */
import { createHash } from "node:crypto";
import { RefusalError, UsageError } from "../core/errors.ts";
import { keyedRecord } from "../core/keyed-record.ts";
import { GAP_REASONS } from "../core/user-facts.ts";
import type { Evaluation, Finding, Snapshot, SnapshotSource } from "../core/user-facts.ts";
import type { Policy } from "../policies/policy-schema.ts";
import { protectionMatcher } from "./is-protected.ts";
import { directLicenses, normalizeState } from "./license-state.ts";
import { PLAN_VERSION } from "./plan-schema.ts";
import type { AddEntry, CannotSucceed, GroupRemoval, LicenseState, NotPlanned, PlanAction, ReclaimPlan, RemoveEntry } from "./plan-schema.ts";
import { unknownProtectGroups } from "./unknown-protect-groups.ts";
import type { ProtectGroupCoverage } from "./unknown-protect-groups.ts";

export interface PlanReclaimInput {
  snapshot: Snapshot;
  /** The collection run the snapshot comes from (recorded in the plan; apply rebuilds from it). */
  runId: string;
  evaluation: Evaluation;
  policy: Pick<Policy, "files" | "currency" | "protect" | "rules"> & { suggestedProtectGroups?: readonly string[] };
  /** The run's `groups.list` coverage records (which protect groups the collection did not find). Default: none. */
  protectGroupCoverage?: readonly ProtectGroupCoverage[];
  /** Protect groups only the shipped pack names (suggestions): not finding them is no refusal. Default: `policy.suggestedProtectGroups`, else none. */
  suggestedProtectGroups?: readonly string[];
  /** Per user id: the license state the store holds (assignedLicenses with disabledPlans, licenseAssignmentStates). */
  licenseStates: ReadonlyMap<string, LicenseState>;
  /** Per skuId: the SKU's service plan ids (subscribedSkus), to keep disabled plans on a downgrade. */
  servicePlans: ReadonlyMap<string, readonly string[]>;
}

export interface PlanReclaimOptions {
  now: Date;
  /** Only these rule ids (each must be a reclaim or downgrade rule). Default: every reclaim and downgrade rule. */
  rules?: readonly string[];
  /** Sets the cap of users explicitly. Default: min(50, 10 % of licensed users), at least 1. */
  maxUsers?: number;
  /** Refuse snapshots older than this many days. Default 7. */
  maxSnapshotAgeDays?: number;
}

const DAY_MS = 86_400_000;
/** The cap's absolute ceiling and share of licensed users when not overridden. */
const CAP_USERS = 50;
const CAP_SHARE = 0.1;
/** Sources whose absence hides whether a person is active. */
const ACTIVITY_SOURCES: readonly SnapshotSource[] = ["signInActivity", "workloadActivity", "appUsage", "activations", "signInLogs"];
const GAPS: readonly string[] = GAP_REASONS;

const round2 = (n: number) => Math.round(n * 100) / 100;

/** The default cap: the smaller of 50 users and 10 % of licensed users (at least 1). */
export function defaultUserCap(licensedUsers: number): number {
  return Math.max(1, Math.min(CAP_USERS, Math.floor(licensedUsers * CAP_SHARE)));
}

/** Builds a plan or throws `RefusalError` (safety limits) / `UsageError` (unknown or non-actionable --rule). */
export function planReclaim(input: PlanReclaimInput, options: PlanReclaimOptions): ReclaimPlan {
  const { snapshot, evaluation, policy } = input;
  const now = options.now.getTime();
  const maxAge = options.maxSnapshotAgeDays ?? 7;
  const ageDays = round2((now - Date.parse(snapshot.collectedAt)) / DAY_MS);
  if (!(ageDays <= maxAge)) {
    throw new RefusalError("stale-snapshot", `the snapshot was collected ${snapshot.collectedAt} (${ageDays} days ago), older than the ${maxAge}-day limit; run \`seatwise collect\` and plan again`);
  }

  const actionable = policy.rules.filter((r) => r.target === "user" && (r.action === "reclaim" || r.action === "downgrade"));
  let selected = actionable;
  if (options.rules && options.rules.length > 0) {
    for (const id of options.rules) {
      const rule = policy.rules.find((r) => r.id === id);
      if (!rule) throw new UsageError(`--rule ${id}: no such rule in the policy (rules: ${policy.rules.map((r) => r.id).join(", ")})`);
      if (!actionable.includes(rule)) throw new UsageError(`--rule ${id}: the rule's action is ${rule.action}; only reclaim and downgrade rules can be planned`);
    }
    selected = actionable.filter((r) => options.rules!.includes(r.id));
  }
  const ruleIds = new Set(selected.map((r) => r.id));
  const findings = evaluation.findings.filter((f) => f.target === "user" && f.user !== null && ruleIds.has(f.ruleId));

  // Inactivity findings resting on concealed or missing activity evidence: refuse, do not guess.
  const blind = findings.filter((f) => f.action === "review" && f.evidence.some((e) => ACTIVITY_SOURCES.includes(e.source) && GAPS.includes(e.status)));
  if (blind.length > 0) {
    const byRule = new Map<string, Set<string>>();
    for (const f of blind) {
      const s = byRule.get(f.ruleId) ?? new Set<string>();
      for (const e of f.evidence) if (ACTIVITY_SOURCES.includes(e.source) && GAPS.includes(e.status)) s.add(`${e.source}: ${e.status}`);
      byRule.set(f.ruleId, s);
    }
    const detail = [...byRule].map(([id, s]) => `${id} (${blind.filter((f) => f.ruleId === id).length} findings; ${[...s].join(", ")})`).join("; ");
    throw new RefusalError(
      "missing-evidence",
      `activity evidence was concealed or not collected for ${detail}; make usage reports show user names (admin/reportSettings) or grant what is missing, collect again, or leave these rules out with --rule`,
    );
  }

  const unknownGroups = unknownProtectGroups(policy.protect.groups, input.suggestedProtectGroups ?? policy.suggestedProtectGroups ?? [], snapshot.groups, input.protectGroupCoverage ?? []);
  if (unknownGroups.length > 0) {
    throw new RefusalError(
      "unknown-protect-group",
      `${unknownGroups.map((g) => `protect group "${g.name}" (${g.why})`).join("; ")}: nobody can be known to be protected by it; fix the name or remove it from your policy, or create the group, then collect again`,
    );
  }

  const snapshotUsers = new Map(snapshot.users.map((u) => [u.id, u]));
  const isProtected = protectionMatcher(policy.protect, snapshot);
  const skuByPart = new Map(snapshot.skus.map((s) => [s.skuPartNumber.toUpperCase(), s]));
  const seatsLeft = new Map(snapshot.skus.map((s) => [s.skuId.toLowerCase(), Math.max(0, s.purchased - s.consumed)]));

  const notPlanned: NotPlanned[] = [];
  const cannotSucceed: CannotSucceed[] = [];
  const groupRemovals: GroupRemoval[] = [];
  const byUser = new Map<string, Finding[]>();
  for (const f of findings) {
    const user = snapshotUsers.get(f.user!.id);
    // Protected users and groups never appear in a plan (evaluate suppresses them already; this is the second guard).
    if (!user || isProtected(user) !== null) continue;
    if (f.action !== f.ruleAction) {
      notPlanned.push({ userId: user.id, userPrincipalName: user.userPrincipalName, ruleId: f.ruleId, reason: `lowered to ${f.action}: ${f.confidence.reasons.join("; ") || "confidence below high"}` });
      continue;
    }
    const list = byUser.get(user.id) ?? [];
    list.push(f);
    byUser.set(user.id, list);
  }

  const actions: PlanAction[] = [];
  for (const [userId, userFindings] of byUser) {
    const user = snapshotUsers.get(userId)!;
    const state = input.licenseStates.get(userId);
    const skip = (ruleId: string, reason: string) => notPlanned.push({ userId, userPrincipalName: user.userPrincipalName, ruleId, reason });
    if (!state) {
      for (const f of userFindings) skip(f.ruleId, "the store holds no license state (assignedLicenses) for this user");
      continue;
    }
    const precondition = normalizeState(state);
    const direct = new Map(directLicenses(precondition).map((l) => [l.skuId, l]));
    const held = new Set(precondition.assignedLicenses.map((l) => l.skuId));
    const remove = new Map<string, Omit<RemoveEntry, "skuId">>();
    const add = new Map<string, Omit<AddEntry, "skuId">>();
    const rules = new Set<string>();
    const evidence: PlanAction["evidence"] = [];
    // Reclaims first: a license that goes entirely is not also downgraded.
    const ordered = [...userFindings].sort((a, b) => (a.ruleAction === b.ruleAction ? 0 : a.ruleAction === "reclaim" ? -1 : 1));
    for (const f of ordered) {
      let used = false;
      for (const l of f.licenses) {
        const skuId = l.skuId.toLowerCase();
        if (l.assignment === "group") {
          groupRemovals.push({
            userId,
            userPrincipalName: user.userPrincipalName,
            skuId,
            skuPartNumber: l.skuPartNumber,
            groupId: l.groupId ?? "",
            groupName: l.groupName ?? l.groupId ?? "",
            ruleIds: [f.ruleId],
            remedy: l.remedy,
            monthlySavings: l.monthlySavings,
          });
          continue;
        }
        if (!direct.has(skuId)) {
          skip(f.ruleId, `${l.skuPartNumber} is not directly assigned in the stored license state`);
          continue;
        }
        if (remove.has(skuId)) continue;
        if (f.ruleAction === "reclaim") {
          remove.set(skuId, { skuPartNumber: l.skuPartNumber, ruleId: f.ruleId, monthlySavings: round2(l.monthlySavings) });
          used = true;
          continue;
        }
        const down = f.downgrade;
        const target = down ? skuByPart.get(down.to.toUpperCase()) : undefined;
        if (!down || !target) {
          skip(f.ruleId, `the downgrade target ${down?.to ?? "(none)"} is not a subscribed SKU`);
          continue;
        }
        const targetId = target.skuId.toLowerCase();
        const cannot = (reason: CannotSucceed["reason"], fix: string) =>
          cannotSucceed.push({ userId, userPrincipalName: user.userPrincipalName, ruleId: f.ruleId, skuPartNumber: target.skuPartNumber, reason, fix });
        const pending = add.get(targetId);
        if (pending) pending.replaces.push(skuId);
        else if (!held.has(targetId)) {
          // Graph refuses to add a license to a user without a usage location (400 "invalid usage location").
          if (user.usageLocation === null || user.usageLocation.trim() === "") {
            cannot("no-usage-location", `set ${user.userPrincipalName}'s usage location (Entra ID → user → Properties → Usage location), collect again, then plan again`);
            continue;
          }
          const free = seatsLeft.get(targetId) ?? 0;
          if (free <= 0) {
            cannot("no-free-seat", `no free seat of ${target.skuPartNumber} (${target.purchased} purchased, ${target.consumed} consumed): buy seats or free one, collect again, then plan again`);
            continue;
          }
          seatsLeft.set(targetId, free - 1);
          // Keep the source's disabled plans that the target also has (a plan id the target lacks cannot be disabled in it).
          const targetPlans = new Set((input.servicePlans.get(targetId) ?? []).map((p) => p.toLowerCase()));
          add.set(targetId, { skuPartNumber: target.skuPartNumber, disabledPlans: direct.get(skuId)!.disabledPlans.filter((p) => targetPlans.has(p)), replaces: [skuId] });
        }
        remove.set(skuId, { skuPartNumber: l.skuPartNumber, ruleId: f.ruleId, monthlySavings: round2(l.monthlySavings) });
        used = true;
      }
      if (used) {
        rules.add(f.ruleId);
        evidence.push({ ruleId: f.ruleId, evidence: f.evidence.map((e) => ({ ...e })) });
      }
    }
    if (remove.size === 0) continue;
    actions.push({
      userId,
      userPrincipalName: user.userPrincipalName,
      displayName: user.displayName,
      kind: add.size > 0 || ordered.some((f) => f.ruleAction === "downgrade" && rules.has(f.ruleId)) ? "downgrade" : "remove",
      remove: [...remove].map(([skuId, r]) => ({ skuId, ...r })),
      add: [...add].map(([skuId, a]) => ({ skuId, skuPartNumber: a.skuPartNumber, disabledPlans: a.disabledPlans, replaces: a.replaces })),
      ruleIds: [...rules],
      evidence,
      monthlySavings: actionSavings([...remove.values()]),
      precondition,
    });
  }
  actions.sort((a, b) => a.userPrincipalName.localeCompare(b.userPrincipalName));

  const licensedUsers = snapshot.users.filter((u) => u.licenses.length > 0).length;
  const overridden = options.maxUsers !== undefined;
  const cap = options.maxUsers ?? defaultUserCap(licensedUsers);
  if (actions.length > cap) {
    throw new RefusalError(
      "cap-exceeded",
      overridden
        ? `the plan would change ${actions.length} users, more than --max ${cap}`
        : `the plan would change ${actions.length} users, more than the cap of ${cap} (the smaller of ${CAP_USERS} users and ${CAP_SHARE * 100} % of ${licensedUsers} licensed users); narrow it with --rule or raise the cap explicitly with --max N`,
    );
  }

  const body: Omit<ReclaimPlan, "planId"> = {
    planVersion: PLAN_VERSION,
    createdAt: options.now.toISOString(),
    tenantId: snapshot.tenantId,
    snapshot: { runId: input.runId, collectedAt: snapshot.collectedAt, ageDays, licensedUsers },
    policy: { files: [...policy.files], currency: policy.currency, rules: selected.map((r) => r.id), protect: { users: [...policy.protect.users], groups: [...policy.protect.groups], departments: [...policy.protect.departments] } },
    limits: { maxSnapshotAgeDays: maxAge, maxUsers: cap, overridden },
    actions,
    groupRemovals,
    notPlanned,
    cannotSucceed,
    totals: planTotals(actions, groupRemovals.length, policy.currency),
  };
  const { planVersion, ...rest } = body;
  return { planVersion, planId: computePlanId(body), ...rest };
}

/** The totals of a plan's actions (for a narrowed plan: of the actions left). Each action's savings is the sum of its remove entries. */
export function planTotals(actions: readonly PlanAction[], groupRemovals: number, currency: string): ReclaimPlan["totals"] {
  // Keyed by SKU part numbers from the tenant: no prototype to pollute.
  const bySku: ReclaimPlan["totals"]["bySku"] = keyedRecord();
  const entry = (part: string) => (bySku[part] ??= { removed: 0, added: 0, monthlySavings: 0 });
  for (const a of actions) {
    for (const r of a.remove) {
      const e = entry(r.skuPartNumber);
      e.removed++;
      e.monthlySavings = round2(e.monthlySavings + r.monthlySavings);
    }
    for (const x of a.add) entry(x.skuPartNumber).added++;
  }
  const monthly = round2(actions.reduce((n, a) => n + a.monthlySavings, 0));
  return {
    users: actions.length,
    removals: actions.reduce((n, a) => n + a.remove.length, 0),
    downgrades: actions.filter((a) => a.kind === "downgrade").length,
    groupRemovals,
    monthlySavings: monthly,
    annualSavings: round2(monthly * 12),
    currency,
    bySku,
  };
}

/** The savings of an action: the sum of its remove entries'. */
export function actionSavings(remove: readonly { monthlySavings: number }[]): number {
  return round2(remove.reduce((n, r) => n + r.monthlySavings, 0));
}

/**
 * The plan id: a hash of the whole plan as built, `planId` and `policy.files` left out (apply may be
 * given the same policy under another path). Apply rebuilds the plan and compares ids.
 */
export function computePlanId(plan: Omit<ReclaimPlan, "planId"> | ReclaimPlan): string {
  const { policy, ...rest } = plan;
  const body = { ...rest, planId: undefined, policy: { ...policy, files: undefined } };
  return createHash("sha256").update(canonicalJson(body)).digest("hex").slice(0, 16);
}

/** JSON with object keys sorted at every depth (undefined members left out): equal values, equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
