/**
 * Review rules with `ifConfirmed`: their findings carry what confirming them would save, priced as the
 * named action would price them, counted under byAction.review (never in overall), and a SKU is never
 * counted twice — an actionable finding keeps its SKU whatever the rule order.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CopilotApp, Evaluation, Finding, SnapshotUser, SnapshotUserInput } from "../core/user-facts.ts";
import { composePolicy } from "./compose-policy.ts";
import { evaluate } from "./evaluate.ts";
import type { Policy } from "./policy-schema.ts";
import { readPolicy } from "./read-policy.ts";
import { TEST_NOW, baseSnapshot, baseUser, dateDaysAgo, daysAgo, license, subscription } from "./testing/snapshot-builders.ts";

const pack = readPolicy([]);
const DEFAULT_TEXT = readFileSync(new URL("./default.yaml", import.meta.url), "utf8");

/** Composes `text` (which may `extends: default`) in memory. */
function policyOf(text: string): Policy {
  const result = composePolicy(["local.yaml"], {
    read: (file) => (file === "local.yaml" ? text : DEFAULT_TEXT),
    resolve: (ref) => (ref === "default" ? "default.yaml" : ref),
  });
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.path}: ${p.message}`).join("\n"));
  return result.policy;
}

/** A Copilot seat held 200 days, used only in Teams 5 days ago: LIC.COPILOT_LIGHT.1v1 flags it. */
const lightCopilot = (apps: Partial<Record<CopilotApp, number>> = { teams: 5 }): Partial<SnapshotUserInput> => {
  const dates = Object.fromEntries(Object.entries(apps).map(([app, days]) => [app, dateDaysAgo(days)]));
  const last = dateDaysAgo(Math.min(...Object.values(apps)));
  return {
    licenses: [license("SPE_E3"), license("Microsoft_365_Copilot", null, daysAgo(200))],
    activity: { exchange: dateDaysAgo(3), teams: dateDaysAgo(3), sharePoint: dateDaysAgo(10), oneDrive: dateDaysAgo(3), outlook: dateDaysAgo(3), copilot: last },
    copilot: { lastActivityDate: last, apps: dates },
  };
};

const inactiveAdmin = (): SnapshotUser =>
  baseUser({
    signInActivity: { lastSignInDateTime: daysAgo(120), lastNonInteractiveSignInDateTime: daysAgo(120), lastSuccessfulSignInDateTime: daysAgo(120) },
    activity: { exchange: dateDaysAgo(120) },
    apps: { windows: true, mac: false, mobile: false, web: false, lastActivityDate: dateDaysAgo(120) },
    mailbox: { storageUsedBytes: 3 * 1024 ** 3, hasArchive: false, itemCount: 900, lastActivityDate: dateDaysAgo(120) },
    oneDrive: { storageUsedBytes: 1024 ** 3, lastActivityDate: dateDaysAgo(120) },
    mfa: { isMfaRegistered: true, isMfaCapable: true, isAdmin: true, methodsRegistered: ["microsoftAuthenticatorPush"] },
  });

const byRule = (e: Evaluation, id: string): Finding[] => e.findings.filter((f) => f.ruleId === id);
const savingsBySku = (f: Finding) => Object.fromEntries(f.licenses.map((l) => [l.skuPartNumber, l.monthlySavings]));

describe("the default pack's review rules", () => {
  it("a Copilot seat used in one app carries the seat's price in review, never in the actionable total", async () => {
    const user = baseUser(lightCopilot());
    const e = await evaluate(baseSnapshot([user]), pack, { now: TEST_NOW });
    const [f] = byRule(e, "LIC.COPILOT_LIGHT.1v1");
    expect(f).toMatchObject({ action: "review", ruleAction: "review", savings: { monthly: 30, annual: 360 } });
    expect(f!.licenses.map((l) => [l.skuPartNumber, l.monthlySavings])).toEqual([["Microsoft_365_Copilot", 30]]);
    expect(e.totals.byAction.review).toMatchObject({ findings: 1, monthly: 30 });
    expect(e.totals.overall).toMatchObject({ findings: 0, monthly: 0 });
    expect(e.totals.byRule["LIC.COPILOT_LIGHT.1v1"]?.monthly).toBe(30);
    expect(e.totals.bySku.Microsoft_365_Copilot?.monthly).toBe(30);
    expect(e.totals.byDepartment.Sales?.monthly).toBe(30);
  });

  it("an inactive admin carries its licenses' price in review; a licensed user without MFA carries nothing", async () => {
    const noMfa = baseUser({ mfa: { isMfaRegistered: false, isMfaCapable: false, isAdmin: false, methodsRegistered: [] } });
    const e = await evaluate(baseSnapshot([inactiveAdmin(), noMfa]), pack, { now: TEST_NOW });
    expect(byRule(e, "LIC.INACTIVE_ADMIN.1v1").map((f) => [f.action, f.savings.monthly])).toEqual([["review", 36]]);
    expect(byRule(e, "SEC.MFA_UNREGISTERED.1v1").map((f) => [f.action, f.savings.monthly])).toEqual([["review", 0]]);
    expect(e.totals.byAction.review).toMatchObject({ findings: 2, monthly: 36 });
    expect(e.totals.overall.monthly).toBe(0);
  });

  it("a seat an idle-seat reclaim already counts is not counted again in review", async () => {
    // The idle admin's Copilot seat is idle: LIC.COPILOT_IDLE reclaims it; the admin review keeps the suite only.
    const admin = inactiveAdmin();
    const withCopilot = { ...admin, licenses: [...admin.licenses, license("Microsoft_365_Copilot", null, daysAgo(200))] };
    const e = await evaluate(baseSnapshot([withCopilot]), pack, { now: TEST_NOW });
    expect(byRule(e, "LIC.COPILOT_IDLE.1v1").map((f) => [f.action, f.savings.monthly])).toEqual([["reclaim", 30]]);
    expect(byRule(e, "LIC.INACTIVE_ADMIN.1v1").map(savingsBySku)).toEqual([{ SPE_E3: 36, Microsoft_365_Copilot: 0 }]);
    expect(e.totals.overall.monthly).toBe(30);
    expect(e.totals.byAction.review?.monthly).toBe(36);
  });

  it("a review rule without ifConfirmed still saves nothing (a local override can remove it with null)", async () => {
    const local = policyOf("version: 1\nextends: default\nrules:\n  - id: LIC.COPILOT_LIGHT.1v1\n    ifConfirmed: null\n");
    const e = await evaluate(baseSnapshot([baseUser(lightCopilot())]), local, { now: TEST_NOW });
    expect(byRule(e, "LIC.COPILOT_LIGHT.1v1").map((f) => [f.action, f.savings.monthly])).toEqual([["review", 0]]);
    expect(e.totals.byAction.review).toMatchObject({ findings: 1, monthly: 0 });
  });
});

describe("priced exactly as the named action", () => {
  // Term prices, so that a seat on a monthly term is priced apart from one on an annual term.
  const termPrices = "prices:\n  Microsoft_365_Copilot: { annual: 30, monthly: 36 }\n";
  const asReview = policyOf(`version: 1\nextends: default\n${termPrices}`);
  const asReclaim = policyOf(`version: 1\nextends: default\n${termPrices}rules:\n  - id: LIC.COPILOT_LIGHT.1v1\n    action: reclaim\n`);

  it("a local file that turns the rule into a reclaim drops the inherited ifConfirmed", () => {
    expect(asReclaim.rules.find((r) => r.id === "LIC.COPILOT_LIGHT.1v1")).toMatchObject({ action: "reclaim", ifConfirmed: null });
  });

  it("same per-licence savings, realizable dates and schedule as a reclaim, on any subscription terms", async () => {
    const term = fc.constantFrom("monthly", "annual", "unknown") as fc.Arbitrary<"monthly" | "annual" | "unknown">;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ term, days: fc.integer({ min: -5, max: 400 }), seats: fc.integer({ min: 1, max: 3 }) }), { maxLength: 3 }), fc.boolean(), async (subs, withSubs) => {
        const s = baseSnapshot([baseUser(lightCopilot())]);
        const copilot = subs.map((x) => subscription("Microsoft_365_Copilot", x.seats, { term: x.term, renewsInDays: x.days }));
        const snapshot = withSubs ? { ...s, subscriptions: [...copilot, subscription("SPE_E3", 1)] } : s;
        const [review] = byRule(await evaluate(snapshot, asReview, { now: TEST_NOW }), "LIC.COPILOT_LIGHT.1v1");
        const [reclaim] = byRule(await evaluate(snapshot, asReclaim, { now: TEST_NOW }), "LIC.COPILOT_LIGHT.1v1");
        expect(review!.action).toBe("review");
        expect(reclaim!.action).toBe("reclaim");
        expect(review!.licenses).toEqual(reclaim!.licenses.map((l) => ({ ...l, remedy: "review direct assignment" })));
        expect(review!.savings).toEqual(reclaim!.savings);
        expect(review!.savings.monthly).toBeGreaterThan(0);
      }),
      { numRuns: 40 },
    );
  });

  it("ifConfirmed: downgrade prices the difference to the target, on the subscription's term, and names the target", async () => {
    const rule = (action: string) => `version: 1
extends: default
rules:
  - id: LOCAL.E5_REVIEW.1v1
    name: E5 to review
    rationale: A person decides.
    action: ${action}
    severity: low
    downgrade: [{ from: SPE_E5, to: SPE_E3 }]
    conditions: { all: [{ fact: blocked, operator: equal, value: false }, { fact: licenses, operator: hasSku, value: SPE_E5 }] }
`;
    const reviewPolicy = policyOf(rule("review\n    ifConfirmed: downgrade"));
    const downgradePolicy = policyOf(rule("downgrade"));
    const user = baseUser({ licenses: [license("SPE_E5")], activity: { exchange: dateDaysAgo(2), powerBi: dateDaysAgo(5) } });
    const s = baseSnapshot([user]);
    const snapshot = { ...s, subscriptions: [subscription("SPE_E5", 1, { term: "monthly" }), subscription("SPE_E3", 5, { term: "monthly" })] };
    const [review] = byRule(await evaluate(snapshot, reviewPolicy, { now: TEST_NOW }), "LOCAL.E5_REVIEW.1v1");
    const [down] = byRule(await evaluate(snapshot, downgradePolicy, { now: TEST_NOW }), "LOCAL.E5_REVIEW.1v1");
    // Monthly-term prices: 68.40 − 43.20.
    expect(review).toMatchObject({ action: "review", downgrade: { from: "SPE_E5", to: "SPE_E3" }, savings: { monthly: 25.2 } });
    expect(review!.savings).toEqual(down!.savings);
    expect(review!.downgrade).toEqual(down!.downgrade);
  });

  it("a protected user's review saves nothing: protection forbids what confirming would do", async () => {
    const text = `version: 1
prices: { SPE_E3: 36 }
protect: { departments: [Board] }
rules:
  - id: LOCAL.BLOCKED_REVIEW.1v1
    name: Blocked, to review
    rationale: A person decides.
    action: review
    ifConfirmed: reclaim
    severity: low
    conditions: { all: [{ fact: blocked, operator: equal, value: true }] }
`;
    const board = baseUser({ accountEnabled: false, department: "Board" });
    const e = await evaluate(baseSnapshot([board, baseUser({ accountEnabled: false })]), policyOf(text), { now: TEST_NOW });
    expect(e.findings.map((f) => [f.user?.department, f.savings.monthly])).toEqual([
      ["Board", 0],
      ["Sales", 36],
    ]);
  });
});

/** Every rule fires on a blocked user; each concerns a list of SKUs. */
const PRICES: Record<string, number> = { SPE_E3: 36, VISIOCLIENT: 15, POWER_BI_PRO: 14, Microsoft_365_Copilot: 30 };
const SKUS = Object.keys(PRICES);
type Kind = "reclaim" | "review+reclaim" | "review";
interface RuleSpec {
  kind: Kind;
  skus: string[];
}

function standalone(rules: readonly (RuleSpec & { id: string })[]): Policy {
  const lines = rules.map(
    (r) => `  - id: ${r.id}
    name: ${r.id}
    rationale: R
    action: ${r.kind === "reclaim" ? "reclaim" : "review"}${r.kind === "review+reclaim" ? "\n    ifConfirmed: reclaim" : ""}
    severity: low
    skus: [${r.skus.join(", ")}]
    conditions: { all: [{ fact: blocked, operator: equal, value: true }] }`,
  );
  const prices = Object.entries(PRICES).map(([k, v]) => `  ${k}: ${v}`);
  return policyOf(`version: 1\nprices:\n${prices.join("\n")}\nrules:\n${lines.join("\n")}\n`);
}

const ruleSpec: fc.Arbitrary<RuleSpec> = fc.record({
  kind: fc.constantFrom<Kind>("reclaim", "review+reclaim", "review"),
  skus: fc.subarray(SKUS, { minLength: 1 }),
});

describe("never counted twice, whatever the rule order", () => {
  it("a review rule listed before the reclaim rule on the same SKU leaves the money to the reclaim", async () => {
    const review = { id: "LOCAL.REVIEW.1v1", kind: "review+reclaim" as const, skus: ["SPE_E3", "VISIOCLIENT"] };
    const reclaim = { id: "LOCAL.RECLAIM.1v1", kind: "reclaim" as const, skus: ["SPE_E3"] };
    const user = baseUser({ accountEnabled: false, licenses: [license("SPE_E3"), license("VISIOCLIENT")] });
    for (const order of [[review, reclaim], [reclaim, review]]) {
      const e = await evaluate(baseSnapshot([user]), standalone(order), { now: TEST_NOW });
      expect(byRule(e, "LOCAL.RECLAIM.1v1").map(savingsBySku)).toEqual([{ SPE_E3: 36 }]);
      expect(byRule(e, "LOCAL.REVIEW.1v1").map(savingsBySku)).toEqual([{ SPE_E3: 0, VISIOCLIENT: 15 }]);
      expect(e.totals.overall.monthly).toBe(36);
      expect(e.totals.byAction.review?.monthly).toBe(15);
    }
  });

  it("two review rules on the same SKU count it once (the first in the pack)", async () => {
    const a = { id: "LOCAL.REVIEW_A.1v1", kind: "review+reclaim" as const, skus: ["SPE_E3"] };
    const b = { id: "LOCAL.REVIEW_B.1v1", kind: "review+reclaim" as const, skus: ["SPE_E3"] };
    const user = baseUser({ accountEnabled: false, licenses: [license("SPE_E3")] });
    const e = await evaluate(baseSnapshot([user]), standalone([a, b]), { now: TEST_NOW });
    expect(e.findings.map((f) => [f.ruleId, f.action, f.savings.monthly])).toEqual([
      ["LOCAL.REVIEW_A.1v1", "review", 36],
      ["LOCAL.REVIEW_B.1v1", "review", 0],
    ]);
    expect(e.totals.byAction.review).toMatchObject({ findings: 2, monthly: 36 });
    expect(e.totals.bySku.SPE_E3?.monthly).toBe(36);
  });

  it("moving review rules among the reclaim rules changes no finding's savings, and each SKU is counted at most once", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(ruleSpec, { minLength: 1, maxLength: 5 }),
        fc.subarray(SKUS, { minLength: 1 }),
        fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }),
        async (specs, held, interleave) => {
          const rules = specs.map((r, i) => ({ ...r, id: `LOCAL.R${i}.1v1` }));
          const actionable = rules.filter((r) => r.kind === "reclaim");
          const reviews = rules.filter((r) => r.kind !== "reclaim");
          // The same relative order within each family, interleaved as the booleans say.
          const mixed: typeof rules = [];
          let a = 0;
          let r = 0;
          for (const takeReview of interleave) {
            if (takeReview && r < reviews.length) mixed.push(reviews[r++]!);
            else if (a < actionable.length) mixed.push(actionable[a++]!);
          }
          mixed.push(...actionable.slice(a), ...reviews.slice(r));
          const user = baseUser({ accountEnabled: false, licenses: held.map((s) => license(s)) });
          const snapshot = baseSnapshot([user]);
          const first = await evaluate(snapshot, standalone([...actionable, ...reviews]), { now: TEST_NOW });
          const moved = await evaluate(snapshot, standalone(mixed), { now: TEST_NOW });
          const summary = (e: Evaluation) => e.findings.map((f) => [f.ruleId, f.action, savingsBySku(f)]).sort((x, y) => String(x[0]).localeCompare(String(y[0])));
          expect(summary(moved)).toEqual(summary(first));
          expect(moved.totals.overall).toEqual(first.totals.overall);
          expect(moved.totals.byAction).toEqual(first.totals.byAction);

          // Each held SKU: counted once when some rule that prices it concerns it, else never; by an actionable finding when one concerns it.
          for (const sku of held) {
            const counted = moved.findings.flatMap((f) => f.licenses.filter((l) => l.skuPartNumber === sku && l.monthlySavings > 0).map(() => f));
            const priced = rules.filter((x) => x.kind !== "review" && x.skus.includes(sku));
            expect(counted).toHaveLength(priced.length > 0 ? 1 : 0);
            if (priced.some((x) => x.kind === "reclaim")) expect(counted[0]!.action).toBe("reclaim");
          }
          // Actionable findings make the overall total; review findings the review total; together every finding.
          const sum = (fs: Finding[]) => Math.round(fs.reduce((n, f) => n + f.savings.monthly, 0) * 100) / 100;
          expect(moved.totals.overall.monthly).toBe(sum(moved.findings.filter((f) => f.action !== "review")));
          expect(moved.totals.byAction.review?.monthly ?? 0).toBe(sum(moved.findings.filter((f) => f.action === "review")));
          // A review rule without ifConfirmed saves nothing.
          for (const f of moved.findings) if (rules.find((x) => x.id === f.ruleId)!.kind === "review") expect(f.savings.monthly).toBe(0);
        },
      ),
      { numRuns: 60 },
    );
  });
});
