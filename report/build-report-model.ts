/**
 * The report's data model, computed here and only here: the page displays it and computes no rule,
 * saving or total of its own. Pure: takes the snapshot, the evaluation `evaluate` produced from it, the
 * policy, the run's coverage records, the store's per-run trend and an optional reclamation plan.
 *
 * Findings are the bulk of a report at 100,000 users, so they travel compactly: strings interned in one
 * table (`strings`), one array per finding (see `FindingRow`), evidence states interned too. Everything
 * else is plain objects. A tenant's part is `TenantReport`: a fleet report can hold several.
 */
import type { Evaluation, Finding, Snapshot, SnapshotSource } from "../core/user-facts.ts";
import { ACTIONS, CONFIDENCE_LEVELS, SEVERITIES } from "../core/user-facts.ts";
import { allocateCostsBy, idleSeatsOf } from "../policies/allocate-costs.ts";
import type { AllocationDimension, CostAllocation } from "../policies/allocate-costs.ts";
import { FACTS_BY_NAME, computeUserFacts, groupNamesOf } from "../policies/facts.ts";
import type { Policy } from "../policies/policy-schema.ts";
import { seatPrice } from "../policies/seat-price.ts";
import type { ReclaimPlan } from "../reclaim/plan-schema.ts";
import type { RunSummary, RunTrendPoint } from "../store/run-summary-repository.ts";
import type { CoverageRecord } from "../store/snapshot-repository.ts";

export const REPORT_MODEL_VERSION = 1;

export interface Money {
  findings: number;
  monthly: number;
  annual: number;
}

/**
 * One finding: [subject, displayName, department, rule, action, severity, monthly savings, confidence,
 * licenses, evidence, confidence reasons]. Indexes point into `strings` (−1: none); action, severity
 * and confidence index ACTIONS, SEVERITIES and CONFIDENCE_LEVELS; the rule indexes `rules`.
 * subject is the user's UPN, or for a seat finding the SKU and its unassigned seats.
 * licenses: [skuPartNumber, remedy, monthly savings, group name (−1: direct)];
 * evidence: [fact, value, evidence state (`evidenceStates`)]; realizableFrom and basis: when the savings
 * arrive (YYYY-MM-DD) and why then (−1: nothing saved).
 */
export type FindingRow = [
  subject: number,
  displayName: number,
  department: number,
  rule: number,
  action: number,
  severity: number,
  monthly: number,
  confidence: number,
  licenses: [sku: number, remedy: number, monthly: number, group: number][],
  evidence: [fact: number, value: unknown, state: number][],
  reasons: number[],
  realizableFrom: number,
  basis: number,
];

export interface TenantReport {
  tenantId: string;
  organization: string | null;
  snapshot: {
    collectedAt: string;
    users: number;
    /** Task parts collected out of those planned. */
    partsCollected: number;
    partsTotal: number;
  };
  headline: {
    /** Actionable now: reclaim + downgrade + seat notifications (the evaluation's overall total). */
    now: Money;
    reclaim: Money;
    downgrade: Money;
    notify: Money;
    review: Money;
    /** The actionable monthly savings by when they arrive (the evaluation's overall total). */
    realizable: { now: number; within30Days: number; within90Days: number; atRenewal: number };
    /** false when the subscriptions (renewal dates) were not collected: every saving counts from now. */
    renewalDates: { known: boolean; detail: string | null };
    licensedUsers: number;
    activeUsers: number;
    /** Licensed users whose activity no collected source shows either way. */
    unknownActivity: number;
    inactivityDays: number;
    spend: number;
    idleSpend: number;
  };
  money: {
    /** `restates`: a subscription rule, whose seats the other rules already count (left out of totals). */
    byRule: { ruleId: string; name: string; findings: number; monthly: number; restates: boolean; /** A review rule: its amount is what confirming would save. */ review: boolean }[];
    bySku: { sku: string; name: string; findings: number; monthly: number }[];
    /** Per SKU: seats bought; assigned = active + idle + other; unassigned. */
    utilisation: { sku: string; name: string; purchased: number; assigned: number; active: number; idle: number; other: number; unassigned: number; monthlyPrice: number }[];
  };
  /** Who pays, per dimension; `attribute` when one was asked for. */
  allocation: Partial<Record<AllocationDimension, CostAllocation>>;
  trend: { collectedAt: string; licensedUsers: number; activeUsers: number | null; idleSpend: number | null }[];
  rules: { id: string; name: string; rationale: string; action: string; severity: string }[];
  strings: string[];
  evidenceStates: { source: string; asOf: string | null; status: string }[];
  findings: FindingRow[];
  coverage: {
    parts: { task: string; part: string; status: string; reason: string | null; detail: string | null; items: number }[];
    gaps: { source: string; status: string; reason: string; detail: string | null; rules: string[] }[];
    /** Per rule, findings whose confidence a gap or stale data lowered. */
    lowered: { ruleId: string; findings: number }[];
    suppressedByProtection: { ruleId: string; findings: number }[];
  };
  plan: PlanView | null;
}

export interface PlanView {
  planId: string;
  createdAt: string;
  snapshotCollectedAt: string;
  maxUsers: number;
  totals: ReclaimPlan["totals"];
  actions: {
    userPrincipalName: string;
    displayName: string | null;
    kind: string;
    remove: string[];
    add: string[];
    ruleIds: string[];
    monthlySavings: number;
    evidence: { ruleId: string; evidence: { fact: string; value: unknown; source: string; asOf: string | null; status: string }[] }[];
  }[];
  groupRemovals: { userPrincipalName: string; sku: string; groupName: string; remedy: string; ruleIds: string[]; monthlySavings: number }[];
  notPlanned: { userPrincipalName: string; ruleId: string; reason: string }[];
  /** Downgrades Graph would refuse (no usage location, no free seat), with the fix in words. */
  cannotSucceed: { userPrincipalName: string; ruleId: string; sku: string; fix: string }[];
}

export interface ReportModel {
  reportVersion: typeof REPORT_MODEL_VERSION;
  generatedAt: string;
  currency: string;
  actions: readonly string[];
  severities: readonly string[];
  confidenceLevels: readonly string[];
  tenant: TenantReport;
}

export interface ReportInputs {
  snapshot: Snapshot;
  evaluation: Evaluation;
  policy: Policy;
  coverage: readonly CoverageRecord[];
  /** The tenant's complete runs, oldest first (the current run among them, or not yet). */
  trend: readonly RunTrendPoint[];
  /** The current run's id, when the snapshot came from the store. */
  runId: string | null;
  organization?: string | null;
  plan?: ReclaimPlan | null;
  /** Group by this attribute too (`extensionAttributeN`, `employeeOrgData.costCenter`). */
  attribute?: string | null;
  generatedAt: Date;
}

/** Who is active: a licensed, enabled user with a sign-in or any activity within the policy's inactivity window. */
function activityOf(snapshot: Snapshot, policy: Policy, now: Date): Map<string, boolean | null> {
  const ctx = { now: now.getTime(), groupNames: groupNamesOf(snapshot), prices: policy.prices, isProtected: () => false };
  const out = new Map<string, boolean | null>();
  for (const u of snapshot.users) {
    if (u.licenses.length === 0) continue;
    if (!u.accountEnabled) {
      out.set(u.id, false);
      continue;
    }
    const f = computeUserFacts(u, ctx);
    const days = [f.daysSinceLastSignIn, f.daysSinceLastActivity].filter((d): d is number => typeof d === "number");
    if (days.some((d) => d <= policy.settings.inactivityDays)) out.set(u.id, true);
    // Neither sign-ins nor usage reports were collected: no source can tell.
    else out.set(u.id, u.signInActivity === null && u.activity === null ? null : false);
  }
  return out;
}

/** The aggregates of a report's evaluation that the store keeps per run, for the trend of later reports. */
export function runSummaryOf(model: ReportModel): RunSummary {
  const h = model.tenant.headline;
  return {
    evaluatedAt: model.generatedAt,
    currency: model.currency,
    licensedUsers: h.licensedUsers,
    activeUsers: h.licensedUsers > 0 && h.unknownActivity === h.licensedUsers ? null : h.activeUsers,
    spend: h.spend,
    idleSpend: h.idleSpend,
    savings: h.now.monthly,
  };
}

function money(t: { findings: number; monthly: number; annual: number } | undefined): Money {
  return t ? { findings: t.findings, monthly: t.monthly, annual: t.annual } : { findings: 0, monthly: 0, annual: 0 };
}

/** Builds the report's model. Pure. */
export function buildReportModel(input: ReportInputs): ReportModel {
  const { snapshot, evaluation, policy } = input;
  const activity = activityOf(snapshot, policy, new Date(evaluation.evaluatedAt));
  const idle = idleSeatsOf(evaluation);
  const priceOf = (sku: string) => seatPrice(policy, sku);
  const ruleIndex = new Map(policy.rules.map((r, i) => [r.id, i]));
  const rules = policy.rules.map((r) => ({ id: r.id, name: r.name, rationale: r.rationale, action: r.action, severity: r.severity }));

  const strings: string[] = [];
  const stringIndex = new Map<string, number>();
  const str = (s: string | null | undefined): number => {
    if (s === null || s === undefined) return -1;
    let i = stringIndex.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      stringIndex.set(s, i);
    }
    return i;
  };
  const evidenceStates: TenantReport["evidenceStates"] = [];
  const stateIndex = new Map<string, number>();
  const state = (source: string, asOf: string | null, status: string) => {
    const k = `${source}|${asOf}|${status}`;
    let i = stateIndex.get(k);
    if (i === undefined) {
      i = evidenceStates.length;
      evidenceStates.push({ source, asOf, status });
      stateIndex.set(k, i);
    }
    return i;
  };
  const findings = evaluation.findings.map((f: Finding): FindingRow => [
    str(subjectOf(f)),
    str(f.user?.displayName),
    str(f.user?.department),
    ruleIndex.get(f.ruleId) ?? -1,
    ACTIONS.indexOf(f.action),
    SEVERITIES.indexOf(f.severity),
    f.savings.monthly,
    CONFIDENCE_LEVELS.indexOf(f.confidence.level),
    f.licenses.map((l) => [str(l.skuPartNumber), str(l.remedy), l.monthlySavings, str(l.groupName)]),
    f.evidence.map((e) => [str(e.fact), e.value, state(e.source, e.asOf, e.status)]),
    f.confidence.reasons.map(str),
    str(f.savings.realizableFrom),
    str(f.savings.basis),
  ]);

  const skuName = new Map(snapshot.skus.map((s) => [s.skuPartNumber.toUpperCase(), s.displayName ?? s.skuPartNumber]));
  const holders = new Map<string, { active: number; idle: number; other: number }>();
  for (const u of snapshot.users) {
    if (u.licenses.length === 0) continue;
    const held = u.licenses.length === 1 ? [u.licenses[0]!.skuPartNumber.toUpperCase()] : new Set(u.licenses.map((l) => l.skuPartNumber.toUpperCase()));
    for (const sku of held) {
      const h = holders.get(sku) ?? { active: 0, idle: 0, other: 0 };
      if (idle.get(u.id)?.has(sku) === true) h.idle += 1;
      else if (activity.get(u.id) === true) h.active += 1;
      else h.other += 1;
      holders.set(sku, h);
    }
  }
  const utilisation = snapshot.skus
    .map((s) => {
      const h = holders.get(s.skuPartNumber.toUpperCase()) ?? { active: 0, idle: 0, other: 0 };
      const purchased = s.purchased + s.warning;
      const assigned = h.active + h.idle + h.other;
      return { sku: s.skuPartNumber, name: s.displayName ?? s.skuPartNumber, purchased, assigned, ...h, unassigned: Math.max(0, purchased - s.consumed), monthlyPrice: priceOf(s.skuPartNumber) };
    })
    .filter((u) => u.purchased > 0 || u.assigned > 0)
    .sort((a, b) => b.purchased - a.purchased || a.sku.localeCompare(b.sku));

  const dimensions = [{ by: "department" as const }, { by: "company" as const }, { by: "country" as const }, ...(input.attribute ? [{ by: "attribute" as const, attribute: input.attribute }] : [])];
  const allocation: TenantReport["allocation"] = {};
  for (const a of allocateCostsBy(snapshot, evaluation, policy, dimensions)) allocation[a.by] = a;

  const unknownActivity = [...activity.values()].filter((a) => a === null).length;
  const activeUsers = [...activity.values()].filter((a) => a === true).length;
  const spend = allocation.department!.total.spend;
  const idleSpend = allocation.department!.total.idleSpend;
  // This evaluation stands for the current run; older runs show what their own evaluation recorded.
  const current = { collectedAt: snapshot.collectedAt, licensedUsers: activity.size, activeUsers: activity.size > 0 && unknownActivity === activity.size ? null : activeUsers, idleSpend };
  const trend = input.trend.map((p) =>
    p.runId === input.runId
      ? { ...current, collectedAt: p.collectedAt }
      : // A summary in another currency cannot share the axis: unknown rather than converted.
        { collectedAt: p.collectedAt, licensedUsers: p.summary?.licensedUsers ?? p.licensedUsers, activeUsers: p.summary?.activeUsers ?? null, idleSpend: p.summary && p.summary.currency === policy.currency ? p.summary.idleSpend : null },
  );
  if (!input.trend.some((p) => p.runId === input.runId)) trend.push(current);

  const parts = input.coverage.map((c) => ({ task: c.task, part: c.part, status: c.status, reason: c.reason ?? null, detail: c.detail ?? null, items: c.items ?? 0 }));
  const gaps = evaluation.gaps.map((g) => ({
    source: g.source,
    status: g.status,
    reason: g.reason,
    detail: g.detail,
    rules: policy.rules.filter((r) => r.facts.some((name) => (FACTS_BY_NAME.get(name)?.sources ?? []).includes(g.source as SnapshotSource))).map((r) => r.id),
  }));
  const lowered = new Map<string, number>();
  for (const f of evaluation.findings) if (f.confidence.level !== "high") lowered.set(f.ruleId, (lowered.get(f.ruleId) ?? 0) + 1);

  const byAction = evaluation.totals.byAction;
  return {
    reportVersion: REPORT_MODEL_VERSION,
    generatedAt: input.generatedAt.toISOString(),
    currency: evaluation.currency,
    actions: ACTIONS,
    severities: SEVERITIES,
    confidenceLevels: CONFIDENCE_LEVELS,
    tenant: {
      tenantId: snapshot.tenantId,
      organization: input.organization ?? null,
      snapshot: {
        collectedAt: snapshot.collectedAt,
        users: snapshot.users.length,
        partsCollected: parts.filter((p) => p.status === "collected").length,
        partsTotal: parts.length,
      },
      headline: {
        now: money(evaluation.totals.overall),
        reclaim: money(byAction.reclaim),
        downgrade: money(byAction.downgrade),
        notify: money(byAction.notify),
        review: money(byAction.review),
        realizable: { ...evaluation.totals.overall.realizable },
        renewalDates: { ...evaluation.renewalDates },
        licensedUsers: activity.size,
        activeUsers,
        unknownActivity,
        inactivityDays: policy.settings.inactivityDays,
        spend,
        idleSpend,
      },
      money: {
        byRule: Object.entries(evaluation.totals.byRule).map(([ruleId, t]) => {
          const rule = policy.rules[ruleIndex.get(ruleId) ?? -1];
          return { ruleId, name: rule?.name ?? ruleId, findings: t.findings, monthly: t.monthly, restates: rule?.target === "subscription", review: rule?.action === "review" };
        }),
        bySku: Object.entries(evaluation.totals.bySku)
          .map(([sku, t]) => ({ sku, name: skuName.get(sku.toUpperCase()) ?? sku, findings: t.findings, monthly: t.monthly }))
          .sort((a, b) => b.monthly - a.monthly || a.sku.localeCompare(b.sku)),
        utilisation,
      },
      allocation,
      trend,
      rules,
      strings,
      evidenceStates,
      findings,
      coverage: {
        parts,
        gaps,
        lowered: [...lowered].map(([ruleId, n]) => ({ ruleId, findings: n })),
        suppressedByProtection: Object.entries(evaluation.suppressedByProtection).map(([ruleId, n]) => ({ ruleId, findings: n })),
      },
      plan: input.plan ? planView(input.plan) : null,
    },
  };
}

/** Who or what a finding is about: a user's UPN, a SKU's unassigned seats, or a subscription. */
function subjectOf(f: Finding): string {
  if (f.user) return f.user.userPrincipalName;
  if (f.subscription) return `${f.subscription.skuPartNumber} subscription ${f.subscription.id} (${f.subscription.term} term, ${f.subscription.totalLicenses} seats)`;
  return `${f.sku?.skuPartNumber ?? ""} (${f.sku?.available ?? 0} unassigned)`;
}

function planView(plan: ReclaimPlan): PlanView {
  return {
    planId: plan.planId,
    createdAt: plan.createdAt,
    snapshotCollectedAt: plan.snapshot.collectedAt,
    maxUsers: plan.limits.maxUsers,
    totals: plan.totals,
    actions: plan.actions.map((a) => ({
      userPrincipalName: a.userPrincipalName,
      displayName: a.displayName,
      kind: a.kind,
      remove: a.remove.map((s) => s.skuPartNumber),
      add: a.add.map((s) => s.skuPartNumber),
      ruleIds: a.ruleIds,
      monthlySavings: a.monthlySavings,
      evidence: a.evidence.map((e) => ({ ruleId: e.ruleId, evidence: e.evidence.map((x) => ({ fact: x.fact, value: x.value, source: x.source, asOf: x.asOf, status: x.status })) })),
    })),
    groupRemovals: plan.groupRemovals.map((g) => ({ userPrincipalName: g.userPrincipalName, sku: g.skuPartNumber, groupName: g.groupName, remedy: g.remedy, ruleIds: g.ruleIds, monthlySavings: g.monthlySavings })),
    notPlanned: plan.notPlanned.map((n) => ({ userPrincipalName: n.userPrincipalName, ruleId: n.ruleId, reason: n.reason })),
    cannotSucceed: plan.cannotSucceed.map((c) => ({ userPrincipalName: c.userPrincipalName, ruleId: c.ruleId, sku: c.skuPartNumber, fix: c.fix })),
  };
}
