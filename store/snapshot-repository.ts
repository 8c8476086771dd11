/**
 * Writes one run's collected data and reads the visible (latest complete) snapshot back.
 * Column mapping between Graph's camelCase and SQL's snake_case lives here only.
 */
import type { AppAssignment, EnterpriseApp } from "../core/collected-records.ts";
import type { MfaRegistration } from "../core/collected-records.ts";
import type { SignInRecord } from "../core/collected-records.ts";
import type { GraphCompanySubscription, GraphSubscribedSku, GraphUser } from "../core/graph-types.ts";
import type { ReportResult, UserUsage } from "../core/collected-records.ts";
import { insertRows, type InsertSpec } from "./insert-rows.ts";
import { foldUsageParts, USER_USAGE_PARTS } from "./fold-usage.ts";
import { mergeJsonPatch } from "./merge-json-patch.ts";
import type { SqlDatabase, SqlValue } from "./sql-database.ts";

export interface CoverageRecord {
  task: string;
  part: string;
  status: "collected" | "skipped" | "failed";
  reason?: string;
  detail?: string;
  items?: number;
  /**
   * Protected groups (`groups.list`) that matched no group in the tenant, and whether each was only a
   * suggestion of the shipped pack. Reported in the run summary; the store keeps `reason` and `detail`.
   */
  notFound?: { name: string; suggested: boolean }[];
}

export interface LastSignIn {
  userId: string;
  userPrincipalName: string;
  appId: string;
  appDisplayName: string;
  last: string;
  interactive: boolean;
  city: string | null;
  countryOrRegion: string | null;
}

export interface SnapshotRepository {
  saveUsers(runId: string, users: readonly GraphUser[]): Promise<void>;
  saveSkus(runId: string, skus: readonly GraphSubscribedSku[], displayName: (skuId: string) => string | undefined): Promise<void>;
  saveCoverage(runId: string, records: readonly CoverageRecord[]): Promise<void>;
  saveReportStatus(runId: string, results: readonly ReportResult[]): Promise<void>;
  /**
   * Merges one report's per-user usage into the run's (RFC 7396 JSON Merge Patch, as SQLite's
   * `json_patch`: objects merge key by key; a null value is stored as an absent key, read back as
   * "no data"). Keyed by lower-cased UPN.
   */
  mergeUsage(runId: string, usage: ReadonlyMap<string, UserUsage>): Promise<void>;
  /**
   * Makes the run's merged usage readable after its last `mergeUsage`: PostgreSQL folds the
   * reports' staged rows into one document per user (store/fold-usage.ts); SQLite merged in place.
   */
  completeUsage(runId: string): Promise<void>;
  saveMfa(runId: string, rows: readonly MfaRegistration[]): Promise<void>;
  /** Adds sign-ins to the tenant's history (idempotent by sign-in id). */
  saveSignIns(tenantId: string, rows: readonly SignInRecord[]): Promise<void>;
  saveGroups(runId: string, groups: readonly { id: string; displayName: string }[]): Promise<void>;
  groups(runId: string): Promise<{ id: string; displayName: string }[]>;
  saveGroupMembers(runId: string, groupId: string, userIds: readonly string[]): Promise<void>;
  saveMailboxPurposes(runId: string, purposes: ReadonlyMap<string, string>): Promise<void>;
  /** user id → Exchange `userPurpose` (user, shared, room, equipment). */
  mailboxPurposes(runId: string): Promise<Map<string, string>>;
  /** user id → ids of the collected groups the user belongs to. */
  memberships(runId: string): Promise<Map<string, string[]>>;
  saveApps(runId: string, apps: readonly EnterpriseApp[], assignments: readonly AppAssignment[]): Promise<void>;
  /** Small named values of a run (e.g. the organization's display name). */
  saveRunFact(runId: string, name: string, value: string): Promise<void>;
  apps(runId: string): Promise<EnterpriseApp[]>;
  appAssignments(runId: string): Promise<AppAssignment[]>;
  runFact(runId: string, name: string): Promise<string | undefined>;
  watermark(tenantId: string, name: string): Promise<string | undefined>;
  setWatermark(tenantId: string, name: string, value: string): Promise<void>;
  users(runId: string): Promise<GraphUser[]>;
  reportStatus(runId: string): Promise<ReportResult[]>;
  usage(runId: string): Promise<Map<string, UserUsage>>;
  mfa(runId: string): Promise<MfaRegistration[]>;
  /**
   * Per user and application: the last successful sign-in in the whole history, with its location;
   * with `asOf` (ISO date-time), the last one created before it (a collection run's view, later runs left out).
   */
  lastSignInPerApp(tenantId: string, asOf?: string): Promise<LastSignIn[]>;
  skus(runId: string): Promise<GraphSubscribedSku[]>;
  coverage(runId: string): Promise<CoverageRecord[]>;
  /** Saves a run's commercial subscriptions (GET /directory/subscriptions). */
  saveSubscriptions(runId: string, subscriptions: readonly GraphCompanySubscription[]): Promise<void>;
  subscriptions(runId: string): Promise<GraphCompanySubscription[]>;
}

const USERS: InsertSpec = { table: "users", columns: ["run_id", "user_id", "user_principal_name", "json"], key: ["run_id", "user_id"], onConflict: "replace" };
const USER_LICENSES: InsertSpec = {
  table: "user_licenses",
  columns: ["run_id", "user_id", "sku_id", "assigned_by_group", "state", "disabled_plans_json"],
  key: ["run_id", "user_id", "sku_id", "assigned_by_group"],
  onConflict: "replace",
};
const SKUS: InsertSpec = {
  table: "skus",
  columns: ["run_id", "sku_id", "sku_part_number", "display_name", "applies_to", "capability_status", "enabled", "warning", "suspended", "locked_out", "consumed", "json"],
  key: ["run_id", "sku_id"],
  onConflict: "replace",
};
const COVERAGE: InsertSpec = { table: "coverage", columns: ["run_id", "task", "part", "status", "reason", "detail", "items"], key: ["run_id", "task", "part"], onConflict: "replace" };
const REPORT_STATUS: InsertSpec = { table: "report_status", columns: ["run_id", "report", "refresh_date", "rows", "concealed"], key: ["run_id", "report"], onConflict: "replace" };
const MFA: InsertSpec = { table: "mfa_registration", columns: ["run_id", "user_id", "json"], key: ["run_id", "user_id"], onConflict: "replace" };
const SIGN_INS: InsertSpec = {
  table: "sign_ins",
  columns: ["tenant_id", "sign_in_id", "created_date_time", "user_id", "app_id", "app_display_name", "is_interactive", "error_code", "json"],
  key: ["tenant_id", "sign_in_id"],
  onConflict: "ignore",
};
const GROUPS: InsertSpec = { table: "groups", columns: ["run_id", "group_id", "display_name"], key: ["run_id", "group_id"], onConflict: "replace" };
const GROUP_MEMBERS: InsertSpec = { table: "group_members", columns: ["run_id", "group_id", "user_id"], key: ["run_id", "group_id", "user_id"], onConflict: "ignore" };
const MAILBOX_SETTINGS: InsertSpec = { table: "mailbox_settings", columns: ["run_id", "user_id", "user_purpose"], key: ["run_id", "user_id"], onConflict: "replace" };
const APPS: InsertSpec = { table: "apps", columns: ["run_id", "service_principal_id", "app_id", "json"], key: ["run_id", "service_principal_id"], onConflict: "replace" };
const APP_ASSIGNMENTS: InsertSpec = {
  table: "app_assignments",
  columns: ["run_id", "service_principal_id", "user_id", "via_group_id", "assigned_at"],
  key: ["run_id", "service_principal_id", "user_id", "via_group_id"],
  onConflict: "replace",
};
const SUBSCRIPTIONS: InsertSpec = {
  table: "subscriptions",
  columns: ["run_id", "subscription_id", "sku_id", "sku_part_number", "status", "is_trial", "created_date_time", "next_lifecycle_date_time", "total_licenses", "json"],
  key: ["run_id", "subscription_id"],
  onConflict: "replace",
};
const RUN_FACTS: InsertSpec = { table: "run_facts", columns: ["run_id", "name", "value"], key: ["run_id", "name"], onConflict: "replace" };
const WATERMARKS: InsertSpec = { table: "watermarks", columns: ["tenant_id", "name", "value"], key: ["tenant_id", "name"], onConflict: "replace" };

/** UPNs in the IN lists of one usage read-back statement. */

export function createSnapshotRepository(db: SqlDatabase): SnapshotRepository {
  /** Inserts rows in one transaction (or in the caller's). */
  /** A text column in ORDER BY, compared byte by byte in both engines (PostgreSQL's default collation follows the server's locale). */
  const c = (column: string) => (db.dialect === "postgres" ? `${column} COLLATE "C"` : column);
  const save = (spec: InsertSpec, rows: readonly (readonly SqlValue[])[]) => db.transaction((tx) => insertRows(tx, spec, rows));
  return {
    async saveUsers(runId, users) {
      const licenses: SqlValue[][] = [];
      for (const u of users) {
        // licenseAssignmentStates tells direct vs group; fall back to assignedLicenses (direct unknown → '').
        const states = u.licenseAssignmentStates ?? (u.assignedLicenses ?? []).map((l) => ({ ...l, assignedByGroup: null, state: null, error: null }));
        for (const l of states) licenses.push([runId, u.id, l.skuId, l.assignedByGroup ?? "", l.state ?? null, JSON.stringify(l.disabledPlans ?? [])]);
      }
      await db.transaction(async (tx) => {
        await insertRows(tx, USERS, users.map((u) => [runId, u.id, u.userPrincipalName, JSON.stringify(u)]));
        await insertRows(tx, USER_LICENSES, licenses);
      });
    },
    async saveSkus(runId, skus, displayName) {
      await save(
        SKUS,
        skus.map((s) => [
          runId,
          s.skuId,
          s.skuPartNumber,
          displayName(s.skuId) ?? null,
          s.appliesTo ?? null,
          s.capabilityStatus,
          s.prepaidUnits.enabled,
          s.prepaidUnits.warning,
          s.prepaidUnits.suspended,
          s.prepaidUnits.lockedOut ?? 0,
          s.consumedUnits,
          JSON.stringify(s),
        ]),
      );
    },
    async saveCoverage(runId, records) {
      await save(COVERAGE, records.map((r) => [runId, r.task, r.part, r.status, r.reason ?? null, r.detail ?? null, r.items ?? 0]));
    },
    async saveReportStatus(runId, results) {
      await save(REPORT_STATUS, results.map((r) => [runId, r.report, r.refreshDate, r.rows, r.concealed ? 1 : 0]));
    },
    async mergeUsage(runId, usage) {
      // Keys are lower-cased UPNs (SQLite's key is also COLLATE NOCASE; PostgreSQL's is not).
      const patches = new Map<string, UserUsage>();
      for (const [upn, u] of usage) {
        const key = upn.toLowerCase();
        const earlier = patches.get(key);
        patches.set(key, earlier === undefined ? u : (mergeJsonPatch(earlier, u) as UserUsage));
      }
      await db.transaction(async (tx) => {
        if (tx.dialect === "sqlite") {
          // SQLite merges in place with json_patch (RFC 7396, the same result as mergeJsonPatch: a
          // property test holds them to it), which measured twice as fast as reading rows back.
          for (const [upn, u] of patches) {
            await tx.run(
              "INSERT INTO user_usage (run_id, user_principal_name, json) VALUES (?, ?, ?) ON CONFLICT (run_id, user_principal_name) DO UPDATE SET json = json_patch(user_usage.json, excluded.json)",
              [runId, upn, JSON.stringify(u)],
            );
          }
          return;
        }
        // PostgreSQL appends the rows, to be folded once when the run's reports are in (completeUsage).
        await insertRows(tx, USER_USAGE_PARTS, [...patches].map(([upn, u]) => [runId, upn, JSON.stringify(u)]));
      });
    },
    async completeUsage(runId) {
      if (db.dialect === "postgres") await foldUsageParts(db, runId);
    },
    async saveMfa(runId, rows) {
      await save(MFA, rows.map((r) => [runId, r.id, JSON.stringify(r)]));
    },
    async saveSignIns(tenantId, rows) {
      await save(SIGN_INS, rows.map((r) => [tenantId, r.id, r.createdDateTime, r.userId, r.appId, r.appDisplayName, r.isInteractive ? 1 : 0, r.errorCode, JSON.stringify(r)]));
    },
    async saveGroups(runId, groups) {
      await save(GROUPS, groups.map((g) => [runId, g.id, g.displayName]));
    },
    groups: async (runId) =>
      (await db.all(`SELECT group_id, display_name FROM groups WHERE run_id = ? ORDER BY ${c("display_name")}, ${c("group_id")}`, [runId])).map((r) => ({ id: String(r.group_id), displayName: String(r.display_name) })),
    async saveGroupMembers(runId, groupId, userIds) {
      await save(GROUP_MEMBERS, userIds.map((u) => [runId, groupId, u]));
    },
    async saveMailboxPurposes(runId, purposes) {
      await save(MAILBOX_SETTINGS, [...purposes].map(([userId, purpose]) => [runId, userId, purpose]));
    },
    mailboxPurposes: async (runId) => new Map((await db.all("SELECT user_id, user_purpose FROM mailbox_settings WHERE run_id = ?", [runId])).map((r) => [String(r.user_id), String(r.user_purpose)])),
    async memberships(runId) {
      const out = new Map<string, string[]>();
      for (const r of await db.all(`SELECT user_id, group_id FROM group_members WHERE run_id = ? ORDER BY ${c("user_id")}, ${c("group_id")}`, [runId])) {
        const k = String(r.user_id);
        out.set(k, [...(out.get(k) ?? []), String(r.group_id)]);
      }
      return out;
    },
    async saveApps(runId, apps, assignments) {
      await db.transaction(async (tx) => {
        await insertRows(tx, APPS, apps.map((a) => [runId, a.id, a.appId, JSON.stringify(a)]));
        await insertRows(tx, APP_ASSIGNMENTS, assignments.map((a) => [runId, a.servicePrincipalId, a.userId, a.viaGroupId ?? "", a.assignedAt]));
      });
    },
    saveRunFact: async (runId, name, value) => {
      await insertRows(db, RUN_FACTS, [[runId, name, value]]);
    },
    apps: async (runId) =>
      (await db.all(`SELECT json FROM apps WHERE run_id = ? ORDER BY ${c("service_principal_id")}`, [runId])).map((r) => JSON.parse(String(r.json)) as EnterpriseApp),
    appAssignments: async (runId) =>
      (await db.all(`SELECT a.service_principal_id, p.app_id, a.user_id, a.via_group_id, a.assigned_at FROM app_assignments a JOIN apps p ON p.run_id = a.run_id AND p.service_principal_id = a.service_principal_id WHERE a.run_id = ? ORDER BY ${c("a.service_principal_id")}, ${c("a.user_id")}, ${c("a.via_group_id")}`, [runId])).map((r) => ({
        servicePrincipalId: String(r.service_principal_id),
        appId: String(r.app_id),
        userId: String(r.user_id),
        viaGroupId: r.via_group_id === "" ? null : String(r.via_group_id),
        assignedAt: r.assigned_at === null ? null : String(r.assigned_at),
      })),
    runFact: async (runId, name) => {
      const [row] = await db.all("SELECT value FROM run_facts WHERE run_id = ? AND name = ?", [runId, name]);
      return row ? String(row.value) : undefined;
    },
    watermark: async (tenantId, name) => {
      const [row] = await db.all("SELECT value FROM watermarks WHERE tenant_id = ? AND name = ?", [tenantId, name]);
      return row ? String(row.value) : undefined;
    },
    setWatermark: async (tenantId, name, value) => {
      await insertRows(db, WATERMARKS, [[tenantId, name, value]]);
    },
    reportStatus: async (runId) =>
      (await db.all(`SELECT report, refresh_date, rows, concealed FROM report_status WHERE run_id = ? ORDER BY ${c("report")}`, [runId])).map((r) => ({
        report: String(r.report) as ReportResult["report"],
        refreshDate: r.refresh_date === null ? null : String(r.refresh_date),
        rows: Number(r.rows),
        concealed: Number(r.concealed) === 1,
      })),
    usage: async (runId) => new Map((await db.all("SELECT user_principal_name, json FROM user_usage WHERE run_id = ?", [runId])).map((r) => [String(r.user_principal_name).toLowerCase(), JSON.parse(String(r.json)) as UserUsage])),
    mfa: async (runId) =>
      (await db.all("SELECT json FROM mfa_registration WHERE run_id = ?", [runId])).map((r) => JSON.parse(String(r.json)) as MfaRegistration),
    lastSignInPerApp: async (tenantId, asOf) =>
      (
        await db.all(
          `SELECT user_id, app_id, app_display_name, created_date_time, is_interactive, json
           FROM (SELECT user_id, app_id, app_display_name, created_date_time, is_interactive, json,
                        ROW_NUMBER() OVER (PARTITION BY user_id, app_id ORDER BY created_date_time DESC) AS rn
                 FROM sign_ins WHERE tenant_id = ? AND error_code = 0${asOf === undefined ? "" : " AND created_date_time < ?"}) AS latest
           WHERE rn = 1 ORDER BY ${c("user_id")}, ${c("app_id")}`,
          asOf === undefined ? [tenantId] : [tenantId, asOf],
        )
      ).map((r) => {
        // The stored sign-in record (SignInRecord): its UPN and location, read here rather than with an engine's JSON functions.
        const record = JSON.parse(String(r.json)) as { userPrincipalName?: unknown; city?: unknown; countryOrRegion?: unknown };
        const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
        return {
          userId: String(r.user_id),
          userPrincipalName: text(record.userPrincipalName) ?? "",
          appId: String(r.app_id),
          appDisplayName: String(r.app_display_name),
          last: String(r.created_date_time),
          interactive: Number(r.is_interactive) === 1,
          city: text(record.city),
          countryOrRegion: text(record.countryOrRegion),
        };
      }),
    users: async (runId) =>
      (await db.all(`SELECT json FROM users WHERE run_id = ? ORDER BY ${c("user_id")}`, [runId])).map((r) => JSON.parse(String(r.json)) as GraphUser),
    skus: async (runId) =>
      (await db.all(`SELECT json FROM skus WHERE run_id = ? ORDER BY ${c("sku_part_number")}, ${c("sku_id")}`, [runId])).map((r) => JSON.parse(String(r.json)) as GraphSubscribedSku),
    coverage: async (runId) =>
      (await db.all(`SELECT task, part, status, reason, detail, items FROM coverage WHERE run_id = ? ORDER BY ${c("task")}, ${c("part")}`, [runId])).map((r) => ({
        task: String(r.task),
        part: String(r.part),
        status: r.status as CoverageRecord["status"],
        ...(r.reason === null ? {} : { reason: String(r.reason) }),
        ...(r.detail === null ? {} : { detail: String(r.detail) }),
        items: Number(r.items),
      })),
    async saveSubscriptions(runId, subscriptions) {
      await save(
        SUBSCRIPTIONS,
        subscriptions.map((s) => [runId, s.id, s.skuId, s.skuPartNumber, s.status, s.isTrial === true ? 1 : 0, s.createdDateTime ?? null, s.nextLifecycleDateTime ?? null, s.totalLicenses, JSON.stringify(s)]),
      );
    },
    subscriptions: async (runId) =>
      // NULLS FIRST: SQLite's order for nulls, spelled out for PostgreSQL (which puts them last).
      (await db.all(`SELECT json FROM subscriptions WHERE run_id = ? ORDER BY ${c("sku_part_number")}, ${c("next_lifecycle_date_time")} NULLS FIRST, ${c("subscription_id")}`, [runId])).map(
        (r) => JSON.parse(String(r.json)) as GraphCompanySubscription,
      ),
  };
}
