/**
 * The store as the commands see it: read-only commands never create or change a store (a missing
 * one is exit 2, an older schema is refused with the command that migrates it), a file that is not
 * a store or an unreachable server is one line, and no password ever reaches the output.
 */
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { CliIo } from "../cli/command.ts";
import { main } from "../cli/main.ts";
import { readSchemaVersion } from "../store/migrate.ts";
import { openStore } from "../store/open-store.ts";
import { STORE_MIGRATIONS } from "../store/store-migrations.ts";
import { startSimulator } from "../simulator/start-simulator.ts";
import { writeSimulatorFiles } from "../simulator/write-simulator-files.ts";
import { dropFreshStores, STORE_ENGINES, type FreshStore } from "../store/testing/store-engines.ts";

afterAll(dropFreshStores);

async function run(args: string[], env: Record<string, string> = {}) {
  const out = { stdout: "", stderr: "" };
  const io: CliIo = { out: (t) => void (out.stdout += t), err: (t) => void (out.stderr += t), env };
  const code = await main(args, io);
  return { code, ...out };
}

const dir = mkdtempSync(join(tmpdir(), "seatwise-store-cli-"));
/** The read-only commands, each pointed at a store. */
const READERS: [string, (db: string) => string[]][] = [
  ["export", (db) => ["export", "users", "--db", db]],
  ["evaluate", (db) => ["evaluate", "--db", db]],
  ["reclaim plan", (db) => ["reclaim", "plan", "--db", db, "--out", join(dir, "plan.json")]],
  ["reclaim history", (db) => ["reclaim", "history", "--db", db]],
];

describe.each(STORE_ENGINES)("read-only commands ($name)", (engine) => {
  const missing = async (): Promise<string> => {
    const fresh = await engine.fresh();
    return fresh.location.engine === "sqlite" ? fresh.arg : `${fresh.arg}_missing`;
  };

  for (const [name, args] of READERS) {
    it(`${name} refuses a missing store with exit 2 in one line, creating nothing`, async () => {
      const db = await missing();
      const r = await run(args(db));
      expect(r.code).toBe(2);
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(r.stderr).toContain(db);
      expect(r.stderr).toMatch(/nothing was created/);
      if (engine.name === "sqlite") expect(existsSync(db)).toBe(false);
      expect(existsSync(join(dir, "plan.json"))).toBe(false);
    });
  }

  it("every read-only command refuses a store of an older schema, naming the migrate command, and leaves it as it was", async () => {
    const fresh: FreshStore = await engine.fresh();
    await (await openStore(fresh.location, { mode: "write", migrations: STORE_MIGRATIONS.slice(0, -1) })).close();
    for (const [name, args] of READERS) {
      const r = await run(args(fresh.arg));
      expect(r.code, name).toBe(3);
      expect(r.stderr, name).toContain(`seatwise store migrate --db ${fresh.arg}`);
    }
    const db = await openStore(fresh.location, { mode: "write", migrations: STORE_MIGRATIONS.slice(0, -1) });
    expect(await readSchemaVersion(db)).toBe(STORE_MIGRATIONS.length - 1);
    await db.close();
    // The command it names does migrate it.
    const migrated = await run(["store", "migrate", "--db", fresh.arg]);
    expect(migrated).toMatchObject({ code: 0, stdout: `${fresh.arg}: schema version ${STORE_MIGRATIONS.length}\n` });
    expect((await run(READERS[3]![1](fresh.arg))).code).toBe(0);
  });
});

describe("stores that are not stores, servers that are not there", () => {
  it("refuses a text file as a store in one line (exit 2), for reading and for writing", async () => {
    const text = join(dir, "notes.txt");
    writeFileSync(text, "hello\n".repeat(100));
    for (const args of [["export", "users", "--db", text], ["store", "migrate", "--db", text]]) {
      const r = await run(args);
      expect(r).toMatchObject({ code: 2, stderr: `${text}: is not a SQLite database (no SQLite header)\n` });
    }
  });

  it("refuses a password on the command line without printing it (exit 2)", async () => {
    const r = await run(["export", "users", "--db", "postgres://seatwise:Sup3r-Secret@127.0.0.1:1/seatwise"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("--db: postgres://seatwise:***@127.0.0.1:1/seatwise: a password in the store URL is refused here (command lines and files are not secret); set PGPASSWORD, or put the whole URL in the SEATWISE_STORE environment variable\n");
  });

  it("says host:port and the cause of an unreachable server in one line (exit 1), never the password", async () => {
    for (const env of [{ PGPASSWORD: "Sup3r-Secret" }, { SEATWISE_STORE: "postgres://seatwise:Sup3r-Secret@127.0.0.1:1/seatwise" }] as Record<string, string>[]) {
      const r = await run(env.SEATWISE_STORE ? ["export", "users"] : ["export", "users", "--db", "postgres://seatwise@127.0.0.1:1/seatwise"], env);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe("seatwise: cannot connect to PostgreSQL at 127.0.0.1:1 (postgres://seatwise@127.0.0.1:1/seatwise): ECONNREFUSED\n");
    }
  });

  it("creates nothing in the folder of a missing store", async () => {
    const empty = mkdtempSync(join(tmpdir(), "seatwise-store-cli-empty-"));
    for (const [, args] of READERS) await run(args(join(empty, "store.sqlite")));
    expect(readdirSync(empty)).toEqual([]);
  });

  it("report (which records its summary in an existing store) never creates one", async () => {
    const empty = mkdtempSync(join(tmpdir(), "seatwise-store-cli-report-"));
    const db = join(empty, "store.sqlite");
    const r = await run(["report", "--db", db, "--out", join(empty, "report.html")]);
    expect(r).toMatchObject({ code: 2, stderr: `${db}: no store here (nothing was created); collect into it first: seatwise collect --db ${db}\n` });
    expect(readdirSync(empty)).toEqual([]);
  });

  it("config check shows the store's URL and how it authenticates, never its password or token", async () => {
    const sim = await startSimulator({ users: 10, seed: 3 });
    try {
      const files = mkdtempSync(join(tmpdir(), "seatwise-store-cli-config-"));
      await writeSimulatorFiles(sim, files);
      const config = join(files, "seatwise.yaml");
      const withUrl = await run(["config", "check", "--config", config], { SEATWISE_STORE: "postgres://job:Sup3r-Secret@db.example.com/seatwise" });
      expect(withUrl.code).toBe(0);
      expect(JSON.parse(withUrl.stdout).store).toEqual({ location: "postgres://job@db.example.com:5432/seatwise", ssl: true, auth: "password" });
      expect(withUrl.stdout).not.toContain("Sup3r");
      const azure = await run(["config", "check", "--config", config], {
        SEATWISE_STORE: "postgres://job@db.example.com/seatwise?sslmode=require",
        SEATWISE_PG_AUTH: "azure-managed-identity",
        IDENTITY_ENDPOINT: "http://localhost:42356/msi/token",
        IDENTITY_HEADER: "Sup3r-Header",
      });
      expect(JSON.parse(azure.stdout).store).toEqual({ location: "postgres://job@db.example.com:5432/seatwise", ssl: true, auth: "azure-managed-identity" });
      expect(azure.stdout).not.toContain("Sup3r");
      expect(JSON.parse((await run(["config", "check", "--config", config])).stdout).store).toEqual({ location: join(files, "seatwise.sqlite") });
    } finally {
      await sim.close();
    }
  });
});
