import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileGlob } from "./match-glob.ts";

/** The old matcher: a backtracking regular expression, correct but slow on some patterns. */
function regexGlob(pattern: string): RegExp {
  return new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join("[\\s\\S]*")}$`, "i");
}

describe("compileGlob", () => {
  it("matches exactly what a `*` regular expression matches (any pattern, any text)", () => {
    const alphabet = fc.constantFrom("a", "b", "A", ".", "@", "*");
    fc.assert(
      fc.property(fc.string({ unit: alphabet, maxLength: 10 }), fc.string({ unit: fc.constantFrom("a", "b", "B", ".", "@"), maxLength: 14 }), (pattern, text) => {
        expect(compileGlob(pattern).test(text)).toBe(regexGlob(pattern).test(text));
      }),
      { numRuns: 5000 },
    );
  });

  it("treats regular-expression characters literally and ignores case", () => {
    expect(compileGlob("admin.*@Contoso.com").test("ADMIN.x@contoso.com")).toBe(true);
    expect(compileGlob("admin.*@contoso.com").test("adminx@contoso.com")).toBe(false);
    expect(compileGlob("a?b").test("axb")).toBe(false);
    expect(compileGlob("a?b").test("a?b")).toBe(true);
    expect(compileGlob("*").test("")).toBe(true);
    expect(compileGlob("").test("x")).toBe(false);
  });

  it("stays linear on a pathological pattern over 100,000 users (counted comparisons, not time)", () => {
    // `********x` and `*a*a*a*a*a*a*b` make a backtracking regex explore a huge number of ways to
    // split a name of a's; the KMP scan compares each character a bounded number of times.
    // With a trailing star the pieces must be searched through the whole name (no b, z or x in it).
    const patterns = ["********x", "*a*a*a*a*a*a*a*a*b*", "a*aa*aaa*aaaa*aaaaa*z*", "*@*@*@*@*x*"];
    const name = (i: number) => `${"a".repeat(40 + (i % 40))}@contoso.com`;
    for (const pattern of patterns) {
      const glob = compileGlob(pattern);
      const count = (users: number) => {
        const steps = { count: 0 };
        let chars = 0;
        let matched = 0;
        for (let i = 0; i < users; i++) {
          const upn = name(i);
          chars += upn.length;
          if (glob.test(upn, steps)) matched++;
        }
        expect(matched).toBe(0);
        return { steps: steps.count, chars };
      };
      const half = count(50_000);
      const full = count(100_000);
      // At most two comparisons per character of text plus the pattern's pieces per user.
      expect(full.steps).toBeLessThanOrEqual(2 * full.chars + 100_000 * (pattern.length + 2));
      // ...and the patterns that must search really do read the names (the bound is not met by skipping).
      if (pattern.endsWith("*")) expect(full.steps).toBeGreaterThanOrEqual(full.chars / 2);
      // Twice the users, twice the work (names repeat every 40 users, so exactly twice).
      expect(full.steps).toBe(2 * half.steps);
    }
  });
});
