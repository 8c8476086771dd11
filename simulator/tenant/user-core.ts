/**
 * The compact, string-free core of one synthetic user: persona, licenses, group memberships,
 * sign-in times and per-workload activity, derived from (seed, index) alone. `generateTenant` runs it
 * once per user to count consumed units and fill group memberships, and again whenever a user is
 * materialised, so nothing per user is kept in memory.
 */
import type { Persona, Workload } from "../model.ts";
import { COPILOT_APPS, type CopilotApp } from "../../core/user-facts.ts";
import { ENTERPRISE_APPS, COUNTRIES, DEPARTMENTS } from "./tenant-vocabulary.ts";
import type { LicenseRole } from "./license-roles.ts";
import { createRng, hash32 } from "./prng.ts";
import type { Rng } from "./prng.ts";

export const DAY_MS = 86_400_000;

/** License groups (group-based licensing). */
export const LICENSE_GROUPS = [
  { key: "licE3", displayName: "LIC-M365-E3", role: "e3" },
  { key: "licF3", displayName: "LIC-M365-F3", role: "f3" },
  { key: "licPowerBi", displayName: "LIC-PowerBI-Pro", role: "powerBi" },
] as const satisfies readonly { key: string; displayName: string; role: LicenseRole }[];

/** Group ordinals: license groups, then protected, break-glass, then one app group per department app. */
export const GROUP_PROTECTED = LICENSE_GROUPS.length;
export const GROUP_BREAK_GLASS = GROUP_PROTECTED + 1;
export const FIRST_APP_GROUP = GROUP_BREAK_GLASS + 1;
/** Enterprise app index → its assignment group ordinal (department apps only), else -1. */
export const APP_GROUP_OF: readonly number[] = (() => {
  let next = FIRST_APP_GROUP;
  return ENTERPRISE_APPS.map((a) => (a.department ? next++ : -1));
})();
export const GROUP_COUNT = FIRST_APP_GROUP + APP_GROUP_OF.filter((g) => g >= 0).length;

/** Persona weights (percent of users after the fixed break-glass accounts). */
export const PERSONA_WEIGHTS: Readonly<Record<Exclude<Persona, "breakGlass">, number>> = {
  regular: 59,
  inactive: 6,
  neverSignedIn: 2,
  blocked: 3,
  departed: 2,
  guest: 5,
  licensedGuest: 1,
  sharedMailbox: 2.5,
  roomMailbox: 1,
  serviceAccount: 1,
  newHire: 2,
  ssoOnly: 3,
  e5Underused: 3,
  e3Light: 4,
  unusedAddOn: 4,
  protectedGroupMember: 1.5,
};
const PERSONA_TABLE = Object.entries(PERSONA_WEIGHTS) as [Persona, number][];
const PERSONA_TOTAL = PERSONA_TABLE.reduce((a, [, w]) => a + w, 0);

/** Number of break-glass accounts (indexes 0..n-1) in a tenant of `users` users. */
export function breakGlassCount(users: number): number {
  return 2 + Math.floor(users / 250_000);
}

/** Sign-in event kinds; the kind number is part of the event's identity. */
export const EVENT_KINDS = ["primary", "earlier", "powerBi", "project", "visio", "sso", "nonInteractive", "failed"] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** Which first-party app a primary sign-in goes to. */
export type PrimaryApp = "office" | "officeHome" | "teams" | "exchange" | "sharePoint" | "azurePortal" | "sso";

export interface CoreLicense {
  role: LicenseRole;
  /** License group ordinal, or -1 when assigned directly. */
  group: number;
}

export interface CoreActivation {
  productType: string;
  lastActivatedDay: number;
  windows: number;
  mac: number;
}

/** Everything about a user except strings; times in epoch ms, dates as UTC day numbers. */
export interface UserCore {
  index: number;
  persona: Persona;
  member: boolean;
  enabled: boolean;
  createdMs: number;
  /** Indexes into DEPARTMENTS / COUNTRIES / the country's cities; -1 = none. */
  dept: number;
  country: number;
  city: number;
  /** 0 = default domain, 1 = second domain, 2 = initial onmicrosoft domain. */
  domain: number;
  licenses: CoreLicense[];
  /** Group ordinals the user is a direct member of. */
  groups: number[];
  /** Sign-in event times (ms) by kind; null when the event does not exist. */
  events: Record<EventKind, number | null>;
  primaryApp: PrimaryApp;
  /** Enterprise app index of the SSO event (and of a primary `sso` sign-in), -1 when none. */
  ssoApp: number;
  mfaRegistered: boolean;
  isAdmin: boolean;
  /** Day number per workload, or null. */
  activity: Record<Workload, number | null>;
  desktopWindows: boolean;
  desktopMac: boolean;
  mobile: boolean;
  web: boolean;
  activations: CoreActivation[];
  mailboxKind: "none" | "user" | "shared" | "room";
  mailboxBytes: number;
  mailboxItems: number;
  hasArchive: boolean;
  oneDriveBytes: number;
  oneDriveFiles: number;
  /** The Copilot seat: when it was assigned (ms) and the last Copilot activity per app (day numbers); null when none. */
  copilot: { assignedMs: number; apps: Record<CopilotApp, number | null> } | null;
}

/** Inputs every core derivation needs. */
export interface CoreContext {
  seed: number;
  users: number;
  nowMs: number;
  /** Last date usage reports may show (day number): today − reportLagDays. */
  reportMaxDay: number;
}

const DEPT_TOTAL = DEPARTMENTS.reduce((a, d) => a + d.weight, 0);
const COUNTRY_TOTAL = COUNTRIES.reduce((a, c) => a + c.weight, 0);
const DEPT_APPS: readonly number[][] = DEPARTMENTS.map((d) =>
  ENTERPRISE_APPS.flatMap((a, k) => (a.department === d.name ? [k] : [])),
);

function weighted<T>(rng: Rng, table: readonly T[], weight: (t: T) => number, total: number): number {
  let r = rng.next() * total;
  for (let k = 0; k < table.length; k++) {
    r -= weight(table[k] as T);
    if (r < 0) return k;
  }
  return table.length - 1;
}

function pickPersona(rng: Rng): Persona {
  let r = rng.next() * PERSONA_TOTAL;
  for (const [p, w] of PERSONA_TABLE) {
    r -= w;
    if (r < 0) return p;
  }
  return "regular";
}

/** A time on day `day` during working hours (07:00–19:59 UTC), never after `nowMs`. */
function timeOnDay(rng: Rng, day: number, nowMs: number): number {
  const t = day * DAY_MS + rng.int(7 * 3600, 20 * 3600 - 1) * 1000;
  return Math.min(t, nowMs - 60_000);
}

function emptyActivity(): Record<Workload, number | null> {
  return {
    exchange: null, oneDrive: null, sharePoint: null, teams: null, yammer: null, skypeForBusiness: null,
    outlook: null, powerBi: null, project: null, visio: null, dynamics: null, copilot: null,
  };
}

function emptyEvents(): Record<EventKind, number | null> {
  return { primary: null, earlier: null, powerBi: null, project: null, visio: null, sso: null, nonInteractive: null, failed: null };
}

const SUITE_ROLES: readonly LicenseRole[] = ["e3", "e5", "f3", "bizStd", "bizPrem", "bizBasic"];
const SUITE_WEIGHTS = [45, 12, 15, 10, 10, 8];
const SUITE_TOTAL = SUITE_WEIGHTS.reduce((a, b) => a + b, 0);

function pickSuite(rng: Rng): LicenseRole {
  return SUITE_ROLES[weighted(rng, SUITE_WEIGHTS, (w) => w, SUITE_TOTAL)] as LicenseRole;
}

/** Assigns a suite directly or through its license group (E3: 30 % group, a fifth of those also direct; F3: 70 % group). */
function assignSuite(rng: Rng, role: LicenseRole, allowGroup: boolean): CoreLicense[] {
  if (allowGroup && role === "e3" && rng.chance(0.3)) {
    const viaGroup = { role, group: 0 };
    return rng.chance(0.2) ? [{ role, group: -1 }, viaGroup] : [viaGroup];
  }
  if (allowGroup && role === "f3" && rng.chance(0.7)) return [{ role, group: 1 }];
  return [{ role, group: -1 }];
}

function hasDesktopApps(role: LicenseRole): boolean {
  return role === "e3" || role === "e5" || role === "bizStd" || role === "bizPrem";
}

function hasOneDrive(role: LicenseRole): boolean {
  return role === "e3" || role === "e5" || role === "f3" || role === "bizStd" || role === "bizPrem" || role === "bizBasic";
}

const GB = 1024 ** 3;

/**
 * Fills activity, desktop use, activations and sign-in times for a user who was active up to day
 * `lastDay` (today's report date for current users, an earlier day for departed or inactive ones).
 * `live` users also sign in interactively and non-interactively up to now.
 */
function activeProfile(
  rng: Rng,
  ctx: CoreContext,
  core: UserCore,
  lastDay: number,
  live: boolean,
  opts: { suite: LicenseRole | null; usePowerBi: boolean; useProject: boolean; useVisio: boolean; light: boolean },
): void {
  const a = core.activity;
  const hasMailbox = core.mailboxKind === "user";
  if (hasMailbox) a.exchange = lastDay - rng.int(0, 4);
  if (rng.chance(0.85)) a.teams = lastDay - rng.int(0, 9);
  if (rng.chance(0.7)) a.sharePoint = lastDay - rng.int(0, 20);
  if (opts.suite && hasOneDrive(opts.suite) && rng.chance(0.75)) a.oneDrive = lastDay - rng.int(0, 14);
  if (rng.chance(0.05)) a.yammer = lastDay - rng.int(0, 60);
  const desktop = !opts.light && opts.suite !== null && hasDesktopApps(opts.suite);
  if (desktop) {
    core.desktopWindows = rng.chance(0.88);
    core.desktopMac = !core.desktopWindows || rng.chance(0.05);
  }
  core.mobile = rng.chance(opts.light ? 0.6 : 0.5);
  core.web = opts.light || !desktop || rng.chance(0.6);
  if (a.exchange !== null && (desktop || core.mobile)) a.outlook = a.exchange;
  if (desktop && opts.suite) {
    const createdDay = Math.floor(core.createdMs / DAY_MS);
    core.activations.push({
      productType: opts.suite === "bizStd" || opts.suite === "bizPrem" ? "MICROSOFT 365 APPS FOR BUSINESS" : "MICROSOFT 365 APPS FOR ENTERPRISE",
      lastActivatedDay: Math.min(ctx.reportMaxDay, Math.max(createdDay + rng.int(0, 5), lastDay - rng.int(0, 300))),
      windows: core.desktopWindows ? rng.int(1, 3) : 0,
      mac: core.desktopMac ? rng.int(1, 2) : 0,
    });
  }
  const appDay = (): number => lastDay - rng.int(0, 12);
  if (opts.usePowerBi) a.powerBi = appDay();
  if (opts.useProject) {
    a.project = appDay();
    core.activations.push({ productType: "Project Client", lastActivatedDay: Math.min(ctx.reportMaxDay, lastDay - rng.int(0, 200)), windows: 1, mac: 0 });
  }
  if (opts.useVisio) {
    a.visio = appDay();
    core.activations.push({ productType: "Visio Client", lastActivatedDay: Math.min(ctx.reportMaxDay, lastDay - rng.int(0, 200)), windows: 1, mac: 0 });
  }
  const ev = core.events;
  for (const w of ["powerBi", "project", "visio"] as const) {
    const d = a[w];
    if (d !== null) ev[w] = timeOnDay(rng, d, ctx.nowMs);
  }
  if (live) {
    ev.primary = ctx.nowMs - rng.int(600, 10 * 86_400) * 1000;
    ev.nonInteractive = ctx.nowMs - rng.int(60, 30 * 3600) * 1000;
  } else {
    ev.primary = timeOnDay(rng, lastDay - rng.int(0, 5), ctx.nowMs);
    ev.nonInteractive = timeOnDay(rng, lastDay, ctx.nowMs) + 3 * 3600 * 1000;
  }
  if (rng.chance(0.7)) ev.earlier = (ev.primary as number) - rng.int(1, 6 * 86_400) * 1000;
  core.primaryApp = rng.pick(["office", "officeHome", "teams", "exchange", "sharePoint"] as const);
  const appGroups = core.groups.filter((g) => g >= FIRST_APP_GROUP);
  if (appGroups.length > 0 && rng.chance(0.6)) {
    core.ssoApp = APP_GROUP_OF.indexOf(appGroups[0] as number);
    ev.sso = live ? ctx.nowMs - rng.int(3600, 14 * 86_400) * 1000 : timeOnDay(rng, lastDay - rng.int(0, 5), ctx.nowMs);
  }
}

function userMailbox(rng: Rng, core: UserCore, maxGb: number): void {
  core.mailboxKind = "user";
  core.mailboxBytes = Math.round((0.2 + (maxGb - 0.2) * rng.next() ** 2) * GB);
  core.mailboxItems = Math.round(core.mailboxBytes / 90_000);
}

/** Derives the core of user `index` from the tenant seed. Pure and deterministic. */
export function generateUserCore(ctx: CoreContext, index: number): UserCore {
  const rng = createRng(hash32(ctx.seed, index, 0x5eed));
  const persona: Persona = index < breakGlassCount(ctx.users) ? "breakGlass" : pickPersona(rng);
  const today = Math.floor(ctx.nowMs / DAY_MS);
  const dept = weighted(rng, DEPARTMENTS, (d) => d.weight, DEPT_TOTAL);
  const country = weighted(rng, COUNTRIES, (c) => c.weight, COUNTRY_TOTAL);
  const core: UserCore = {
    index,
    persona,
    member: true,
    enabled: true,
    createdMs: ctx.nowMs - rng.int(60, 3000) * DAY_MS - rng.int(0, 86_399) * 1000,
    dept,
    country,
    city: rng.int(0, (COUNTRIES[country]?.cities.length ?? 1) - 1),
    domain: rng.chance(0.15) ? 1 : 0,
    licenses: [],
    groups: [],
    events: emptyEvents(),
    primaryApp: "office",
    ssoApp: -1,
    mfaRegistered: rng.chance(0.85),
    isAdmin: false,
    activity: emptyActivity(),
    desktopWindows: false,
    desktopMac: false,
    mobile: false,
    web: false,
    activations: [],
    mailboxKind: "none",
    mailboxBytes: 0,
    mailboxItems: 0,
    hasArchive: false,
    oneDriveBytes: 0,
    oneDriveFiles: 0,
    copilot: null,
  };
  // Department app groups: most people in a department are assigned its apps.
  for (const app of DEPT_APPS[dept] ?? []) {
    if (persona === "ssoOnly" ? app === DEPT_APPS[dept]?.[0] : rng.chance(0.7)) core.groups.push(APP_GROUP_OF[app] as number);
  }
  const maxDay = ctx.reportMaxDay;
  const live = { suite: null as LicenseRole | null, usePowerBi: false, useProject: false, useVisio: false, light: false };

  switch (persona) {
    case "regular":
    case "unusedAddOn":
    case "e5Underused":
    case "e3Light": {
      const suite: LicenseRole = persona === "e5Underused" ? "e5" : persona === "e3Light" ? "e3" : pickSuite(rng);
      core.licenses.push(...assignSuite(rng, suite, persona === "regular" || persona === "unusedAddOn"));
      userMailbox(rng, core, suite === "f3" || persona === "e3Light" ? 1.5 : suite === "bizBasic" ? 10 : 20);
      live.suite = suite;
      live.light = persona === "e3Light" || suite === "f3" || suite === "bizBasic";
      live.usePowerBi = suite === "e5" && persona !== "e5Underused";
      if (persona === "regular") {
        if (suite !== "e5" && rng.chance(0.1)) {
          core.licenses.push({ role: "powerBi", group: rng.chance(0.4) ? 2 : -1 });
          live.usePowerBi = true;
        }
        if (hasDesktopApps(suite) && rng.chance(0.04)) {
          core.licenses.push({ role: "visio", group: -1 });
          live.useVisio = true;
        }
        if (hasDesktopApps(suite) && rng.chance(0.03)) {
          core.licenses.push({ role: "project", group: -1 });
          live.useProject = true;
        }
      } else if (persona === "unusedAddOn") {
        const addOn = suite === "e5" ? rng.pick(["visio", "project"] as const) : rng.pick(["visio", "project", "powerBi"] as const);
        core.licenses.push({ role: addOn, group: addOn === "powerBi" && rng.chance(0.4) ? 2 : -1 });
      }
      if (rng.chance(0.01)) core.isAdmin = true;
      activeProfile(rng, ctx, core, maxDay, true, live);
      break;
    }
    case "inactive":
    case "protectedGroupMember":
    case "departed": {
      const suite = pickSuite(rng);
      core.licenses.push(...assignSuite(rng, suite, persona !== "departed"));
      if (rng.chance(0.08) && suite !== "e5") core.licenses.push({ role: "powerBi", group: -1 });
      userMailbox(rng, core, suite === "f3" ? 1.5 : 12);
      if (persona === "departed") core.enabled = false;
      if (persona === "protectedGroupMember") core.groups.push(GROUP_PROTECTED);
      const lastDay = maxDay - rng.int(100, 450);
      core.createdMs = Math.min(core.createdMs, (lastDay - rng.int(30, 900)) * DAY_MS);
      if (persona === "inactive" && rng.chance(0.15)) break; // never signed in since sign-in data exists
      activeProfile(rng, ctx, core, lastDay, false, { ...live, suite });
      break;
    }
    case "neverSignedIn":
    case "newHire": {
      const suite = pickSuite(rng);
      core.licenses.push(...assignSuite(rng, suite, true));
      userMailbox(rng, core, 0.21);
      core.mfaRegistered = false;
      core.createdMs =
        persona === "newHire"
          ? ctx.nowMs - rng.int(1, 25) * DAY_MS - rng.int(0, 86_399) * 1000
          : ctx.nowMs - rng.int(45, 400) * DAY_MS - rng.int(0, 86_399) * 1000;
      break;
    }
    case "blocked": {
      core.enabled = false;
      const licensed = rng.chance(0.7);
      const suite = pickSuite(rng);
      if (licensed) core.licenses.push(...assignSuite(rng, suite, true));
      userMailbox(rng, core, 8);
      const lastDay = maxDay - rng.int(3, 300);
      core.createdMs = Math.min(core.createdMs, (lastDay - rng.int(30, 900)) * DAY_MS);
      activeProfile(rng, ctx, core, lastDay, false, { ...live, suite: licensed ? suite : null });
      // Someone still tries the disabled account: a failed interactive attempt (AADSTS50057).
      if (rng.chance(0.3)) core.events.failed = ctx.nowMs - rng.int(3600, 20 * 86_400) * 1000;
      break;
    }
    case "guest":
    case "licensedGuest": {
      core.member = false;
      core.groups = [];
      core.dept = -1;
      core.mfaRegistered = rng.chance(0.5);
      if (persona === "licensedGuest") {
        const suite: LicenseRole = rng.chance(0.6) ? "bizBasic" : "e3";
        core.licenses.push({ role: suite, group: -1 });
        userMailbox(rng, core, 2);
        if (rng.chance(0.5)) activeProfile(rng, ctx, core, maxDay, true, { ...live, suite, light: true });
      } else if (rng.chance(0.5)) {
        const day = maxDay - rng.int(0, 50);
        core.activity.teams = rng.chance(0.7) ? day : null;
        core.activity.sharePoint = day - rng.int(0, 10);
        core.events.primary = timeOnDay(rng, day, ctx.nowMs);
        core.primaryApp = core.activity.teams !== null ? "teams" : "sharePoint";
      }
      break;
    }
    case "sharedMailbox":
    case "roomMailbox": {
      core.enabled = false;
      core.mfaRegistered = false;
      core.dept = persona === "roomMailbox" ? -1 : dept;
      core.groups = [];
      core.mailboxKind = persona === "sharedMailbox" ? "shared" : "room";
      const needsLicense = rng.chance(persona === "sharedMailbox" ? 0.35 : 0.2);
      if (needsLicense) {
        if (persona === "sharedMailbox" && rng.chance(0.6)) {
          core.mailboxBytes = Math.round(rng.int(51, 95) * GB + rng.next() * GB);
          core.hasArchive = rng.chance(0.5);
        } else {
          core.mailboxBytes = Math.round((2 + rng.next() * 40) * GB);
          core.hasArchive = true;
        }
        core.licenses.push({ role: "exo2", group: -1 });
      } else {
        core.mailboxBytes = Math.round((0.05 + rng.next() * (persona === "roomMailbox" ? 0.5 : 30)) * GB);
        if (rng.chance(persona === "sharedMailbox" ? 0.4 : 0.25)) core.licenses.push({ role: rng.chance(0.7) ? "exo1" : "e3", group: -1 });
      }
      core.mailboxItems = Math.round(core.mailboxBytes / 80_000);
      core.activity.exchange = maxDay - rng.int(0, 10);
      break;
    }
    case "serviceAccount": {
      core.dept = rng.chance(0.5) ? DEPARTMENTS.findIndex((d) => d.name === "IT") : -1;
      core.groups = [];
      core.mfaRegistered = false;
      core.licenses.push({ role: rng.pick(["e3", "bizBasic", "exo1"] as const), group: -1 });
      userMailbox(rng, core, 1);
      if (rng.chance(0.4)) {
        core.events.primary = timeOnDay(rng, maxDay - rng.int(200, 900), ctx.nowMs);
        core.primaryApp = "office";
      }
      core.events.nonInteractive = ctx.nowMs - rng.int(60, 20 * 3600) * 1000;
      break;
    }
    case "ssoOnly": {
      const suite: LicenseRole = rng.chance(0.7) ? "e3" : "bizStd";
      core.licenses.push({ role: suite, group: -1 });
      core.mfaRegistered = true;
      userMailbox(rng, core, 12);
      core.mailboxBytes = Math.max(core.mailboxBytes, Math.round(2.5 * GB));
      core.activity.exchange = rng.chance(0.5) ? maxDay - rng.int(120, 400) : null;
      // Installed Office long ago; no longer uses it.
      core.activations.push({
        productType: suite === "bizStd" ? "MICROSOFT 365 APPS FOR BUSINESS" : "MICROSOFT 365 APPS FOR ENTERPRISE",
        lastActivatedDay: maxDay - rng.int(200, 600),
        windows: 1,
        mac: 0,
      });
      const appGroup = core.groups.find((g) => g >= FIRST_APP_GROUP);
      core.ssoApp = appGroup === undefined ? -1 : APP_GROUP_OF.indexOf(appGroup);
      core.primaryApp = core.ssoApp >= 0 ? "sso" : "officeHome";
      core.events.primary = ctx.nowMs - rng.int(3600, 20 * 86_400) * 1000;
      if (rng.chance(0.6)) core.events.earlier = (core.events.primary as number) - rng.int(1, 6 * 86_400) * 1000;
      break;
    }
    case "breakGlass": {
      core.dept = -1;
      core.domain = 2;
      core.groups = [GROUP_BREAK_GLASS];
      core.isAdmin = true;
      core.mfaRegistered = true;
      core.licenses.push({ role: "e5", group: -1 });
      core.createdMs = ctx.nowMs - rng.int(700, 2000) * DAY_MS;
      core.primaryApp = "azurePortal";
      core.events.primary = timeOnDay(rng, today - rng.int(100, 200), ctx.nowMs);
      break;
    }
  }
  if (core.mailboxKind === "user" && core.licenses.length > 0) {
    const suite = core.licenses[0]?.role;
    if (suite && hasOneDrive(suite)) {
      // Light E3 users mostly keep OneDrive within F3's 2 GB; one in five stores more (no longer an F3 fit).
      const maxGb = suite === "f3" ? 2 : core.persona === "e3Light" ? (rng.chance(0.8) ? 1.5 : 40) : 60;
      core.oneDriveBytes = Math.round(rng.next() ** 2 * maxGb * GB);
      core.oneDriveFiles = Math.round(core.oneDriveBytes / 2_000_000) + rng.int(0, 40);
    }
  }
  assignCopilot(ctx, core);
  return core;
}

/** How a Copilot seat holder uses it (share of holders among active users). */
export const COPILOT_PROFILES = ["heavy", "light", "idle", "newlyAssigned"] as const;
export type CopilotProfile = (typeof COPILOT_PROFILES)[number];
const COPILOT_PROFILE_WEIGHTS = [45, 20, 25, 10];

/** Suites that Microsoft 365 Copilot is sold on top of (here: enterprise and business suites with desktop apps). */
const COPILOT_SUITES: readonly LicenseRole[] = ["e3", "e5", "bizStd", "bizPrem"];

/**
 * Gives some users a Copilot seat, from their own random stream (so every other draw of the tenant is
 * unchanged): 15 % of active members on a Copilot-eligible suite — heavy (3–8 apps in the last three
 * weeks), light (one app in the last 40 days), idle (never used, or last used 65–170 days ago) or
 * newly assigned (1–45 days ago) — and 5 % of the inactive or blocked ones, never used. Dates stay
 * clear of the 60-day boundaries so that whole-day rounding never decides a label.
 */
function assignCopilot(ctx: CoreContext, core: UserCore): void {
  const suite = core.licenses[0]?.role;
  if (!core.member || suite === undefined || !COPILOT_SUITES.includes(suite)) return;
  const rng = createRng(hash32(ctx.seed, core.index, 0xc0b1));
  const live = core.persona === "regular" || core.persona === "unusedAddOn" || core.persona === "e5Underused" || core.persona === "e3Light";
  const dormant = core.persona === "inactive" || core.persona === "departed" || core.persona === "blocked";
  if (!(live && rng.chance(0.15)) && !(dormant && rng.chance(0.05))) return;
  const apps = {} as Record<CopilotApp, number | null>;
  for (const app of COPILOT_APPS) apps[app] = null;
  const maxDay = ctx.reportMaxDay;
  const createdDay = Math.ceil(core.createdMs / DAY_MS);
  // Whole seconds, assigned some days after the account was created.
  const assignedAt = (daysAgo: number): number => Math.max(core.createdMs + DAY_MS, ctx.nowMs - daysAgo * DAY_MS - rng.int(0, 86_399) * 1000);
  const useApps = (count: number, newest: number, oldest: number): void => {
    for (const app of someApps(rng, count)) apps[app] = Math.max(createdDay + 1, maxDay - rng.int(newest, oldest));
  };
  let assignedMs: number;
  const profile: CopilotProfile = dormant ? "idle" : (COPILOT_PROFILES[weighted(rng, COPILOT_PROFILE_WEIGHTS, (w) => w, 100)] as CopilotProfile);
  if (dormant) {
    assignedMs = assignedAt(rng.int(200, 700));
  } else if (profile === "newlyAssigned") {
    assignedMs = Math.max(core.createdMs + 3600_000, ctx.nowMs - rng.int(1, 45) * DAY_MS - rng.int(0, 86_399) * 1000);
    const since = Math.floor(assignedMs / DAY_MS) + 1;
    if (rng.chance(0.5) && since <= maxDay) for (const app of someApps(rng, rng.int(1, 2))) apps[app] = rng.int(since, maxDay);
  } else if (profile === "idle") {
    const usedDaysAgo = rng.chance(0.5) ? null : rng.int(65, 170);
    assignedMs = assignedAt((usedDaysAgo ?? 60) + rng.int(20, 400));
    if (usedDaysAgo !== null) useApps(rng.int(1, 3), usedDaysAgo, usedDaysAgo + 5);
  } else {
    assignedMs = assignedAt(rng.int(80, 700));
    if (profile === "heavy") useApps(rng.int(3, 8), 0, 20);
    else useApps(1, 0, 40);
  }
  // An account younger than the intended history keeps only the use after its seat was assigned.
  const assignedDay = Math.floor(assignedMs / DAY_MS);
  for (const app of COPILOT_APPS) if ((apps[app] ?? Infinity) <= assignedDay) apps[app] = null;
  let last: number | null = null;
  for (const app of COPILOT_APPS) if (apps[app] !== null && (last === null || (apps[app] as number) > last)) last = apps[app];
  core.copilot = { assignedMs: Math.floor(assignedMs / 1000) * 1000, apps };
  core.activity.copilot = last;
  core.licenses.push({ role: "copilot", group: -1 });
}

/** `count` distinct Copilot apps (a partial Fisher–Yates shuffle). */
function someApps(rng: Rng, count: number): CopilotApp[] {
  const apps = [...COPILOT_APPS];
  for (let k = 0; k < count; k++) {
    const j = rng.int(k, apps.length - 1);
    [apps[k], apps[j]] = [apps[j] as CopilotApp, apps[k] as CopilotApp];
  }
  return apps.slice(0, count);
}

/** Latest interactive attempt (success or failure), as signInActivity.lastSignInDateTime. */
export function lastInteractiveMs(core: UserCore): number | null {
  return maxOf([core.events.primary, core.events.earlier, core.events.powerBi, core.events.project, core.events.visio, core.events.sso, core.events.failed]);
}

/** Latest successful sign-in, interactive or not, as signInActivity.lastSuccessfulSignInDateTime. */
export function lastSuccessfulMs(core: UserCore): number | null {
  return maxOf([core.events.primary, core.events.earlier, core.events.powerBi, core.events.project, core.events.visio, core.events.sso, core.events.nonInteractive]);
}

function maxOf(values: (number | null)[]): number | null {
  let m: number | null = null;
  for (const v of values) if (v !== null && (m === null || v > m)) m = v;
  return m;
}
