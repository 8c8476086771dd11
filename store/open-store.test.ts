import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { RefusalError, SeatwiseError, ValidationError } from "../core/errors.ts";
import { readSchemaVersion } from "./migrate.ts";
import { PostgresConnectError } from "./open-postgres-database.ts";
import { openStore } from "./open-store.ts";
import { createRunRepository } from "./run-repository.ts";
import type { PostgresLocation, SqliteLocation } from "./store-location.ts";
import { STORE_MIGRATIONS } from "./store-migrations.ts";
import { dropFreshStores, STORE_ENGINES } from "./testing/store-engines.ts";

afterAll(dropFreshStores);

const failure = async (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as Error);

describe.each(STORE_ENGINES)("openStore ($name)", (engine) => {
  it("creates and migrates a store for writing, then opens it for reading", async () => {
    const { location } = await engine.fresh();
    const writer = await openStore(location, { mode: "write" });
    expect(await readSchemaVersion(writer)).toBe(STORE_MIGRATIONS.at(-1)!.version);
    const runId = await createRunRepository(writer).begin("t", [], new Date("2026-11-29T10:00:00Z"));
    await writer.close();
    const reader = await openStore(location, { mode: "read" });
    expect((await createRunRepository(reader).list("t")).map((r) => r.runId)).toEqual([runId]);
    await reader.close();
  });

  it("never writes through a store opened for reading", async () => {
    const { location } = await engine.fresh();
    await (await openStore(location, { mode: "write" })).close();
    const reader = await openStore(location, { mode: "read" });
    await expect(createRunRepository(reader).begin("t", [], new Date())).rejects.toThrow(/read-?only/i);
    expect(await createRunRepository(reader).list("t")).toEqual([]);
    await reader.close();
  });

  it("refuses to read a store of an older schema, naming the command that migrates it", async () => {
    const { location } = await engine.fresh();
    await (await openStore(location, { mode: "write", migrations: STORE_MIGRATIONS.slice(0, -1) })).close();
    const error = await failure(openStore(location, { mode: "read" }));
    expect(error).toBeInstanceOf(RefusalError);
    const latest = STORE_MIGRATIONS.at(-1)!.version;
    expect(error?.message).toContain(`schema is version ${latest - 1}, this Seatwise reads version ${latest}`);
    expect(error?.message).toContain("seatwise store migrate --db ");
    // Still the older version: reading changed nothing. Writing migrates it.
    const before = await openStore(location, { mode: "write", migrations: STORE_MIGRATIONS.slice(0, -1) });
    expect(await readSchemaVersion(before)).toBe(latest - 1);
    await before.close();
    const writer = await openStore(location, { mode: "write" });
    expect(await readSchemaVersion(writer)).toBe(latest);
    await writer.close();
  });

  it("refuses to read a database that is not a Seatwise store", async () => {
    const { location } = await engine.fresh();
    if (location.engine === "sqlite") {
      const { DatabaseSync } = await import("node:sqlite");
      new DatabaseSync(location.path).exec("CREATE TABLE other (x INTEGER)");
    }
    const error = await failure(openStore(location, { mode: "read" }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error?.message).toMatch(/not a Seatwise store \(no schema\)/);
  });
});

describe("openStore: SQLite files that are not stores", () => {
  const dir = mkdtempSync(join(tmpdir(), "seatwise-bad-store-"));
  const file = (name: string, content?: string | Buffer) => {
    const path = join(dir, name);
    if (content !== undefined) writeFileSync(path, content);
    return { engine: "sqlite", path } as SqliteLocation;
  };

  it("refuses a missing store for reading and creates nothing", async () => {
    const location = file("missing.sqlite");
    const error = await failure(openStore(location, { mode: "read" }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error?.message).toBe(`${location.path}: no store here (nothing was created); collect into it first: seatwise collect --db ${location.path}`);
    expect(existsSync(location.path)).toBe(false);
    expect(existsSync(`${location.path}-wal`)).toBe(false);
  });

  const both = ["read", "write"] as const;
  const cases: [string, () => SqliteLocation, RegExp, readonly ("read" | "write")[]][] = [
    ["a directory", () => (mkdirSync(join(dir, "folder.sqlite")), { engine: "sqlite", path: join(dir, "folder.sqlite") }), /is a directory, not a store file$/, both],
    ["a text file", () => file("notes.sqlite", "users,licenses\nadele,E5\n".repeat(50)), /is not a SQLite database \(no SQLite header\)$/, both],
    // For writing, an empty file is a new store (SQLite's own convention): only reading refuses it.
    ["an empty file", () => file("empty.sqlite", ""), /is an empty file, not a Seatwise store$/, ["read"]],
    ["a header only", () => file("header.sqlite", Buffer.concat([Buffer.from("SQLite format 3\0", "latin1"), Buffer.alloc(84)])), /is not a valid SQLite database \(page size 0\)$/, both],
    ["a short header", () => file("short.sqlite", Buffer.from("SQLite format 3\0\x10\x00", "latin1")), /is truncated: 18 bytes, shorter than a SQLite header$/, both],
  ];
  for (const [what, make, message, modes] of cases) {
    it(`refuses ${what} in one line naming the file (${modes.join(", ")}) and changes nothing`, async () => {
      const location = make();
      const before = statSync(location.path);
      for (const mode of modes) {
        const error = await failure(openStore(location, { mode }));
        expect(error, mode).toBeInstanceOf(ValidationError);
        expect(error!.message.startsWith(`${location.path}: `)).toBe(true);
        expect(error!.message).toMatch(message);
        expect(error!.message).not.toContain("\n");
      }
      expect(statSync(location.path).mtimeMs).toBe(before.mtimeMs);
      expect(existsSync(`${location.path}-wal`)).toBe(false);
    });
  }

  it("says so in one line when the store's folder does not exist, for writing", async () => {
    const location = file(join("no-such-folder", "store.sqlite"));
    const error = await failure(openStore(location, { mode: "write" }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error?.message).toBe(`${location.path}: cannot create the store: ENOENT (does its folder exist?)`);
  });

  it("refuses a truncated store (a real store cut in half)", async () => {
    const location = file("cut.sqlite");
    const db = await openStore(location, { mode: "write" });
    await createRunRepository(db).begin("t", [], new Date());
    await db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    await db.close();
    const size = statSync(location.path).size;
    truncateSync(location.path, Math.floor(size / 2));
    for (const mode of ["read", "write"] as const) {
      const error = await failure(openStore(location, { mode }));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error?.message).toMatch(new RegExp(`^${location.path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: is truncated: \\d+ bytes, its header says \\d+$`));
    }
    expect(readFileSync(location.path).length).toBe(Math.floor(size / 2));
  });
});

describe.each(STORE_ENGINES.filter((e) => e.name === "postgres"))("openStore: PostgreSQL servers and databases that are not there ($name)", (engine) => {
  it("refuses a database that does not exist (bad input) and creates none", async () => {
    const { location } = await engine.fresh();
    const missing: PostgresLocation = { ...(location as PostgresLocation), database: `${(location as PostgresLocation).database}_missing` };
    for (const mode of ["read", "write"] as const) {
      const error = await failure(openStore(missing, { mode }));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error?.message).toMatch(new RegExp(`^postgres://.*/${missing.database}: database "${missing.database}" does not exist \\(nothing was created`));
    }
  });

  it("says host:port and the cause when the server is unreachable, never the password", async () => {
    const { location } = await engine.fresh();
    const nowhere: PostgresLocation = { ...(location as PostgresLocation), port: 1, auth: { kind: "password", password: "Pa55-do-not-print" } };
    const error = await failure(openStore(nowhere, { mode: "read" }));
    expect(error).toBeInstanceOf(PostgresConnectError);
    expect(error).toBeInstanceOf(SeatwiseError);
    expect(error?.message).toMatch(/^cannot connect to PostgreSQL at 127\.0\.0\.1:1 \(postgres:\/\/postgres@127\.0\.0\.1:1\/seatwise_test_\w+\): ECONNREFUSED$/);
    expect(error?.message).not.toContain("Pa55");
  });
});
