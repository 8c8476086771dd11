/**
 * Writes one run's collected data and reads the visible (latest complete) snapshot back.
 * Column mapping between Graph's camelCase and SQL's snake_case lives here only.
 */
import type { AppAssignment, EnterpriseApp } from "../core/collected-records.ts";
import type { MfaRegistration } from "../core/collected-records.ts";
import type { SignInRecord } from "../core/collected-records.ts";
import type { GraphCompanySubscription, GraphSubscribedSku, GraphUser } from "../core/graph-types.ts";
import type { ReportResult, UserUsage } from "../core/collected-records.ts";
import type { SqlDatabase } from "./sql-database.ts";

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
   * Merges one report's per-user usage into the run's (SQLite `json_patch`, RFC 7396: objects merge
   * key by key; a null value is stored as an absent key, read back as "no data").
   */
  mergeUsage(runId: string, usage: ReadonlyMap<string, UserUsage>): Promise<void>;
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

export function createSnapshotRepository(db: SqlDatabase): SnapshotRepository {
  return {
    async saveUsers(runId, users) {
      await db.transaction(async (tx) => {
        for (const u of users) {
          await tx.run("INSERT OR REPLACE INTO users (run_id, user_id, user_principal_name, json) VALUES (?, ?, ?, ?)", [runId, u.id, u.userPrincipalName, JSON.stringify(u)]);
          // licenseAssignmentStates tells direct vs group; fall back to assignedLicenses (direct unknown → '').
          const states = u.licenseAssignmentStates ?? (u.assignedLicenses ?? []).map((l) => ({ ...l, assignedByGroup: null, state: null, error: null }));
          for (const l of states) {
            await tx.run(
              "INSERT OR REPLACE INTO user_licenses (run_id, user_id, sku_id, assigned_by_group, state, disabled_plans_json) VALUES (?, ?, ?, ?, ?, ?)",
              [runId, u.id, l.skuId, l.assignedByGroup ?? "", l.state ?? null, JSON.stringify(l.disabledPlans ?? [])],
            );
          }
        }
      });
    },
    async saveSkus(runId, skus, displayName) {
      await db.transaction(async (tx) => {
        for (const s of skus) {
          await tx.run(
            `INSERT OR REPLACE INTO skus (run_id, sku_id, sku_part_number, display_name, applies_to, capability_status, enabled, warning, suspended, locked_out, consumed, json)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            [
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
            ],
          );
        }
      });
    },
    async saveCoverage(runId, records) {
      await db.transaction(async (tx) => {
        for (const r of records) {
          await tx.run("INSERT OR REPLACE INTO coverage (run_id, task, part, status, reason, detail, items) VALUES (?, ?, ?, ?, ?, ?, ?)", [
            runId,
            r.task,
            r.part,
            r.status,
            r.reason ?? null,
            r.detail ?? null,
            r.items ?? 0,
          ]);
        }
      });
    },
    async saveReportStatus(runId, results) {
      await db.transaction(async (tx) => {
        for (const r of results) await tx.run("INSERT OR REPLACE INTO report_status (run_id, report, refresh_date, rows, concealed) VALUES (?, ?, ?, ?, ?)", [runId, r.report, r.refreshDate, r.rows, r.concealed ? 1 : 0]);
      });
    },
    async mergeUsage(runId, usage) {
      await db.transaction(async (tx) => {
        for (const [upn, u] of usage) {
          await tx.run(
            `INSERT INTO user_usage (run_id, user_principal_name, json) VALUES (?, ?, ?)
             ON CONFLICT (run_id, user_principal_name) DO UPDATE SET json = json_patch(json, excluded.json)`,
            [runId, upn, JSON.stringify(u)],
          );
        }
      });
    },
    async saveMfa(runId, rows) {
      await db.transaction(async (tx) => {
        for (const r of rows) await tx.run("INSERT OR REPLACE INTO mfa_registration (run_id, user_id, json) VALUES (?, ?, ?)", [runId, r.id, JSON.stringify(r)]);
      });
    },
    async saveSignIns(tenantId, rows) {
      await db.transaction(async (tx) => {
        for (const r of rows) {
          await tx.run(
            "INSERT OR IGNORE INTO sign_ins (tenant_id, sign_in_id, created_date_time, user_id, app_id, app_display_name, is_interactive, error_code, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [tenantId, r.id, r.createdDateTime, r.userId, r.appId, r.appDisplayName, r.isInteractive ? 1 : 0, r.errorCode, JSON.stringify(r)],
          );
        }
      });
    },
    async saveGroups(runId, groups) {
      await db.transaction(async (tx) => {
        for (const g of groups) await tx.run("INSERT OR REPLACE INTO groups (run_id, group_id, display_name) VALUES (?, ?, ?)", [runId, g.id, g.displayName]);
      });
    },
    groups: async (runId) =>
      (await db.all("SELECT group_id, display_name FROM groups WHERE run_id = ? ORDER BY display_name", [runId])).map((r) => ({ id: String(r.group_id), displayName: String(r.display_name) })),
    async saveGroupMembers(runId, groupId, userIds) {
      await db.transaction(async (tx) => {
        for (const u of userIds) await tx.run("INSERT OR IGNORE INTO group_members (run_id, group_id, user_id) VALUES (?, ?, ?)", [runId, groupId, u]);
      });
    },
    async saveMailboxPurposes(runId, purposes) {
      await db.transaction(async (tx) => {
        for (const [userId, purpose] of purposes) await tx.run("INSERT OR REPLACE INTO mailbox_settings (run_id, user_id, user_purpose) VALUES (?, ?, ?)", [runId, userId, purpose]);
      });
    },
    mailboxPurposes: async (runId) => new Map((await db.all("SELECT user_id, user_purpose FROM mailbox_settings WHERE run_id = ?", [runId])).map((r) => [String(r.user_id), String(r.user_purpose)])),
    async memberships(runId) {
      const out = new Map<string, string[]>();
      for (const r of await db.all("SELECT user_id, group_id FROM group_members WHERE run_id = ? ORDER BY user_id, group_id", [runId])) {
        const k = String(r.user_id);
        out.set(k, [...(out.get(k) ?? []), String(r.group_id)]);
      }
      return out;
    },
    async saveApps(runId, apps, assignments) {
      await db.transaction(async (tx) => {
        for (const a of apps) await tx.run("INSERT OR REPLACE INTO apps (run_id, service_principal_id, app_id, json) VALUES (?, ?, ?, ?)", [runId, a.id, a.appId, JSON.stringify(a)]);
        for (const a of assignments) {
          await tx.run("INSERT OR REPLACE INTO app_assignments (run_id, service_principal_id, user_id, via_group_id, assigned_at) VALUES (?, ?, ?, ?, ?)", [runId, a.servicePrincipalId, a.userId, a.viaGroupId ?? "", a.assignedAt]);
        }
      });
    },
    saveRunFact: async (runId, name, value) => {
      await db.run("INSERT OR REPLACE INTO run_facts (run_id, name, value) VALUES (?, ?, ?)", [runId, name, value]);
    },
    apps: async (runId) =>
      (await db.all("SELECT json FROM apps WHERE run_id = ? ORDER BY service_principal_id", [runId])).map((r) => JSON.parse(String(r.json)) as EnterpriseApp),
    appAssignments: async (runId) =>
      (await db.all("SELECT a.service_principal_id, p.app_id, a.user_id, a.via_group_id, a.assigned_at FROM app_assignments a JOIN apps p ON p.run_id = a.run_id AND p.service_principal_id = a.service_principal_id WHERE a.run_id = ? ORDER BY 1, 3", [runId])).map((r) => ({
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
      await db.run("INSERT OR REPLACE INTO watermarks (tenant_id, name, value) VALUES (?, ?, ?)", [tenantId, name, value]);
    },
    reportStatus: async (runId) =>
      (await db.all("SELECT report, refresh_date, rows, concealed FROM report_status WHERE run_id = ? ORDER BY report", [runId])).map((r) => ({
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
          `SELECT user_id, app_id, app_display_name, created_date_time, is_interactive,
                  json_extract(json, '$.userPrincipalName') AS upn, json_extract(json, '$.city') AS city, json_extract(json, '$.countryOrRegion') AS country
           FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY user_id, app_id ORDER BY created_date_time DESC) AS rn
                 FROM sign_ins WHERE tenant_id = ? AND error_code = 0${asOf === undefined ? "" : " AND created_date_time < ?"})
           WHERE rn = 1 ORDER BY user_id, app_id`,
          asOf === undefined ? [tenantId] : [tenantId, asOf],
        )
      ).map((r) => ({
          userId: String(r.user_id),
          userPrincipalName: String(r.upn ?? ""),
          appId: String(r.app_id),
          appDisplayName: String(r.app_display_name),
          last: String(r.created_date_time),
          interactive: Number(r.is_interactive) === 1,
          city: r.city === null ? null : String(r.city),
          countryOrRegion: r.country === null ? null : String(r.country),
        })),
    users: async (runId) =>
      (await db.all("SELECT json FROM users WHERE run_id = ? ORDER BY user_id", [runId])).map((r) => JSON.parse(String(r.json)) as GraphUser),
    skus: async (runId) =>
      (await db.all("SELECT json FROM skus WHERE run_id = ? ORDER BY sku_part_number", [runId])).map((r) => JSON.parse(String(r.json)) as GraphSubscribedSku),
    coverage: async (runId) =>
      (await db.all("SELECT task, part, status, reason, detail, items FROM coverage WHERE run_id = ? ORDER BY task, part", [runId])).map((r) => ({
        task: String(r.task),
        part: String(r.part),
        status: r.status as CoverageRecord["status"],
        ...(r.reason === null ? {} : { reason: String(r.reason) }),
        ...(r.detail === null ? {} : { detail: String(r.detail) }),
        items: Number(r.items),
      })),
    async saveSubscriptions(runId, subscriptions) {
      await db.transaction(async (tx) => {
        for (const s of subscriptions) {
          await tx.run(
            `INSERT INTO subscriptions (run_id, subscription_id, sku_id, sku_part_number, status, is_trial, created_date_time, next_lifecycle_date_time, total_licenses, json)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            [runId, s.id, s.skuId, s.skuPartNumber, s.status, s.isTrial === true ? 1 : 0, s.createdDateTime ?? null, s.nextLifecycleDateTime ?? null, s.totalLicenses, JSON.stringify(s)],
          );
        }
      });
    },
    subscriptions: async (runId) =>
      (await db.all("SELECT json FROM subscriptions WHERE run_id = ? ORDER BY sku_part_number, next_lifecycle_date_time, subscription_id", [runId])).map((r) => JSON.parse(String(r.json)) as GraphCompanySubscription),
  };
}
