/**
 * A plan can only be narrowed. A real plan from the simulator's tenant, edited at random the way a
 * hostile or careless hand would: every edit that is not a narrowing is refused (schema, structure
 * or the rebuild from the store), every narrowing is accepted and executes exactly what is left.
 * Runs a few thousand cases; `SEATWISE_FUZZ_RUNS=N` sets the runs of each pure property (the ones
 * through the store, about 200 ms a case, run a fiftieth of that).
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ValidationError } from "../core/errors.ts";
import { readPolicy } from "../policies/read-policy.ts";
import { buildPlanFromStore } from "../reclaim/build-plan-from-store.ts";
import { checkPlanIntegrity } from "../reclaim/check-plan-integrity.ts";
import { checkPlanActions } from "../reclaim/execute-reclaim.ts";
import { actionSavings, canonicalJson, planTotals } from "../reclaim/plan-reclaim.ts";
import { reclaimPlanSchema } from "../reclaim/plan-schema.ts";
import type { ReclaimPlan } from "../reclaim/plan-schema.ts";
import { parsePlan } from "../reclaim/read-plan-file.ts";
import { FIXTURE_NOW, startReclaimFixture } from "../reclaim/testing/reclaim-sim-fixture.ts";
import type { ReclaimFixture } from "../reclaim/testing/reclaim-sim-fixture.ts";
import { verifyPlanForApply } from "../reclaim/verify-plan-for-apply.ts";
import { createSnapshotRepository } from "../store/snapshot-repository.ts";

const RUNS = Number(process.env["SEATWISE_FUZZ_RUNS"] ?? "") || 0;
const runs = (fallback: number) => (RUNS > 0 ? RUNS : fallback);
const storeRuns = (fallback: number) => (RUNS > 0 ? Math.max(1, Math.ceil(RUNS / 50)) : fallback);
/** Time for the pure properties at about 10 ms a case, never under two minutes. */
const TIMEOUT = Math.max(120_000, RUNS * 10);
const policy = readPolicy([]);
let f: ReclaimFixture;
let plan: ReclaimPlan;
let rebuilt: ReclaimPlan;
/** Strings an edit may put anywhere: the plan's own values, other users' ids, every SKU of the tenant. */
let pool: string[];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = (string | number)[];

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** Every leaf (scalar) and every array of a JSON value, with its path. */
function walk(value: Json, path: Path = [], out: { path: Path; value: Json }[] = []) {
  out.push({ path, value });
  if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, i], out));
  else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) walk(v, [...path, k], out);
  return out;
}

function at(root: Json, path: Path): Json {
  return path.reduce<Json>((v, k) => (v as Record<string | number, Json>)[k]!, root);
}

function setAt(root: Json, path: Path, value: Json): void {
  const parent = at(root, path.slice(0, -1)) as Record<string | number, Json>;
  parent[path[path.length - 1]!] = value;
}

/** `policy.files` is informational (apply takes the policy it is given), so editing it is no edit. */
const informational = (path: Path) => path[0] === "policy" && path[1] === "files";
/** Deleting these is a narrowing: whole actions, and SKUs of an action's remove. */
const narrowingDelete = (path: Path) => (path.length === 1 && path[0] === "actions") || (path.length === 3 && path[0] === "actions" && path[2] === "remove");

interface Verdict {
  accepted: boolean;
  why: string;
}

/**
 * What apply does with a plan file's text before any write, against a rebuilt plan: schema,
 * structure, integrity. The schema runs on `JSON.parse` here (the file reader's YAML parser only adds
 * line and column, at 40 times the cost); the store-backed property below goes through the reader.
 */
function judge(text: string, against: ReclaimPlan): Verdict & { executed?: ReclaimPlan["actions"] } {
  const result0 = reclaimPlanSchema.safeParse(JSON.parse(text));
  if (!result0.success) return { accepted: false, why: `invalid: ${result0.error.issues[0]?.message ?? ""}` };
  const parsed = result0.data;
  try {
    checkPlanActions(parsed, "plan.json");
  } catch (error) {
    if (error instanceof ValidationError) return { accepted: false, why: `invalid: ${error.message}` };
    throw error;
  }
  const result = checkPlanIntegrity(parsed, against);
  return result.problems.length > 0 ? { accepted: false, why: result.problems.join("; ") } : { accepted: true, why: "", executed: result.actions };
}

/** One random edit that is not a narrowing: change a leaf, insert an element, or delete one outside actions/remove. */
const editArb = (): fc.Arbitrary<Edit> =>
  fc.oneof(
    fc.record({ kind: fc.constant("leaf" as const), pick: fc.nat(), choice: fc.nat(), delta: fc.integer({ min: -1000, max: 1000 }).filter((d) => d !== 0) }),
    fc.record({ kind: fc.constant("insert" as const), pick: fc.nat(), choice: fc.nat() }),
    fc.record({ kind: fc.constant("delete" as const), pick: fc.nat(), choice: fc.nat() }),
  );

interface Edit {
  kind: "leaf" | "insert" | "delete";
  pick: number;
  choice: number;
  delta?: number;
}

/** Applies an edit; null when it leaves the plan as it was (no edit at all). */
function applyEdit(original: ReclaimPlan, edit: Edit): { text: string; label: string } | null {
  const doc = clone(original) as unknown as Json;
  const nodes = walk(doc).filter((n) => n.path.length > 0 && !informational(n.path));
  let label: string;
  if (edit.kind === "leaf") {
    const leaves = nodes.filter((n) => !Array.isArray(n.value) && (n.value === null || typeof n.value !== "object"));
    const leaf = leaves[edit.pick % leaves.length]!;
    let value: Json;
    if (typeof leaf.value === "number") value = leaf.value + (edit.delta ?? 1) / 100;
    else if (typeof leaf.value === "boolean") value = !leaf.value;
    else if (typeof leaf.value === "string") value = edit.choice % 5 === 0 ? `${leaf.value}x` : edit.choice % 5 === 1 ? leaf.value.toUpperCase() : pool[edit.choice % pool.length]!;
    else value = pool[edit.choice % pool.length]!;
    setAt(doc, leaf.path, value);
    label = `set ${leaf.path.join(".")}`;
  } else {
    const arrays = nodes.filter((n) => Array.isArray(n.value));
    if (edit.kind === "insert") {
      const target = arrays[edit.pick % arrays.length]!;
      // Copy an element from any array with the same shape of path (another action's remove entry, an add entry...).
      const shape = (p: Path) => p.map((k) => (typeof k === "number" ? "#" : k)).join(".");
      const donors = arrays.filter((a) => shape(a.path) === shape(target.path)).flatMap((a) => a.value as Json[]);
      const element = donors.length > 0 ? clone(donors[edit.choice % donors.length]!) : pool[edit.choice % pool.length]!;
      (target.value as Json[]).splice(edit.choice % ((target.value as Json[]).length + 1), 0, element);
      label = `insert into ${target.path.join(".")}`;
    } else {
      const candidates = arrays.filter((a) => !narrowingDelete(a.path) && (a.value as Json[]).length > 0);
      const target = candidates[edit.pick % candidates.length]!;
      (target.value as Json[]).splice(edit.choice % (target.value as Json[]).length, 1);
      label = `delete from ${target.path.join(".")}`;
    }
  }
  if (canonicalJson(doc) === canonicalJson(original)) return null;
  return { text: JSON.stringify(doc, null, 2), label };
}

/** A random narrowing: some actions deleted, some SKUs deleted from others; derived fields tidied or left as they were. */
const narrowingArb = () =>
  fc.record({
    keep: fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }),
    skus: fc.array(fc.nat(), { minLength: 64, maxLength: 64 }),
    tidy: fc.boolean(),
    tidyTotals: fc.boolean(),
  });

function narrow(original: ReclaimPlan, n: { keep: boolean[]; skus: number[]; tidy: boolean; tidyTotals: boolean }): ReclaimPlan {
  const p = clone(original);
  p.actions = p.actions
    .filter((_, i) => n.keep[i % n.keep.length])
    .map((a, i) => {
      const mask = n.skus[i % n.skus.length]!;
      let remove = a.remove.filter((_, j) => (mask >> j) & 1);
      if (remove.length === 0) remove = [a.remove[mask % a.remove.length]!];
      if (!n.tidy) return { ...a, remove };
      const left = new Set(remove.map((r) => r.skuId));
      const rules = new Set(remove.map((r) => r.ruleId));
      return {
        ...a,
        remove,
        add: a.add.filter((x) => x.replaces.some((s) => left.has(s))),
        ruleIds: a.ruleIds.filter((r) => rules.has(r)),
        evidence: a.evidence.filter((e) => rules.has(e.ruleId)),
        monthlySavings: actionSavings(remove),
      };
    });
  if (n.tidyTotals) p.totals = planTotals(p.actions, p.groupRemovals.length, p.totals.currency);
  return p;
}

function expectExecutedIsNarrowing(file: ReclaimPlan, executed: ReclaimPlan["actions"]) {
  expect(executed.map((a) => a.userId)).toEqual(file.actions.map((a) => a.userId));
  for (const [i, a] of executed.entries()) {
    const left = file.actions[i]!.remove.map((r) => r.skuId);
    expect(a.remove.map((r) => r.skuId)).toEqual(left);
    // Only the policy's downgrade targets of SKUs still removed are added.
    for (const x of a.add) expect(x.replaces.some((s) => left.includes(s))).toBe(true);
    const original = rebuilt.actions.find((o) => o.userId === a.userId)!;
    for (const x of original.add) if (x.replaces.some((s) => left.includes(s))) expect(a.add).toContainEqual(x);
  }
}

beforeAll(async () => {
  f = await startReclaimFixture({ users: 120, seed: 5 });
  plan = await f.plan();
  rebuilt = await buildPlanFromStore(f.db, policy, { now: new Date(plan.createdAt), runId: plan.snapshot.runId, tenantId: plan.tenantId, rules: plan.policy.rules, maxUsers: plan.limits.maxUsers });
  const users = Array.from({ length: f.sim.tenant.userCount }, (_, i) => f.sim.tenant.userAt(i));
  const strings = walk(plan as unknown as Json).flatMap((n) => (typeof n.value === "string" ? [n.value] : []));
  pool = [...new Set([...strings, ...users.map((u) => u.id), ...users.map((u) => u.userPrincipalName), ...f.sim.tenant.skus.flatMap((s) => [s.skuId, s.skuPartNumber])])];
}, 60_000);

afterAll(async () => {
  await f?.close();
});

describe("a reclamation plan can only be narrowed", () => {
  it("rebuilds the very plan from the store: same id, same content", () => {
    expect(plan.actions.length).toBeGreaterThanOrEqual(5);
    expect(plan.actions.some((a) => a.add.length > 0)).toBe(true);
    expect(rebuilt.planId).toBe(plan.planId);
    expect(canonicalJson({ ...rebuilt, policy: { ...rebuilt.policy, files: [] } })).toBe(canonicalJson({ ...plan, policy: { ...plan.policy, files: [] } }));
    expect(judge(JSON.stringify(plan), rebuilt)).toMatchObject({ accepted: true });
  });

  it("refuses every random edit that is not a narrowing (schema, structure or integrity)", { timeout: TIMEOUT }, () => {
    const seen = { edits: 0, refusedBySchema: 0, refusedByIntegrity: 0 };
    fc.assert(
      fc.property(editArb(), (edit) => {
        const edited = applyEdit(plan, edit);
        fc.pre(edited !== null);
        seen.edits++;
        const verdict = judge(edited!.text, rebuilt);
        if (verdict.accepted) throw new Error(`accepted a non-narrowing edit: ${edited!.label}`);
        if (verdict.why.startsWith("invalid")) seen.refusedBySchema++;
        else seen.refusedByIntegrity++;
      }),
      { numRuns: runs(2000) },
    );
    expect(seen.edits).toBeGreaterThan(runs(2000) * 0.75);
    // Most edits keep the schema valid: the integrity check, not the schema, is what refuses them.
    expect(seen.refusedByIntegrity).toBeGreaterThan(seen.refusedBySchema);
  });

  it("accepts every random narrowing and executes exactly what is left", { timeout: TIMEOUT }, () => {
    fc.assert(
      fc.property(narrowingArb(), (n) => {
        const narrowed = narrow(plan, n);
        const verdict = judge(JSON.stringify(narrowed, null, 2), rebuilt);
        if (!verdict.accepted) throw new Error(`refused a narrowing: ${verdict.why}`);
        expectExecutedIsNarrowing(narrowed, verdict.executed!);
      }),
      { numRuns: runs(500) },
    );
  });

  it("through the store (rebuild, limits, protection): refuses random edits and accepts random narrowings", async () => {
    const journal = f.journal;
    const verify = (text: string) => verifyPlanForApply(f.db, journal, parsePlan(text, "plan.json"), policy, { now: FIXTURE_NOW, maxUsers: 500 });
    await fc.assert(
      fc.asyncProperty(editArb(), async (edit) => {
        const edited = applyEdit(plan, edit);
        fc.pre(edited !== null);
        let refused = false;
        try {
          const p = parsePlan(edited!.text, "plan.json");
          checkPlanActions(p, "plan.json");
          await verify(edited!.text);
        } catch {
          refused = true;
        }
        if (!refused) throw new Error(`accepted a non-narrowing edit: ${edited!.label}`);
      }),
      { numRuns: storeRuns(40) },
    );
    await fc.assert(
      fc.asyncProperty(narrowingArb(), async (n) => {
        const narrowed = narrow(plan, n);
        const verified = await verify(JSON.stringify(narrowed));
        expectExecutedIsNarrowing(narrowed, verified.plan.actions);
        expect(verified.plan.totals.users).toBe(narrowed.actions.length);
      }),
      { numRuns: storeRuns(20) },
    );
  }, 120_000);

  it("is not changed by sign-ins a later collection adds: the plan's snapshot is its run's view", async () => {
    const a = plan.actions.find((x) => x.remove.some((r) => r.skuPartNumber === "VISIOCLIENT")) ?? plan.actions[0]!;
    const later = new Date(Date.parse(plan.snapshot.collectedAt) + 3_600_000);
    await createSnapshotRepository(f.db).saveSignIns(plan.tenantId, [
      { id: "later-sign-in", createdDateTime: later.toISOString().replace(/\.\d{3}Z$/, "Z"), userId: a.userId, userPrincipalName: a.userPrincipalName, appId: "5e3ce6c0-2b1f-4285-8d4b-75ee78787346", appDisplayName: "Microsoft Visio", resourceDisplayName: null, isInteractive: true, errorCode: 0, city: null, countryOrRegion: null },
    ]);
    const verified = await verifyPlanForApply(f.db, f.journal, plan, policy, { now: new Date(later.getTime() + 60_000), maxUsers: 500 });
    expect(verified.plan.planId).toBe(plan.planId);
    expect(verified.plan.actions.map((x) => x.userId)).toEqual(plan.actions.map((x) => x.userId));
  });
});
