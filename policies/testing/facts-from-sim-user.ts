/**
 * Test-only adapter: a simulated tenant → the snapshot the collector will write, using only what
 * Microsoft Graph shows (never `persona` or `truth`). Mirrors the collector's degradations: without
 * Entra ID P1 there is no signInActivity, MFA registration or sign-in log activity; with concealed
 * report names no per-user report row can be joined.
 */
import type { SimTenant, SimUser } from "../../simulator/model.ts";
import { snapshotSchema } from "../../core/user-facts.ts";
import type { ActivityWorkload, Snapshot, SnapshotUser, SourceStatus } from "../../core/user-facts.ts";

/** Workloads only the sign-in logs reveal (seed 000: Dynamics 365, Power BI, Project, Visio). */
const SIGN_IN_LOG_WORKLOADS: readonly ActivityWorkload[] = ["powerBi", "project", "visio", "dynamics"];

export interface SimSnapshotOptions {
  /** The optional `sharedMailboxes` task ran (mailboxSettings userPurpose). Default false, as the default task list. */
  mailboxSettings?: boolean;
}

/** Graph-visible facts of one simulated user, as the collector would store them. */
export function factsFromSimUser(user: SimUser, tenant: SimTenant, groupsOfUser: readonly string[], options: SimSnapshotOptions = {}): SnapshotUser {
  const premium = tenant.modes.premium;
  const reports = !tenant.modes.concealedNames;
  const partOf = new Map(tenant.skus.map((s) => [s.skuId, s.skuPartNumber]));
  const activity: Partial<Record<ActivityWorkload, string | null>> = {};
  for (const [w, date] of Object.entries(user.activity) as [ActivityWorkload, string | null][]) {
    // Copilot activity comes from its own report, which lists only Copilot-licensed users.
    if (w === "copilot") continue;
    const fromSignInLogs = SIGN_IN_LOG_WORKLOADS.includes(w);
    if (fromSignInLogs ? premium : reports) activity[w] = date;
  }
  if (reports && user.copilot) activity.copilot = user.copilot.lastActivityDate;
  return {
    id: user.id,
    userPrincipalName: user.userPrincipalName,
    displayName: user.displayName,
    userType: user.userType,
    accountEnabled: user.accountEnabled,
    createdDateTime: user.createdDateTime,
    department: user.department,
    companyName: user.companyName,
    jobTitle: user.jobTitle,
    country: user.country,
    usageLocation: user.usageLocation,
    onPremisesSyncEnabled: user.onPremisesSyncEnabled,
    attributes: Object.fromEntries(Object.entries(user.onPremisesExtensionAttributes).filter((e): e is [string, string] => typeof e[1] === "string" && e[1] !== "")),
    licenses: user.licenses.map((l) => ({ skuId: l.skuId, skuPartNumber: partOf.get(l.skuId) ?? l.skuId, assignedByGroup: l.assignedByGroup, state: l.state, lastUpdatedDateTime: l.lastUpdatedDateTime })),
    memberOf: [...groupsOfUser],
    signInActivity: premium ? { ...user.signInActivity } : null,
    mfa: premium ? { isMfaRegistered: user.mfa.isMfaRegistered, isMfaCapable: user.mfa.isMfaCapable, isAdmin: user.mfa.isAdmin, methodsRegistered: [...user.mfa.methodsRegistered] } : null,
    mailbox:
      reports && user.mailbox.kind !== "none"
        ? { storageUsedBytes: user.mailbox.storageUsedBytes, hasArchive: user.mailbox.hasArchive, itemCount: user.mailbox.itemCount, lastActivityDate: null }
        : null,
    mailboxPurpose: options.mailboxSettings && user.mailbox.kind !== "none" ? user.mailbox.kind : null,
    oneDrive: reports && (user.oneDrive.storageUsedBytes > 0 || user.oneDrive.lastActivityDate !== null) ? { storageUsedBytes: user.oneDrive.storageUsedBytes, lastActivityDate: user.oneDrive.lastActivityDate } : null,
    apps: reports ? { windows: user.apps.windows, mac: user.apps.mac, mobile: user.apps.mobile, web: user.apps.web, lastActivityDate: user.apps.lastActivityDate } : null,
    activations: reports ? user.apps.activations.map((a) => ({ productType: a.productType, lastActivatedDate: a.lastActivatedDate, windows: a.windows, mac: a.mac })) : null,
    activity: Object.keys(activity).length > 0 ? activity : null,
    lastUsedApp: null,
    copilot: reports && user.copilot ? { lastActivityDate: user.copilot.lastActivityDate, apps: { ...user.copilot.apps } } : null,
  };
}

/** The snapshot a complete collection run of `tenant` would write. */
export function snapshotFromSimTenant(tenant: SimTenant, options: SimSnapshotOptions = {}): Snapshot {
  const groupsByIndex = new Map<number, string[]>();
  for (const g of tenant.groups) for (const i of g.memberIndexes) groupsByIndex.set(i, [...(groupsByIndex.get(i) ?? []), g.id]);
  const users: SnapshotUser[] = [];
  for (let i = 0; i < tenant.userCount; i++) users.push(factsFromSimUser(tenant.userAt(i), tenant, groupsByIndex.get(i) ?? [], options));
  const asOf = tenant.now.toISOString();
  const reportDay = new Date(tenant.now.getTime() - tenant.modes.reportLagDays * 86_400_000).toISOString().slice(0, 10);
  const ok: SourceStatus = { status: "collected", asOf };
  const report: SourceStatus = tenant.modes.concealedNames
    ? { status: "unavailable", asOf: null, reason: "concealedNames", detail: "Usage reports conceal user names; turn off the concealment in the Microsoft 365 admin center (Settings > Org settings > Reports)." }
    : { status: "collected", asOf: reportDay };
  const premium: SourceStatus = tenant.modes.premium ? ok : { status: "unavailable", asOf: null, reason: "noPremium", detail: "The tenant has no Entra ID P1." };
  return snapshotSchema.parse({
    snapshotVersion: 1,
    tenantId: tenant.tenantId,
    collectedAt: asOf,
    sources: {
      directory: ok,
      subscribedSkus: ok,
      subscriptions: ok,
      groupMembership: ok,
      signInActivity: premium,
      mfaRegistration: premium,
      signInLogs: premium,
      mailboxUsage: report,
      oneDriveUsage: report,
      appUsage: report,
      activations: report,
      workloadActivity: report,
      copilotUsage: report,
      mailboxSettings: options.mailboxSettings ? ok : { status: "unavailable", asOf: null, reason: "notRun" },
    },
    groups: tenant.groups.map((g) => ({ id: g.id, displayName: g.displayName })),
    skus: tenant.skus.map((s) => ({
      skuId: s.skuId,
      skuPartNumber: s.skuPartNumber,
      displayName: s.displayName,
      capabilityStatus: s.capabilityStatus,
      purchased: s.prepaidUnits.enabled,
      suspended: s.prepaidUnits.suspended,
      warning: s.prepaidUnits.warning,
      consumed: tenant.consumedUnits(s.skuId),
    })),
    subscriptions: (tenant.subscriptions ?? []).map((s) => ({
      id: s.id,
      commerceSubscriptionId: s.commerceSubscriptionId,
      skuId: s.skuId,
      skuPartNumber: s.skuPartNumber,
      status: s.status,
      isTrial: s.isTrial,
      createdDateTime: s.createdDateTime,
      nextLifecycleDateTime: s.nextLifecycleDateTime,
      totalLicenses: s.totalLicenses,
    })),
    users,
  });
}
