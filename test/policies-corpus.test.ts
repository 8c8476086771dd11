/** A corpus of broken policy files: each yields problems at the right line and field. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { composePolicy } from "../policies/compose-policy.ts";
import { DEFAULT_POLICY_FILE } from "../policies/read-policy.ts";

const rule = (lines: Record<string, string> = {}, conditions = "    conditions:\n      all:\n        - { fact: blocked, operator: equal, value: true }") => {
  const fields = { id: "LOCAL.X.1v1", name: "X", rationale: "R", action: "review", severity: "low", ...lines };
  return `version: 1\nrules:\n  - ${Object.entries(fields)
    .filter(([, v]) => v !== "")
    .map(([k, v]) => `${k}: ${v}`)
    .join("\n    ")}\n${conditions}\n`;
};
const leaf = (l: string) => `    conditions:\n      all:\n        - ${l}`;

/** [name, file text, expected line, expected path, message pattern] */
const CORPUS: [string, string, number, string, RegExp][] = [
  ["YAML syntax", "version: 1\nrules: [\n", 3, "", /invalid YAML/],
  ["tab indentation", "version: 1\nsettings:\n\tinactivityDays: 3\n", 3, "", /invalid YAML/],
  ["duplicate key", "version: 1\nversion: 1\n", 2, "", /invalid YAML/],
  ["missing version", "currency: USD\n", 1, "version", /./],
  ["wrong version", "version: 2\n", 1, "version", /./],
  ["unknown top-level field", "version: 1\nsetings: {}\n", 2, "setings", /did you mean "settings"/],
  ["currency not ISO", "version: 1\ncurrency: dollars\n", 2, "currency", /ISO 4217/],
  ["negative price", "version: 1\nprices:\n  SPE_E3: -1\n", 3, "prices.SPE_E3", /./],
  ["price as text", "version: 1\nprices:\n  SPE_E3: cheap\n", 3, "prices.SPE_E3", /got "cheap"/],
  ["setting wrong type", "version: 1\nsettings:\n  inactivityDays: ninety\n", 3, "settings.inactivityDays", /got "ninety"/],
  ["setting zero", "version: 1\nsettings:\n  inactivityDays: 0\n", 3, "settings.inactivityDays", /./],
  ["setting fractional days", "version: 1\nsettings:\n  staleAfterDays: 1.5\n", 3, "settings.staleAfterDays", /./],
  ["unknown setting", "version: 1\nsettings:\n  inactivtyDays: 30\n", 3, "settings.inactivtyDays", /did you mean "inactivityDays"/],
  ["add-on unknown workload", "version: 1\nsettings:\n  addOns:\n    VISIOCLIENT: { workloads: [visioo] }\n", 4, "settings.addOns.VISIOCLIENT.workloads[0]", /did you mean "visio"/],
  ["add-on unknown SKU", "version: 1\nsettings:\n  addOns:\n    VISIOCLIENTT: { workloads: [visio] }\n", 4, "settings.addOns.VISIOCLIENTT", /unknown SKU "VISIOCLIENTT" \(did you mean "VISIOCLIENT"\?\)/],
  ["protect not a list", "version: 1\nprotect:\n  users: ceo@contoso.example\n", 3, "protect.users", /./],
  ["protect unknown field", "version: 1\nprotect:\n  group: [x]\n", 3, "protect.group", /did you mean "groups"/],
  ["rules not a list", "version: 1\nrules: {}\n", 2, "rules", /./],
  ["rule id unversioned", rule({ id: "LOCAL.X" }), 3, "rules[0].id", /versioned rule id/],
  ["rule id lower case", rule({ id: "local.x.1v1" }), 3, "rules[0].id", /versioned rule id/],
  ["unknown action", rule({ action: "delete" }), 6, "rules[0].action", /./],
  ["misspelt action", rule({ action: "reclam" }), 6, "rules[0].action", /did you mean "reclaim"/],
  ["unknown severity", rule({ severity: "urgent" }), 7, "rules[0].severity", /./],
  ["unknown rule field", rule({ priority: "1" }), 8, "rules[0].priority", /unknown field "priority"/],
  ["empty name", rule({ name: '""' }), 4, "rules[0].name", /./],
  ["missing rationale", rule({ rationale: "" }), 3, "rules[0].rationale", /is required/],
  ["missing conditions", rule({}, ""), 3, "rules[0].conditions", /is required/],
  ["downgrade without target", rule({ action: "downgrade" }), 6, "rules[0].action", /needs "downgrade/],
  ["downgrade on reclaim rule", rule({ action: "reclaim", downgrade: "[{ from: SPE_E5, to: SPE_E3 }]" }), 8, "rules[0].downgrade", /only downgrade rules/],
  ["ifConfirmed on a reclaim rule", rule({ action: "reclaim", ifConfirmed: "reclaim" }), 8, "rules[0].ifConfirmed", /only review rules take "ifConfirmed" \(action is "reclaim"/],
  ["ifConfirmed on a notify rule", rule({ action: "notify", ifConfirmed: "downgrade" }), 8, "rules[0].ifConfirmed", /only review rules take "ifConfirmed" \(action is "notify"/],
  ["ifConfirmed unknown action", rule({ ifConfirmed: "remove" }), 8, "rules[0].ifConfirmed", /expected one of "reclaim"\|"downgrade" \(got "remove"\)/],
  ["ifConfirmed downgrade without target", rule({ ifConfirmed: "downgrade" }), 8, "rules[0].ifConfirmed", /needs "downgrade: \[\{ from, to \}\]"/],
  ["ifConfirmed on a seat rule", rule({ target: "sku", ifConfirmed: "reclaim" }, leaf("{ fact: available, operator: greaterThan, value: 0 }")), 9, "rules[0].ifConfirmed", /only user rules take "ifConfirmed"/],
  ["downgrade unknown target SKU", rule({ action: "downgrade", downgrade: "[{ from: SPE_E5, to: SPE_E33 }]" }), 8, "rules[0].downgrade[0].to", /unknown SKU "SPE_E33"/],
  ["skus unknown SKU", rule({ skus: "[SPE_E3, VISO]" }), 8, "rules[0].skus[1]", /unknown SKU "VISO"/],
  ["skus unknown scope word", rule({ skus: "some" }), 8, "rules[0].skus", /./],
  ["add-on without mapping", rule({ skus: "{ addOn: [SPE_E3] }" }), 8, "rules[0].skus.addOn[0]", /no activity mapping/],
  ["seat rule reclaim", rule({ target: "sku", action: "reclaim" }, leaf("{ fact: available, operator: greaterThan, value: 0 }")), 6, "rules[0].action", /can only review or notify/],
  ["unknown target", rule({ target: "group" }), 8, "rules[0].target", /./],
  ["conditions not all/any/not", rule({}, "    conditions:\n      every: []"), 8, "rules[0].conditions", /must start with "all", "any" or "not"/],
  ["empty all", rule({}, "    conditions:\n      all: []"), 9, "rules[0].conditions.all", /non-empty list/],
  ["extra key next to all", rule({}, "    conditions:\n      all: [{ fact: blocked, operator: equal, value: true }]\n      any: []"), 10, "rules[0].conditions.any", /unknown field "any" next to "all"/],
  ["unknown fact", rule({}, leaf("{ fact: lastLogin, operator: olderThanDays, value: 90 }")), 10, "rules[0].conditions.all[0].fact", /unknown fact "lastLogin" \(did you mean "lastSignIn"\?\)/],
  ["unknown operator", rule({}, leaf("{ fact: blocked, operator: equals, value: true }")), 10, "rules[0].conditions.all[0].operator", /unknown operator "equals" \(did you mean "equal"\?\)/],
  ["operator wrong fact type", rule({}, leaf("{ fact: blocked, operator: greaterThan, value: 1 }")), 10, "rules[0].conditions.all[0].operator", /does not apply to boolean fact "blocked"/],
  ["missing value", rule({}, leaf("{ fact: blocked, operator: equal }")), 10, "rules[0].conditions.all[0].value", /is required/],
  ["missing operator", rule({}, leaf("{ fact: blocked, value: true }")), 10, "rules[0].conditions.all[0].operator", /is required/],
  ["value wrong type for boolean", rule({}, leaf('{ fact: blocked, operator: equal, value: "yes" }')), 10, "rules[0].conditions.all[0].value", /needs a boolean/],
  ["hasSku unknown SKU", rule({}, leaf("{ fact: licenses, operator: hasSku, value: SPE_E55 }")), 10, "rules[0].conditions.all[0].value", /unknown SKU "SPE_E55"/],
  ["hasAnySku not a list", rule({}, leaf("{ fact: licenses, operator: hasAnySku, value: SPE_E5 }")), 10, "rules[0].conditions.all[0].value", /non-empty list of skuPartNumbers/],
  ["unknown leaf field", rule({}, leaf("{ fact: blocked, operator: equal, value: true, path: $.x }")), 10, "rules[0].conditions.all[0].path", /unknown field "path"/],
  ["object value not a setting", rule({}, leaf("{ fact: lastSignIn, operator: olderThanDays, value: { fact: accountAgeDays } }")), 10, "rules[0].conditions.all[0].value", /must be \{ setting: <name> \}/],
  ["unknown setting reference", rule({}, leaf("{ fact: lastSignIn, operator: olderThanDays, value: { setting: inactivity } }")), 10, "rules[0].conditions.all[0].value.setting", /unknown setting "inactivity"/],
  ["nested unknown fact under not", rule({}, "    conditions:\n      not:\n        any:\n          - { fact: isGuests, operator: equal, value: true }"), 11, "rules[0].conditions.not.any[0].fact", /did you mean "isGuest"/],
  ["sku fact in user rule", rule({}, leaf("{ fact: available, operator: greaterThan, value: 0 }")), 10, "rules[0].conditions.all[0].fact", /only available to seat rules/],
  ["user fact in seat rule", rule({ target: "sku" }, leaf("{ fact: blocked, operator: equal, value: true }")), 11, "rules[0].conditions.all[0].fact", /fact "blocked" is only available to user rules/],
  ["leaf is a list", rule({}, "    conditions:\n      all:\n        - [blocked, equal, true]"), 10, "rules[0].conditions.all[0]", /must be a condition/],
];

describe("broken policy corpus", () => {
  it("has at least 40 cases", async () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(40);
  });

  for (const [name, text, line, path, message] of CORPUS) {
    it(`reports ${name} at line ${line}, ${path || "(document)"}`, async () => {
      const result = composePolicy(["broken.yaml"], {
        read: (f) => (f === "broken.yaml" ? text : readFileSync(f, "utf8")),
        resolve: () => DEFAULT_POLICY_FILE,
      });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      const [first] = result.problems;
      expect({ file: first?.file, line: first?.line, path: first?.path }).toEqual({ file: "broken.yaml", line, path });
      expect(first?.message).toMatch(message);
    });
  }
});
