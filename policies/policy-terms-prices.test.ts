import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formatProblem } from "../core/errors.ts";
import { composePolicy } from "./compose-policy.ts";
import { DEFAULT_POLICY_FILE } from "./read-policy.ts";
import { seatPrice } from "./seat-price.ts";

function compose(text: string) {
  return composePolicy(["p.yaml"], { read: (f) => (f === "p.yaml" ? text : readFileSync(f, "utf8")), resolve: (ref) => (ref === "default" ? DEFAULT_POLICY_FILE : ref) });
}

describe("policy prices per term and terms", () => {
  it("a plain price replaces an inherited pair of term prices; a pair sets the default to its annual price", () => {
    const result = compose("version: 1\nextends: default\nprices:\n  SPE_E3: 30\n  VISIOCLIENT: { monthly: 18 }\n  SPE_E5: { annual: 50, monthly: 60 }\n");
    if (!result.ok) throw new Error(result.problems.map(formatProblem).join("\n"));
    const p = result.policy;
    expect([seatPrice(p, "SPE_E3", "monthly"), seatPrice(p, "SPE_E3", "annual"), seatPrice(p, "SPE_E3")]).toEqual([30, 30, 30]);
    expect([seatPrice(p, "VISIOCLIENT", "monthly"), seatPrice(p, "VISIOCLIENT", "annual")]).toEqual([18, 18]);
    expect([seatPrice(p, "SPE_E5", "monthly"), seatPrice(p, "SPE_E5", "annual"), seatPrice(p, "SPE_E5", "unknown")]).toEqual([60, 50, 50]);
  });

  it("rejects an empty term price, an unknown term and an unknown SKU in terms, with file:line:col", () => {
    const text = 'version: 1\nextends: default\nprices:\n  SPE_E3: {}\nterms:\n  SPE_E3: yearly\n  SPE_E33: annual\n  "0f000000-0000-4000-8000-000000000001": monthly\n';
    const result = compose(text);
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([
      "p.yaml:4:3: prices.SPE_E3: give annual, monthly or both (got {})",
      'p.yaml:6:11: terms.SPE_E3: Invalid option: expected one of "monthly"|"annual" (got "yearly")',
    ]);
    const unknownSku = compose('version: 1\nextends: default\nterms:\n  SPE_E33: annual\n  "0f000000-0000-4000-8000-000000000001": monthly\n');
    expect(unknownSku.ok ? [] : unknownSku.problems.map(formatProblem)).toEqual(['p.yaml:4:3: terms.SPE_E33: unknown SKU "SPE_E33" (did you mean "SPE_E3"?): not in Microsoft\'s catalogue nor in prices']);
  });
});
