/**
 * The policy vocabulary the synthetic tenant's ground truth is computed with. The default policy
 * pack cites these so that "truly reclaimable" in the simulator and in `policies/default.yaml` mean
 * the same thing.
 */

/** A licensed user with no sign-in and no workload activity for this many days is inactive. */
export const INACTIVITY_DAYS = 90;

/** Accounts younger than this many days are new hires: never flagged for never signing in or inactivity. */
export const NEW_ACCOUNT_GRACE_DAYS = 30;

/** A mailbox above this size (bytes; Microsoft's 50 GB) needs an Exchange license even when shared. */
export const MAILBOX_LICENSE_THRESHOLD_BYTES = 50 * 1024 ** 3;

/** A mailbox at or below this size (bytes; the 2 GB mailbox of Microsoft 365 F3) fits a frontline plan. */
export const SMALL_MAILBOX_BYTES = 2 * 1024 ** 3;

/** OneDrive storage at or below this size (bytes; the 2 GB OneDrive of Microsoft 365 F3) fits a frontline plan. */
export const SMALL_ONEDRIVE_BYTES = 2 * 1024 ** 3;

/** A mailbox at or below this size (bytes; Office 365 E1's 50 GB) fits the web-only plan. */
export const WEB_PLAN_MAILBOX_BYTES = 50 * 1024 ** 3;

/** OneDrive storage at or below this size (bytes; Office 365 E1's 1 TB) fits the web-only plan. */
export const WEB_PLAN_ONEDRIVE_BYTES = 1024 * 1024 ** 3;

/** An add-on (Visio, Project, Power BI Pro) with no matching activity for this many days is unused. */
export const ADDON_UNUSED_DAYS = 90;

/** A Copilot seat held this long without Copilot activity in any app for this many days is idle. */
export const COPILOT_UNUSED_DAYS = 60;

/** A Copilot seat in use in at most this many apps within COPILOT_UNUSED_DAYS is lightly used (review). */
export const COPILOT_LIGHT_USE_MAX_APPS = 1;

/** Display name of the group whose members must never be flagged for reclaim. */
export const PROTECTED_GROUP_NAME = "Seatwise-Protected";

/** Display name of the group holding the break-glass (emergency access) administrator accounts. */
export const BREAK_GLASS_GROUP_NAME = "Emergency Access Accounts";

/** Trap labels in `SimTruth.traps`: reasons an account must never be flagged for reclaim. */
export const TRAPS = [
  "breakGlass",
  "serviceAccountNonInteractive",
  "newHire",
  "sharedMailboxNeedsLicense",
  "protectedGroup",
  "recentSsoSignIn",
] as const;
export type Trap = (typeof TRAPS)[number];
