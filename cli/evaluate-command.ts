import { parseArgs } from "node:util";
import { UsageError } from "../core/errors.ts";
import { evaluate } from "../policies/evaluate.ts";
import { ALLOCATION_ATTRIBUTE_PATTERN, ALLOCATION_DIMENSIONS, allocateCosts } from "../policies/allocate-costs.ts";
import type { AllocationDimension } from "../policies/allocate-costs.ts";
import { OUTPUT_FORMATS, formatAllocation, formatEvaluation } from "../policies/format-evaluation.ts";
import type { OutputFormat } from "../policies/format-evaluation.ts";
import { readPricedPolicy } from "../policies/price-book.ts";
import { readSnapshot } from "../policies/read-snapshot.ts";
import type { Command } from "./command.ts";
import { mapStoreSnapshots, readStoreSnapshot } from "./read-store-snapshot.ts";
import { readStoreOption } from "./read-tool-config.ts";
import { combineEvaluations } from "../policies/combine-evaluations.ts";
import { formatFleetEvaluation } from "../policies/format-fleet-evaluation.ts";
import { writeFileAtomic } from "../core/write-file-atomic.ts";

const usage = `Usage: seatwise evaluate (--db FILE|URL [--tenant ID | --all-tenants] | --snapshot FILE.json) [--policy FILE ...] [--prices FILE.csv] [--format table|json|csv]
       [--by department|company|country|attribute [--attribute NAME]] [--out FILE] [--now ISO]

Evaluates a collected snapshot against the policy pack and prints the findings: rule, action,
severity, user, licenses (and how each is assigned: a group-assigned license says "remove from group
X"), savings with the date they arrive (the renewal of the subscription the seat belongs to),
evidence and confidence. Nothing is changed in the tenant.

Options:
  --db FILE|URL     the collector's store (a SQLite file or a postgres:// URL): evaluates its latest
                    complete collection run. Read-only: never creates or migrates a store.
  --tenant ID       with --db, the tenant to evaluate when the store holds several.
  --all-tenants     with --db, every tenant of the store: each finding tagged with its tenant,
                    savings per tenant and overall (JSON: fleetEvaluationVersion 1).
  --snapshot FILE   instead of --db: a snapshot JSON (snapshotVersion 1, see core/user-facts.ts).
  --policy FILE     policy file; repeat to layer files (later ones override). A file may
                    "extends: default". Default: the shipped pack policies/default.yaml.
  --prices FILE     CSV price book (columns skuPartNumber, term, currency, price) over the
                    policy's prices; every row in the policy's currency.
  --format F        table (default), json (the versioned evaluation document) or csv.
  --by D            instead of the findings: who pays — spend, idle spend and savings per month by
                    department, company, country or attribute (cost allocation).
  --attribute NAME  with --by attribute: extensionAttribute1…15, employeeOrgData.costCenter or
                    employeeOrgData.division.
  --out FILE        write the output to FILE instead of standard output.
  --now ISO         evaluation time (default: the current time).

Exit 0 on success, 2 when the snapshot, a policy file, the price book or an option is invalid
(every problem is reported as file:line:col: path: message).`;

/** `seatwise evaluate`. */
export const evaluateCommand: Command = {
  summary: "evaluate a snapshot against the policy pack: findings, evidence, savings",
  usage,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: {
        snapshot: { type: "string" },
        db: { type: "string" },
        tenant: { type: "string" },
        "all-tenants": { type: "boolean" },
        policy: { type: "string", multiple: true },
        prices: { type: "string" },
        format: { type: "string", default: "table" },
        by: { type: "string" },
        attribute: { type: "string" },
        out: { type: "string" },
        now: { type: "string" },
      },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"\n\n${usage}`);
    if ((values.db === undefined) === (values.snapshot === undefined)) throw new UsageError(`give exactly one of --db FILE and --snapshot FILE\n\n${usage}`);
    const format = values.format as OutputFormat;
    if (!OUTPUT_FORMATS.includes(format)) throw new UsageError(`--format must be one of ${OUTPUT_FORMATS.join(", ")} (got "${values.format}")`);
    const by = values.by as AllocationDimension | undefined;
    if (by !== undefined && !ALLOCATION_DIMENSIONS.includes(by)) throw new UsageError(`--by must be one of ${ALLOCATION_DIMENSIONS.join(", ")} (got "${values.by}")`);
    if ((by === "attribute") !== (values.attribute !== undefined)) throw new UsageError("--attribute NAME goes with --by attribute, and only with it");
    if (values.attribute !== undefined && !ALLOCATION_ATTRIBUTE_PATTERN.test(values.attribute)) {
      throw new UsageError(`--attribute must be extensionAttribute1…15, employeeOrgData.costCenter or employeeOrgData.division (got "${values.attribute}")`);
    }
    const now = values.now === undefined ? new Date() : new Date(values.now);
    if (Number.isNaN(now.getTime())) throw new UsageError(`--now must be an ISO 8601 date-time (got "${values.now}")`);
    if (values.db === undefined && (values.tenant !== undefined || values["all-tenants"])) throw new UsageError("--tenant and --all-tenants select tenants of a store: they go with --db");
    const policy = readPricedPolicy(values.policy ?? [], values.prices);
    let text: string;
    if (values.db !== undefined && values["all-tenants"]) {
      if (by !== undefined) throw new UsageError("--by allocates one tenant's costs: give --tenant ID instead of --all-tenants");
      const evaluations = await mapStoreSnapshots(readStoreOption(values.db, io.env)!, { allTenants: true, tenant: values.tenant }, (snapshot) => evaluate(snapshot, policy, { now }));
      text = formatFleetEvaluation(combineEvaluations(evaluations), format);
    } else {
      const snapshot = values.db !== undefined ? await readStoreSnapshot(readStoreOption(values.db, io.env)!, values.tenant) : readSnapshot(values.snapshot!);
      const evaluation = await evaluate(snapshot, policy, { now });
      text = by === undefined ? formatEvaluation(evaluation, format) : formatAllocation(allocateCosts(snapshot, evaluation, policy, { by, ...(values.attribute === undefined ? {} : { attribute: values.attribute }) }), format);
    }
    if (values.out) await writeFileAtomic(values.out, text);
    else io.out(text);
    return 0;
  },
};
