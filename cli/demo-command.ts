import { mkdtempSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { UsageError } from "../core/errors.ts";
import { friendlySkuName } from "../core/sku-catalogue.ts";
import { createTokenProvider } from "../collector/auth/create-token-provider.ts";
import { createGraphClient } from "../collector/graph/graph-client.ts";
import { createHttpsTransport, type HttpTransport } from "../collector/http/https-transport.ts";
import { collect } from "../collector/collect.ts";
import { migrate } from "../collector/store/migrate.ts";
import { openSqliteDatabase } from "../collector/store/open-sqlite-database.ts";
import { createRunRepository } from "../collector/store/run-repository.ts";
import { createSnapshotRepository } from "../collector/store/snapshot-repository.ts";
import { STORE_MIGRATIONS } from "../collector/store/store-migrations.ts";
import { readPolicy } from "../policies/read-policy.ts";
import type { Command } from "./main.ts";
import { readCertificateCredential, readToolConfig } from "./read-tool-config.ts";

const usage = `Usage: seatwise demo [--users N] [--seed S] [--out DIR]

Starts the simulator in-process (default 1,000 users, seed 1), writes its files to DIR (default a new
temporary folder), then runs the job end to end as far as Seatwise has it today: reads the generated
seatwise.yaml exactly as a real one, obtains a token with MSAL and the reader certificate, reads the
granted permissions from it, collects users, licenses and SKUs into the SQLite store over HTTPS, and
prints the license position per SKU next to the simulator's ground truth.`;

interface DemoSku {
  skuId: string;
  skuPartNumber: string;
  consumedUnits: number;
  prepaidUnits: { enabled: number; warning: number; suspended: number };
}

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
    io.out(`1. simulator: starting a tenant of ${users} users (seed ${seed})\n`);
    const sim = await startSimulator({ users, seed });
    let http: HttpTransport | undefined;
    try {
      await writeSimulatorFiles(sim, out);
      io.out(`   serving ${sim.baseUrl}; files in ${out}\n`);

      const config = readToolConfig(join(out, "seatwise.yaml"), {});
      const credential = readCertificateCredential(config.certificatePath);
      io.out(`2. config: ${join(out, "seatwise.yaml")} is valid; certificate ${credential.thumbprintSha1} (SHA-1)\n`);

      const caPem = config.caFile ? await readFile(config.caFile, "utf8") : undefined;
      http = createHttpsTransport(caPem ? { caPem } : {});
      const tokens = createTokenProvider({ ...config, credential, transport: http });
      const token = await tokens.getToken();
      io.out(`3. token: MSAL obtained an app-only token; granted: ${token.roles.sort().join(", ") || "(none)"}\n`);

      const graph = createGraphClient({ graphEndpoint: config.graphEndpoint, transport: http, tokens });
      const db = openSqliteDatabase(config.storePath);
      try {
        migrate(db, STORE_MIGRATIONS);
        const deps = { tokens, graph, runs: createRunRepository(db), snapshots: createSnapshotRepository(db) };
        const summary = await collect({ tenantId: config.tenantId, tasks: config.tasks, protectGroups: readPolicy([]).protect.groups, now: () => new Date() }, deps);
        const users = deps.snapshots.users(summary.runId);
        const licensed = users.filter((u) => (u.assignedLicenses ?? []).length > 0);
        const collected = summary.coverage.filter((c) => c.status === "collected").length;
        io.out(
          `4. collect: run ${summary.runId} ${summary.status} into ${config.storePath}: ${users.length} users, ${licensed.length} licensed ` +
            `(${licensed.filter((u) => u.accountEnabled === false).length} blocked, ${licensed.filter((u) => u.userType === "Guest").length} guests); ` +
            `${collected} task parts collected, ${summary.coverage.length - collected} not yet (see \`seatwise collect\` for why)\n`,
        );
      } finally {
        db.close();
      }

      const skus = await graph.getJson<{ value: DemoSku[] }>({ path: "/subscribedSkus?$select=skuId,skuPartNumber,consumedUnits,prepaidUnits" });
      io.out("5. licenses (purchased = enabled + warning):\n");
      for (const s of skus.value.sort((a, b) => a.skuPartNumber.localeCompare(b.skuPartNumber))) {
        const purchased = s.prepaidUnits.enabled + s.prepaidUnits.warning;
        io.out(`   ${s.skuPartNumber.padEnd(26)} ${String(s.consumedUnits).padStart(6)} / ${String(purchased).padStart(6)} used, ${String(purchased - s.consumedUnits).padStart(5)} free  ${friendlySkuName(s.skuId) ?? ""}\n`);
      }

      let reclaimable = 0;
      let viaGroup = 0;
      let downgrades = 0;
      let traps = 0;
      for (let i = 0; i < sim.tenant.userCount; i++) {
        const t = sim.tenant.userAt(i).truth;
        reclaimable += t.reclaim.length;
        viaGroup += t.reclaimViaGroup.length;
        downgrades += t.downgrade.length;
        if (t.traps.length > 0) traps++;
      }
      io.out(
        `6. ground truth (${join(out, "ground-truth.json")}): ${reclaimable} licenses reclaimable directly, ${viaGroup} via group removal, ` +
          `${downgrades} downgrades, ${traps} users that must never be reclaimed\n`,
      );
      io.out(`   Graph requests: ${graph.stats.requests}, throttled: ${graph.stats.throttled}, retried: ${graph.stats.retries}\n`);
      io.out("   Policy evaluation and the reclamation plan come with the next issues.\n");
      return 0;
    } finally {
      http?.close();
      await sim.close();
    }
  },
};
