/**
 * The store's schema, as migrations. Every row is keyed by tenant (directly or through its run).
 * A run's rows become visible only when the run is marked `complete`: readers always select the
 * latest complete run, so a crash, kill or failed task never shows a half-written snapshot.
 * SQL is snake_case; repositories map to camelCase in one place each.
 *
 * One list for SQLite and PostgreSQL. Where the engines differ, the script is a function of the
 * dialect: case-insensitive keys (SQLite `COLLATE NOCASE`; on PostgreSQL the repositories store them
 * lower-cased), 8-byte floats (SQLite `REAL`, PostgreSQL `DOUBLE PRECISION`) and the ordering column
 * of migration 7 (PostgreSQL identity; SQLite a trigger copying the rowid).
 */
import type { Migration } from "./migrate.ts";
import type { SqlDialect } from "./sql-database.ts";

/** `COLLATE NOCASE` where SQLite has it; PostgreSQL keys are stored lower-cased instead. */
const nocase = (d: SqlDialect) => (d === "sqlite" ? " COLLATE NOCASE" : "");

export const STORE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "runs, users, licenses, skus, coverage",
    sql: (d) => `
CREATE TABLE runs (
  run_id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  status TEXT NOT NULL CHECK (status IN ('running', 'complete', 'failed', 'abandoned')),
  roles_json TEXT NOT NULL,
  summary_json TEXT
);
CREATE INDEX runs_tenant_status ON runs (tenant_id, status, started_at);

CREATE TABLE coverage (
  run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  task TEXT NOT NULL,
  part TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('collected', 'skipped', 'failed')),
  reason TEXT,
  detail TEXT,
  items INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (run_id, task, part)
);

CREATE TABLE users (
  run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  user_id TEXT NOT NULL,
  user_principal_name TEXT NOT NULL,
  json TEXT NOT NULL,
  PRIMARY KEY (run_id, user_id)
);
CREATE INDEX users_upn ON users (run_id, ${d === "sqlite" ? "user_principal_name COLLATE NOCASE" : "lower(user_principal_name)"});

CREATE TABLE user_licenses (
  run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  user_id TEXT NOT NULL,
  sku_id TEXT NOT NULL,
  assigned_by_group TEXT NOT NULL DEFAULT '',
  state TEXT,
  disabled_plans_json TEXT NOT NULL,
  PRIMARY KEY (run_id, user_id, sku_id, assigned_by_group)
);

CREATE TABLE skus (
  run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  sku_id TEXT NOT NULL,
  sku_part_number TEXT NOT NULL,
  display_name TEXT,
  applies_to TEXT,
  capability_status TEXT NOT NULL,
  enabled INTEGER NOT NULL,
  warning INTEGER NOT NULL,
  suspended INTEGER NOT NULL,
  locked_out INTEGER NOT NULL,
  consumed INTEGER NOT NULL,
  json TEXT NOT NULL,
  PRIMARY KEY (run_id, sku_id)
);
`,
  },
  {
    version: 2,
    name: "usage reports, MFA registration, sign-in history",
    sql: (d) => `
CREATE TABLE report_status (
  run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  report TEXT NOT NULL,
  refresh_date TEXT,
  rows INTEGER NOT NULL,
  concealed INTEGER NOT NULL,
  PRIMARY KEY (run_id, report)
);

CREATE TABLE user_usage (
  run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  user_principal_name TEXT NOT NULL${nocase(d)},
  json TEXT NOT NULL,
  PRIMARY KEY (run_id, user_principal_name)
);

CREATE TABLE mfa_registration (
  run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  user_id TEXT NOT NULL,
  json TEXT NOT NULL,
  PRIMARY KEY (run_id, user_id)
);

-- Sign-ins accumulate across runs (Graph keeps 7 to 30 days); keyed by tenant, not run.
CREATE TABLE sign_ins (
  tenant_id TEXT NOT NULL,
  sign_in_id TEXT NOT NULL,
  created_date_time TEXT NOT NULL,
  user_id TEXT NOT NULL,
  app_id TEXT NOT NULL,
  app_display_name TEXT NOT NULL,
  is_interactive INTEGER NOT NULL,
  error_code INTEGER NOT NULL,
  json TEXT NOT NULL,
  PRIMARY KEY (tenant_id, sign_in_id)
);
CREATE INDEX sign_ins_user ON sign_ins (tenant_id, user_id, created_date_time);

CREATE TABLE watermarks (
  tenant_id TEXT NOT NULL,
  name TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (tenant_id, name)
);
`,
  },
  {
    version: 3,
    name: "enterprise applications, their assignments, group names",
    sql: `
CREATE TABLE apps (
  run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  service_principal_id TEXT NOT NULL,
  app_id TEXT NOT NULL,
  json TEXT NOT NULL,
  PRIMARY KEY (run_id, service_principal_id)
);

CREATE TABLE app_assignments (
  run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  service_principal_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  via_group_id TEXT NOT NULL DEFAULT '',
  assigned_at TEXT,
  PRIMARY KEY (run_id, service_principal_id, user_id, via_group_id)
);

CREATE TABLE groups (
  run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  group_id TEXT NOT NULL,
  display_name TEXT NOT NULL,
  PRIMARY KEY (run_id, group_id)
);

CREATE TABLE group_members (
  run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  group_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  PRIMARY KEY (run_id, group_id, user_id)
);

CREATE TABLE run_facts (
  run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (run_id, name)
);
`,
  },
  {
    version: 4,
    name: "reclamation journal: apply and rollback runs, write-ahead actions",
    sql: (d) => `
-- One apply or rollback of a reclamation plan. Not tied to a collection run: it outlives snapshot expiry.
CREATE TABLE reclaim_runs (
  run_id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('apply', 'rollback')),
  plan_id TEXT NOT NULL,
  rollback_of TEXT REFERENCES reclaim_runs (run_id),
  started_at TEXT NOT NULL,
  finished_at TEXT,
  status TEXT NOT NULL CHECK (status IN ('running', 'complete', 'failed')),
  currency TEXT NOT NULL,
  detail TEXT
);
CREATE INDEX reclaim_runs_plan ON reclaim_runs (tenant_id, plan_id, kind, started_at);

-- Write-ahead: an action is 'pending' (with its before-state) BEFORE its assignLicense call is sent,
-- and completed after; a pending action found on resume is settled by re-reading the user.
CREATE TABLE reclaim_actions (
  run_id TEXT NOT NULL REFERENCES reclaim_runs (run_id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  user_id TEXT NOT NULL,
  user_principal_name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('remove', 'downgrade', 'restore')),
  change_json TEXT NOT NULL,
  expected_json TEXT NOT NULL,
  monthly_savings ${d === "sqlite" ? "REAL" : "DOUBLE PRECISION"} NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('planned', 'pending', 'done', 'already', 'skipped', 'failed')),
  reason TEXT,
  before_json TEXT,
  after_json TEXT,
  request_ids TEXT NOT NULL DEFAULT '',
  journaled_at TEXT,
  completed_at TEXT,
  PRIMARY KEY (run_id, seq)
);
CREATE INDEX reclaim_actions_user ON reclaim_actions (user_id);
`,
  },
  {
    version: 5,
    name: "mailbox purpose (shared, room, equipment) of blocked licensed accounts",
    sql: `
CREATE TABLE mailbox_settings (
  run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  user_id TEXT NOT NULL,
  user_purpose TEXT NOT NULL,
  PRIMARY KEY (run_id, user_id)
);
`,
  },
  {
    version: 6,
    name: "reclamation leases: one apply or rollback of a plan at a time",
    sql: `
CREATE TABLE reclaim_leases (
  lease_key TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
`,
  },
  {
    version: 7,
    name: "commercial subscriptions behind the SKUs (terms and renewal dates)",
    sql: `
CREATE TABLE subscriptions (
  run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  subscription_id TEXT NOT NULL,
  sku_id TEXT NOT NULL,
  sku_part_number TEXT NOT NULL,
  status TEXT NOT NULL,
  is_trial INTEGER NOT NULL,
  created_date_time TEXT,
  next_lifecycle_date_time TEXT,
  total_licenses INTEGER NOT NULL,
  json TEXT NOT NULL,
  PRIMARY KEY (run_id, subscription_id)
);
`,
  },
  {
    version: 8,
    name: "ordering column for runs and reclamation runs (instead of SQLite's rowid)",
    // Ties of started_at (same millisecond) are broken by insertion order, in both engines.
    sql: (d) =>
      d === "postgres"
        ? `
ALTER TABLE runs ADD COLUMN seq BIGINT GENERATED BY DEFAULT AS IDENTITY;
ALTER TABLE reclaim_runs ADD COLUMN seq BIGINT GENERATED BY DEFAULT AS IDENTITY;
`
        : `
ALTER TABLE runs ADD COLUMN seq INTEGER;
UPDATE runs SET seq = rowid;
CREATE TRIGGER runs_seq AFTER INSERT ON runs WHEN NEW.seq IS NULL BEGIN UPDATE runs SET seq = NEW.rowid WHERE rowid = NEW.rowid; END;
ALTER TABLE reclaim_runs ADD COLUMN seq INTEGER;
UPDATE reclaim_runs SET seq = rowid;
CREATE TRIGGER reclaim_runs_seq AFTER INSERT ON reclaim_runs WHEN NEW.seq IS NULL BEGIN UPDATE reclaim_runs SET seq = NEW.rowid WHERE rowid = NEW.rowid; END;
`,
  },
  {
    version: 9,
    name: "usage reports staged per run and folded once (PostgreSQL)",
    // PostgreSQL has no json_patch: each usage report's rows are appended to user_usage_parts (in
    // report order, seq) and folded into user_usage once per run (store/fold-usage.ts), instead of
    // being read back and written again for every report. SQLite merges each report in place with
    // json_patch and leaves the table empty.
    sql: (d) =>
      d === "postgres"
        ? `
CREATE TABLE user_usage_parts (
  run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  user_principal_name TEXT NOT NULL,
  seq BIGINT GENERATED ALWAYS AS IDENTITY,
  json TEXT NOT NULL
);
CREATE INDEX user_usage_parts_order ON user_usage_parts (run_id, user_principal_name, seq);
`
        : `
CREATE TABLE user_usage_parts (
  run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  user_principal_name TEXT NOT NULL COLLATE NOCASE,
  seq INTEGER PRIMARY KEY,
  json TEXT NOT NULL
);
`,
  },
];
