/**
 * The deterministic synthetic tenant behind the simulator. Users are derived lazily from
 * (seed, index) — see user-core.ts — so a 1,000,000-user tenant keeps only per-SKU counts, group
 * member index lists, a license overlay for users changed through assignLicense, and (once sign-ins
 * are first read) a packed hour-bucket index of the sign-in log.
 */
import { SeatwiseError } from "../../core/errors.ts";
import { skuByPartNumber } from "../../core/sku-catalogue.ts";
import type {
  SimAppRegistration,
  SimAppRoleAssignment,
  SimCopilot,
  SimGroup,
  SimLicense,
  SimModes,
  SimServicePrincipal,
  SimSignIn,
  SimSku,
  SimTenant,
  SimUser,
  Workload,
} from "../model.ts";
import { WORKLOADS } from "../model.ts";
import { COPILOT_APPS } from "../../core/user-facts.ts";
import { computeTruth } from "./compute-truth.ts";
import { generateSubscriptions } from "./generate-subscriptions.ts";
import { formatIsoDay, formatIsoInstant } from "./iso-dates.ts";
import type { TruthSkus } from "./compute-truth.ts";
import { LICENSE_ROLES, NON_PREMIUM_PART_NUMBERS, PREMIUM_PART_NUMBERS } from "./license-roles.ts";
import type { LicenseRole } from "./license-roles.ts";
import { createRng, guidFrom, hash32, hex8, wordOf } from "./prng.ts";
import { BREAK_GLASS_GROUP_NAME, PROTECTED_GROUP_NAME } from "./truth-thresholds.ts";
import {
  APP_GROUP_OF,
  DAY_MS,
  EVENT_KINDS,
  GROUP_COUNT,
  GROUP_PROTECTED,
  LICENSE_GROUPS,
  breakGlassCount,
  generateUserCore,
  lastInteractiveMs,
  lastSuccessfulMs,
} from "./user-core.ts";
import type { CoreContext, EventKind, UserCore } from "./user-core.ts";
import { COUNTRIES, DEPARTMENTS, ENTERPRISE_APPS, GIVEN_NAMES, GUEST_DOMAINS, SIGN_IN_APPS, SURNAMES } from "./tenant-vocabulary.ts";

/** Options of `generateTenant`. */
export interface GenerateTenantOptions {
  /** Number of users, an integer in 10..1,000,000. */
  users: number;
  /** Seed: the same seed (and `now`) gives the same tenant, byte for byte. */
  seed: number;
  /** The tenant's clock; every date is relative to it. */
  now: Date;
  modes: SimModes;
  /** App registrations (the reader and reclaimer identities); each also gets a service principal. */
  apps: SimAppRegistration[];
}

export const MIN_USERS = 10;
export const MAX_USERS = 1_000_000;

/** The tenant's verified domains: default, second (for the `domains` filter), initial. */
export const TENANT_DOMAINS = ["contoso.example", "northwind.example", "contososim.onmicrosoft.com"] as const;
const COMPANY_BY_DOMAIN = ["Contoso Ltd.", "Northwind Traders", null] as const;

/** Sign-in log retention in days: 30 with Entra ID P1/P2, 7 on the free tier. */
export function signInRetentionDays(modes: SimModes): number {
  return modes.premium ? 30 : 7;
}

/** Share of purchased seats left unassigned per license role (the rest is consumed at generation). */
const SLACK: Readonly<Record<LicenseRole, number>> = {
  e3: 0.08, e5: 0.03, f3: 0, bizStd: 0.1, bizPrem: 0.05, bizBasic: 0.15, visio: 0.25, project: 0.1, powerBi: 0.2, exo1: 0.1, exo2: 0.05, copilot: 0.1,
};
/** This role's SKU is in its grace period (capabilityStatus Warning: seats counted under prepaidUnits.warning). */
const WARNING_ROLE: LicenseRole = "project";
/** Bought but never assigned: a whole SKU of unassigned seats. */
const UNASSIGNED_PART_NUMBER = "Microsoft_Teams_Premium";
const COMPANY_PLANS = new Set(["ADALLOM_S_O365", "MICROSOFT_SEARCH"]);
const HOUR_MS = 3_600_000;
const USER_BITS = 20; // 2^20 > MAX_USERS: a packed sign-in index entry is (hour bucket << 20) | user index

function iso(ms: number): string {
  return formatIsoInstant(ms);
}

function isoDay(day: number | null): string | null {
  return day === null ? null : formatIsoDay(day);
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z]+/g, "-").replace(/^-|-$/g, "");
}

function assignmentId(...words: number[]): string {
  const bytes = Buffer.alloc(32);
  for (let k = 0; k < 8; k++) bytes.writeUInt32BE(hash32(...words, k), k * 4);
  return bytes.toString("base64url").slice(0, 43);
}

/** Builds the synthetic tenant. O(users) time once, O(#skus + #group members) memory. */
export function generateTenant(options: GenerateTenantOptions): SimTenant {
  const { users, seed, now, modes, apps } = options;
  if (!Number.isInteger(users) || users < MIN_USERS || users > MAX_USERS) {
    throw new SeatwiseError("simulator.options", `users must be an integer from ${MIN_USERS} to ${MAX_USERS}, got ${users}`);
  }
  if (!Number.isInteger(seed)) throw new SeatwiseError("simulator.options", `seed must be an integer, got ${seed}`);
  const nowMs = now.getTime();
  if (!Number.isFinite(nowMs)) throw new SeatwiseError("simulator.options", "now must be a valid date");
  const today = Math.floor(nowMs / DAY_MS);
  const ctx: CoreContext = { seed, users, nowMs, reportMaxDay: today - Math.max(0, Math.floor(modes.reportLagDays)) };
  const tenantId = guidFrom(seed, 0x7e4a47);
  const displayName = "Contoso (simulated)";
  const idMask = hash32(seed, 0x1d5);

  // SKUs by role, from the catalogue.
  const parts = modes.premium ? PREMIUM_PART_NUMBERS : NON_PREMIUM_PART_NUMBERS;
  const roleSku = {} as Record<LicenseRole, string>;
  for (const role of LICENSE_ROLES) {
    const entry = skuByPartNumber(parts[role]);
    if (!entry) throw new SeatwiseError("simulator.catalogue", `SKU ${parts[role]} missing from core/data/sku-catalogue.json`);
    roleSku[role] = entry.skuId;
  }
  // Office 365 E3 has a web-only plan below it (Office 365 E1); Microsoft 365 E3 has none.
  const e1 = parts.e3 === "ENTERPRISEPACK" ? (skuByPartNumber("STANDARDPACK")?.skuId ?? null) : null;
  const truthSkus: TruthSkus = { e3: roleSku.e3, e5: roleSku.e5, f3: roleSku.f3, e1, visio: roleSku.visio, project: roleSku.project, powerBi: roleSku.powerBi, copilot: roleSku.copilot };

  // Groups.
  const groupIds = Array.from({ length: GROUP_COUNT }, (_, g) => guidFrom(seed, 0x6000 + g));
  const groupNames: string[] = [...LICENSE_GROUPS.map((g) => g.displayName), PROTECTED_GROUP_NAME, BREAK_GLASS_GROUP_NAME];
  ENTERPRISE_APPS.forEach((a, k) => {
    if ((APP_GROUP_OF[k] ?? -1) >= 0) groupNames.push(`APP-${a.name.replace(/\s+/g, "-")}-Users`);
  });
  const members: number[][] = Array.from({ length: GROUP_COUNT }, () => []);
  /** Licenses replaced through setLicenses (assignLicense), by user index. */
  const overlay = new Map<number, SimLicense[]>();

  // The one O(N) pass: consumed units per SKU and group memberships.
  const consumed = new Map<string, number>();
  for (let i = 0; i < users; i++) {
    const core = generateUserCore(ctx, i);
    const lics = core.licenses;
    for (let k = 0; k < lics.length; k++) {
      const lic = lics[k] as UserCore["licenses"][number];
      const skuId = roleSku[lic.role];
      // A user holding a SKU both directly and via a group consumes one unit.
      let dup = false;
      for (let q = 0; q < k; q++) if (roleSku[(lics[q] as UserCore["licenses"][number]).role] === skuId) dup = true;
      if (!dup) consumed.set(skuId, (consumed.get(skuId) ?? 0) + 1);
      if (lic.group >= 0) (members[lic.group] as number[]).push(i);
    }
    for (const g of core.groups) (members[g] as number[]).push(i);
  }

  const groups: SimGroup[] = groupIds.map((id, g) => {
    const lg = LICENSE_GROUPS[g];
    return {
      id,
      displayName: groupNames[g] as string,
      mailNickname: (groupNames[g] as string).replace(/[^A-Za-z0-9-]/g, ""),
      assignedLicenses: lg ? [{ skuId: roleSku[lg.role], disabledPlans: [] }] : [],
      memberIndexes: members[g] as number[],
    };
  });

  // Subscribed SKUs: purchased = consumed + slack; one SKU in its grace period; one never assigned.
  const skus: SimSku[] = [];
  const seen = new Set<string>();
  const addSku = (partNumber: string, enabledUnits: number, warning: boolean): void => {
    const entry = skuByPartNumber(partNumber);
    if (!entry || seen.has(entry.skuId)) return;
    seen.add(entry.skuId);
    skus.push({
      skuId: entry.skuId,
      skuPartNumber: entry.skuPartNumber,
      displayName: entry.displayName,
      appliesTo: "User",
      capabilityStatus: warning ? "Warning" : "Enabled",
      prepaidUnits: { enabled: warning ? 0 : enabledUnits, suspended: 0, warning: warning ? enabledUnits : 0, lockedOut: 0 },
      servicePlans: entry.servicePlans.map((p) => ({
        servicePlanId: p.servicePlanId,
        servicePlanName: p.servicePlanName,
        provisioningStatus: "Success",
        appliesTo: COMPANY_PLANS.has(p.servicePlanName) ? "Company" : "User",
      })),
      subscriptionIds: [guidFrom(seed, wordOf(entry.skuId), 0x5b)],
    });
  };
  for (const role of LICENSE_ROLES) {
    const used = [...LICENSE_ROLES].filter((r) => roleSku[r] === roleSku[role]).reduce((a, r) => Math.max(a, SLACK[r]), 0);
    const c = consumed.get(roleSku[role]) ?? 0;
    addSku(parts[role], c + Math.ceil(c * used) + (used > 0 ? 2 : 0), role === WARNING_ROLE);
  }
  addSku(UNASSIGNED_PART_NUMBER, 25, false);
  const subscriptions = generateSubscriptions({ seed, nowMs, skus, roleOf: (skuId) => LICENSE_ROLES.find((r) => roleSku[r] === skuId) });

  // Service principals: the enterprise apps, then our own app registrations.
  const principalOf = (i: number): { id: string; displayName: string } => {
    const u = userAt(i);
    return { id: u.id, displayName: u.displayName };
  };
  const servicePrincipals: SimServicePrincipal[] = ENTERPRISE_APPS.map((app, k) => {
    const multiTenant = app.sso === "oidc";
    const spId = guidFrom(seed, 0x7000 + k, 1);
    const appRoleId = app.sso === "saml" ? guidFrom(seed, 0x7000 + k, 3) : "00000000-0000-0000-0000-000000000000";
    const rng = createRng(hash32(seed, 0x7000 + k));
    const created = (daysAgo: number): string => new Date(nowMs - daysAgo * DAY_MS - rng.int(0, 86_399_999)).toISOString();
    const assignments: SimAppRoleAssignment[] = [];
    const g = APP_GROUP_OF[k] ?? -1;
    if (g >= 0) {
      assignments.push({ id: assignmentId(seed, 0x7000 + k, g), appRoleId, createdDateTime: created(rng.int(200, 900)), principalType: "Group", principalId: groupIds[g] as string, principalDisplayName: groupNames[g] as string });
    }
    if (app.assignmentRequired) {
      const direct = Math.min(12, Math.max(1, Math.floor(users / 50)));
      const picked = new Set<number>();
      for (let n = 0; n < direct; n++) picked.add(breakGlassCount(users) + (hash32(seed, 0x7000 + k, n) % (users - breakGlassCount(users))));
      for (const i of picked) {
        const u = principalOf(i);
        assignments.push({ id: assignmentId(seed, 0x7000 + k, 0x10000 + i), appRoleId, createdDateTime: created(rng.int(10, 900)), principalType: "User", principalId: u.id, principalDisplayName: u.displayName });
      }
    }
    const tags = ["WindowsAzureActiveDirectoryIntegratedApp"];
    if (app.sso === "saml") tags.push("WindowsAzureActiveDirectoryCustomSingleSignOnApplication");
    return {
      id: spId,
      appId: guidFrom(seed, 0x7000 + k, 2),
      displayName: app.name,
      appDisplayName: app.name,
      publisherName: app.publisher,
      appOwnerOrganizationId: multiTenant ? guidFrom(wordOf(app.publisher), 0x0a11) : tenantId,
      accountEnabled: true,
      appRoleAssignmentRequired: app.assignmentRequired,
      preferredSingleSignOnMode: app.sso,
      servicePrincipalType: "Application",
      signInAudience: multiTenant ? "AzureADMultipleOrgs" : "AzureADMyOrg",
      tags,
      verifiedPublisher: multiTenant
        ? { displayName: app.publisher, verifiedPublisherId: String(1_000_000 + (wordOf(app.publisher) % 8_999_999)), addedDateTime: "2023-04-12T09:30:00Z" }
        : { displayName: null, verifiedPublisherId: null, addedDateTime: null },
      assignments,
    };
  });
  for (const app of apps) {
    servicePrincipals.push({
      id: guidFrom(seed, wordOf(app.clientId), 0x5e),
      appId: app.clientId,
      displayName: app.displayName,
      appDisplayName: app.displayName,
      publisherName: displayName,
      appOwnerOrganizationId: tenantId,
      accountEnabled: true,
      appRoleAssignmentRequired: false,
      preferredSingleSignOnMode: null,
      servicePrincipalType: "Application",
      signInAudience: "AzureADMyOrg",
      tags: [],
      verifiedPublisher: { displayName: null, verifiedPublisherId: null, addedDateTime: null },
      assignments: [],
    });
  }

  // Users.

  function userId(i: number): string {
    const a = hex8(hash32(seed, i, 11));
    const b = hex8(hash32(seed, i, 12));
    return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${"89ab"[hash32(seed, i, 13) & 3]}${b.slice(4, 7)}-${hex8((i ^ idMask) >>> 0)}${hex8(hash32(seed, i, 14)).slice(0, 4)}`;
  }

  function licensesOf(core: UserCore, createdMs: number): SimLicense[] {
    const rng = createRng(hash32(seed, core.index, 0x11c));
    return core.licenses.map((l) => {
      const assigned = Math.min(nowMs - 3_600_000, createdMs + rng.int(60, 30 * 86_400) * 1000);
      return {
        skuId: roleSku[l.role],
        disabledPlans: [],
        assignedByGroup: l.group >= 0 ? (groupIds[l.group] as string) : null,
        state: "Active",
        error: "None",
        // A Copilot seat came later than the suite: its own assignment date drives the grace period.
        lastUpdatedDateTime: iso(l.role === "copilot" && core.copilot ? core.copilot.assignedMs : assigned),
      };
    });
  }

  function userAt(i: number): SimUser {
    if (!Number.isInteger(i) || i < 0 || i >= users) throw new SeatwiseError("simulator.userIndex", `user index ${i} outside 0..${users - 1}`);
    const core = generateUserCore(ctx, i);
    const rng = createRng(hash32(seed, i, 0xdec0));
    const given = rng.pick(GIVEN_NAMES);
    const surname = rng.pick(SURNAMES);
    const dept = core.dept >= 0 ? DEPARTMENTS[core.dept] : undefined;
    const country = COUNTRIES[core.country] as (typeof COUNTRIES)[number];
    const place = country.cities[core.city] ?? country.cities[0];
    const domain = TENANT_DOMAINS[core.domain] as string;
    const id = userId(i);
    let upn: string;
    let displayName = `${given} ${surname}`;
    let mail: string | null;
    let givenName: string | null = given;
    let familyName: string | null = surname;
    let jobTitle: string | null = dept ? rng.pick(dept.titles) : null;
    let otherMails: string[] = [];
    const p = core.persona;
    const special = p === "sharedMailbox" || p === "roomMailbox" || p === "serviceAccount" || p === "breakGlass";
    if (p === "guest" || p === "licensedGuest") {
      const home = rng.pick(GUEST_DOMAINS);
      const local = `${given}.${surname}${i}`.toLowerCase();
      mail = `${local}@${home}`;
      upn = `${local}_${home}#EXT#@${TENANT_DOMAINS[2]}`;
      otherMails = [mail];
      displayName = `${given} ${surname} (${home.split(".")[0]})`;
      jobTitle = null;
    } else if (p === "sharedMailbox") {
      upn = `shared.${slug(dept?.name ?? "general")}${i}@${domain}`;
      displayName = `${dept?.name ?? "General"} Shared Inbox ${i}`;
      givenName = familyName = jobTitle = null;
      mail = upn;
    } else if (p === "roomMailbox") {
      upn = `room.${surname.toLowerCase()}${i}@${domain}`;
      displayName = `Conf Room ${surname} ${i}`;
      givenName = familyName = jobTitle = null;
      mail = upn;
    } else if (p === "serviceAccount") {
      const word = rng.pick(["backup", "scanner", "sync", "crm-integration", "printer", "monitoring"] as const);
      upn = `svc-${word}${i}@${domain}`;
      displayName = `SVC ${word} ${i}`;
      givenName = familyName = null;
      jobTitle = "Service account";
      mail = upn;
    } else if (p === "breakGlass") {
      upn = `breakglass${i}@${TENANT_DOMAINS[2]}`;
      displayName = `Emergency Access Admin ${i + 1}`;
      givenName = familyName = null;
      jobTitle = "Emergency access account";
      mail = null;
    } else {
      upn = `${given}.${surname}${i}@${domain}`.toLowerCase();
      mail = core.mailboxKind === "none" ? null : upn;
    }
    const guest = !core.member;
    const synced = !guest && !special && rng.chance(0.6);
    const ext: SimUser["onPremisesExtensionAttributes"] = {
      extensionAttribute1: dept ? `CC-${1000 + core.dept * 10}` : null,
      extensionAttribute2: null, extensionAttribute3: null, extensionAttribute4: null, extensionAttribute5: null,
      extensionAttribute6: null, extensionAttribute7: null, extensionAttribute8: null, extensionAttribute9: null,
      extensionAttribute10: null, extensionAttribute11: null, extensionAttribute12: null, extensionAttribute13: null,
      extensionAttribute14: null, extensionAttribute15: null,
    };
    const managerIndex = Math.floor(i / 7);
    const licenses = overlay.get(i)?.map((l) => ({ ...l, disabledPlans: [...l.disabledPlans] })) ?? licensesOf(core, core.createdMs);
    const lastInteractive = lastInteractiveMs(core);
    const lastSuccessful = lastSuccessfulMs(core);
    const activity = {} as Record<Workload, string | null>;
    for (const w of WORKLOADS) activity[w] = isoDay(core.activity[w]);
    let copilot: SimCopilot | null = null;
    if (core.copilot) {
      const apps = {} as SimCopilot["apps"];
      for (const app of COPILOT_APPS) apps[app] = isoDay(core.copilot.apps[app]);
      copilot = { lastActivityDate: activity.copilot, apps };
    }
    const anyApp = core.desktopWindows || core.desktopMac || core.mobile || core.web;
    const appDays = [core.activity.outlook, core.activity.teams, core.activity.oneDrive, core.activity.sharePoint].filter((d): d is number => d !== null);
    const registered = core.mfaRegistered;
    const user: SimUser = {
      index: i,
      id,
      userPrincipalName: upn,
      displayName,
      givenName,
      surname: familyName,
      mail,
      otherMails,
      proxyAddresses: mail && !guest ? [`SMTP:${mail}`, `smtp:${upn.split("@")[0]}@${TENANT_DOMAINS[2]}`] : [],
      userType: guest ? "Guest" : "Member",
      accountEnabled: core.enabled,
      createdDateTime: iso(core.createdMs),
      department: dept?.name ?? null,
      companyName: guest ? null : (COMPANY_BY_DOMAIN[core.domain] ?? null),
      jobTitle,
      employeeId: guest || special ? null : `E${String(i).padStart(7, "0")}`,
      officeLocation: guest || p === "serviceAccount" || p === "breakGlass" ? null : `${place?.city ?? ""} ${rng.int(1, 6)}`,
      streetAddress: guest || special ? null : `${rng.int(1, 999)} Example Street`,
      city: guest ? null : (place?.city ?? null),
      state: guest ? null : (place?.state ?? null),
      postalCode: guest ? null : (place?.postalCode ?? null),
      country: guest ? null : country.name,
      usageLocation: guest && core.licenses.length === 0 ? null : country.code,
      preferredLanguage: guest ? null : country.language,
      onPremisesSyncEnabled: synced ? true : null,
      onPremisesExtensionAttributes: ext,
      managerId: !guest && !special && managerIndex >= breakGlassCount(users) && managerIndex !== i ? userId(managerIndex) : null,
      licenses,
      signInActivity: {
        lastSignInDateTime: lastInteractive === null ? null : iso(lastInteractive),
        lastNonInteractiveSignInDateTime: core.events.nonInteractive === null ? null : iso(core.events.nonInteractive),
        lastSuccessfulSignInDateTime: lastSuccessful === null ? null : iso(lastSuccessful),
      },
      mfa: {
        isMfaRegistered: registered,
        isMfaCapable: registered,
        isAdmin: core.isAdmin,
        isSsprRegistered: registered && rng.chance(0.7),
        methodsRegistered: !registered
          ? []
          : p === "breakGlass"
            ? ["fido2"]
            : rng.chance(0.3)
              ? ["mobilePhone", "microsoftAuthenticatorPush", "softwareOneTimePasscode"]
              : ["microsoftAuthenticatorPush", "softwareOneTimePasscode"],
        defaultMethod: !registered ? "none" : p === "breakGlass" ? "none" : "push",
      },
      mailbox: {
        kind: core.mailboxKind,
        storageUsedBytes: core.mailboxBytes,
        itemCount: core.mailboxItems,
        hasArchive: core.hasArchive,
        createdDate: core.mailboxKind === "none" ? null : isoDay(Math.floor(core.createdMs / DAY_MS)),
      },
      apps: {
        windows: core.desktopWindows,
        mac: core.desktopMac,
        mobile: core.mobile,
        web: core.web,
        lastActivityDate: anyApp && appDays.length > 0 ? isoDay(Math.max(...appDays)) : null,
        activations: core.activations.map((a) => ({ productType: a.productType, lastActivatedDate: isoDay(a.lastActivatedDay) as string, windows: a.windows, mac: a.mac })),
      },
      oneDrive: {
        storageUsedBytes: core.oneDriveBytes,
        fileCount: core.oneDriveFiles,
        activeFileCount: core.activity.oneDrive !== null && core.activity.oneDrive > ctx.reportMaxDay - 30 ? Math.min(core.oneDriveFiles, rng.int(1, 60)) : 0,
        lastActivityDate: activity.oneDrive,
      },
      activity,
      copilot,
      persona: p,
      truth: { reclaim: [], reclaimViaGroup: [], downgrade: [], traps: [], review: [] },
    };
    const workloadActivityMs: number[] = [];
    for (const w of WORKLOADS) {
      const d = core.activity[w];
      if (d !== null) workloadActivityMs.push(d * DAY_MS);
    }
    const dayMs = (d: number | null): number | null => (d === null ? null : d * DAY_MS);
    user.truth = computeTruth(
      {
        persona: p,
        userType: user.userType,
        accountEnabled: core.enabled,
        createdMs: core.createdMs,
        licenses,
        lastSuccessfulSignInMs: lastSuccessful,
        lastNonInteractiveSignInMs: core.events.nonInteractive,
        workloadActivityMs,
        powerBiActivityMs: dayMs(core.activity.powerBi),
        projectActivityMs: dayMs(core.activity.project),
        visioActivityMs: dayMs(core.activity.visio),
        desktopWindows: core.desktopWindows,
        desktopMac: core.desktopMac,
        activations: core.activations.map((a) => ({ productType: a.productType, lastActivatedMs: a.lastActivatedDay * DAY_MS, windows: a.windows, mac: a.mac })),
        mailbox: { kind: core.mailboxKind, storageUsedBytes: core.mailboxBytes, hasArchive: core.hasArchive },
        oneDriveBytes: core.oneDriveBytes,
        copilotActivityMs: core.copilot ? COPILOT_APPS.flatMap((app) => dayMs(core.copilot!.apps[app]) ?? []) : [],
        inProtectedGroup: core.groups.includes(GROUP_PROTECTED),
      },
      nowMs,
      truthSkus,
    );
    return user;
  }

  function indexOf(idOrUpn: string): number {
    const s = idOrUpn.trim().toLowerCase();
    let i: number;
    if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(s)) {
      i = (parseInt(s.slice(24, 32), 16) ^ idMask) >>> 0;
      return i < users && userId(i) === s ? i : -1;
    }
    // Every UPN's local part ends with the user index (guests: before the `_home.domain#EXT#` part).
    const m = /^[^@#_0-9]*([0-9]+)[@_#]/.exec(s);
    if (!m) return -1;
    i = Number(m[1]);
    return i < users && userAt(i).userPrincipalName.toLowerCase() === s ? i : -1;
  }

  function currentSkuIds(i: number): string[] {
    const list = overlay.get(i);
    if (list) return [...new Set(list.map((l) => l.skuId))];
    return [...new Set(generateUserCore(ctx, i).licenses.map((l) => roleSku[l.role]))];
  }

  function setLicenses(i: number, licenses: SimLicense[]): void {
    if (!Number.isInteger(i) || i < 0 || i >= users) throw new SeatwiseError("simulator.userIndex", `user index ${i} outside 0..${users - 1}`);
    for (const skuId of currentSkuIds(i)) consumed.set(skuId, (consumed.get(skuId) ?? 0) - 1);
    overlay.set(i, licenses.map((l) => ({ ...l, skuId: l.skuId.toLowerCase(), disabledPlans: [...l.disabledPlans] })));
    for (const skuId of new Set(licenses.map((l) => l.skuId.toLowerCase()))) consumed.set(skuId, (consumed.get(skuId) ?? 0) + 1);
  }

  // Sign-in log: built on first read. Each entry packs (hour bucket, user index) into a uint32.
  const retentionDays = signInRetentionDays(modes);
  const windowStartMs = nowMs - retentionDays * DAY_MS;
  let packed: Uint32Array | undefined;

  function buildSignInIndex(): Uint32Array {
    let buf = new Uint32Array(Math.max(1024, users * 2));
    let n = 0;
    for (let i = 0; i < users; i++) {
      const core = generateUserCore(ctx, i);
      for (const kind of EVENT_KINDS) {
        const t = core.events[kind];
        if (t === null || t < windowStartMs || t > nowMs) continue;
        if (n === buf.length) {
          const bigger = new Uint32Array(buf.length * 2);
          bigger.set(buf);
          buf = bigger;
        }
        buf[n++] = ((Math.floor((t - windowStartMs) / HOUR_MS) << USER_BITS) | i) >>> 0;
      }
    }
    return buf.slice(0, n).sort();
  }

  function renderSignIn(core: UserCore, kind: EventKind, t: number): SimSignIn {
    const i = core.index;
    const k = EVENT_KINDS.indexOf(kind);
    const h = hash32(seed, i, k, 0x51);
    let app: { appId: string; appDisplayName: string; resourceId: string; resourceDisplayName: string };
    const sp = core.ssoApp >= 0 ? servicePrincipals[core.ssoApp] : undefined;
    const spApp = sp ? { appId: sp.appId, appDisplayName: sp.displayName, resourceId: sp.appId, resourceDisplayName: sp.displayName } : SIGN_IN_APPS.officeHome;
    if (kind === "powerBi" || kind === "project" || kind === "visio") app = SIGN_IN_APPS[kind];
    else if (kind === "sso") app = spApp;
    else if (kind === "nonInteractive") app = core.persona === "serviceAccount" ? SIGN_IN_APPS.office : h & 1 ? SIGN_IN_APPS.authBroker : SIGN_IN_APPS.office;
    else if (core.primaryApp === "sso") app = spApp;
    else app = SIGN_IN_APPS[core.primaryApp];
    const interactive = kind !== "nonInteractive";
    const browser =
      kind === "sso" ||
      kind === "powerBi" ||
      kind === "project" ||
      kind === "visio" ||
      ((kind === "primary" || kind === "earlier" || kind === "failed") && ["officeHome", "sharePoint", "azurePortal", "sso"].includes(core.primaryApp));
    const country = COUNTRIES[core.country] as (typeof COUNTRIES)[number];
    const place = country.cities[core.city] ?? country.cities[0];
    const failed = kind === "failed";
    const mfa = interactive && !failed && core.mfaRegistered && (core.persona === "ssoOnly" || core.persona === "breakGlass" || h % 10 < 7);
    return {
      id: guidFrom(seed, i, k, 0x51),
      createdDateTime: iso(t),
      userIndex: i,
      appId: app.appId,
      appDisplayName: app.appDisplayName,
      resourceId: app.resourceId,
      resourceDisplayName: app.resourceDisplayName,
      isInteractive: interactive,
      signInEventType: interactive ? "interactiveUser" : "nonInteractiveUser",
      clientAppUsed: browser ? "Browser" : "Mobile Apps and Desktop clients",
      // RFC 5737 documentation range: never a real address.
      ipAddress: `203.0.113.${1 + (hash32(seed, i, 0x1b) % 254)}`,
      location: { city: place?.city ?? "", state: place?.state ?? "", countryOrRegion: country.code },
      status: failed
        ? { errorCode: 50057, failureReason: "User account is disabled. The account has been disabled by an administrator." }
        : { errorCode: 0, failureReason: null },
      mfa,
    };
  }

  function* signIns(options: { sinceIso: string; untilIso: string }): Iterable<SimSignIn> {
    const since = Math.max(Date.parse(options.sinceIso), windowStartMs);
    const until = Math.min(Date.parse(options.untilIso), nowMs);
    if (!(since <= until)) return;
    packed ??= buildSignInIndex();
    const index = packed;
    const bucketOf = (v: number): number => v >>> USER_BITS;
    const firstBucket = Math.floor((since - windowStartMs) / HOUR_MS);
    const lastBucket = Math.floor((until - windowStartMs) / HOUR_MS);
    // Entries are sorted, so a bucket is a contiguous run; walk runs from the end (newest first).
    let end = upperBound(index, (((lastBucket + 1) << USER_BITS) >>> 0) - 1);
    for (let b = lastBucket; b >= firstBucket && end > 0; b--) {
      const start = upperBound(index, ((b << USER_BITS) >>> 0) - 1);
      const batch: SimSignIn[] = [];
      let prevUser = -1;
      for (let e = start; e < end; e++) {
        const i = (index[e] as number) & ((1 << USER_BITS) - 1);
        if (i === prevUser) continue;
        prevUser = i;
        const core = generateUserCore(ctx, i);
        for (const kind of EVENT_KINDS) {
          const t = core.events[kind];
          if (t === null || t < since || t > until || Math.floor((t - windowStartMs) / HOUR_MS) !== b) continue;
          batch.push(renderSignIn(core, kind, t));
        }
      }
      batch.sort((x, y) => (x.createdDateTime < y.createdDateTime ? 1 : x.createdDateTime > y.createdDateTime ? -1 : x.id < y.id ? 1 : -1));
      yield* batch;
      end = start;
      if (start > 0 && bucketOf(index[start - 1] as number) < firstBucket) break;
    }
  }

  return {
    tenantId,
    displayName,
    domains: [...TENANT_DOMAINS],
    now: new Date(nowMs),
    seed,
    modes: { ...modes },
    userCount: users,
    userAt,
    indexOf,
    skus,
    subscriptions,
    consumedUnits: (skuId: string) => consumed.get(skuId.toLowerCase()) ?? 0,
    groups,
    servicePrincipals,
    apps,
    signIns,
    setLicenses,
  };
}

/** First position whose value is greater than `value` in an ascending Uint32Array. */
function upperBound(sorted: Uint32Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
