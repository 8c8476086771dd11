/**
 * Test fixtures: one base user (an active, licensed member whom no rule flags) and one base snapshot
 * with every source collected; tests apply one change each.
 */
import { snapshotSchema, snapshotUserSchema } from "../../core/user-facts.ts";
import type { Snapshot, SnapshotInput, SnapshotSku, SnapshotSubscription, SnapshotUser, SnapshotUserInput, SourceStatus } from "../../core/user-facts.ts";
import { SNAPSHOT_SOURCES } from "../../core/user-facts.ts";
import { skuByPartNumber } from "../../core/sku-catalogue.ts";

/** The fixed evaluation time of the fixtures. */
export const TEST_NOW = new Date("2026-11-26T12:00:00Z");

const DAY = 86_400_000;

/** ISO date-time `days` before TEST_NOW. */
export function daysAgo(days: number): string {
  return new Date(TEST_NOW.getTime() - days * DAY).toISOString();
}

/** `YYYY-MM-DD` `days` before TEST_NOW (report dates). */
export function dateDaysAgo(days: number): string {
  return daysAgo(days).slice(0, 10);
}

/** A license entry for a skuPartNumber from the catalogue (direct unless a group id is given), assigned a year ago unless said otherwise. */
export function license(skuPartNumber: string, assignedByGroup: string | null = null, lastUpdatedDateTime: string | null = daysAgo(365)): SnapshotUser["licenses"][number] {
  const sku = skuByPartNumber(skuPartNumber);
  return { skuId: sku?.skuId ?? `00000000-0000-0000-0000-${skuPartNumber.length.toString().padStart(12, "0")}`, skuPartNumber, assignedByGroup, state: "Active", lastUpdatedDateTime };
}

let counter = 0;

/** An active Microsoft 365 E3 member, MFA registered, desktop apps, 8 GB mailbox: no default rule flags it. */
export function baseUser(changes: Partial<SnapshotUserInput> = {}): SnapshotUser {
  counter += 1;
  const n = counter;
  const base: SnapshotUserInput = {
    id: `00000000-0000-4000-8000-${n.toString().padStart(12, "0")}`,
    userPrincipalName: `user${n}@contoso.example`,
    displayName: `User ${n}`,
    userType: "Member",
    accountEnabled: true,
    createdDateTime: daysAgo(400),
    department: "Sales",
    jobTitle: "Account Executive",
    country: "US",
    usageLocation: "US",
    onPremisesSyncEnabled: false,
    licenses: [license("SPE_E3")],
    memberOf: [],
    signInActivity: { lastSignInDateTime: daysAgo(1), lastNonInteractiveSignInDateTime: daysAgo(0), lastSuccessfulSignInDateTime: daysAgo(0) },
    mfa: { isMfaRegistered: true, isMfaCapable: true, isAdmin: false, methodsRegistered: ["microsoftAuthenticatorPush"] },
    mailbox: { storageUsedBytes: 8 * 1024 ** 3, hasArchive: false, itemCount: 12000, lastActivityDate: dateDaysAgo(3) },
    mailboxPurpose: "user",
    oneDrive: { storageUsedBytes: 5 * 1024 ** 3, lastActivityDate: dateDaysAgo(3) },
    apps: { windows: true, mac: false, mobile: true, web: true, lastActivityDate: dateDaysAgo(3) },
    activations: [{ productType: "MICROSOFT 365 APPS FOR ENTERPRISE", lastActivatedDate: dateDaysAgo(200), windows: 1, mac: 0 }],
    activity: { exchange: dateDaysAgo(3), teams: dateDaysAgo(3), sharePoint: dateDaysAgo(10), oneDrive: dateDaysAgo(3), outlook: dateDaysAgo(3) },
    lastUsedApp: "Microsoft Teams",
  };
  return snapshotUserSchema.parse({ ...base, ...changes });
}

/** A user idle for 150 days (no sign-in, last Exchange activity, no app, mailbox or OneDrive data): the inactivity rule flags it. */
export function idleUser(changes: Partial<SnapshotUserInput> = {}): SnapshotUser {
  return baseUser({
    signInActivity: { lastSignInDateTime: daysAgo(150), lastNonInteractiveSignInDateTime: null, lastSuccessfulSignInDateTime: daysAgo(150) },
    activity: { exchange: dateDaysAgo(150) },
    apps: null,
    mailbox: null,
    oneDrive: null,
    ...changes,
  });
}

/** A collected source as of `days` before TEST_NOW. */
export function collected(days = 2): SourceStatus {
  return { status: "collected", asOf: dateDaysAgo(days) };
}

/** A snapshot with every source collected, the given users and one SKU line per SKU they hold. */
export function baseSnapshot(users: SnapshotUser[], changes: Partial<SnapshotInput> = {}): Snapshot {
  const consumed = new Map<string, { sku: SnapshotUser["licenses"][number]; users: Set<string> }>();
  for (const u of users) for (const l of u.licenses) {
    const entry = consumed.get(l.skuPartNumber) ?? { sku: l, users: new Set() };
    entry.users.add(u.id);
    consumed.set(l.skuPartNumber, entry);
  }
  const skus: SnapshotSku[] = [...consumed.values()].map(({ sku, users: holders }) => ({
    skuId: sku.skuId,
    skuPartNumber: sku.skuPartNumber,
    displayName: skuByPartNumber(sku.skuPartNumber)?.displayName ?? sku.skuPartNumber,
    capabilityStatus: "Enabled",
    purchased: holders.size,
    suspended: 0,
    warning: 0,
    consumed: holders.size,
  }));
  const sources = Object.fromEntries(SNAPSHOT_SOURCES.map((s) => [s, collected(s === "directory" || s === "subscribedSkus" || s === "signInActivity" ? 0 : 2)]));
  return snapshotSchema.parse({
    snapshotVersion: 1,
    tenantId: "11111111-2222-3333-4444-555555555555",
    collectedAt: TEST_NOW.toISOString(),
    sources,
    groups: [],
    skus,
    users,
    ...changes,
  });
}

/** ISO date-time `days` after TEST_NOW. */
export function daysAhead(days: number): string {
  return new Date(TEST_NOW.getTime() + days * DAY).toISOString();
}

let subscriptionCounter = 0;

/**
 * A paid, enabled subscription of a SKU from the catalogue. `term` sets its dates: `annual` renews in
 * `renewsInDays` (default 200) after a one-year span, `monthly` after a one-month span, `unknown` after
 * a 200-day span.
 */
export function subscription(
  skuPartNumber: string,
  totalLicenses: number,
  options: { term?: "monthly" | "annual" | "unknown"; renewsInDays?: number } & Partial<SnapshotSubscription> = {},
): SnapshotSubscription {
  subscriptionCounter += 1;
  const { term = "annual", renewsInDays = term === "monthly" ? 12 : 200, ...changes } = options;
  const next = TEST_NOW.getTime() + renewsInDays * DAY;
  const spanDays = term === "monthly" ? 30 : term === "annual" ? 365 : 200;
  return {
    id: `5b000000-0000-4000-8000-${subscriptionCounter.toString().padStart(12, "0")}`,
    commerceSubscriptionId: null,
    skuId: license(skuPartNumber).skuId,
    skuPartNumber,
    status: "Enabled",
    isTrial: false,
    createdDateTime: new Date(next - spanDays * DAY).toISOString(),
    nextLifecycleDateTime: new Date(next).toISOString(),
    totalLicenses,
    ...changes,
  };
}

