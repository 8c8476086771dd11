import { describe, expect, it } from "vitest";
import { GraphQueryError } from "./graph-query-error.ts";
import { parseFilter } from "./parse-filter.ts";

describe("parseFilter", () => {
  it("parses comparisons, lambdas, functions and and/or with precedence", () => {
    expect(parseFilter("accountEnabled eq true and assignedLicenses/any(x:x/skuId eq CBDC14AB-D96C-4C30-B9F4-6ADA7CDC1D46) or startswith(userPrincipalName,'it''s')")).toEqual({
      kind: "or",
      items: [
        {
          kind: "and",
          items: [
            { kind: "compare", op: "eq", property: "accountEnabled", value: { type: "boolean", value: true } },
            { kind: "any", collection: "assignedLicenses", variable: "x", body: { kind: "compare", op: "eq", property: "x/skuId", value: { type: "guid", value: "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46" } } },
          ],
        },
        { kind: "call", fn: "startswith", property: "userPrincipalName", value: { type: "string", value: "it's" } },
      ],
    });
  });

  it("parses datetimes, in-lists, not and parentheses", () => {
    expect(parseFilter("signInActivity/lastSignInDateTime le 2026-01-01T00:00:00Z")).toEqual({
      kind: "compare",
      op: "le",
      property: "signInActivity/lastSignInDateTime",
      value: { type: "datetime", value: "2026-01-01T00:00:00Z" },
    });
    expect(parseFilter("not (userType in ('Guest', 'Member'))")).toEqual({
      kind: "not",
      item: { kind: "in", property: "userType", values: [{ type: "string", value: "Guest" }, { type: "string", value: "Member" }] },
    });
  });

  it("refuses malformed filters with 400 BadRequest naming the position", () => {
    for (const bad of ["", "accountEnabled eq", "accountEnabled is true", "userType eq 'Guest", "(userType eq 'Guest'", "a eq 1 b"]) {
      let err: unknown;
      try {
        parseFilter(bad);
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(GraphQueryError);
      expect((err as GraphQueryError).status).toBe(400);
      expect((err as GraphQueryError).message).toMatch(/^Invalid filter clause: Syntax error at position \d+/);
    }
  });
});
