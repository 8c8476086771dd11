/**
 * The fleet page's model: one line per tenant of a report that spans several — its actionable
 * savings (now and by when they arrive), what is in review, its coverage (parts collected of those
 * planned, and what was not collected and why) and a link to the tenant's own report — and the fleet's
 * totals. Built from the tenants' report models. Pure.
 */
import type { ReportModel } from "./build-report-model.ts";

export const FLEET_REPORT_MODEL_VERSION = 1;

export interface FleetReportTenant {
  tenantId: string;
  organization: string | null;
  collectedAt: string;
  users: number;
  licensedUsers: number;
  /** Actionable savings per month now (the tenant's headline), and by when they arrive. */
  monthly: number;
  findings: number;
  realizable: { now: number; within30Days: number; within90Days: number; atRenewal: number };
  /** Savings per month of findings a person must confirm first. */
  review: number;
  spend: number;
  idleSpend: number;
  partsCollected: number;
  partsTotal: number;
  /** The parts not collected, as `task: part (reason)`. */
  notCollected: string[];
  /** The tenant's own report, relative to the fleet page. */
  href: string;
}

export interface FleetReportModel {
  fleetReportVersion: typeof FLEET_REPORT_MODEL_VERSION;
  generatedAt: string;
  currency: string;
  tenants: FleetReportTenant[];
  totals: Omit<FleetReportTenant, "tenantId" | "organization" | "collectedAt" | "notCollected" | "href">;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function buildFleetReportModel(reports: readonly { model: ReportModel; href: string }[], generatedAt: Date): FleetReportModel {
  const currencies = [...new Set(reports.map((r) => r.model.currency))];
  if (currencies.length > 1) throw new Error(`tenant reports in several currencies (${currencies.join(", ")})`);
  const tenants = reports.map(({ model, href }): FleetReportTenant => {
    const t = model.tenant;
    const h = t.headline;
    return {
      tenantId: t.tenantId,
      organization: t.organization,
      collectedAt: t.snapshot.collectedAt,
      users: t.snapshot.users,
      licensedUsers: h.licensedUsers,
      monthly: h.now.monthly,
      findings: h.now.findings,
      realizable: h.realizable,
      review: h.review.monthly,
      spend: h.spend,
      idleSpend: h.idleSpend,
      partsCollected: t.snapshot.partsCollected,
      partsTotal: t.snapshot.partsTotal,
      notCollected: t.coverage.parts.filter((p) => p.status !== "collected").map((p) => `${p.task}: ${p.part} (${p.reason ?? p.status})`),
      href,
    };
  });
  const sum = (f: (t: FleetReportTenant) => number) => round2(tenants.reduce((a, t) => a + f(t), 0));
  return {
    fleetReportVersion: FLEET_REPORT_MODEL_VERSION,
    generatedAt: generatedAt.toISOString(),
    currency: currencies[0] ?? "",
    tenants,
    totals: {
      users: sum((t) => t.users),
      licensedUsers: sum((t) => t.licensedUsers),
      monthly: sum((t) => t.monthly),
      findings: sum((t) => t.findings),
      realizable: { now: sum((t) => t.realizable.now), within30Days: sum((t) => t.realizable.within30Days), within90Days: sum((t) => t.realizable.within90Days), atRenewal: sum((t) => t.realizable.atRenewal) },
      review: sum((t) => t.review),
      spend: sum((t) => t.spend),
      idleSpend: sum((t) => t.idleSpend),
      partsCollected: sum((t) => t.partsCollected),
      partsTotal: sum((t) => t.partsTotal),
    },
  };
}
