import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../cli/main.ts";
import { formatProblem } from "../core/errors.ts";
import { composePolicy } from "../policies/compose-policy.ts";
import type { PolicyReader } from "../policies/compose-policy.ts";
import { DEFAULT_POLICY_FILE, checkPolicyFiles, readPolicy } from "../policies/read-policy.ts";

/** Composes in-memory files; `extends: default` reads the shipped pack. */
function compose(files: Record<string, string>, entry: string[] = [Object.keys(files)[0]!]) {
  const reader: PolicyReader = {
    read: (f) => files[f] ?? readFileSync(f, "utf8"),
    resolve: (ref) => (ref === "default" ? DEFAULT_POLICY_FILE : ref),
  };
  return composePolicy(entry, reader);
}

function problems(files: Record<string, string>, entry?: string[]): string[] {
  const result = compose(files, entry);
  return result.ok ? [] : result.problems.map(formatProblem);
}

const RULE = (conditions: string, extra = "") => `version: 1
rules:
  - id: LOCAL.TEST.1v1
    name: Test rule
    rationale: Testing.
    action: review
    severity: low${extra}
    conditions:
${conditions}
`;

describe("policy files: problems with file, line and column", () => {
  it("rejects an unknown fact and suggests the close one", async () => {
    expect(problems({ "p.yaml": RULE("      all:\n        - { fact: lastLogin, operator: olderThanDays, value: 90 }") })).toEqual([
      'p.yaml:10:19: rules[0].conditions.all[0].fact: unknown fact "lastLogin" (did you mean "lastSignIn"?)',
    ]);
  });

  it("rejects an unknown operator", async () => {
    expect(problems({ "p.yaml": RULE("      all:\n        - { fact: lastSignIn, operator: olderThan, value: 90 }") })).toEqual([
      'p.yaml:10:41: rules[0].conditions.all[0].operator: unknown operator "olderThan" (did you mean "olderThanDays"?)',
    ]);
  });

  it("rejects an operator that does not apply to the fact's type", async () => {
    const [p] = problems({ "p.yaml": RULE("      all:\n        - { fact: daysSinceLastSignIn, operator: olderThanDays, value: 90 }") });
    expect(p).toMatch(/^p\.yaml:10:\d+: rules\[0\]\.conditions\.all\[0\]\.operator: operator "olderThanDays" does not apply to number fact "daysSinceLastSignIn"/);
  });

  it("rejects an unknown SKU in a downgrade and suggests one", async () => {
    const text = `version: 1
rules:
  - id: LOCAL.DOWN.1v1
    name: D
    rationale: R
    action: downgrade
    severity: low
    downgrade:
      - { from: SPE_E6, to: SPE_E3 }
    conditions: { all: [{ fact: blocked, operator: equal, value: false }] }
`;
    const found = problems({ "p.yaml": text });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^p\.yaml:9:17: rules\[0\]\.downgrade\[0\]\.from: unknown SKU "SPE_E6" \(did you mean "SPE_E[35]"\?\): not in Microsoft's catalogue nor in prices$/);
  });

  it("rejects an unknown action with a suggestion", async () => {
    const [p] = problems({ "p.yaml": RULE("      all:\n        - { fact: blocked, operator: equal, value: true }").replace("action: review", "action: reclaimm") });
    expect(p).toMatch(/^p\.yaml:6:13: rules\[0\]\.action: .*did you mean "reclaim"\?/);
  });

  it("rejects duplicate rule ids", async () => {
    const text = RULE("      all:\n        - { fact: blocked, operator: equal, value: true }");
    const twice = `${text}${text.split("rules:\n")[1]}`;
    expect(problems({ "p.yaml": twice })).toEqual(['p.yaml:11:9: rules[1].id: duplicate rule id "LOCAL.TEST.1v1" (first at rules[0])']);
  });

  it("rejects wrong types", async () => {
    const [p] = problems({ "p.yaml": "version: 1\nsettings:\n  inactivityDays: ninety\n" });
    expect(p).toMatch(/^p\.yaml:3:19: settings\.inactivityDays: .*\(got "ninety"\)/);
  });

  it("reports YAML syntax errors with their position", async () => {
    const [p] = problems({ "p.yaml": "version: 1\nrules:\n  - id: [unclosed\n" });
    expect(p).toMatch(/^p\.yaml:\d+:\d+: invalid YAML/);
  });

  it("rejects an unknown field of a rule and suggests the close one", async () => {
    expect(problems({ "p.yaml": RULE("      all:\n        - { fact: blocked, operator: equal, value: true }").replace("severity: low", "severty: low") })).toContain(
      'p.yaml:7:5: rules[0].severty: unknown field "severty" (did you mean "severity"?)',
    );
  });

  it("rejects an unknown setting referenced by a condition", async () => {
    expect(problems({ "p.yaml": RULE("      all:\n        - { fact: lastSignIn, operator: olderThanDays, value: { setting: inactiveDays } }") })).toEqual([
      'p.yaml:10:74: rules[0].conditions.all[0].value.setting: unknown setting "inactiveDays" (did you mean "inactivityDays"?)',
    ]);
  });

  it("rejects add-on facts outside add-on rules", async () => {
    const [p] = problems({ "p.yaml": RULE("      all:\n        - { fact: addOnLastActivity, operator: olderThanDays, value: 90 }") });
    expect(p).toContain('fact "addOnLastActivity" is only available to rules with skus: { addOn: [...] }');
  });

  it("rejects a value of the wrong type for the operator", async () => {
    const [p] = problems({ "p.yaml": RULE("      all:\n        - { fact: lastSignIn, operator: olderThanDays, value: ninety }") });
    expect(p).toContain('rules[0].conditions.all[0].value: operator "olderThanDays" needs a number (got "ninety")');
  });

  it("rejects conditions that do not start with all, any or not", async () => {
    const [p] = problems({ "p.yaml": RULE("      fact: blocked\n      operator: equal\n      value: true") });
    expect(p).toMatch(/^p\.yaml:\d+:\d+: rules\[0\]\.conditions: must start with "all", "any" or "not"/);
  });

  it("rejects a new rule without its required fields", async () => {
    expect(problems({ "p.yaml": "version: 1\nrules:\n  - id: LOCAL.NEW.1v1\n    action: review\n" })).toEqual([
      'p.yaml:3:5: rules[0].name: is required (rule "LOCAL.NEW.1v1" does not inherit it from an extended file)',
      'p.yaml:3:5: rules[0].rationale: is required (rule "LOCAL.NEW.1v1" does not inherit it from an extended file)',
      'p.yaml:3:5: rules[0].severity: is required (rule "LOCAL.NEW.1v1" does not inherit it from an extended file)',
      'p.yaml:3:5: rules[0].conditions: is required (rule "LOCAL.NEW.1v1" does not inherit it from an extended file)',
    ]);
  });

  it("rejects unversioned rule ids", async () => {
    const [p] = problems({ "p.yaml": RULE("      all:\n        - { fact: blocked, operator: equal, value: true }").replace("LOCAL.TEST.1v1", "local-test") });
    expect(p).toMatch(/rules\[0\]\.id: must be a versioned rule id such as LIC\.BLOCKED\.1v1/);
  });

  it("rejects ifConfirmed on a rule that is not a review, naming the file, line and field", async () => {
    const text = RULE("      all:\n        - { fact: blocked, operator: equal, value: true }", "\n    ifConfirmed: reclaim").replace("action: review", "action: reclaim");
    expect(problems({ "p.yaml": text })).toEqual(['p.yaml:8:18: rules[0].ifConfirmed: only review rules take "ifConfirmed" (action is "reclaim"; write action: review, or leave ifConfirmed out)']);
  });

  it("rejects ifConfirmed added by a local file to an inherited reclaim rule, at the local file's line", async () => {
    const local = "version: 1\nextends: default\nrules:\n  - id: LIC.BLOCKED.1v1\n    ifConfirmed: reclaim\n";
    expect(problems({ "local.yaml": local })).toEqual(['local.yaml:5:18: rules[0].ifConfirmed: only review rules take "ifConfirmed" (action is "reclaim"; write action: review, or leave ifConfirmed out)']);
  });

  it("rejects ifConfirmed: downgrade without the SKUs to downgrade, and accepts it with them", async () => {
    const conditions = "      all:\n        - { fact: blocked, operator: equal, value: false }";
    expect(problems({ "p.yaml": RULE(conditions, "\n    ifConfirmed: downgrade") })).toEqual(['p.yaml:8:18: rules[0].ifConfirmed: a review confirmed as a downgrade needs "downgrade: [{ from, to }]"']);
    const result = compose({ "p.yaml": RULE(conditions, "\n    ifConfirmed: downgrade\n    downgrade: [{ from: SPE_E5, to: SPE_E3 }]") });
    expect(result.ok && result.policy.rules[0]).toMatchObject({ action: "review", ifConfirmed: "downgrade", skus: { list: ["SPE_E5"] }, downgrade: [{ from: "SPE_E5", to: "SPE_E3" }] });
  });

  it("policy check: a bad ifConfirmed is one line on stderr and exit 2", async () => {
    const dir = mkdtempSync(join(tmpdir(), "seatwise-if-confirmed-"));
    const file = join(dir, "p.yaml");
    writeFileSync(file, RULE("      all:\n        - { fact: blocked, operator: equal, value: true }", "\n    ifConfirmed: reclaim").replace("action: review", "action: notify"));
    let out = "";
    let err = "";
    const code = await main(["policy", "check", file], { out: (t) => void (out += t), err: (t) => void (err += t), env: {} });
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err).toBe(`${file}:8:18: rules[0].ifConfirmed: only review rules take "ifConfirmed" (action is "notify"; write action: review, or leave ifConfirmed out)\n`);
  });

  it("rejects circular extends", async () => {
    const [p] = problems({ "a.yaml": "version: 1\nextends: b.yaml\n", "b.yaml": "version: 1\nextends: a.yaml\n" });
    expect(p).toContain("circular extends: a.yaml → b.yaml → a.yaml");
  });
});

describe("policy composition", () => {
  it("loads the shipped pack and the example override without problems", async () => {
    expect(checkPolicyFiles([DEFAULT_POLICY_FILE])).toEqual([]);
    expect(checkPolicyFiles(["policies/examples/local-override.yaml"])).toEqual([]);
  });

  it("ships files that point editors at the JSON Schema", async () => {
    for (const f of ["policies/default.yaml", "policies/examples/local-override.yaml"]) {
      expect(readFileSync(f, "utf8").split("\n")[0]).toMatch(/^# yaml-language-server: \$schema=(\.\.\/)+schemas\/policy\.schema\.json$/);
    }
  });

  it("says in the default pack that its prices are examples to replace", async () => {
    expect(readFileSync(DEFAULT_POLICY_FILE, "utf8")).toContain("LIST-PRICE EXAMPLES TO REPLACE");
  });

  it("lets a local file override settings, prices, single rules and add protections", async () => {
    const policy = readPolicy(["policies/examples/local-override.yaml"]);
    expect(policy.currency).toBe("EUR");
    expect(policy.prices.SPE_E5).toBe(54.75);
    expect(policy.prices.SPE_F1).toBe(8);
    expect(policy.settings.inactivityDays).toBe(60);
    const inactive = policy.rules.find((r) => r.id === "LIC.INACTIVE.1v1")!;
    // The inherited rule's { setting: inactivityDays } now reads 60.
    expect(JSON.stringify(inactive.conditions)).toContain('"operator":"olderThanDays","value":60');
    expect(policy.rules.find((r) => r.id === "LIC.GUEST_PAID.1v1")).toMatchObject({ action: "review", ifConfirmed: "reclaim", name: "Guest holding a paid license" });
    expect(policy.rules.some((r) => r.id === "LIC.DOWNGRADE.E3_F3.1v1")).toBe(false);
    expect(policy.rules.at(-1)?.id).toBe("LOCAL.CONTRACTOR_E5.1v1");
    expect(policy.protect.groups).toContain("Emergency Access Accounts");
    expect(policy.protect.departments).toEqual(["Legal"]);
  });

  it("layers several files in order, later ones winning", async () => {
    const result = compose(
      { "a.yaml": "version: 1\nextends: default\nsettings: { inactivityDays: 45 }\n", "b.yaml": "version: 1\nextends: default\nsettings: { inactivityDays: 30 }\n" },
      ["a.yaml", "b.yaml"],
    );
    expect(result.ok && result.policy.settings.inactivityDays).toBe(30);
    expect(result.ok && result.policy.files.length).toBe(3);
  });
});
