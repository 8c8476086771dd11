import { parseArgs } from "node:util";
import { UsageError } from "../core/errors.ts";
import { appsTable, formatTable, hrTable, licensesTable, ssoAccessTable, usersTable, type Table } from "../collector/export/export-tables.ts";
import { openStore } from "../store/open-store.ts";
import { readSnapshotFromStore } from "../store/read-snapshot-from-store.ts";
import { createRunRepository } from "../store/run-repository.ts";
import { createSnapshotRepository } from "../store/snapshot-repository.ts";
import type { Command } from "./command.ts";
import type { SqlDatabase } from "../store/sql-database.ts";
import { selectTenants } from "./select-tenants.ts";
import { readStoreOption, readToolConfig, type ToolConfig } from "./read-tool-config.ts";
import { writeFileAtomic } from "../core/write-file-atomic.ts";

const KINDS = ["users", "licenses", "apps", "hr", "sso-access"] as const;

const usage = `Usage: seatwise export users|licenses|apps|hr|sso-access --db FILE|URL [--format csv|json] [--out FILE] [--tenant ID | --all-tenants]
                       [--domains LIST] [--include-guests] [--config seatwise.yaml]

Exports the latest complete collection run of the store (--db: a SQLite file or a postgres:// URL;
default: the --config file's store, else SEATWISE_STORE). Read-only: never creates or migrates a store.
  users     the Users tab: UPN, Licenses, License Source, Activations, Mail Usage, OneDrive Usage, Windows,
            Mac, Mobile, Web, onPremisesSync, Block Credentials, Is MFA Turned On, Last Used M365
            Application, Sign In to M365 Domain, Days Since Last Activity, Guest, Title, Department,
            Country, Account Created Date
  licenses  per SKU: name, status, purchased, suspended, warning, consumed, available
  apps      enterprise applications: publisher, open access, SSO integration, OAuth2, SSO mode, assigned users
  hr        the HR roster: id, mail, aliases, names, department, company, title, location, usage location,
            manager, on-premises extension attributes; --domains keeps users of those domains (UPN or mail),
            guests only with --include-guests (both default to the configuration's domains and includeGuests)
  sso-access  per user and application: the last sign-in and its location (sign-in history of all runs)
A store with several tenants needs --tenant ID (one tenant) or --all-tenants (every tenant, a tenantId
column first). CSV cells are protected against spreadsheet formula injection. Default format csv, to
standard output.`;

export const exportCommand: Command = {
  summary: "export the Users tab, licenses, apps, HR roster or SSO access as CSV or JSON",
  usage,
  async run(args, io) {
    const { values, positionals } = parseArgs({ args, strict: true, allowPositionals: true, options: {
        db: { type: "string" },
        format: { type: "string", default: "csv" },
        out: { type: "string" },
        tenant: { type: "string" },
        "all-tenants": { type: "boolean" },
        domains: { type: "string" },
        "include-guests": { type: "boolean" },
        config: { type: "string" },
      },
    });
    const kind = positionals[0] as (typeof KINDS)[number] | undefined;
    if (!kind || !KINDS.includes(kind) || positionals.length > 1) throw new UsageError(`expected one of: ${KINDS.join(", ")}\n\n${usage}`);
    if (values.format !== "csv" && values.format !== "json") throw new UsageError(`--format: "${values.format}" must be csv or json`);
    const config = values.config ? readToolConfig(values.config, io.env) : undefined;
    const store = readStoreOption(values.db, io.env, config);
    if (!store) throw new UsageError(`--db FILE|URL is required\n\n${usage}`);
    const db = await openStore(store, { mode: "read" });
    const tables: { tenantId: string; table: Table }[] = [];
    try {
      for (const tenantId of await selectTenants(db, { tenant: values.tenant, allTenants: values["all-tenants"] })) {
        tables.push({ tenantId, table: await exportTable(db, kind, tenantId, values, config) });
      }
    } finally {
      await db.close();
    }
    const table: Table = values["all-tenants"]
      ? { columns: ["tenantId", ...(tables[0]?.table.columns ?? [])], rows: tables.flatMap((t) => t.table.rows.map((r) => [t.tenantId, ...r])) }
      : tables[0]!.table;
    const text = formatTable(table, values.format);
    if (values.out) await writeFileAtomic(values.out, text);
    else io.out(text);
    return 0;
  },
};

async function exportTable(db: SqlDatabase, kind: (typeof KINDS)[number], tenantId: string, values: { domains?: string | undefined; "include-guests"?: boolean | undefined }, config: ToolConfig | undefined): Promise<Table> {
  const snapshot = await readSnapshotFromStore(db, tenantId);
  if (kind === "users") return usersTable(snapshot, new Date(snapshot.collectedAt));
  if (kind === "licenses") return licensesTable(snapshot);
  if (kind === "sso-access") return ssoAccessTable(await createSnapshotRepository(db).lastSignInPerApp(snapshot.tenantId));
  const run = (await createRunRepository(db).latestComplete(snapshot.tenantId))!;
  const repo = createSnapshotRepository(db);
  if (kind === "hr") {
    const domains = values.domains !== undefined ? values.domains.split(",").map((d) => d.trim()).filter(Boolean) : (config?.domains ?? []);
    const includeGuests = values["include-guests"] ?? config?.includeGuests ?? false;
    return hrTable(await repo.users(run.runId), { domains, includeGuests });
  }
  return appsTable(await repo.apps(run.runId), await repo.appAssignments(run.runId), (await repo.runFact(run.runId, "organizationDisplayName")) ?? null);
}
