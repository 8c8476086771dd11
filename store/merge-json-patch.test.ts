import { DatabaseSync } from "node:sqlite";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mergeJsonPatch } from "./merge-json-patch.ts";

/** SQLite's json_patch: the semantics the store had before the merge moved into TypeScript. */
const sqlite = new DatabaseSync(":memory:");
const jsonPatch = sqlite.prepare("SELECT json_patch(?, ?) AS merged");

// JSON values as the usage documents hold them: nested objects, arrays, nulls, numbers, strings.
const key = fc.constantFrom("exchange", "oneDrive", "apps", "activations", "windows", "lastActivityDate", "Visio Client", "__proto__", "a", "b");
const leaf = fc.oneof(fc.constant(null), fc.boolean(), fc.integer({ min: -1e6, max: 1e6 }), fc.string({ maxLength: 8 }));
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, leaf, fc.array(tie("value"), { maxLength: 3 }), tie("object")),
  object: fc.dictionary(key, tie("value"), { maxKeys: 5 }),
})).value;

describe("mergeJsonPatch", () => {
  it("merges exactly as SQLite's json_patch (RFC 7396) for any documents", () => {
    fc.assert(
      fc.property(json, json, (target, patch) => {
        const expected = JSON.parse(String((jsonPatch.get(JSON.stringify(target), JSON.stringify(patch)) as { merged: string }).merged)) as unknown;
        expect(mergeJsonPatch(target, patch)).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it("removes keys the patch sets to null and keeps arrays whole", () => {
    expect(mergeJsonPatch({ a: 1, b: { c: 2, d: 3 }, e: [1, 2] }, { b: { c: null }, e: [3], f: { g: null } })).toEqual({ a: 1, b: { d: 3 }, e: [3], f: {} });
  });
});
