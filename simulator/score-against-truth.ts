/**
 * Scores an evaluation's findings against the simulator's ground truth (tests and the demo) — `reclaim` per
 * user × SKU × path (direct or group), `downgrade` per user × from → to — and lists trap violations.
 */
import { COPILOT_SKU_IDS, skuByPartNumber } from "../core/sku-catalogue.ts";
import type { Evaluation } from "../core/user-facts.ts";
import type { SimTenant } from "./model.ts";

export interface Tally {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
}

export interface Score {
  reclaim: Tally;
  downgrade: Tally;
  /** The part of `reclaim` that concerns Copilot seats. */
  copilot: Tally;
  /** Review findings about a Copilot seat alone (light use), per user × SKU, against `truth.review`. */
  copilotReview: Tally;
  trapViolations: string[];
  reviews: number;
}

function ratio(a: number, b: number): number {
  return b === 0 ? 1 : a / b;
}

/** Scores `reclaim` (per user × SKU × path) and `downgrade` (per user × from → to) findings against the truth. */
export function scoreAgainstTruth(tenant: SimTenant, evaluation: Evaluation): Score {
  const subscribed = new Map(tenant.skus.map((s) => [s.skuPartNumber, s.skuId]));
  // A downgrade may name a SKU the tenant does not subscribe to yet (Office 365 E1): the catalogue knows its id.
  const idOfPart = (part: string) => subscribed.get(part) ?? skuByPartNumber(part)?.skuId;
  const reclaimed = new Map<string, Set<string>>();
  const downgraded = new Map<string, Set<string>>();
  const copilotReviewed = new Map<string, Set<string>>();
  let reviews = 0;
  for (const f of evaluation.findings) {
    if (!f.user) continue;
    if (f.action === "review") reviews++;
    if (f.ruleAction === "review" && f.licenses.length > 0 && f.licenses.every((l) => COPILOT_SKU_IDS.has(l.skuId.toLowerCase()))) {
      const set = copilotReviewed.get(f.user.id) ?? new Set<string>();
      for (const l of f.licenses) set.add(l.skuId);
      copilotReviewed.set(f.user.id, set);
    }
    if (f.action === "reclaim") {
      const set = reclaimed.get(f.user.id) ?? new Set<string>();
      for (const l of f.licenses) set.add(`${l.skuId}|${l.groupId ?? ""}`);
      reclaimed.set(f.user.id, set);
    }
    if (f.action === "downgrade" && f.downgrade) {
      const set = downgraded.get(f.user.id) ?? new Set<string>();
      set.add(`${idOfPart(f.downgrade.from)}>${idOfPart(f.downgrade.to)}`);
      downgraded.set(f.user.id, set);
    }
  }
  const r = { tp: 0, fp: 0, fn: 0 };
  const d = { tp: 0, fp: 0, fn: 0 };
  const c = { tp: 0, fp: 0, fn: 0 };
  const cr = { tp: 0, fp: 0, fn: 0 };
  const isCopilot = (key: string) => COPILOT_SKU_IDS.has(key.slice(0, key.indexOf("|")).toLowerCase());
  const trapViolations: string[] = [];
  for (let i = 0; i < tenant.userCount; i++) {
    const u = tenant.userAt(i);
    const truth = new Set([...u.truth.reclaim.map((s) => `${s}|`), ...u.truth.reclaimViaGroup.map((g) => `${g.skuId}|${g.groupId}`)]);
    const got = reclaimed.get(u.id) ?? new Set<string>();
    if (got.size > 0 && u.truth.traps.length > 0) trapViolations.push(`${u.userPrincipalName}: ${u.truth.traps.join(",")}`);
    for (const g of got) {
      const hit = truth.has(g);
      if (hit) r.tp++;
      else r.fp++;
      if (isCopilot(g)) c[hit ? "tp" : "fp"]++;
    }
    for (const t of truth) {
      if (got.has(t)) continue;
      r.fn++;
      if (isCopilot(t)) c.fn++;
    }
    const rTruth = new Set(u.truth.review);
    const rGot = copilotReviewed.get(u.id) ?? new Set<string>();
    for (const g of rGot) cr[rTruth.has(g) ? "tp" : "fp"]++;
    for (const t of rTruth) if (!rGot.has(t)) cr.fn++;
    const dTruth = new Set(u.truth.downgrade.map((x) => `${x.from}>${x.to}`));
    const dGot = downgraded.get(u.id) ?? new Set<string>();
    for (const g of dGot) {
      if (dTruth.has(g)) d.tp++;
      else d.fp++;
    }
    for (const t of dTruth) if (!dGot.has(t)) d.fn++;
  }
  return {
    reclaim: { ...r, precision: ratio(r.tp, r.tp + r.fp), recall: ratio(r.tp, r.tp + r.fn) },
    downgrade: { ...d, precision: ratio(d.tp, d.tp + d.fp), recall: ratio(d.tp, d.tp + d.fn) },
    copilot: { ...c, precision: ratio(c.tp, c.tp + c.fp), recall: ratio(c.tp, c.tp + c.fn) },
    copilotReview: { ...cr, precision: ratio(cr.tp, cr.tp + cr.fp), recall: ratio(cr.tp, cr.tp + cr.fn) },
    trapViolations,
    reviews,
  };
}

