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
import { pricedAction, type Policy, type PolicyRule } from "./policy-schema.ts";
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
  const addOnMappings = new Map(Object.entries(policy.settings.addOns).map(([k, v]) => [k.toUpperCase(), v]));
  // Per add-on rule, the add-ons it concerns (upper case).
  const addOnsOf = new Map(addOnRules.map((r) => [r.id, new Set(isAddOn(r) ? r.skus.addOn.map((s) => s.toUpperCase()) : [])]));
  const isProtected = protectMatcher(policy);
  const ctx = { now, groupNames: groupNamesOf(snapshot), prices, isProtected, copilotWindowDays: policy.settings.copilotUnusedDays };
  const groupNames = ctx.groupNames;
  const templates = evidenceTemplates(policy.rules, sources);
  const listed = new Map(policy.rules.map((r) => [r.id, new Set(typeof r.skus === "object" && "list" in r.skus ? r.skus.list.map((x) => x.toUpperCase()) : [])]));
  const findingContext: FindingContext = {
    priceOf,
    groupNames,
    sources,
    templates,
    listedSkus: (rule) => listed.get(rule.id)!,
    claimed: new Set<string>(),
    currency: policy.currency,
    user: null,
  };

  // Findings only: a finding's rule gives its order (no wrapper object per finding).
  const findings: Finding[] = [];
  const orderOf = (f: Finding) => ruleById.get(f.ruleId)!.order;
  const suppressed: Record<string, number> = {};

  for (const user of snapshot.users) {
    if (user.licenses.length === 0) continue;
    const facts = computeUserFacts(user, ctx);
    const view: FactView = { facts, addOn: null };
    let fired: { rule: PolicyRule; order: number; view: FactView; addOn: string | null }[] | null = null;
    if (userRules.length > 0) {
      let types = userEngine.run(view);
      if (types instanceof Promise) types = await types;
      for (const type of types) (fired ??= []).push({ ...ruleById.get(type)!, view, addOn: null });
    }
    if (addOnRules.length > 0) {
      let seen: Set<string> | null = null;
      for (const l of user.licenses) {
        const sku = l.skuPartNumber.toUpperCase();
        if (!addOnSkus.has(sku) || seen?.has(sku)) continue;
        (seen ??= new Set()).add(sku);
        const mapping = addOnMappings.get(sku) ?? { workloads: [], activations: [] };
        const addOnView: FactView = { facts, addOn: computeAddOnFacts(user, l.skuPartNumber, mapping, now) };
        let types = addOnEngine.run(addOnView);
        if (types instanceof Promise) types = await types;
        for (const type of types) if (addOnsOf.get(type)!.has(sku)) (fired ??= []).push({ ...ruleById.get(type)!, view: addOnView, addOn: sku });
      }
    }
    if (fired === null) continue;
    // Rule order decides which finding a SKU's savings belong to when several rules concern it; the
    // reclaim and downgrade rules come first, so a review rule's would-be savings (ifConfirmed) never
    // take a SKU from them, wherever it stands in the pack.
    fired.sort((a, b) => a.order - b.order);
    findingContext.claimed = new Set<string>();
    findingContext.user = null;
    let reviews: typeof fired | null = null;
    for (const f of fired) {
      if (!isActionable(f.rule)) {
        (reviews ??= []).push(f);
        continue;
      }
      const finding = userFinding(f.rule, user, f.view, f.addOn, findingContext);
      if (!finding) continue;
      if (f.view.facts.protected === true) {
        suppressed[f.rule.id] = (suppressed[f.rule.id] ?? 0) + 1;
        continue;
      }
      findings.push(finding);
    }
    if (reviews === null) continue;
    for (const f of reviews) {
      const finding = userFinding(f.rule, user, f.view, f.addOn, findingContext);
      if (finding) findings.push(finding);
    }
  }

  if (skuRules.length > 0) {
    for (const sku of snapshot.skus) {
      const window = renewals.window(sku.skuPartNumber);
      const facts: ReturnType<typeof computeSkuFacts> = { ...computeSkuFacts(sku, prices), renewalWindowOpen: window.open, daysToNextRenewal: window.daysToNextRenewal };
      for (const type of await skuEngine.run({ facts, addOn: null })) {
        const { rule } = ruleById.get(type)!;
        if (typeof rule.skus === "object" && "list" in rule.skus && !rule.skus.list.some((s) => s.toUpperCase() === sku.skuPartNumber.toUpperCase())) continue;
        const monthly = round2(facts.available * priceOf(sku.skuPartNumber));
        const evidence = rule.facts.map((name) => evidenceOf(name, facts[name] ?? null, sources));
        const confidence = confidenceOf(evidence);
        findings.push({
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
        });
      }
    }
  }

  let list = sortFindings(findings, orderOf);
  // Savings arrive when the subscriptions' seat counts can be lowered: date them, then judge the subscriptions.
  scheduleSavings(list, renewals, policy, snapshot);
  if (subscriptionRules.length > 0) {
    const more = (await subscriptionFindings(subscriptionRules, renewals, snapshot, policy, sources, now, ruleById)).map((w) => w.finding);
    list = mergeFindings(list, sortFindings(more, orderOf), orderOf);
  }
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

const collator = new Intl.Collator();

function key(f: Finding): string {
  return f.user?.userPrincipalName ?? (f.subscription ? `${f.subscription.skuPartNumber} ${f.subscription.nextLifecycleDateTime ?? ""} ${f.subscription.id}` : (f.sku?.skuPartNumber ?? ""));
}

/** Savings before `scheduleSavings` dates them. */
/** The schedule of undated savings, shared (frozen): savings are dated by replacing them, never by adding to it. */
const NO_SCHEDULE = Object.freeze([]) as unknown as Finding["savings"]["schedule"];

function undatedSavings(monthly: number, currency: string): Finding["savings"] {
  // savingsOf([]) with the amount, written out: one object per finding instead of a Map, arrays and two objects.
  return { monthly, annual: round2(monthly * 12), currency, realizableFrom: null, monthlyUntilRealizable: 0, basis: null, schedule: NO_SCHEDULE };
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
    for (const type of await engine.run({ facts, addOn: null })) {
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

/**
 * Findings by rule order, then by UPN (or SKU) as `localeCompare` orders them. The distinct names are
 * collated once (an `Intl.Collator` orders exactly as `localeCompare` without looking the locale up on
 * every call) and findings sort natively on packed (rule, rank, index) numbers.
 */
function sortFindings(findings: readonly Finding[], orderOf: (f: Finding) => number): Finding[] {
  const names = [...new Set(findings.map(key))].sort(collator.compare);
  const rank = new Map(names.map((n, i) => [n, i]));
  // Two stable counting sorts (by name rank, then by rule order): linear, and ties keep their order.
  const n = findings.length;
  const ranks = new Int32Array(n);
  const orders = new Int32Array(n);
  let maxOrder = 0;
  for (let i = 0; i < n; i++) {
    ranks[i] = rank.get(key(findings[i]!))!;
    orders[i] = orderOf(findings[i]!);
    maxOrder = Math.max(maxOrder, orders[i]!);
  }
  const byRank = countingSort(Int32Array.from({ length: n }, (_, i) => i), (i) => ranks[i]!, names.length);
  const byOrder = countingSort(byRank, (i) => orders[i]!, maxOrder + 1);
  return Array.from(byOrder, (i) => findings[i]!);
}

/** `items` stably sorted by `keyOf` (integers in 0..size-1). */
function countingSort(items: Int32Array, keyOf: (item: number) => number, size: number): Int32Array {
  const start = new Int32Array(size + 1);
  for (const item of items) start[keyOf(item) + 1]! += 1;
  for (let k = 0; k < size; k++) start[k + 1]! += start[k]!;
  const out = new Int32Array(items.length);
  for (const item of items) out[start[keyOf(item)]!++] = item;
  return out;
}

/** Two lists sorted as sortFindings sorts, merged into one. */
function mergeFindings(a: readonly Finding[], b: readonly Finding[], orderOf: (f: Finding) => number): Finding[] {
  const before = (x: Finding, y: Finding) => orderOf(x) < orderOf(y) || (orderOf(x) === orderOf(y) && collator.compare(key(x), key(y)) <= 0);
  const out: Finding[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(before(a[i]!, b[j]!) ? a[i++]! : b[j++]!);
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}

/** Reclaim and downgrade rules: their findings are acted on (unless confidence lowers them to review). */
function isActionable(rule: PolicyRule): boolean {
  return rule.action === "reclaim" || rule.action === "downgrade";
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

/** The facts a runner reads: the user's, with an add-on's facts over them for add-on rules. */
interface FactView {
  facts: UserFacts;
  addOn: UserFacts | null;
}

function factOf(view: FactView, name: string): UserFacts[string] | null {
  if (view.addOn !== null && name in view.addOn) return view.addOn[name] ?? null;
  return view.facts[name] ?? null;
}

/**
 * Runs one rule family on a user's facts and returns the fired rule ids. Memoized per rule: a rule's
 * outcome is a boolean function of its leaves, so each rule keeps a cache from the path a
 * short-circuit evaluation of its conditions takes (the outcomes of the leaves it tests) to "fired";
 * only a path not seen before runs json-rules-engine, on an engine holding that rule alone. A cache
 * hit answers synchronously.
 */
interface Runner {
  run(view: FactView): readonly string[] | Promise<readonly string[]>;
}

/** A rule's conditions over leaf indexes: what the memo walks. */
type CondNode = { leaf: number } | { all: CondNode[] } | { any: CondNode[] } | { not: CondNode };

function compileConditions(node: unknown, position: ReadonlyMap<string, number>): CondNode {
  const n = node as Record<string, unknown>;
  if (Array.isArray(n.all)) return { all: n.all.map((c) => compileConditions(c, position)) };
  if (Array.isArray(n.any)) return { any: n.any.map((c) => compileConditions(c, position)) };
  if (n.not !== undefined) return { not: compileConditions(n.not, position) };
  return { leaf: position.get(JSON.stringify({ fact: String(n.fact), operator: String(n.operator), value: n.value }))! };
}

function buildRunner(rules: readonly PolicyRule[], now: number, memoize: boolean): Runner {
  if (rules.length === 0) return { run: () => [] };
  if (!memoize) {
    const engine = buildEngine(rules, now);
    const names = referencedFacts(rules);
    return { run: async (view) => (await engine.run(pick(view, names))).events.map((e) => e.type) };
  }
  const map = new Map<string, Leaf>();
  for (const r of rules) leavesOf(r.conditions, map);
  const ops = operatorFunctions(now);
  const keys = [...map.keys()];
  const leaves = keys.map((k) => ({ ...map.get(k)!, fn: ops[map.get(k)!.operator]! }));
  const position = new Map(keys.map((k, i) => [k, i]));
  const perRule = rules.map((rule) => ({
    id: rule.id,
    conditions: compileConditions(rule.conditions, position),
    properties: ruleProperties(rule),
    names: referencedFacts([rule]),
    cache: new Map<number | string, boolean>(),
  }));
  // Per user: each leaf's outcome once computed (-1: not yet), shared by the rules that test it.
  const outcomes = new Int8Array(leaves.length);
  let current: FactView = { facts: {}, addOn: null };
  const outcome = (i: number): number => {
    let o = outcomes[i]!;
    if (o < 0) {
      const l = leaves[i]!;
      o = outcomes[i] = l.fn(factOf(current, l.fact), l.value) ? 1 : 0;
    }
    return o;
  };
  // The memo key of a rule is the path a short-circuit evaluation takes: the outcomes of the leaves it
  // tests, in order, after a leading 1 (so paths of different lengths differ). Two users on the same
  // path get the same answer from the rule, whatever their untested leaves are.
  let path = 1;
  let long: string | null = null;
  const record = (bit: number) => {
    if (long !== null) long += bit;
    else if (path >= 2 ** 51) long = path.toString(2) + bit;
    else path = path * 2 + bit;
  };
  const walk = (node: CondNode): boolean => {
    if ("leaf" in node) {
      const o = outcome(node.leaf);
      record(o);
      return o === 1;
    }
    if ("all" in node) {
      for (const c of node.all) if (!walk(c)) return false;
      return true;
    }
    if ("any" in node) {
      for (const c of node.any) if (walk(c)) return true;
      return false;
    }
    return !walk(node.not);
  };
  const noneFired: readonly string[] = [];
  // One engine answers every unseen path: it holds the one rule being decided while it runs.
  let probe: Engine | null = null;
  return {
    run(view) {
      current = view;
      outcomes.fill(-1);
      let fired: string[] | null = null;
      let misses: { r: (typeof perRule)[number]; key: number | string }[] | null = null;
      for (const r of perRule) {
        path = 1;
        long = null;
        walk(r.conditions);
        const key: number | string = long ?? path;
        const hit = r.cache.get(key);
        if (hit === undefined) (misses ??= []).push({ r, key });
        else if (hit) (fired ??= []).push(r.id);
      }
      if (misses === null) return fired ?? noneFired;
      const pending = misses;
      return (async () => {
        const ids = new Set(fired ?? []);
        probe ??= buildEngine([], now);
        for (const { r, key } of pending) {
          probe.addRule(r.properties);
          try {
            const hit = (await probe.run(pick(view, r.names))).events.length > 0;
            r.cache.set(key, hit);
            if (hit) ids.add(r.id);
          } finally {
            probe.removeRule(r.properties.name!);
          }
        }
        // In rule order, as one engine over the family reports them.
        return perRule.filter((r) => ids.has(r.id)).map((r) => r.id);
      })();
    },
  };
}

function buildEngine(rules: readonly PolicyRule[], now: number): Engine {
  const engine = new Engine([], { allowUndefinedFacts: false });
  addCustomOperators(engine, now);
  for (const rule of rules) engine.addRule(ruleProperties(rule));
  return engine;
}

function ruleProperties(rule: PolicyRule): RuleProperties {
  return { name: rule.id, conditions: rule.conditions as unknown as TopLevelCondition, event: { type: rule.id } };
}

function referencedFacts(rules: readonly PolicyRule[]): string[] {
  return [...new Set(rules.flatMap((r) => r.facts))];
}

function pick(view: FactView, names: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const n of names) out[n] = factOf(view, n);
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

type EvidenceKey = boolean | number | string | null;

/**
 * One piece of a finding's evidence. Pieces with a value many users share (a boolean, a number, a
 * report date, none) are one frozen object per rule, fact and value: an evaluation keeps every finding
 * until it returns, and 100,000 users' findings otherwise hold hundreds of thousands of equal objects.
 */
function evidenceItem(e: Omit<Evidence, "value">, shared: Map<EvidenceKey, Evidence>, value: Evidence["value"]): Evidence {
  const shareable = value === null || typeof value === "boolean" || typeof value === "number" || (typeof value === "string" && value.length === 10);
  if (!shareable) return { fact: e.fact, value, source: e.source, asOf: e.asOf, status: e.status };
  let item = shared.get(value);
  if (item === undefined) {
    item = Object.freeze({ fact: e.fact, value, source: e.source, asOf: e.asOf, status: e.status });
    shared.set(value, item);
  }
  return item;
}

/** Shared evidence lists of a rule, by their pieces: one level per piece. */
interface EvidenceTrie {
  next: Map<Evidence, EvidenceTrie>;
  list: Evidence[] | null;
}

type Template = { evidence: readonly Omit<Evidence, "value">[]; shared: Map<EvidenceKey, Evidence>[]; lists: EvidenceTrie; confidence: Finding["confidence"] };

/** A finding's evidence; when every piece is shared (frozen), the list is shared too (one per combination of pieces). */
function evidenceOfFinding(template: Template, view: FactView): Evidence[] {
  const items = template.evidence.map((e, i) => evidenceItem(e, template.shared[i]!, factOf(view, e.fact) as Evidence["value"]));
  let node = template.lists;
  for (const item of items) {
    if (!Object.isFrozen(item)) return items;
    let next = node.next.get(item);
    if (next === undefined) {
      next = { next: new Map(), list: null };
      node.next.set(item, next);
    }
    node = next;
  }
  return (node.list ??= Object.freeze(items) as Evidence[]);
}

/** Evidence and confidence depend on the rule's facts and the sources' states only: computed once per rule. */
function evidenceTemplates(rules: readonly PolicyRule[], sources: Record<SnapshotSource, SourceState>): FindingContext["templates"] {
  return new Map(
    rules.map((rule) => {
      const evidence = rule.facts.map((name) => evidenceOf(name, null, sources));
      const confidence = confidenceOf(evidence);
      return [
        rule.id,
        {
          evidence: evidence.map(({ value: _v, ...e }) => e),
          shared: evidence.map(() => new Map<EvidenceKey, Evidence>()),
          lists: { next: new Map(), list: null },
          confidence: Object.freeze({ level: confidence.level, reasons: Object.freeze(confidence.reasons) as string[] }),
        },
      ];
    }),
  );
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
  /** A list rule's skuPartNumbers, upper case (computed once per rule). */
  listedSkus(rule: PolicyRule): ReadonlySet<string>;
  /** The user's part of the findings being built, shared by that user's findings (reset per user). */
  user: Finding["user"];
  /** Per rule: its evidence without values, and the confidence that evidence gives (the same for every user). */
  templates: ReadonlyMap<string, Template>;
  /** SKUs whose savings an earlier finding for this user already counts (reclaim and downgrade findings are built first, then review). */
  claimed: Set<string>;
  currency: string;
}

const NO_SKUS: ReadonlySet<string> = new Set();

/** One remedy string per downgrade pair (a rule's `downgrade` entries live as long as the policy). */
const DIRECT_DOWNGRADE_REMEDY = new WeakMap<{ from: string; to: string }, string>();

function directDowngradeRemedy(down: { from: string; to: string }): string {
  let remedy = DIRECT_DOWNGRADE_REMEDY.get(down);
  if (remedy === undefined) {
    remedy = `assign ${down.to}, then remove direct ${down.from}`;
    DIRECT_DOWNGRADE_REMEDY.set(down, remedy);
  }
  return remedy;
}

function userFinding(rule: PolicyRule, user: SnapshotUser, view: FactView, addOn: string | null, ctx: FindingContext): Finding | null {
  const listed = typeof rule.skus === "object" && "list" in rule.skus ? ctx.listedSkus(rule) : null;
  const concerned = user.licenses.filter((l) => {
    const part = l.skuPartNumber.toUpperCase();
    if (addOn !== null) return part === addOn;
    if (rule.skus === "all") return true;
    if (rule.skus === "paid") return ctx.priceOf(part) > 0;
    if (listed !== null) return listed.has(part);
    return false;
  });
  if (concerned.length === 0) return null;
  const parts = new Set(concerned.map((l) => l.skuPartNumber.toUpperCase()));
  // A license an earlier finding already reclaims or downgrades is not reclaimed or downgraded twice.
  if (isActionable(rule) && [...parts].every((p) => ctx.claimed.has(p))) return null;
  // Reclaim, downgrade, or what confirming a review would do; a protected user's review saves nothing:
  // protection forbids the reclaim or downgrade a confirmation would lead to.
  const priced = rule.action === "review" && view.facts.protected === true ? null : pricedAction(rule);
  // A SKU a group assigns is removed through the group, never reported as a direct reclaim.
  const anyGroup = concerned.some((l) => l.assignedByGroup !== null);
  const viaGroup = anyGroup ? new Set(concerned.filter((l) => l.assignedByGroup !== null).map((l) => l.skuPartNumber.toUpperCase())) : NO_SKUS;
  const directToo = anyGroup ? new Set(concerned.filter((l) => l.assignedByGroup === null && viaGroup.has(l.skuPartNumber.toUpperCase())).map((l) => l.skuPartNumber.toUpperCase())) : NO_SKUS;
  const paths = anyGroup ? concerned.filter((l) => l.assignedByGroup !== null || !viaGroup.has(l.skuPartNumber.toUpperCase())) : concerned;
  const downgradeOf = (part: string) => rule.downgrade.find((d) => d.from.toUpperCase() === part.toUpperCase()) ?? null;
  const licenses: FindingLicense[] = paths.map((l) => {
    const groupName = l.assignedByGroup === null ? null : (ctx.groupNames.get(l.assignedByGroup) ?? l.assignedByGroup);
    const down = rule.action === "downgrade" ? downgradeOf(l.skuPartNumber) : null;
    let remedy: string;
    const alsoDirect = groupName !== null && anyGroup && directToo.has(l.skuPartNumber.toUpperCase());
    if (rule.action === "downgrade" && down) {
      remedy = groupName === null ? directDowngradeRemedy(down) : `move from group "${groupName}" to a group assigning ${down.to}`;
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
  let monthly = 0;
  const credit = (part: string, amount: number) => {
    monthly += amount;
    licenses.find((l) => l.skuPartNumber.toUpperCase() === part)!.monthlySavings = round2(amount);
  };
  let downgrade: Finding["downgrade"] = null;
  if (priced !== null) {
    for (const part of parts) {
      if (ctx.claimed.has(part)) continue;
      ctx.claimed.add(part);
      if (priced === "reclaim") credit(part, ctx.priceOf(part));
      else {
        const d = downgradeOf(part);
        if (d) {
          downgrade ??= d;
          credit(part, Math.max(0, ctx.priceOf(d.from) - ctx.priceOf(d.to)));
        }
      }
    }
  }
  if (downgrade === null && (rule.action === "downgrade" || rule.ifConfirmed === "downgrade")) downgrade = downgradeOf(concerned[0]!.skuPartNumber);
  const template = ctx.templates.get(rule.id)!;
  const evidence = evidenceOfFinding(template, view);
  // Shared by the rule's findings (frozen): it depends on the sources only, and each finding is kept until the end.
  const confidence = template.confidence;
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
    user: (ctx.user ??= { id: user.id, userPrincipalName: user.userPrincipalName, displayName: user.displayName, department: user.department }),
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

/** The buckets of a finding without savings: adds nothing. */
const NO_BUCKETS: ReturnType<typeof realizableBuckets> = Object.freeze({ now: 0, within30Days: 0, within90Days: 0, atRenewal: 0 });

function add(total: SavingsTotal, monthly: number, schedule: Schedule, h: Horizons): void {
  addBuckets(total, monthly, realizableBuckets(monthly, schedule, h));
}

/** Adds one finding's amount, already split by when it arrives (computed once per finding, not per total). */
function addBuckets(total: SavingsTotal, monthly: number, b: ReturnType<typeof realizableBuckets>): void {
  total.findings += 1;
  // Nothing to add (most review findings): the rounded sums stay as they are.
  if (b === NO_BUCKETS) return;
  total.monthly = round2(total.monthly + monthly);
  total.annual = round2(total.monthly * 12);
  const r = total.realizable;
  r.now = round2(r.now + b.now);
  r.within30Days = round2(r.within30Days + b.within30Days);
  r.within90Days = round2(r.within90Days + b.within90Days);
  r.atRenewal = round2(r.atRenewal + b.atRenewal);
}

/**
 * Totals per rule, SKU, department and action, each with its monthly amount by when it arrives (now,
 * within 30 and 90 days, at renewal; `today` is the evaluation day, YYYY-MM-DD). `overall` counts what
 * can be acted on now (reclaim, downgrade and seat notifications); byAction.review is what confirming the
 * review findings would save (lowered reclaims and downgrades, review rules with `ifConfirmed`), never in
 * `overall`. Subscription findings restate seats the other findings count: only byRule has them.
 */
export function totalsOf(findings: readonly Finding[], today: string | null = null): Evaluation["totals"] {
  // Keyed by department names and SKU part numbers from the tenant: no prototype to pollute.
  const totals: Evaluation["totals"] = { overall: emptyTotal(), byRule: keyedRecord(), bySku: keyedRecord(), byDepartment: keyedRecord(), byAction: keyedRecord() };
  const h = horizonsOf(today);
  for (const f of findings) {
    const m = f.savings.monthly;
    const b = m === 0 && f.savings.schedule.length === 0 ? NO_BUCKETS : realizableBuckets(m, f.savings.schedule, h);
    addBuckets((totals.byRule[f.ruleId] ??= emptyTotal()), m, b);
    if (f.target === "subscription") continue;
    addBuckets((totals.byAction[f.action] ??= emptyTotal()), m, b);
    if (f.action !== "review") addBuckets(totals.overall, m, b);
    if (f.user) addBuckets((totals.byDepartment[f.user.department ?? "(none)"] ??= emptyTotal()), m, b);
    if (f.sku) addBuckets((totals.bySku[f.sku.skuPartNumber] ??= emptyTotal()), m, b);
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
