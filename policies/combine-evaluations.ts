/**
 * The evaluation of a fleet: the evaluations of several tenants (each of its own snapshot, with the
 * same policy) as one document, every finding tagged with its tenant, totals per tenant and overall.
 * `evaluate --all-tenants` prints it; the report's fleet page reads it. Pure.
 */
import { SeatwiseError } from "../core/errors.ts";
import type { Evaluation, Finding, SavingsTotal } from "../core/user-facts.ts";

export const FLEET_EVALUATION_VERSION = 1;

/** One tenant's line in a fleet evaluation. */
export interface TenantEvaluationSummary {
  tenantId: string;
  collectedAt: string;
  users: number;
  /** Actionable savings of the tenant (its evaluation's `totals.overall`: `review` findings excluded), by when they arrive too. */
  overall: SavingsTotal;
  byAction: Record<string, SavingsTotal>;
  /** Whether the tenant's savings are dated by its subscriptions' renewals. */
  renewalDates: Evaluation["renewalDates"];
  /** Every finding, `review` included. */
  findings: number;
  gaps: Evaluation["gaps"];
}

export interface FleetEvaluation {
  fleetEvaluationVersion: typeof FLEET_EVALUATION_VERSION;
  evaluatedAt: string;
  currency: string;
  tenants: TenantEvaluationSummary[];
  findings: (Finding & { tenantId: string })[];
  totals: {
    /** Actionable savings of the whole fleet: the sum of the tenants' `overall` (and of their `realizable`). */
    overall: SavingsTotal;
    byTenant: Record<string, SavingsTotal>;
  };
}

/** Combines per-tenant evaluations (in the order given) into one fleet evaluation. */
export function combineEvaluations(evaluations: readonly Evaluation[]): FleetEvaluation {
  const currencies = [...new Set(evaluations.map((e) => e.currency))];
  if (currencies.length > 1) throw new SeatwiseError("evaluation.currencies", `evaluations in several currencies (${currencies.join(", ")}) cannot be totalled`);
  const overall: SavingsTotal = { findings: 0, monthly: 0, annual: 0, realizable: { now: 0, within30Days: 0, within90Days: 0, atRenewal: 0 } };
  const byTenant: Record<string, SavingsTotal> = {};
  for (const e of evaluations) {
    const t = e.totals.overall;
    byTenant[e.snapshot.tenantId] = t;
    overall.findings += t.findings;
    overall.monthly = round2(overall.monthly + t.monthly);
    for (const k of ["now", "within30Days", "within90Days", "atRenewal"] as const) overall.realizable[k] = round2(overall.realizable[k] + t.realizable[k]);
  }
  overall.annual = round2(overall.monthly * 12);
  return {
    fleetEvaluationVersion: FLEET_EVALUATION_VERSION,
    evaluatedAt: evaluations[0]?.evaluatedAt ?? "",
    currency: currencies[0] ?? "",
    tenants: evaluations.map((e) => ({
      tenantId: e.snapshot.tenantId,
      collectedAt: e.snapshot.collectedAt,
      users: e.snapshot.users,
      overall: e.totals.overall,
      byAction: e.totals.byAction,
      renewalDates: e.renewalDates,
      findings: e.findings.length,
      gaps: e.gaps,
    })),
    findings: evaluations.flatMap((e) => e.findings.map((f) => ({ tenantId: e.snapshot.tenantId, ...f }))),
    totals: { overall, byTenant },
  };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
