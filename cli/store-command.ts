import { parseArgs } from "node:util";
import { UsageError } from "../core/errors.ts";
import { readSchemaVersion } from "../store/migrate.ts";
import { openStore } from "../store/open-store.ts";
import { describeStore } from "../store/store-location.ts";
import type { Command } from "./command.ts";
import { readStoreOption, readToolConfig } from "./read-tool-config.ts";

const usage = `Usage: seatwise store migrate [--db FILE|URL | --config FILE]

Creates the store or brings its schema up to date (collect, schedule, reclaim apply/rollback and demo
do this too; export, evaluate, report, reclaim plan and history only read, and refuse an older schema).
--db takes a SQLite file or a postgres:// URL (password from PGPASSWORD or SEATWISE_STORE, never on
the command line); default: the --config file's store, else SEATWISE_STORE.`;

/** `seatwise store migrate`. */
export const storeCommand: Command = {
  summary: "create the store or migrate its schema (SQLite file or PostgreSQL)",
  usage,
  async run(args, io) {
    const { values, positionals } = parseArgs({ args, strict: true, allowPositionals: true, options: { db: { type: "string" }, config: { type: "string" } } });
    if (positionals[0] !== "migrate" || positionals.length > 1) throw new UsageError(`expected "store migrate"\n\n${usage}`);
    const store = readStoreOption(values.db, io.env, values.config ? readToolConfig(values.config, io.env) : undefined);
    if (!store) throw new UsageError(`store migrate: --db FILE|URL is required\n\n${usage}`);
    const db = await openStore(store, { mode: "write" });
    try {
      io.out(`${describeStore(store)}: schema version ${await readSchemaVersion(db)}\n`);
    } finally {
      await db.close();
    }
    return 0;
  },
};
