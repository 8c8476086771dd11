/**
 * Writes one run's collected data and reads the visible (latest complete) snapshot back.
 * Column mapping between Graph's camelCase and SQL's snake_case lives here only.
 */
import type { GraphSubscribedSku, GraphUser } from "../tasks/graph-types.ts";
import type { SqlDatabase } from "./sql-database.ts";

export interface CoverageRecord {
  task: string;
  part: string;
  status: "collected" | "skipped" | "failed";
  reason?: string;
  detail?: string;
  items?: number;
}

export interface SnapshotRepository {
  saveUsers(runId: string, users: readonly GraphUser[]): void;
  saveSkus(runId: string, skus: readonly GraphSubscribedSku[], displayName: (skuId: string) => string | undefined): void;
  saveCoverage(runId: string, records: readonly CoverageRecord[]): void;
  users(runId: string): GraphUser[];
  skus(runId: string): GraphSubscribedSku[];
  coverage(runId: string): CoverageRecord[];
}

export function createSnapshotRepository(db: SqlDatabase): SnapshotRepository {
  return {
    saveUsers(runId, users) {
      db.transaction(() => {
        for (const u of users) {
          db.run("INSERT OR REPLACE INTO users (run_id, user_id, user_principal_name, json) VALUES (?, ?, ?, ?)", [runId, u.id, u.userPrincipalName, JSON.stringify(u)]);
          // licenseAssignmentStates tells direct vs group; fall back to assignedLicenses (direct unknown → '').
          const states = u.licenseAssignmentStates ?? (u.assignedLicenses ?? []).map((l) => ({ ...l, assignedByGroup: null, state: null, error: null }));
          for (const l of states) {
            db.run(
              "INSERT OR REPLACE INTO user_licenses (run_id, user_id, sku_id, assigned_by_group, state, disabled_plans_json) VALUES (?, ?, ?, ?, ?, ?)",
              [runId, u.id, l.skuId, l.assignedByGroup ?? "", l.state ?? null, JSON.stringify(l.disabledPlans ?? [])],
            );
          }
        }
      });
    },
    saveSkus(runId, skus, displayName) {
      db.transaction(() => {
        for (const s of skus) {
          db.run(
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
    saveCoverage(runId, records) {
      db.transaction(() => {
        for (const r of records) {
          db.run("INSERT OR REPLACE INTO coverage (run_id, task, part, status, reason, detail, items) VALUES (?, ?, ?, ?, ?, ?, ?)", [
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
    users: (runId) => db.all("SELECT json FROM users WHERE run_id = ? ORDER BY user_id", [runId]).map((r) => JSON.parse(String(r.json)) as GraphUser),
    skus: (runId) => db.all("SELECT json FROM skus WHERE run_id = ? ORDER BY sku_part_number", [runId]).map((r) => JSON.parse(String(r.json)) as GraphSubscribedSku),
    coverage: (runId) =>
      db.all("SELECT task, part, status, reason, detail, items FROM coverage WHERE run_id = ? ORDER BY task, part", [runId]).map((r) => ({
        task: String(r.task),
        part: String(r.part),
        status: r.status as CoverageRecord["status"],
        ...(r.reason === null ? {} : { reason: String(r.reason) }),
        ...(r.detail === null ? {} : { detail: String(r.detail) }),
        items: Number(r.items),
      })),
  };
}
