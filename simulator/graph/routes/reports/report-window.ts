/**
 * What a usage report can see: its refresh date (the tenant clock minus the report lag), the period
 * window, concealed names, and the license facts the reports derive from a user's SKUs
 * (../shared/reference/graph-api-facts.md §1).
 *
 * Choices, stated once:
 * - `period='Dn'`: Report Refresh Date = now − `reportLagDays` (UTC date); the window is the n days
 *   ending on it. `date=YYYY-MM-DD`: refresh date = that date, window = that one day; the date must lie
 *   within the 30 days ending at the lagged refresh date.
 * - A last-activity date is shown only when it lies inside the window; activity after the refresh date
 *   is not yet visible (the report shows no date rather than inventing an earlier one).
 * - Concealed names: the upper-case hex MD5 of the lower-cased UPN (32 characters, no '@'); the same
 *   hash in every report and on every day, for UPNs and display names alike.
 */
import { createHash } from "node:crypto";
import type { SimSku, SimTenant, SimUser } from "../../../model.ts";
import type { QueryProblem } from "./odata-query.ts";

export const REPORT_PERIODS = ["D7", "D30", "D90", "D180"] as const;
export type ReportPeriod = (typeof REPORT_PERIODS)[number];

/** The days a report covers, as `YYYY-MM-DD` strings (inclusive). */
export interface ReportWindow {
  refreshDate: string;
  windowStart: string;
  /** Days in the window: the `Report Period` column (7, 30, 90, 180, or 1 for a `date=` report). */
  periodDays: number;
  /** The `Report Period` cell when it is not a day count (`ALL` of the Copilot report). */
  periodLabel?: string;
}

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of a date (UTC). */
export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function addDays(day: string, n: number): string {
  return isoDay(new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS));
}

/** The lagged refresh date of the tenant's reports. */
export function refreshDateOf(tenant: SimTenant, now: Date): string {
  return isoDay(new Date(now.getTime() - tenant.modes.reportLagDays * DAY_MS));
}

/** The window of a `period='Dn'` report. */
export function periodWindow(tenant: SimTenant, now: Date, period: ReportPeriod): ReportWindow {
  const refreshDate = refreshDateOf(tenant, now);
  const days = Number(period.slice(1));
  return { refreshDate, windowStart: addDays(refreshDate, -(days - 1)), periodDays: days };
}

/** The window of a `date=YYYY-MM-DD` report, or a problem when the date is malformed or out of range. */
export function dateWindow(tenant: SimTenant, now: Date, date: string): ReportWindow | QueryProblem {
  const latest = refreshDateOf(tenant, now);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || isoDay(new Date(`${date}T00:00:00Z`)) !== date) {
    return { status: 400, code: "BadRequest", message: `Invalid value '${date}' for parameter 'date'. Use the format YYYY-MM-DD.` };
  }
  const earliest = addDays(latest, -29);
  if (date < earliest || date > latest) {
    return { status: 400, code: "BadRequest", message: `Invalid value '${date}' for parameter 'date'. The report is only available for the past 30 days (${earliest} to ${latest}).` };
  }
  return { refreshDate: date, windowStart: date, periodDays: 1 };
}

/** The date when it lies inside the window, else null (not in this report, or not yet visible). */
export function visible(w: ReportWindow, day: string | null | undefined): string | null {
  if (day === null || day === undefined) return null;
  const d = day.slice(0, 10);
  return d >= w.windowStart && d <= w.refreshDate ? d : null;
}

/** The concealed form of a user name: upper-case hex MD5 of the lower-cased UPN. */
export function concealedName(upn: string): string {
  return createHash("md5").update(upn.toLowerCase()).digest("hex").toUpperCase();
}

/** How a report names a user: the UPN and display name, or their concealed hash. */
export function reportNames(tenant: SimTenant, user: SimUser): { upn: string; displayName: string } {
  if (!tenant.modes.concealedNames) return { upn: user.userPrincipalName, displayName: user.displayName };
  const h = concealedName(user.userPrincipalName);
  return { upn: h, displayName: h };
}

/** Workloads whose license the active-user report shows, with the service plans that grant each. */
export const LICENSED_WORKLOADS = ["exchange", "oneDrive", "sharePoint", "skypeForBusiness", "yammer", "teams"] as const;
export type LicensedWorkload = (typeof LICENSED_WORKLOADS)[number];

const PLAN_PATTERNS: Record<LicensedWorkload, RegExp> = {
  // Mailbox plans only: EXCHANGE_S_FOUNDATION / _ARCHIVE_ADDON grant no mailbox.
  exchange: /^EXCHANGE_S_(ENTERPRISE|STANDARD|DESKLESS)/,
  // OneDrive for Business ships inside the SharePoint plans or as a ONEDRIVE* plan.
  oneDrive: /^(SHAREPOINT(ENTERPRISE|STANDARD|DESKLESS)|ONEDRIVE(STANDARD|BASIC|ENTERPRISE))/,
  sharePoint: /^SHAREPOINT(ENTERPRISE|STANDARD|DESKLESS)/,
  skypeForBusiness: /^MCO(STANDARD|IMP)/,
  yammer: /^YAMMER_(ENTERPRISE|EDU)/,
  teams: /^TEAMS(1|_)/,
};

/** Per SKU: the ids of its service plans granting each licensed workload (computed once per SKU object). */
const skuWorkloadPlans = new WeakMap<SimSku, Record<LicensedWorkload, string[]>>();

function workloadPlansOf(sku: SimSku): Record<LicensedWorkload, string[]> {
  let m = skuWorkloadPlans.get(sku);
  if (m === undefined) {
    m = { exchange: [], oneDrive: [], sharePoint: [], skypeForBusiness: [], yammer: [], teams: [] };
    for (const plan of sku.servicePlans) for (const w of LICENSED_WORKLOADS) if (PLAN_PATTERNS[w].test(plan.servicePlanName)) m[w].push(plan.servicePlanId);
    skuWorkloadPlans.set(sku, m);
  }
  return m;
}

/** Per licensed workload: the earliest assign date (YYYY-MM-DD) of a license enabling it, or null. */
export function workloadLicenses(tenant: SimTenant, user: SimUser): Record<LicensedWorkload, string | null> {
  const out = { exchange: null, oneDrive: null, sharePoint: null, skypeForBusiness: null, yammer: null, teams: null } as Record<LicensedWorkload, string | null>;
  for (const lic of user.licenses) {
    if (lic.state === "Error") continue;
    const sku = skuById(tenant, lic.skuId);
    if (sku === undefined) continue;
    const assigned = lic.lastUpdatedDateTime.slice(0, 10);
    const plans = workloadPlansOf(sku);
    for (const w of LICENSED_WORKLOADS) {
      if (!plans[w].some((id) => !lic.disabledPlans.includes(id))) continue;
      const prev = out[w];
      if (prev === null || assigned < prev) out[w] = assigned;
    }
  }
  return out;
}

/** Per SKU and plan-name pattern: the matching plan ids (computed once). */
const skuPatternPlans = new WeakMap<SimSku, Map<RegExp, string[]>>();

function plansMatching(sku: SimSku, pattern: RegExp): string[] {
  let byPattern = skuPatternPlans.get(sku);
  if (byPattern === undefined) {
    byPattern = new Map();
    skuPatternPlans.set(sku, byPattern);
  }
  let ids = byPattern.get(pattern);
  if (ids === undefined) {
    ids = sku.servicePlans.filter((p) => pattern.test(p.servicePlanName)).map((p) => p.servicePlanId);
    byPattern.set(pattern, ids);
  }
  return ids;
}

/** True when one of the user's active licenses includes an enabled plan whose name matches. */
export function hasPlan(tenant: SimTenant, user: SimUser, pattern: RegExp): boolean {
  return user.licenses.some((lic) => {
    if (lic.state === "Error") return false;
    const sku = skuById(tenant, lic.skuId);
    return sku !== undefined && plansMatching(sku, pattern).some((id) => !lic.disabledPlans.includes(id));
  });
}

const skuIndex = new WeakMap<SimTenant, Map<string, SimSku>>();

/** The tenant's SKU with this id (case-insensitive), or undefined. */
export function skuById(tenant: SimTenant, skuId: string): SimSku | undefined {
  let m = skuIndex.get(tenant);
  if (m === undefined || m.size !== tenant.skus.length) {
    m = new Map(tenant.skus.map((s) => [s.skuId.toLowerCase(), s]));
    skuIndex.set(tenant, m);
  }
  return m.get(skuId.toLowerCase());
}

/**
 * `Assigned Products`: the upper-case friendly names of the user's SKUs, sorted, one per SKU (real
 * report output shows upper-case names such as "OFFICE 365 E5 WITHOUT AUDIO CONFERENCING"). The CSV
 * joins them with '+', JSON gives the array.
 */
export function assignedProducts(tenant: SimTenant, user: SimUser): string[] {
  const names = new Set<string>();
  for (const lic of user.licenses) {
    if (lic.state === "Error") continue;
    const sku = skuById(tenant, lic.skuId);
    names.add((sku?.displayName ?? sku?.skuPartNumber ?? lic.skuId).toUpperCase());
  }
  return [...names].sort();
}

/** A deterministic integer in [0, mod) from the parts (stable counts for a user and window): FNV-1a, 32-bit. */
export function stableInt(mod: number, ...parts: string[]): number {
  let h = 0x811c9dc5;
  for (let p = 0; p < parts.length; p++) {
    const s = parts[p]!;
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    h ^= 0x7c;
    h = Math.imul(h, 0x01000193);
  }
  // Final avalanche so nearby inputs spread over small moduli.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return (h >>> 0) % mod;
}
