import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { UsageError } from "../core/errors.ts";
import { ALLOCATION_ATTRIBUTE_PATTERN } from "../policies/allocate-costs.ts";
import { readPricedPolicy } from "../policies/price-book.ts";
import { readPlanFile } from "../reclaim/read-plan-file.ts";
import { buildReportFromStore, writeReportFile } from "../report/write-report.ts";
import { openStore } from "../store/open-store.ts";
import type { StoreLocation } from "../store/store-location.ts";
import type { Command } from "./command.ts";
import { readStoreOption } from "./read-tool-config.ts";
import { selectTenants } from "./select-tenants.ts";
import { writeFleetReport } from "../report/write-fleet-report.ts";

const usage = `Usage: seatwise report --db FILE|URL --out report.html [--policy FILE ...] [--prices FILE.csv] [--plan plan.json]
                       [--tenant ID | --all-tenants] [--attribute NAME] [--now ISO]

Writes one self-contained HTML report of the latest complete snapshot in the store: savings, where the
money goes, who pays (per department, company, country), the trend over the snapshots the store keeps,
every finding with its evidence, what Seatwise could not see, and with --plan the reclamation plan to
approve. No network access when opened (a Content-Security-Policy forbids every fetch); the file is
owner-only (0600): it names the tenant's people. Records the run's summary in the store for the trend
(so it writes to an existing store, but never creates one: a missing store is exit 2).

Options:
  --db FILE|URL     the collector's store: a SQLite file or a postgres:// URL (password from PGPASSWORD).
  --out FILE        the HTML file to write.
  --policy FILE     policy file; repeat to layer files. Default: the shipped pack.
  --prices FILE     CSV price book (columns skuPartNumber, term, currency, price) over the
                    policy's prices; every row in the policy's currency.
  --plan FILE       a reclamation plan (seatwise reclaim plan) to show for sign-off.
  --tenant ID       the tenant, when the store holds several.
  --all-tenants     every tenant of the store: --out becomes a fleet page (savings and coverage per
                    tenant, the fleet's totals) linking each tenant's own report, written beside it
                    as OUT-<tenant>.html.
  --attribute NAME  also allocate costs by extensionAttribute1…15, employeeOrgData.costCenter or
                    employeeOrgData.division.
  --now ISO         evaluation time (default: the current time).

Exit 0 on success, 2 when an option, the policy or the plan is invalid.`;

/** `seatwise report`. */
export const reportCommand: Command = {
  summary: "write the self-contained HTML report: savings, who pays, trend, findings with evidence, coverage, plan",
  usage,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        db: { type: "string" },
        out: { type: "string" },
        policy: { type: "string", multiple: true },
        prices: { type: "string" },
        plan: { type: "string" },
        tenant: { type: "string" },
        "all-tenants": { type: "boolean" },
        attribute: { type: "string" },
        now: { type: "string" },
      },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"\n\n${usage}`);
    if (!values.db || !values.out) throw new UsageError(`--db FILE and --out FILE are required\n\n${usage}`);
    if (values.attribute !== undefined && !ALLOCATION_ATTRIBUTE_PATTERN.test(values.attribute)) {
      throw new UsageError(`--attribute must be extensionAttribute1…15, employeeOrgData.costCenter or employeeOrgData.division (got "${values.attribute}")`);
    }
    const now = values.now === undefined ? new Date() : new Date(values.now);
    if (Number.isNaN(now.getTime())) throw new UsageError(`--now must be an ISO 8601 date-time (got "${values.now}")`);
    const policy = readPricedPolicy(values.policy ?? [], values.prices);
    const plan = values.plan === undefined ? null : readPlanFile(values.plan);
    const store = readStoreOption(values.db, io.env)!;
    if (values["all-tenants"]) {
      if (plan !== null) throw new UsageError("--plan belongs to one tenant's report: give --tenant ID instead of --all-tenants");
      if (values.tenant !== undefined) throw new UsageError("give either --tenant ID or --all-tenants, not both");
      for (const file of await writeFleetReportFromStoreFile(store, values.out, { policy, now, attribute: values.attribute ?? null })) io.out(`${file}\n`);
      return 0;
    }
    const path = await writeReportFromStoreFile(store, values.out, { policy, now, plan, ...(values.tenant ? { tenantId: values.tenant } : {}), attribute: values.attribute ?? null });
    io.out(`${path}\n`);
    return 0;
  },
};

/** Opens the (existing) store, builds the report and writes it; returns the absolute path written. */
export async function writeReportFromStoreFile(store: StoreLocation, out: string, options: Parameters<typeof buildReportFromStore>[1]): Promise<string> {
  const db = await openStore(store, { mode: "write", create: false });
  try {
    const [tenantId] = await selectTenants(db, { tenant: options.tenantId });
    const { html } = await buildReportFromStore(db, { ...options, tenantId: tenantId! });
    await writeReportFile(out, html);
  } finally {
    await db.close();
  }
  return resolve(out);
}

/** Opens the store and writes the fleet page and every tenant's report; returns the absolute paths written. */
export async function writeFleetReportFromStoreFile(store: StoreLocation, out: string, options: Parameters<typeof writeFleetReport>[3]): Promise<string[]> {
  const db = await openStore(store, { mode: "write", create: false });
  try {
    const tenants = await selectTenants(db, { allTenants: true });
    return (await writeFleetReport(db, out, tenants, options)).files.map((f) => resolve(f));
  } finally {
    await db.close();
  }
}
