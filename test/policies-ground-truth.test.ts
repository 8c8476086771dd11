/**
 * The default pack against the simulator's ground truth. Facts come from the tenant through the
 * test-only adapter (Graph-visible data only, never `persona` or `truth`); the truth is only used to
 * score the findings.
 */
import { describe, expect, it } from "vitest";
import { evaluate } from "../policies/evaluate.ts";
import { readPolicy } from "../policies/read-policy.ts";
import { snapshotFromSimTenant } from "../policies/testing/facts-from-sim-user.ts";
import { scoreAgainstTruth as score, type Score } from "../simulator/score-against-truth.ts";
import type { SimModes } from "../simulator/model.ts";
import { generateTenant } from "../simulator/tenant/generate-tenant.ts";

const NOW = new Date("2026-11-26T12:00:00Z");
const policy = readPolicy([]);

async function run(users: number, seed: number, modes: SimModes, mailboxSettings = false): Promise<Score> {
  const tenant = generateTenant({ users, seed, now: NOW, modes, apps: [] });
  const evaluation = await evaluate(snapshotFromSimTenant(tenant, { mailboxSettings }), policy, { now: NOW });
  return score(tenant, evaluation);
}

describe("default pack on the simulator's ground truth", () => {
  it("reclaims with precision 1 and recall ≥ 0.99 and never touches a trap (Entra ID P1, 10,000 users)", { timeout: 60_000 }, async () => {
    const s = await run(10_000, 20261126, { premium: true, concealedNames: false, reportLagDays: 2 });
    expect(s.trapViolations).toEqual([]);
    expect(s.reclaim.tp).toBeGreaterThan(1500);
    expect(s.reclaim.precision).toBe(1);
    expect(s.reclaim.recall).toBeGreaterThanOrEqual(0.99);
    // Downgrades: the truth follows the documented limits of the smaller plan (F3: 2 GB mailbox
    // without archive, 2 GB OneDrive), as the pack does.
    expect(s.downgrade.tp).toBeGreaterThan(250);
    expect(s.downgrade.precision).toBe(1);
    expect(s.downgrade.recall).toBeGreaterThanOrEqual(0.9);
    // Copilot seats: idle ones reclaimed (the seat alone), lightly used ones reviewed.
    expect(s.copilot.tp).toBeGreaterThan(150);
    expect(s.copilot.precision).toBe(1);
    expect(s.copilot.recall).toBeGreaterThanOrEqual(0.95);
    expect(s.copilotReview.tp).toBeGreaterThan(100);
    expect(s.copilotReview.precision).toBe(1);
    expect(s.copilotReview.recall).toBeGreaterThanOrEqual(0.95);
  });

  it("scores the same when the mailbox type (mailboxSettings) is collected", { timeout: 60_000 }, async () => {
    const s = await run(2000, 7, { premium: true, concealedNames: false, reportLagDays: 2 }, true);
    expect(s.trapViolations).toEqual([]);
    expect(s.reclaim.precision).toBe(1);
    expect(s.reclaim.recall).toBeGreaterThanOrEqual(0.99);
  });

  it("without Entra ID P1 reclaims only what needs no sign-in data and sends the rest to review", { timeout: 60_000 }, async () => {
    const s = await run(2000, 3, { premium: false, concealedNames: false, reportLagDays: 2 });
    expect(s.trapViolations).toEqual([]);
    expect(s.reclaim.precision).toBe(1);
    expect(s.reclaim.tp).toBeGreaterThan(0);
    expect(s.reviews).toBeGreaterThan(s.reclaim.fn);
  });

  it("with concealed report names never reclaims a trap", { timeout: 60_000 }, async () => {
    const s = await run(2000, 5, { premium: true, concealedNames: true, reportLagDays: 2 });
    expect(s.trapViolations).toEqual([]);
    expect(s.reclaim.precision).toBe(1);
    // Nothing ties the Copilot report to users: no Copilot seat is reclaimed, idle-looking seats go to review.
    expect(s.copilot.tp + s.copilot.fp).toBe(0);
    expect(s.copilot.fn).toBeGreaterThan(0);
  });
});
