/**
 * The ground truth for one user: what a correct policy evaluation concludes, computed from the user's
 * facts with the default policy vocabulary (truth-thresholds.ts) plus what only the simulator knows
 * (the persona: which account is break-glass or a service account). Pure.
 */
import type { Persona, SimLicense, SimMailbox, SimTruth } from "../model.ts";
import {
  ADDON_UNUSED_DAYS,
  COPILOT_LIGHT_USE_MAX_APPS,
  COPILOT_UNUSED_DAYS,
  INACTIVITY_DAYS,
  MAILBOX_LICENSE_THRESHOLD_BYTES,
  NEW_ACCOUNT_GRACE_DAYS,
  SMALL_MAILBOX_BYTES,
  SMALL_ONEDRIVE_BYTES,
  WEB_PLAN_MAILBOX_BYTES,
  WEB_PLAN_ONEDRIVE_BYTES,
} from "./truth-thresholds.ts";
import type { Trap } from "./truth-thresholds.ts";

/** The skuIds the truth refers to (they differ between premium and non-premium tenants). */
export interface TruthSkus {
  e3: string;
  e5: string;
  f3: string;
  /** The web-only plan below the E3 SKU (Office 365 E1 below Office 365 E3); null when there is none (Microsoft 365 E3). */
  e1: string | null;
  visio: string;
  project: string;
  powerBi: string;
  copilot: string;
}

/** The facts the truth is computed from; instants in epoch ms, null when none. */
export interface TruthFacts {
  persona: Persona;
  userType: "Member" | "Guest";
  accountEnabled: boolean;
  createdMs: number;
  licenses: readonly SimLicense[];
  lastSuccessfulSignInMs: number | null;
  lastNonInteractiveSignInMs: number | null;
  /** Last activity (start of the UTC day) of every workload that has one. */
  workloadActivityMs: readonly number[];
  powerBiActivityMs: number | null;
  projectActivityMs: number | null;
  visioActivityMs: number | null;
  desktopWindows: boolean;
  desktopMac: boolean;
  activations: readonly { productType: string; lastActivatedMs: number; windows: number; mac: number }[];
  mailbox: Pick<SimMailbox, "kind" | "storageUsedBytes" | "hasArchive">;
  oneDriveBytes: number;
  /** Last Copilot activity of every app that has one (start of the UTC day). */
  copilotActivityMs: readonly number[];
  inProtectedGroup: boolean;
}

const DAY_MS = 86_400_000;

const PERSONA_TRAPS: Partial<Record<Persona, Trap>> = {
  breakGlass: "breakGlass",
  serviceAccount: "serviceAccountNonInteractive",
  newHire: "newHire",
};

/** Computes the user's traps, reclaimable licenses and downgrades as of `nowMs`. */
export function computeTruth(user: TruthFacts, nowMs: number, skus: TruthSkus): SimTruth {
  const daysSince = (ms: number | null): number => (ms === null ? Number.POSITIVE_INFINITY : (nowMs - ms) / DAY_MS);
  const licenses = user.licenses;
  const heldSkus = [...new Set(licenses.map((l) => l.skuId))];
  const lastSignIn = Math.min(daysSince(user.lastSuccessfulSignInMs), daysSince(user.lastNonInteractiveSignInMs));
  let lastActivity = Number.POSITIVE_INFINITY;
  for (const ms of user.workloadActivityMs) lastActivity = Math.min(lastActivity, daysSince(ms));
  const accountAgeDays = daysSince(user.createdMs);

  const traps = new Set<Trap>();
  const personaTrap = PERSONA_TRAPS[user.persona];
  if (personaTrap) traps.add(personaTrap);
  if (heldSkus.length > 0 && user.userType === "Member" && accountAgeDays < NEW_ACCOUNT_GRACE_DAYS) traps.add("newHire");
  if (
    heldSkus.length > 0 &&
    (user.mailbox.kind === "shared" || user.mailbox.kind === "room") &&
    (user.mailbox.storageUsedBytes > MAILBOX_LICENSE_THRESHOLD_BYTES || user.mailbox.hasArchive)
  ) {
    traps.add("sharedMailboxNeedsLicense");
  }
  if (user.inProtectedGroup) traps.add("protectedGroup");
  // Recent sign-ins (SSO/MFA) without any workload activity: in use, so not inactive. A service
  // account's token refreshes are covered by its own trap.
  if (
    heldSkus.length > 0 &&
    user.userType === "Member" &&
    user.accountEnabled &&
    !traps.has("serviceAccountNonInteractive") &&
    lastSignIn <= INACTIVITY_DAYS &&
    lastActivity > INACTIVITY_DAYS
  ) {
    traps.add("recentSsoSignIn");
  }

  const truth: SimTruth = { reclaim: [], reclaimViaGroup: [], downgrade: [], traps: [...traps], review: [] };
  if (traps.size > 0 || heldSkus.length === 0) return truth;

  const inactive = accountAgeDays >= NEW_ACCOUNT_GRACE_DAYS && lastSignIn > INACTIVITY_DAYS && lastActivity > INACTIVITY_DAYS;
  if (!user.accountEnabled || user.userType === "Guest" || inactive) {
    for (const skuId of heldSkus) addReclaim(truth, licenses, skuId);
    return truth;
  }

  const activationWithin = (productType: string): boolean =>
    user.activations.some((a) => a.productType === productType && daysSince(a.lastActivatedMs) <= ADDON_UNUSED_DAYS);
  for (const skuId of heldSkus) {
    const unused =
      (skuId === skus.visio && daysSince(user.visioActivityMs) > ADDON_UNUSED_DAYS && !activationWithin("Visio Client")) ||
      (skuId === skus.project && daysSince(user.projectActivityMs) > ADDON_UNUSED_DAYS && !activationWithin("Project Client")) ||
      (skuId === skus.powerBi && daysSince(user.powerBiActivityMs) > ADDON_UNUSED_DAYS);
    if (unused) addReclaim(truth, licenses, skuId);
  }

  copilotTruth(truth, user, nowMs, skus.copilot);

  // E5 → E3: no E5-only workload in use (Power BI, included in E5, is the one the usage data shows).
  if (heldSkus.includes(skus.e5) && daysSince(user.powerBiActivityMs) > INACTIVITY_DAYS) {
    truth.downgrade.push({ from: skus.e5, to: skus.e3 });
  }
  // E3 → F3 (or Office 365 E3 → E1): no desktop Office (neither used nor activated), and the mailbox
  // and OneDrive fit the smaller plan's documented limits — F3: 2 GB mailbox without archive, 2 GB
  // OneDrive; E1 (web-only): 50 GB mailbox, 1 TB OneDrive.
  const desktop =
    user.desktopWindows ||
    user.desktopMac ||
    user.activations.some((a) => a.productType.startsWith("MICROSOFT 365 APPS") && a.windows + a.mac > 0);
  if (heldSkus.includes(skus.e3) && !desktop && user.mailbox.kind === "user") {
    const mb = user.mailbox;
    if (mb.storageUsedBytes <= SMALL_MAILBOX_BYTES && !mb.hasArchive && user.oneDriveBytes <= SMALL_ONEDRIVE_BYTES) {
      truth.downgrade.push({ from: skus.e3, to: skus.f3 });
    } else if (skus.e1 !== null && mb.storageUsedBytes <= WEB_PLAN_MAILBOX_BYTES && user.oneDriveBytes <= WEB_PLAN_ONEDRIVE_BYTES) {
      truth.downgrade.push({ from: skus.e3, to: skus.e1 });
    }
  }
  return truth;
}

/**
 * A Copilot seat held for at least the unused window (grace from its assignment date, Graph's
 * `lastUpdatedDateTime`) is idle without Copilot activity in any app within the window (reclaim the
 * seat alone), and lightly used with activity in at most COPILOT_LIGHT_USE_MAX_APPS apps (review).
 * Whole days, as the policy counts them.
 */
function copilotTruth(truth: SimTruth, user: TruthFacts, nowMs: number, copilotSkuId: string): void {
  const seats = user.licenses.filter((l) => l.skuId === copilotSkuId);
  if (seats.length === 0) return;
  const wholeDays = (ms: number) => Math.floor((nowMs - ms) / DAY_MS);
  const heldDays = Math.max(...seats.map((l) => wholeDays(Date.parse(l.lastUpdatedDateTime))));
  if (heldDays < COPILOT_UNUSED_DAYS) return;
  const appsInUse = user.copilotActivityMs.filter((ms) => wholeDays(ms) <= COPILOT_UNUSED_DAYS).length;
  if (appsInUse === 0) addReclaim(truth, user.licenses, copilotSkuId);
  else if (appsInUse <= COPILOT_LIGHT_USE_MAX_APPS) truth.review.push(copilotSkuId);
}

/** Direct-only skus go to `reclaim`; a sku held through any group is only reclaimable by group removal. */
function addReclaim(truth: SimTruth, licenses: readonly SimLicense[], skuId: string): void {
  const viaGroups = licenses.filter((l) => l.skuId === skuId && l.assignedByGroup !== null);
  if (viaGroups.length === 0) {
    truth.reclaim.push(skuId);
    return;
  }
  for (const l of viaGroups) truth.reclaimViaGroup.push({ skuId, groupId: l.assignedByGroup as string });
}
