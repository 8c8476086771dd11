/**
 * Store → evaluation snapshot, pure: one complete run's users, licenses, SKUs, usage reports, MFA
 * registration and the sign-in history mapped to the `Snapshot` contract of core/user-facts.ts, with
 * the status and as-of date of every source. Only Graph-visible data; nothing is invented: a source
 * not collected is `unavailable` with its reason, and its per-user parts are null.
 */
import { friendlySkuName, skuById } from "../core/sku-catalogue.ts";
import { SUBSCRIPTION_STATUSES, snapshotSchema, type ActivityWorkload, type Snapshot, type SnapshotUser, type SourceStatus } from "../core/user-facts.ts";
import { COPILOT_USAGE_REPORT, workloadOfApp, type CollectedReport, type MfaRegistration, type ReportResult, type UserUsage } from "../core/collected-records.ts";
import type { GraphCompanySubscription, GraphSubscribedSku, GraphUser } from "../core/graph-types.ts";
import type { CoverageRecord } from "./snapshot-repository.ts";

export interface SnapshotInputs {
  tenantId: string;
  collectedAt: string;
  users: readonly GraphUser[];
  skus: readonly GraphSubscribedSku[];
  /** Commercial subscriptions (GET /directory/subscriptions); empty when not collected. */
  subscriptions?: readonly GraphCompanySubscription[];
  usage: ReadonlyMap<string, UserUsage>;
  reports: readonly ReportResult[];
  mfa: readonly MfaRegistration[];
  signIns: readonly { userId: string; appId: string; appDisplayName: string; last: string }[];
  coverage: readonly CoverageRecord[];
  groups: readonly { id: string; displayName: string }[];
  /** user id → collected group ids (protected groups' transitive members). */
  memberships: ReadonlyMap<string, readonly string[]>;
  /** user id → Exchange userPurpose, for the users the optional sharedMailboxes task read. */
  mailboxPurposes: ReadonlyMap<string, string>;
}

/** Graph's "never" for signInActivity dates. */
const NEVER = /^0001-01-01/;

export function buildSnapshot(input: SnapshotInputs): Snapshot {
  const part = (endpoint: string) => input.coverage.filter((c) => c.part === endpoint);
  const collected = (endpoint: string) => part(endpoint).some((c) => c.status === "collected");
  const status = (endpoint: string, asOf: string | null): SourceStatus => {
    if (collected(endpoint)) return { status: "collected", asOf };
    const c = part(endpoint)[0];
    return {
      status: "unavailable",
      asOf: null,
      reason:
        c?.reason === "missing-permission"
          ? "missingPermission"
          : c?.reason === "no-premium-license"
            ? "noPremium"
            : c?.reason === "concealed-names"
              ? "concealedNames"
              : c?.reason === "graph-error"
                ? "failed"
                : "notRun",
      ...(c?.reason === "missing-permission" && c.detail ? { missingPermission: c.detail.replace(/^needs (\S+).*$/, "$1") } : {}),
      ...(c?.detail ? { detail: c.detail } : {}),
    };
  };
  const refresh = (...reports: CollectedReport[]) => {
    const dates = input.reports.filter((r) => reports.includes(r.report)).map((r) => r.refreshDate).filter((d): d is string => d !== null);
    return dates.length > 0 ? dates.sort()[0]! : input.collectedAt.slice(0, 10);
  };
  const sources: Snapshot["sources"] = {
    directory: status("users.list", input.collectedAt),
    subscribedSkus: status("subscribedSkus.list", input.collectedAt),
    // When License Information was skipped whole (its SKU list needs the same Organization.Read.All), say why.
    subscriptions:
      part("directory.subscriptions").length === 0 && !collected("subscribedSkus.list")
        ? status("subscribedSkus.list", input.collectedAt)
        : status("directory.subscriptions", input.collectedAt),
    signInActivity: status("users.signInActivity", input.collectedAt),
    mfaRegistration: status("reports.userRegistrationDetails", input.collectedAt),
    signInLogs: status("auditLogs.signIns", input.collectedAt),
    workloadActivity: status("reports.usage", refresh("getOffice365ActiveUserDetail")),
    mailboxUsage: status("reports.usage", refresh("getMailboxUsageDetail")),
    oneDriveUsage: status("reports.usage", refresh("getOneDriveUsageAccountDetail")),
    appUsage: status("reports.usage", refresh("getM365AppUserDetail")),
    activations: status("reports.usage", refresh("getOffice365ActivationsUserDetail")),
    // Memberships of the policy's protected groups (and, from license assignments, of license groups).
    groupMembership: groupMembershipStatus(part("groups.list"), input.collectedAt),
    mailboxSettings: status("users.mailboxSettings", input.collectedAt),
    copilotUsage: status("reports.copilotUsage", refresh(COPILOT_USAGE_REPORT)),
  };
  const reportsUsable = sources.workloadActivity?.status === "collected";
  const signInsUsable = sources.signInLogs?.status === "collected";
  const signInActivityUsable = sources.signInActivity?.status === "collected";
  const mfaUsable = sources.mfaRegistration?.status === "collected";
  const copilotUsable = sources.copilotUsage?.status === "collected";

  const partNumber = new Map(input.skus.map((s) => [s.skuId, s.skuPartNumber]));
  const mfaById = new Map(input.mfa.map((m) => [m.id, m]));
  const signInsByUser = new Map<string, { appId: string; appDisplayName: string; last: string }[]>();
  for (const s of input.signIns) signInsByUser.set(s.userId, [...(signInsByUser.get(s.userId) ?? []), s]);

  const users = input.users.map((u): SnapshotUser => {
    const usage = reportsUsable ? input.usage.get(u.userPrincipalName.toLowerCase()) : undefined;
    const activity: Partial<Record<ActivityWorkload, string | null>> = {};
    if (reportsUsable) Object.assign(activity, usage?.activity ?? {});
    // Only Copilot-licensed users are in the Copilot report: absent means no seat, not "no use".
    const copilot = copilotUsable ? input.usage.get(u.userPrincipalName.toLowerCase())?.copilot : undefined;
    if (copilot) activity.copilot = copilot.lastActivityDate ?? null;
    let lastUsedApp: string | null = null;
    let lastUsedAt = "";
    if (signInsUsable) {
      for (const s of signInsByUser.get(u.id) ?? []) {
        const w = workloadOfApp(s.appId, s.appDisplayName);
        const day = s.last.slice(0, 10);
        if (w && (activity[w] ?? "") < day) activity[w] = day;
        if (s.last > lastUsedAt) {
          lastUsedAt = s.last;
          lastUsedApp = s.appDisplayName;
        }
      }
    }
    const states = u.licenseAssignmentStates ?? (u.assignedLicenses ?? []).map((l) => ({ ...l, assignedByGroup: null, state: "Active", error: null, lastUpdatedDateTime: null }));
    const mfa = mfaById.get(u.id);
    const sia = u.signInActivity;
    return {
      id: u.id,
      userPrincipalName: u.userPrincipalName,
      displayName: u.displayName ?? null,
      userType: u.userType === "Guest" ? "Guest" : "Member",
      accountEnabled: u.accountEnabled !== false,
      createdDateTime: u.createdDateTime ?? null,
      department: u.department ?? null,
      companyName: u.companyName ?? null,
      jobTitle: u.jobTitle ?? null,
      country: u.country ?? null,
      usageLocation: u.usageLocation ?? null,
      onPremisesSyncEnabled: u.onPremisesSyncEnabled ?? null,
      attributes: allocationAttributes(u),
      licenses: states.map((l) => ({
        skuId: l.skuId,
        // Without subscribedSkus (no Organization.Read.All) Microsoft's catalogue still names the SKU.
        skuPartNumber: partNumber.get(l.skuId) ?? skuById(l.skuId)?.skuPartNumber ?? l.skuId,
        assignedByGroup: l.assignedByGroup ?? null,
        state: (["Active", "ActiveWithError", "Disabled", "Error"] as const).find((s) => s === l.state) ?? "Active",
        lastUpdatedDateTime: real(l.lastUpdatedDateTime),
      })),
      memberOf: [...new Set([...states.map((l) => l.assignedByGroup).filter((g): g is string => !!g), ...(input.memberships.get(u.id) ?? [])])],
      // Collected but absent means never signed in (Graph leaves it empty then).
      signInActivity: signInActivityUsable
        ? {
            lastSignInDateTime: real(sia?.lastSignInDateTime),
            lastNonInteractiveSignInDateTime: real(sia?.lastNonInteractiveSignInDateTime),
            lastSuccessfulSignInDateTime: real(sia?.lastSuccessfulSignInDateTime),
          }
        : null,
      mfa: mfaUsable ? (mfa ? { isMfaRegistered: mfa.isMfaRegistered, isMfaCapable: mfa.isMfaCapable, isAdmin: mfa.isAdmin, methodsRegistered: mfa.methodsRegistered ?? [] } : null) : null,
      mailbox: usage?.mailbox ?? null,
      mailboxPurpose: input.mailboxPurposes.get(u.id) ?? null,
      oneDrive: usage?.oneDrive ?? null,
      // A user absent from a collected app-usage report used no Microsoft 365 app in its period.
      apps: usage?.apps ?? (reportsUsable ? { windows: false, mac: false, mobile: false, web: false, lastActivityDate: null } : null),
      activations: reportsUsable ? byProductType(Object.values(usage?.activations ?? {})) : null,
      activity: reportsUsable || signInsUsable || copilotUsable ? activity : null,
      lastUsedApp,
      copilot: copilot ? { lastActivityDate: copilot.lastActivityDate ?? null, apps: copilot.apps } : null,
    };
  });

  return snapshotSchema.parse({
    snapshotVersion: 1,
    tenantId: input.tenantId,
    collectedAt: input.collectedAt,
    sources,
    groups: input.groups,
    skus: input.skus.map((s) => ({
      skuId: s.skuId,
      skuPartNumber: s.skuPartNumber,
      displayName: friendlySkuName(s.skuId),
      capabilityStatus: s.capabilityStatus,
      purchased: s.prepaidUnits.enabled,
      suspended: s.prepaidUnits.suspended,
      warning: s.prepaidUnits.warning,
      consumed: s.consumedUnits,
    })),
    subscriptions:
      sources.subscriptions?.status === "collected"
        ? (input.subscriptions ?? []).map((s) => ({
            id: s.id,
            commerceSubscriptionId: s.commerceSubscriptionId ?? null,
            skuId: s.skuId,
            skuPartNumber: s.skuPartNumber,
            // A status Graph may add later reads as the safe worst case for seats: not Enabled.
            status: SUBSCRIPTION_STATUSES.find((x) => x.toLowerCase() === s.status.toLowerCase()) ?? "LockedOut",
            isTrial: s.isTrial === true,
            createdDateTime: s.createdDateTime ?? null,
            nextLifecycleDateTime: s.nextLifecycleDateTime ?? null,
            totalLicenses: s.totalLicenses,
          }))
        : [],
    users,
  });
}

function groupMembershipStatus(parts: readonly CoverageRecord[], asOf: string): SourceStatus {
  const c = parts[0];
  if (!c) return { status: "unavailable", asOf: null, reason: "notRun", detail: "memberships known only for groups that assign licenses" };
  if (c.status === "collected") return { status: "collected", asOf };
  if (c.status === "failed") return { status: "partial", asOf, reason: "failed", ...(c.detail ? { detail: c.detail } : {}) };
  return {
    status: "unavailable",
    asOf: null,
    reason: c.reason === "missing-permission" ? "missingPermission" : "notRun",
    ...(c.detail ? { detail: c.detail } : {}),
  };
}

/** extensionAttributeN and employeeOrgData fields with a value, for cost allocation by attribute. */
function allocationAttributes(u: GraphUser): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(u.onPremisesExtensionAttributes ?? {})) if (typeof v === "string" && v !== "") out[k] = v;
  const org = u.employeeOrgData;
  if (org?.costCenter) out["employeeOrgData.costCenter"] = org.costCenter;
  if (org?.division) out["employeeOrgData.division"] = org.division;
  return out;
}

function real(v: string | null | undefined): string | null {
  return v && !NEVER.test(v) ? v : null;
}

/** Activations in product-type order: the stored document's key order is the engine's, not the report's. */
function byProductType<T extends { productType: string }>(activations: T[]): T[] {
  return activations.sort((a, b) => (a.productType < b.productType ? -1 : a.productType > b.productType ? 1 : 0));
}
