import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseGraphDate } from "./facts.ts";

const pad = (n: number, width: number) => String(n).padStart(width, "0");

describe("parseGraphDate", () => {
  it("reads Graph's date and date-time forms exactly as Date.parse does", () => {
    const date = fc.record({ y: fc.integer({ min: 1970, max: 2100 }), mo: fc.integer({ min: 0, max: 13 }), d: fc.integer({ min: 0, max: 32 }) });
    const time = fc.record({ h: fc.integer({ min: 0, max: 25 }), mi: fc.integer({ min: 0, max: 61 }), s: fc.integer({ min: 0, max: 61 }), frac: fc.option(fc.stringMatching(/^[0-9]{0,8}$/)) });
    fc.assert(
      fc.property(date, fc.option(time), fc.constantFrom("Z", "", "+01:00", "z"), ({ y, mo, d }, t, zone) => {
        let text = `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}`;
        if (t) text += `T${pad(t.h, 2)}:${pad(t.mi, 2)}:${pad(t.s, 2)}${t.frac === null ? "" : `.${t.frac}`}${zone}`;
        const expected = Date.parse(text);
        expect(parseGraphDate(text), text).toBe(Number.isNaN(expected) ? null : expected);
      }),
      { numRuns: 3000 },
    );
  });

  it("reads Graph's never and blanks as null", () => {
    expect(parseGraphDate("0001-01-01T00:00:00Z")).toBeNull();
    expect(parseGraphDate("")).toBeNull();
    expect(parseGraphDate(null)).toBeNull();
    expect(parseGraphDate("yesterday")).toBeNull();
  });
});
