import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserUsage } from "../core/collected-records.ts";
import { foldUsageParts } from "./fold-usage.ts";
import { mergeJsonPatch } from "./merge-json-patch.ts";
import { createRunRepository } from "./run-repository.ts";
import { createSnapshotRepository } from "./snapshot-repository.ts";
import type { SqlDatabase } from "./sql-database.ts";
import { dropFreshStores, openFreshStore, STORE_ENGINES } from "./testing/store-engines.ts";

afterAll(dropFreshStores);

/** Usage-like patches: the reports' keys, nested objects, nulls that remove keys. */
const date = fc.option(fc.constantFrom("2026-01-01", "2026-06-30", "2026-11-28"), { nil: null });
const patch = fc.record(
  {
    activity: fc.dictionary(fc.constantFrom("exchange", "oneDrive", "teams", "outlook"), date, { maxKeys: 3 }),
    apps: fc.option(fc.record({ windows: fc.boolean(), web: fc.boolean(), lastActivityDate: date }), { nil: null }),
    mailbox: fc.record({ storageUsedBytes: fc.nat(), hasArchive: fc.boolean(), itemCount: fc.nat(), lastActivityDate: date }),
    activations: fc.dictionary(fc.constantFrom("Visio Client", "Project Client", "__proto__"), fc.option(fc.record({ productType: fc.string({ maxLength: 6 }), windows: fc.nat(3) }), { nil: null }), { maxKeys: 2 }),
  },
  { requiredKeys: ["activity"] },
) as fc.Arbitrary<UserUsage>;

let tenants = 0;

/** Merges `rounds` of patches for `users` users (each report skips some) into a new run, folding after round 3 and at the end. */
async function mergeAndRead(db: SqlDatabase, rounds: UserUsage[][], fold?: (runId: string) => Promise<void>) {
  const upn = (i: number) => `User${String(i).padStart(5, "0")}@Contoso.example`;
  const runId = await createRunRepository(db).begin(`t${++tenants}`, [], new Date());
  const repo = createSnapshotRepository(db);
  const complete = () => (fold ? fold(runId) : repo.completeUsage(runId));
  for (const [r, round] of rounds.entries()) {
    await repo.mergeUsage(runId, new Map(round.flatMap((u, i) => ((i + r) % 7 === 0 ? [] : [[upn(i), u] as [string, UserUsage]]))));
    if (r === 2) await complete();
  }
  await complete();
  const expected = new Map<string, unknown>();
  for (const [r, round] of rounds.entries()) {
    round.forEach((u, i) => {
      if ((i + r) % 7 === 0) return;
      const key = upn(i).toLowerCase();
      // The first document is stored as given; later ones merge (RFC 7396).
      expected.set(key, expected.has(key) ? mergeJsonPatch(expected.get(key), u) : JSON.parse(JSON.stringify(u)));
    });
  }
  const staged = Number((await db.all("SELECT count(*) AS n FROM user_usage_parts WHERE run_id = ?", [runId]))[0]!.n);
  return { stored: await repo.usage(runId), expected, staged };
}

describe.each(STORE_ENGINES)("usage merged over several reports and folds ($name)", (engine) => {
  let db: SqlDatabase;
  beforeAll(async () => {
    ({ db } = await openFreshStore(engine));
  });
  afterAll(async () => {
    await db.close();
  });

  it("reads back, for every user, the reports' patches merged in order (first as given), across fold batches and a second fold", async () => {
    // 4,500 users in 4 reports cross the fold's batches of 10,000 rows.
    const users = 4500;
    const rounds = fc.sample(fc.array(patch, { minLength: users, maxLength: users }), { numRuns: 4, seed: 7 });
    const { stored, expected, staged } = await mergeAndRead(db, rounds);
    expect(stored.size).toBe(expected.size);
    for (const [key, doc] of expected) expect(stored.get(key)).toEqual(doc);
    expect(staged).toBe(0);
  });

  it("folds the same with batches so small that every boundary cuts a user's parts", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 5 }), fc.array(fc.array(patch, { minLength: 6, maxLength: 6 }), { minLength: 1, maxLength: 5 }), async (rowsPerBatch, rounds) => {
        const { stored, expected, staged } = await mergeAndRead(db, rounds, (runId) => foldUsageParts(db, runId, rowsPerBatch));
        expect(new Map([...stored].map(([k, v]) => [k, v as unknown]))).toEqual(expected);
        expect(staged).toBe(0);
      }),
      { numRuns: 40 },
    );
  });
});
