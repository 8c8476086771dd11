import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { inferSubscriptionTerm } from "./subscription-term.ts";

const DAY = 86_400_000;
const at = (ms: number) => new Date(ms).toISOString();

describe("inferSubscriptionTerm", () => {
  it("reads a calendar month as monthly and one or three calendar years as annual", () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }), fc.constantFrom(1, 12, 36), (start, months) => {
        const end = new Date(start);
        end.setUTCMonth(end.getUTCMonth() + months);
        expect(inferSubscriptionTerm(at(start), end.toISOString())).toBe(months === 1 ? "monthly" : "annual");
      }),
    );
  });

  it("says unknown for spans that are neither a month nor one or three years", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }),
        fc.oneof(fc.integer({ min: 1, max: 26 }), fc.integer({ min: 33, max: 333 }), fc.integer({ min: 398, max: 1064 }), fc.integer({ min: 1128, max: 3000 })),
        (start, days) => {
          expect(inferSubscriptionTerm(at(start), at(start + days * DAY))).toBe("unknown");
        },
      ),
    );
  });

  it("says unknown when a date is missing or the dates run backwards", () => {
    expect(inferSubscriptionTerm(null, "2026-01-01T00:00:00Z")).toBe("unknown");
    expect(inferSubscriptionTerm("2026-01-01T00:00:00Z", null)).toBe("unknown");
    expect(inferSubscriptionTerm("2026-02-01T00:00:00Z", "2026-01-01T00:00:00Z")).toBe("unknown");
    expect(inferSubscriptionTerm("2023-01-01T00:00:00Z", "2023-02-01T00:00:00Z")).toBe("monthly");
  });
});
