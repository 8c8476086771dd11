import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { migrate } from "./migrate.ts";
import { openSqliteDatabase } from "./open-sqlite-database.ts";
import { createRunRepository } from "./run-repository.ts";
import { createSnapshotRepository } from "./snapshot-repository.ts";
import { STORE_MIGRATIONS } from "./store-migrations.ts";

function store() {
  const db = openSqliteDatabase(join(mkdtempSync(join(tmpdir(), "seatwise-runs-")), "s.sqlite"));
  migrate(db, STORE_MIGRATIONS);
  return { db, runs: createRunRepository(db), snapshots: createSnapshotRepository(db) };
}
const at = (minute: number) => new Date(Date.UTC(2026, 10, 26, 10, minute));
const user = (id: string) => ({ id, userPrincipalName: `${id}@c.com`, assignedLicenses: [] });

describe("collection runs", () => {
  it("shows only the latest complete run; a run left running is abandoned by the next one, its rows removed", () => {
    const { db, runs, snapshots } = store();
    const a = runs.begin("t", ["User.Read.All"], at(0));
    snapshots.saveUsers(a, [user("u1")]);
    runs.finish(a, "complete", {}, at(1));
    const crashed = runs.begin("t", [], at(2));
    snapshots.saveUsers(crashed, [user("u2")]);
    expect(runs.latestComplete("t")?.runId).toBe(a);
    const b = runs.begin("t", [], at(3));
    expect(runs.list("t").find((r) => r.runId === crashed)?.status).toBe("abandoned");
    expect(snapshots.users(crashed)).toEqual([]);
    runs.finish(b, "complete", {}, at(4));
    expect(runs.latestComplete("t")?.runId).toBe(b);
    expect(runs.latestComplete("other")).toBeUndefined();
    db.close();
  });

  it("expires all but the newest complete runs, with their rows", () => {
    const { db, runs, snapshots } = store();
    const ids = [0, 1, 2, 3].map((m) => {
      const id = runs.begin("t", [], at(m * 2));
      snapshots.saveUsers(id, [user(`u${m}`)]);
      runs.finish(id, "complete", {}, at(m * 2 + 1));
      return id;
    });
    expect(runs.expire("t", 2)).toBe(2);
    expect(runs.list("t").map((r) => r.runId)).toEqual(ids.slice(2));
    expect(snapshots.users(ids[0]!)).toEqual([]);
    expect(snapshots.users(ids[3]!).map((u) => u.id)).toEqual(["u3"]);
    db.close();
  });

  it("never expires the visible snapshot because of failed runs after it", () => {
    const { db, runs } = store();
    const good = runs.begin("t", [], at(0));
    runs.finish(good, "complete", {}, at(1));
    for (const m of [2, 3, 4]) runs.finish(runs.begin("t", [], at(m)), "failed", {}, at(m));
    expect(runs.expire("t", 3)).toBe(0);
    expect(runs.latestComplete("t")?.runId).toBe(good);
    const newer = runs.begin("t", [], at(5));
    runs.finish(newer, "complete", {}, at(6));
    // Keeping one: the older complete run and the failed runs before the newest complete one go.
    expect(runs.expire("t", 1)).toBe(4);
    expect(runs.list("t").map((r) => r.runId)).toEqual([newer]);
    db.close();
  });
});
