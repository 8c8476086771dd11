import { describe, expect, it } from "vitest";
import { toPostgresPlaceholders } from "./open-postgres-database.ts";

describe("toPostgresPlaceholders", () => {
  it("numbers each ? outside literals, quoted names and comments", () => {
    expect(toPostgresPlaceholders("SELECT a FROM t WHERE b = ? AND c IN (?, ?)")).toBe("SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)");
    expect(toPostgresPlaceholders(`SELECT '?', "odd?name" FROM t -- why?\nWHERE x = ?`)).toBe(`SELECT '?', "odd?name" FROM t -- why?\nWHERE x = $1`);
    expect(toPostgresPlaceholders("UPDATE t SET s = trim(s || ' ' || CAST(? AS TEXT)) WHERE k = ?")).toBe("UPDATE t SET s = trim(s || ' ' || CAST($1 AS TEXT)) WHERE k = $2");
    expect(toPostgresPlaceholders("SELECT 'it''s ?' , ?")).toBe("SELECT 'it''s ?' , $1");
  });
});
