import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareNames, sortNames } from "./compare-names.ts";

const sign = (n: number) => Math.sign(n);

describe("compareNames", () => {
  it("orders names exactly as localeCompare does", () => {
    const name = fc.stringMatching(/^[a-zA-Z0-9._\-@#+' é#ÄZ]{0,12}$/);
    fc.assert(
      fc.property(name, name, (a, b) => {
        expect(sign(compareNames(a, b)), `${a} vs ${b}`).toBe(sign(a.localeCompare(b)));
      }),
      { numRuns: 20_000 },
    );
  });

  it("orders real UPNs as localeCompare does", () => {
    const upns = ["john.doe@contoso.com", "John.Doe@contoso.com", "john_doe@contoso.com", "john-doe@contoso.com", "johnd@contoso.com", "j.doe2@contoso.com", "j.doe10@contoso.com", "ext_x#EXT#@contoso.onmicrosoft.com", "zoë@contoso.com", "SPE_E3", "SPE_E5", "Microsoft_365_Copilot"];
    for (const a of upns) for (const b of upns) expect(sign(compareNames(a, b)), `${a} vs ${b}`).toBe(sign(a.localeCompare(b)));
  });

  it("sorts lists exactly as sort(localeCompare) does", () => {
    const name = fc.stringMatching(/^[a-cA-C0-9._@ é]{0,5}$/);
    fc.assert(
      fc.property(fc.uniqueArray(name, { maxLength: 40 }), (names) => {
        expect(sortNames(names)).toEqual([...names].sort((a, b) => a.localeCompare(b)));
      }),
      { numRuns: 3000 },
    );
  });
});
