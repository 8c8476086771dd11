import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { RefusalError, UsageError } from "../core/errors.ts";
import { openStore } from "../store/open-store.ts";
import { describeStore } from "../store/store-location.ts";
import { readSnapshotFromStore } from "../store/read-snapshot-from-store.ts";
import type { Evaluation } from "../core/user-facts.ts";
import { evaluate } from "../policies/evaluate.ts";
import { allocateCosts } from "../policies/allocate-costs.ts";
import { formatAllocation } from "../policies/format-evaluation.ts";
import { readPolicy } from "../policies/read-policy.ts";
import { buildPlanFromStore } from "../reclaim/build-plan-from-store.ts";
import { dryRunSummary } from "../reclaim/dry-run-summary.ts";
import { scoreAgainstTruth } from "../simulator/score-against-truth.ts";
import { collectOnce } from "./collect-command.ts";
import { connectGraph, type GraphConnection } from "./connect-graph.ts";
import type { Command } from "./command.ts";
import { readCertificateCredential, readToolConfig } from "./read-tool-config.ts";
import { writeFileAtomic } from "../core/write-file-atomic.ts";
import { buildReportFromStore, writeReportFile } from "../report/write-report.ts";

const usage = `Usage: seatwise demo [--users N] [--seed S] [--out DIR]

The whole job end to end on a simulated tenant (default 1,000 users, seed 1), files in DIR (default a
new temporary folder):
  1. starts the simulator in-process and writes its files (seatwise.yaml, reclaimer.yaml, keys, CA);
  2. reads the generated seatwise.yaml exactly as a real one and checks its certificate;
  3. obtains an app-only token with MSAL and the reader certificate, and reads the granted permissions;
  4. collects users, licenses, usage reports, MFA registration, sign-ins and SSO apps into SQLite;
  5. evaluates the default policy pack and scores its findings against the simulator's ground truth;
  6. builds a reclamation plan (DIR/plan.json) and its dry run: nothing is changed;
  7. writes the HTML report with the plan (DIR/report.html) and prints its path.`;

/** The rule the demo narrows its plan to when the whole pack exceeds the safety cap. */
const DEMO_RULE = "LIC.BLOCKED.1v1";

export const demoCommand: Command = {
  summary: "run the whole job end to end against an in-process simulator",
  usage,
  async run(args, io) {
    const { values } = parseArgs({ args, strict: true, options: { users: { type: "string", default: "1000" }, seed: { type: "string", default: "1" }, out: { type: "string" } } });
    const users = Number(values.users);
    const seed = Number(values.seed);
    if (!Number.isInteger(users) || users < 10 || users > 1_000_000) throw new UsageError(`--users: "${values.users}" must be an integer from 10 to 1000000`);
    if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`--seed: "${values.seed}" must be a non-negative integer`);
    const out = values.out ?? mkdtempSync(join(tmpdir(), "seatwise-demo-"));

    const { startSimulator } = await import("../simulator/start-simulator.ts");
    const { writeSimulatorFiles } = await import("../simulator/write-simulator-files.ts");
    io.out(`1. simulator: a tenant of ${users} users (seed ${seed})\n`);
    const sim = await startSimulator({ users, seed });
    let connection: GraphConnection | undefined;
    try {
      await writeSimulatorFiles(sim, out);
      io.out(`   serving ${sim.baseUrl}; files in ${out}\n`);

      const config = readToolConfig(join(out, "seatwise.yaml"), {});
      const credential = readCertificateCredential(config.certificatePath);
      io.out(`2. config: ${join(out, "seatwise.yaml")} is valid; certificate ${credential.thumbprintSha1} (SHA-1)\n`);

      connection = connectGraph(config);
      const token = await connection.tokens.getToken();
      io.out(`3. token: MSAL obtained an app-only token; granted: ${token.roles.sort().join(", ") || "(none)"}\n`);

      const policy = readPolicy([]);
      // Collection exactly as `seatwise collect` runs it (its progress lines are not shown here).
      const summary = await collectOnce(config, { tasks: config.tasks, policyFiles: [], asJson: true }, { out: () => undefined, err: () => undefined, env: {} });
      const collected = summary.coverage.filter((c) => c.status === "collected").length;
      io.out(
        `4. collect: run ${summary.status} into ${describeStore(config.store)}: ${collected} task parts collected, ${summary.coverage.length - collected} not ` +
          `(\`seatwise collect\` says why); ${summary.requests} Graph requests, ${summary.throttled} throttled\n`,
      );
      // Writes: the report records the run's summary for the trend.
      const db = await openStore(config.store, { mode: "write" });
      try {
        const snapshot = await readSnapshotFromStore(db);
        const licensed = snapshot.users.filter((u) => u.licenses.length > 0);
        io.out(`   ${snapshot.users.length} users, ${licensed.length} licensed (${licensed.filter((u) => !u.accountEnabled).length} blocked, ${licensed.filter((u) => u.userType === "Guest").length} guests)\n`);
        for (const s of [...snapshot.skus].sort((a, b) => a.skuPartNumber.localeCompare(b.skuPartNumber))) {
          const purchased = s.purchased + s.warning;
          io.out(`   ${s.skuPartNumber.padEnd(26)} ${String(s.consumed).padStart(6)} / ${String(purchased).padStart(6)} used  ${s.displayName ?? ""}\n`);
        }

        const now = new Date();
        const evaluation = await evaluate(snapshot, policy, { now });
        io.out(`5. evaluate: ${evaluation.findings.length} findings with the default policy pack (\`seatwise evaluate --db ${describeStore(config.store)}\` lists them)\n`);
        const byRule = new Map<string, { n: number; monthly: number }>();
        for (const f of evaluation.findings) {
          const r = byRule.get(f.ruleId) ?? { n: 0, monthly: 0 };
          byRule.set(f.ruleId, { n: r.n + 1, monthly: r.monthly + f.savings.monthly });
        }
        for (const [rule, r] of byRule) io.out(`   ${rule.padEnd(32)} ${String(r.n).padStart(5)}  ${r.monthly.toFixed(2).padStart(10)} ${policy.currency}/month\n`);
        io.out(renewalSummary(evaluation));
        const score = scoreAgainstTruth(sim.tenant, evaluation);
        io.out(
          `   against the simulator's ground truth: reclaim precision ${score.reclaim.precision.toFixed(3)}, recall ${score.reclaim.recall.toFixed(3)}; ` +
            `downgrade precision ${score.downgrade.precision.toFixed(3)}, recall ${score.downgrade.recall.toFixed(3)}; ${score.trapViolations.length} traps touched\n`,
        );
        io.out(`   who pays (\`seatwise evaluate --db ${describeStore(config.store)} --by department\`):\n`);
        io.out(formatAllocation(allocateCosts(snapshot, evaluation, policy, { by: "department" }), "table").replace(/^(?=.)/gm, "   "));

        let plan;
        try {
          plan = await buildPlanFromStore(db, policy, { now });
        } catch (error) {
          if (!(error instanceof RefusalError && error.reason === "cap-exceeded")) throw error;
          // The safety cap at work; narrow the plan as the refusal suggests.
          io.out(`6. plan: refused as it should be — ${error.message}\n   the demo narrows it to one rule: --rule ${DEMO_RULE}\n`);
          try {
            plan = await buildPlanFromStore(db, policy, { now, rules: [DEMO_RULE] });
          } catch (narrowed) {
            if (!(narrowed instanceof RefusalError && narrowed.reason === "cap-exceeded")) throw narrowed;
            // A larger simulated tenant: still over the cap. The demo raises it explicitly, as an operator would.
            const maxUsers = snapshot.users.length;
            io.out(`   still refused — ${narrowed.message}\n   this is the simulated tenant, so the demo raises the cap explicitly: --max ${maxUsers}\n`);
            plan = await buildPlanFromStore(db, policy, { now, rules: [DEMO_RULE], maxUsers });
          }
        }
        const planFile = join(out, "plan.json");
        await writeFileAtomic(planFile, `${JSON.stringify(plan, null, 2)}\n`);
        io.out(`   ${planFile} — dry run of \`seatwise reclaim apply ${planFile} --config ${join(out, "reclaimer.yaml")}${plan.limits.overridden ? ` --max ${plan.limits.maxUsers}` : ""}\`:\n`);
        io.out(dryRunSummary(plan).replace(/^(?=.)/gm, "   "));
        const reportFile = join(out, "report.html");
        const report = await buildReportFromStore(db, { policy, now, plan });
        await writeReportFile(reportFile, report.html);
        io.out(`7. report: ${reportFile} (open it in a browser; \`seatwise report --db ${describeStore(config.store)} --plan ${planFile} --out FILE\` writes it again)\n`);
      } finally {
        await db.close();
      }
      return 0;
    } finally {
      connection?.close();
      await sim.close();
    }
  },
};

/** When the demo's savings arrive, and the subscriptions to act on before their renewal or lapse. */
function renewalSummary(e: Evaluation): string {
  const r = e.totals.overall.realizable;
  const m = (n: number) => `${n.toFixed(2)} ${e.currency}`;
  const lines = [`   actionable savings per month from: now ${m(r.now)}, within 30 days ${m(r.within30Days)}, within 90 days ${m(r.within90Days)}, at renewal ${m(r.atRenewal)}`];
  const review = e.totals.byAction.review;
  if (review) lines.push(`   in review: ${review.findings} findings; confirming them would save ${m(review.monthly)}/month (not in the actionable savings)`);
  if (!e.renewalDates.known) lines.push(`   ${e.renewalDates.detail ?? "renewal dates unknown"}`);
  const subscriptions = e.findings.filter((x) => x.subscription);
  const atRisk = subscriptions.filter((x) => x.subscription!.isTrial || x.subscription!.status !== "Enabled");
  for (const f of atRisk) {
    const s = f.subscription!;
    lines.push(`   ${f.ruleId}: ${s.skuPartNumber} ${s.isTrial ? "trial" : s.status}: ${s.usersAtRisk} users lose service ${s.nextLifecycleDateTime?.slice(0, 10) ?? ""}`);
  }
  for (const f of subscriptions.filter((x) => !atRisk.includes(x)).slice(0, 4)) {
    const s = f.subscription!;
    const when = s.nextLifecycleDateTime?.slice(0, 10) ?? "no date";
    lines.push(`   ${f.ruleId}: ${s.skuPartNumber} (${s.term}) renews ${when}: drop ${s.seatsToDrop} of ${s.totalLicenses} seats by ${s.actBy ?? when}, ${m(f.savings.monthly)}/month`);
  }
  return `${lines.join("\n")}\n`;
}

