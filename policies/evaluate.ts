/**
 * `evaluate(snapshot, policy, { now })` → findings with evidence, confidence and savings. Pure: no
 * I/O, no clock (now is injected), no Graph.
 *
 * How it uses json-rules-engine so that 100,000 users stay fast:
 * - one Engine per rule family (user rules, add-on rules, seat rules) per evaluation, built once, with
 *   the custom operators bound to `now`; rules are never re-parsed per user;
 * - facts are computed once per user in plain code and passed to `run()` as runtime facts (no
 *   `addFact` per user: that grows the engine, json-rules-engine #132), and only the facts the rules
 *   reference are passed (each runtime fact costs an allocation per run);
 * - users holding no license are not run at all: every user rule concerns the user's licenses, so it
 *   could not produce a finding;
 * - runs are memoized: a rule's outcome is a boolean combination of its leaf conditions
 *   ({ fact, operator, value }), so two users whose leaves all come out the same fire the same rules.
 *   Each user's leaf outcomes (one cheap operator call per distinct leaf) form the cache key; the
 *   engine runs once per distinct key (a few hundred per tenant) instead of once per user.
 *
 * Then savings are dated by the subscriptions' renewals (plan-renewals.ts, schedule-savings.ts) and
 * subscription rules run once per subscription with the seats the findings free.
 */
import { Engine } from "json-rules-engine";
import type { RuleProperties, TopLevelCondition } from "json-rules-engine";
import { keyedRecord } from "../core/keyed-record.ts";
import { compileGlob } from "../core/match-glob.ts";
import { EVALUATION_VERSION, SNAPSHOT_SOURCES } from "../core/user-facts.ts";
import type {
  Action,
  ConfidenceLevel,
  Evaluation,
  Evidence,
  Finding,
  FindingLicense,
  GapReason,
  SavingsTotal,
  Snapshot,
  SnapshotSource,
  SnapshotUser,
  UserFacts,
} from "../core/user-facts.ts";
import { FACTS_BY_NAME, computeAddOnFacts, computeSkuFacts, computeUserFacts, groupNamesOf } from "./facts.ts";
import { addCustomOperators, operatorFunctions } from "./operators.ts";
import { planRenewals, type RenewalPlan } from "./plan-renewals.ts";
import type { Policy, PolicyRule } from "./policy-schema.ts";
import { horizonsOf, realizableBuckets, savingsOf, scheduleSavings, type Horizons } from "./schedule-savings.ts";
import { seatPrice } from "./seat-price.ts";

export interface EvaluateOptions {
  /** The evaluation time: "days since" and staleness are measured from it. */
  now: Date;
  /** Memoize engine runs by the outcomes of the rules' leaf conditions (see below). Default: true. */
  memoize?: boolean;
}

const DAY_MS = 86_400_000;

interface SourceState {
  status: Evidence["status"];
  asOf: string | null;
}

/** Evaluates every rule of `policy` over `snapshot`. */
export async function evaluate(snapshot: Snapshot, policy: Policy, options: EvaluateOptions): Promise<Evaluation> {
  const now = options.now.getTime();
  const sources = sourceStates(snapshot, policy, now);
  const prices = upperKeys(policy.prices);
  const priceOf = (sku: string) => prices[sku.toUpperCase()] ?? 0;
  const ruleById = new Map(policy.rules.map((r, i) => [r.id, { rule: r, order: i }]));
  const userRules = policy.rules.filter((r) => r.target === "user" && !isAddOn(r));
  const addOnRules = policy.rules.filter((r) => r.target === "user" && isAddOn(r));
  const skuRules = policy.rules.filter((r) => r.target === "sku");
  const subscriptionRules = policy.rules.filter((r) => r.target === "subscription");
  const renewals = planRenewals(snapshot, policy, now);
  const memoize = options.memoize ?? true;
  const userEngine = buildRunner(userRules, now, memoize);
  const addOnEngine = buildRunner(addOnRules, now, memoize);
  const skuEngine = buildRunner(skuRules, now, false);
  const addOnSkus = new Set(addOnRules.flatMap((r) => (isAddOn(r) ? r.skus.addOn.map((s) => s.toUpperCase()) : [])));
  const isProtected = protectMatcher(policy);
  const ctx = { now, groupNames: groupNamesOf(snapshot), prices, isProtected };
  const groupNames = ctx.groupNames;

  const findings: { finding: Finding; order: number }[] = [];
  const suppressed: Record<string, number> = {};

  for (const user of snapshot.users) {
    if (user.licenses.length === 0) continue;
    const facts = computeUserFacts(user, ctx);
    const claimed = new Set<string>();
    const fired: { rule: PolicyRule; order: number; facts: UserFacts; addOn: string | null }[] = [];
    if (userRules.length > 0) {
      for (const type of await userEngine.run(facts)) {
        const r = ruleById.get(type)!;
        fired.push({ ...r, facts, addOn: null });
      }
    }
    if (addOnRules.length > 0) {
      const held = new Set(user.licenses.map((l) => l.skuPartNumber.toUpperCase()));
      for (const sku of held) {
        if (!addOnSkus.has(sku)) continue;
        const part = user.licenses.find((l) => l.skuPartNumber.toUpperCase() === sku)!.skuPartNumber;
        const mapping = Object.entries(policy.settings.addOns).find(([k]) => k.toUpperCase() === sku)?.[1] ?? { workloads: [], activations: [] };
        const addOnFacts = { ...facts, ...computeAddOnFacts(user, part, mapping, now) };
        for (const type of await addOnEngine.run(addOnFacts)) {
          const r = ruleById.get(type)!;
          if (isAddOn(r.rule) && r.rule.skus.addOn.some((s) => s.toUpperCase() === sku)) fired.push({ ...r, facts: addOnFacts, addOn: sku });
        }
      }
    }
    // Rule order decides which finding a SKU's savings belong to when several rules concern it.
    fired.sort((a, b) => a.order - b.order);
    for (const f of fired) {
      const finding = userFinding(f.rule, user, f.facts, f.addOn, { priceOf, groupNames, sources, claimed, currency: policy.currency });
      if (!finding) continue;
      if (f.facts.protected === true && (f.rule.action === "reclaim" || f.rule.action === "downgrade")) {
        suppressed[f.rule.id] = (suppressed[f.rule.id] ?? 0) + 1;
        continue;
      }
      findings.push({ finding, order: f.order });
    }
  }

  if (skuRules.length > 0) {
    for (const sku of snapshot.skus) {
      const window = renewals.window(sku.skuPartNumber);
      const facts: ReturnType<typeof computeSkuFacts> = { ...computeSkuFacts(sku, prices), renewalWindowOpen: window.open, daysToNextRenewal: window.daysToNextRenewal };
      for (const type of await skuEngine.run(facts)) {
        const { rule, order } = ruleById.get(type)!;
        if (typeof rule.skus === "object" && "list" in rule.skus && !rule.skus.list.some((s) => s.toUpperCase() === sku.skuPartNumber.toUpperCase())) continue;
        const monthly = round2(facts.available * priceOf(sku.skuPartNumber));
        const evidence = rule.facts.map((name) => evidenceOf(name, facts[name] ?? null, sources));
        const confidence = confidenceOf(evidence);
        findings.push({
          order,
          finding: {
            ruleId: rule.id,
            ruleName: rule.name,
            action: rule.action,
            ruleAction: rule.action,
            severity: rule.severity,
            target: "sku",
            user: null,
            sku: { skuId: sku.skuId, skuPartNumber: sku.skuPartNumber, available: facts.available },
            licenses: [],
            downgrade: null,
            savings: undatedSavings(monthly, policy.currency),
            evidence,
            confidence,
          },
        });
      }
    }
  }

  findings.sort((a, b) => a.order - b.order || key(a.finding).localeCompare(key(b.finding)));
  // Savings arrive when the subscriptions' seat counts can be lowered: date them, then judge the subscriptions.
  scheduleSavings(findings.map((f) => f.finding), renewals, policy, snapshot);
  if (subscriptionRules.length > 0) {
    findings.push(...(await subscriptionFindings(subscriptionRules, renewals, snapshot, policy, sources, now, ruleById)));
    findings.sort((a, b) => a.order - b.order || key(a.finding).localeCompare(key(b.finding)));
  }
  const list = findings.map((f) => f.finding);
  return {
    evaluationVersion: EVALUATION_VERSION,
    evaluatedAt: options.now.toISOString(),
    snapshot: { tenantId: snapshot.tenantId, collectedAt: snapshot.collectedAt, users: snapshot.users.length },
    currency: policy.currency,
    renewalDates: { known: renewals.known, detail: renewals.detail },
    findings: list,
    totals: totalsOf(list, renewals.today),
    gaps: SNAPSHOT_SOURCES.flatMap((source) => {
      const s = snapshot.sources[source];
      if (s && s.status === "collected") return [];
      return [{ source, status: s?.status ?? "unavailable", reason: s?.reason ?? "notRun", detail: s?.detail ?? null }];
    }),
    suppressedByProtection: suppressed,
  };
}

function key(f: Finding): string {
  return f.user?.userPrincipalName ?? (f.subscription ? `${f.subscription.skuPartNumber} ${f.subscription.nextLifecycleDateTime ?? ""} ${f.subscription.id}` : (f.sku?.skuPartNumber ?? ""));
}

/** Savings before `scheduleSavings` dates them. */
function undatedSavings(monthly: number, currency: string): Finding["savings"] {
  return { ...savingsOf([], currency), monthly, annual: round2(monthly * 12) };
}

/**
 * Subscription rules (`target: subscription`), once per subscription, after the other findings' seats
 * are allocated: "reduce seats at renewal" counts them. A subscription finding restates savings that the
 * user and seat findings already count, so totals leave it out of `overall` (see `totalsOf`).
 */
async function subscriptionFindings(
  rules: readonly PolicyRule[],
  renewals: RenewalPlan,
  snapshot: Snapshot,
  policy: Policy,
  sources: Record<SnapshotSource, SourceState>,
  now: number,
  ruleById: ReadonlyMap<string, { rule: PolicyRule; order: number }>,
): Promise<{ finding: Finding; order: number }[]> {
  const engine = buildRunner(rules, now, false);
  const out: { finding: Finding; order: number }[] = [];
  for (const v of renewals.subscriptions) {
    const sku = snapshot.skus.find((s) => s.skuId === v.sub.skuId || s.skuPartNumber.toUpperCase() === v.sub.skuPartNumber.toUpperCase());
    const price = seatPrice(policy, v.sub.skuPartNumber, v.term);
    const seatsToDrop = v.unassignedSeats + v.reclaimedSeats;
    const facts: UserFacts = {
      subscriptionSku: v.sub.skuPartNumber,
      subscriptionStatus: v.sub.status,
      isTrial: v.sub.isTrial,
      term: v.term,
      daysToRenewal: v.daysToRenewal,
      inRenewalWindow: v.inRenewalWindow,
      totalLicenses: v.sub.totalLicenses,
      unassignedSeats: v.unassignedSeats,
      reclaimedSeats: v.reclaimedSeats,
      seatsToDrop,
      usersAtRisk: v.usersAtRisk,
      seatPrice: price,
    };
    for (const type of await engine.run(facts)) {
      const { rule, order } = ruleById.get(type)!;
      if (typeof rule.skus === "object" && "list" in rule.skus && !rule.skus.list.some((s) => s.toUpperCase() === v.sub.skuPartNumber.toUpperCase())) continue;
      const evidence = rule.facts.map((name) => evidenceOf(name, facts[name] ?? null, sources));
      out.push({
        order,
        finding: {
          ruleId: rule.id,
          ruleName: rule.name,
          action: rule.action,
          ruleAction: rule.action,
          severity: rule.severity,
          target: "subscription",
          user: null,
          sku: { skuId: v.sub.skuId, skuPartNumber: v.sub.skuPartNumber, available: sku ? Math.max(0, sku.purchased - sku.consumed) : 0 },
          licenses: [],
          downgrade: null,
          savings: savingsOf(v.paid ? [{ monthly: seatsToDrop * price, realizable: v.realizable }] : [], policy.currency),
          subscription: {
            id: v.sub.id,
            skuPartNumber: v.sub.skuPartNumber,
            status: v.sub.status,
            isTrial: v.sub.isTrial,
            term: v.term,
            totalLicenses: v.sub.totalLicenses,
            nextLifecycleDateTime: v.sub.nextLifecycleDateTime,
            actBy: v.actBy,
            seatsToDrop,
            usersAtRisk: v.usersAtRisk,
          },
          evidence,
          confidence: confidenceOf(evidence),
        },
      });
    }
  }
  return out;
}

function isAddOn(rule: PolicyRule): rule is PolicyRule & { skus: { addOn: string[] } } {
  return typeof rule.skus === "object" && "addOn" in rule.skus;
}

interface Leaf {
  fact: string;
  operator: string;
  value: unknown;
}

function leavesOf(node: unknown, out: Map<string, Leaf>): void {
  const n = node as Record<string, unknown>;
  if (Array.isArray(n.all)) for (const c of n.all) leavesOf(c, out);
  else if (Array.isArray(n.any)) for (const c of n.any) leavesOf(c, out);
  else if (n.not !== undefined) leavesOf(n.not, out);
  else {
    const leaf = { fact: String(n.fact), operator: String(n.operator), value: n.value };
    out.set(JSON.stringify(leaf), leaf);
  }
}

/** Runs one rule family's engine on a fact set and returns the fired rule ids, memoized by leaf outcomes. */
interface Runner {
  run(facts: UserFacts): Promise<readonly string[]>;
}

function buildRunner(rules: readonly PolicyRule[], now: number, memoize: boolean): Runner {
  if (rules.length === 0) return { run: async () => [] };
  const engine = buildEngine(rules, now);
  const names = referencedFacts(rules);
  const direct = async (facts: UserFacts) => (await engine.run(pick(facts, names))).events.map((e) => e.type);
  if (!memoize) return { run: direct };
  const map = new Map<string, Leaf>();
  for (const r of rules) leavesOf(r.conditions, map);
  const ops = operatorFunctions(now);
  // Sorted by fact so that a date fact is parsed once per user (the operators cache the last date).
  const leaves = [...map.values()].sort((a, b) => a.fact.localeCompare(b.fact)).map((l) => ({ ...l, fn: ops[l.operator]! }));
  const cache = new Map<string, readonly string[]>();
  return {
    async run(facts) {
      let key = "";
      for (const l of leaves) key += l.fn(facts[l.fact] ?? null, l.value) ? "1" : "0";
      let fired = cache.get(key);
      if (fired === undefined) {
        fired = await direct(facts);
        cache.set(key, fired);
      }
      return fired;
    },
  };
}

function buildEngine(rules: readonly PolicyRule[], now: number): Engine {
  const engine = new Engine([], { allowUndefinedFacts: false });
  addCustomOperators(engine, now);
  for (const rule of rules) {
    const properties: RuleProperties = { name: rule.id, conditions: rule.conditions as unknown as TopLevelCondition, event: { type: rule.id } };
    engine.addRule(properties);
  }
  return engine;
}

function referencedFacts(rules: readonly PolicyRule[]): string[] {
  return [...new Set(rules.flatMap((r) => r.facts))];
}

function pick(facts: UserFacts, names: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const n of names) out[n] = facts[n] ?? null;
  return out;
}

function upperKeys(record: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(record)) out[k.toUpperCase()] = v;
  return out;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function protectMatcher(policy: Policy): (user: SnapshotUser, groups: readonly string[], groupIds: readonly string[]) => boolean {
  // Linear-time `*` globs: a regex per pattern backtracks (`********x` hung evaluate).
  const users = policy.protect.users.map(compileGlob);
  const groups = new Set(policy.protect.groups.map((g) => g.toLowerCase()));
  const departments = new Set(policy.protect.departments.map((d) => d.toLowerCase()));
  return (user, groupNames, groupIds) =>
    users.some((glob) => glob.test(user.userPrincipalName) || glob.test(user.id)) ||
    groupNames.some((g) => groups.has(g.toLowerCase())) ||
    groupIds.some((g) => groups.has(g.toLowerCase())) ||
    (user.department !== null && departments.has(user.department.toLowerCase()));
}

function sourceStates(snapshot: Snapshot, policy: Policy, now: number): Record<SnapshotSource, SourceState> {
  const out = {} as Record<SnapshotSource, SourceState>;
  for (const source of SNAPSHOT_SOURCES) {
    const s = snapshot.sources[source];
    if (!s || s.status === "unavailable") {
      out[source] = { status: (s?.reason ?? "notRun") as GapReason, asOf: s?.asOf ?? null };
      continue;
    }
    const t = s.asOf ? Date.parse(s.asOf) : NaN;
    const stale = Number.isNaN(t) || now - t > policy.settings.staleAfterDays * DAY_MS;
    out[source] = { status: stale ? "stale" : "ok", asOf: s.asOf };
  }
  return out;
}

const STATUS_RANK: Record<string, number> = { ok: 0, stale: 1 };

function evidenceOf(fact: string, value: unknown, sources: Record<SnapshotSource, SourceState>): Evidence {
  const def = FACTS_BY_NAME.get(fact)!;
  // The worst state among the fact's sources is the fact's state.
  let worst: SnapshotSource = def.sources[0]!;
  for (const s of def.sources) if ((STATUS_RANK[sources[s].status] ?? 2) > (STATUS_RANK[sources[worst].status] ?? 2)) worst = s;
  const state = sources[worst];
  return { fact, value: value as Evidence["value"], source: worst, asOf: state.asOf, status: state.status };
}

function confidenceOf(evidence: readonly Evidence[]): Finding["confidence"] {
  const reasons: string[] = [];
  let level: ConfidenceLevel = "high";
  for (const e of evidence) {
    if (e.status === "ok") continue;
    if (e.status === "stale") {
      reasons.push(`${e.fact}: ${e.source} data is stale (as of ${e.asOf ?? "unknown"})`);
      if (level === "high") level = "medium";
    } else {
      reasons.push(`${e.fact}: ${e.source} not collected (${e.status})`);
      level = "low";
    }
  }
  return { level, reasons: [...new Set(reasons)] };
}

interface FindingContext {
  priceOf(sku: string): number;
  groupNames: ReadonlyMap<string, string>;
  sources: Record<SnapshotSource, SourceState>;
  /** SKUs whose savings an earlier finding for this user already counts. */
  claimed: Set<string>;
  currency: string;
}

function userFinding(rule: PolicyRule, user: SnapshotUser, facts: UserFacts, addOn: string | null, ctx: FindingContext): Finding | null {
  const concerned = user.licenses.filter((l) => {
    const part = l.skuPartNumber.toUpperCase();
    if (addOn !== null) return part === addOn;
    if (rule.skus === "all") return true;
    if (rule.skus === "paid") return ctx.priceOf(part) > 0;
    if ("list" in rule.skus) return rule.skus.list.some((s) => s.toUpperCase() === part);
    return false;
  });
  if (concerned.length === 0) return null;
  // A SKU a group assigns is removed through the group, never reported as a direct reclaim.
  const viaGroup = new Set(concerned.filter((l) => l.assignedByGroup !== null).map((l) => l.skuPartNumber.toUpperCase()));
  const directToo = new Set(concerned.filter((l) => l.assignedByGroup === null && viaGroup.has(l.skuPartNumber.toUpperCase())).map((l) => l.skuPartNumber.toUpperCase()));
  const paths = concerned.filter((l) => l.assignedByGroup !== null || !viaGroup.has(l.skuPartNumber.toUpperCase()));
  const downgradeOf = (part: string) => rule.downgrade.find((d) => d.from.toUpperCase() === part.toUpperCase()) ?? null;
  const licenses: FindingLicense[] = paths.map((l) => {
    const groupName = l.assignedByGroup === null ? null : (ctx.groupNames.get(l.assignedByGroup) ?? l.assignedByGroup);
    const down = rule.action === "downgrade" ? downgradeOf(l.skuPartNumber) : null;
    let remedy: string;
    const alsoDirect = groupName !== null && directToo.has(l.skuPartNumber.toUpperCase());
    if (rule.action === "downgrade" && down) {
      remedy = groupName === null ? `assign ${down.to}, then remove direct ${down.from}` : `move from group "${groupName}" to a group assigning ${down.to}`;
    } else if (rule.action === "reclaim") {
      remedy = groupName === null ? "remove direct assignment" : `remove from group "${groupName}"${alsoDirect ? " (and the redundant direct assignment)" : ""}`;
    } else {
      remedy = groupName === null ? "review direct assignment" : `review membership of group "${groupName}"`;
    }
    return {
      skuId: l.skuId,
      skuPartNumber: l.skuPartNumber,
      assignment: groupName === null ? "direct" : "group",
      groupId: l.assignedByGroup,
      groupName,
      remedy,
      monthlyPrice: ctx.priceOf(l.skuPartNumber),
      alsoAssignedDirectly: alsoDirect,
      monthlySavings: 0,
      realizable: null,
    };
  });
  const parts = new Set(concerned.map((l) => l.skuPartNumber.toUpperCase()));
  // A license an earlier finding already reclaims or downgrades is not reclaimed or downgraded twice.
  if ((rule.action === "reclaim" || rule.action === "downgrade") && [...parts].every((p) => ctx.claimed.has(p))) return null;
  let monthly = 0;
  const credit = (part: string, amount: number) => {
    monthly += amount;
    licenses.find((l) => l.skuPartNumber.toUpperCase() === part)!.monthlySavings = round2(amount);
  };
  let downgrade: Finding["downgrade"] = null;
  if (rule.action === "reclaim" || rule.action === "downgrade") {
    for (const part of parts) {
      if (ctx.claimed.has(part)) continue;
      ctx.claimed.add(part);
      if (rule.action === "reclaim") credit(part, ctx.priceOf(part));
      else {
        const d = downgradeOf(part);
        if (d) {
          downgrade ??= d;
          credit(part, Math.max(0, ctx.priceOf(d.from) - ctx.priceOf(d.to)));
        }
      }
    }
    if (rule.action === "downgrade" && downgrade === null) downgrade = downgradeOf(concerned[0]!.skuPartNumber);
  }
  const evidence = rule.facts.map((name) => evidenceOf(name, facts[name] ?? null, ctx.sources));
  const confidence = confidenceOf(evidence);
  // Acting on incomplete or stale evidence is for a person to decide.
  const action: Action = (rule.action === "reclaim" || rule.action === "downgrade") && confidence.level !== "high" ? "review" : rule.action;
  monthly = round2(monthly);
  return {
    ruleId: rule.id,
    ruleName: rule.name,
    action,
    ruleAction: rule.action,
    severity: rule.severity,
    target: "user",
    user: { id: user.id, userPrincipalName: user.userPrincipalName, displayName: user.displayName, department: user.department },
    sku: null,
    licenses,
    downgrade,
    savings: undatedSavings(monthly, ctx.currency),
    evidence,
    confidence,
  };
}

function emptyTotal(): SavingsTotal {
  return { findings: 0, monthly: 0, annual: 0, realizable: { now: 0, within30Days: 0, within90Days: 0, atRenewal: 0 } };
}

type Schedule = Finding["savings"]["schedule"];

function add(total: SavingsTotal, monthly: number, schedule: Schedule, h: Horizons): void {
  total.findings += 1;
  total.monthly = round2(total.monthly + monthly);
  total.annual = round2(total.monthly * 12);
  const b = realizableBuckets(monthly, schedule, h);
  const r = total.realizable;
  r.now = round2(r.now + b.now);
  r.within30Days = round2(r.within30Days + b.within30Days);
  r.within90Days = round2(r.within90Days + b.within90Days);
  r.atRenewal = round2(r.atRenewal + b.atRenewal);
}

/**
 * Totals per rule, SKU, department and action, each with its monthly amount by when it arrives (now,
 * within 30 and 90 days, at renewal; `today` is the evaluation day, YYYY-MM-DD). `overall` counts what
 * can be acted on now (reclaim, downgrade and seat notifications); review findings show their potential
 * under byAction.review. Subscription findings restate seats the other findings count: only byRule has them.
 */
export function totalsOf(findings: readonly Finding[], today: string | null = null): Evaluation["totals"] {
  // Keyed by department names and SKU part numbers from the tenant: no prototype to pollute.
  const totals: Evaluation["totals"] = { overall: emptyTotal(), byRule: keyedRecord(), bySku: keyedRecord(), byDepartment: keyedRecord(), byAction: keyedRecord() };
  const h = horizonsOf(today);
  for (const f of findings) {
    const m = f.savings.monthly;
    const schedule = f.savings.schedule;
    add((totals.byRule[f.ruleId] ??= emptyTotal()), m, schedule, h);
    if (f.target === "subscription") continue;
    add((totals.byAction[f.action] ??= emptyTotal()), m, schedule, h);
    if (f.action !== "review") add(totals.overall, m, schedule, h);
    if (f.user) add((totals.byDepartment[f.user.department ?? "(none)"] ??= emptyTotal()), m, schedule, h);
    if (f.sku) add((totals.bySku[f.sku.skuPartNumber] ??= emptyTotal()), m, schedule, h);
    else {
      const perSku = new Map<string, { monthly: number; schedule: Schedule }>();
      for (const l of f.licenses) {
        const e = perSku.get(l.skuPartNumber) ?? { monthly: 0, schedule: [] };
        e.monthly += l.monthlySavings;
        if (l.realizable && l.monthlySavings > 0) e.schedule.push({ from: l.realizable.from, monthly: l.monthlySavings, basis: l.realizable.basis });
        perSku.set(l.skuPartNumber, e);
      }
      for (const [part, e] of perSku) add((totals.bySku[part] ??= emptyTotal()), round2(e.monthly), e.schedule, h);
    }
  }
  return totals;
}
