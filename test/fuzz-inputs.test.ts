/**
 * Fuzzing the inputs a person hands Seatwise: `seatwise.yaml`, policy files, reclamation plans and
 * the CSV export. Any input gives exit 0 or 2 with one line per problem, never a stack trace, never
 * a secret (a real key is mixed into the inputs), never a formula-triggering CSV cell. Inputs are
 * random text, random YAML documents and mutations of valid files. `SEATWISE_FUZZ_RUNS` sets the
 * runs per property (default below: a few thousand cases in all).
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { stringify } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import type { CliIo } from "../cli/command.ts";
import { main, reportError } from "../cli/main.ts";
import { formatTable, licensesTable, usersTable } from "../collector/export/export-tables.ts";
import { csvCell, parseCsv } from "../core/csv.ts";
import { evaluate } from "../policies/evaluate.ts";
import { DEFAULT_POLICY_FILE, readPolicy } from "../policies/read-policy.ts";
import { TEST_NOW, baseSnapshot, baseUser, daysAgo, dateDaysAgo, license } from "../policies/testing/snapshot-builders.ts";
import { checkPlanActions } from "../reclaim/execute-reclaim.ts";
import { planReclaim } from "../reclaim/plan-reclaim.ts";
import { readPlanFile } from "../reclaim/read-plan-file.ts";
import { createAppIdentity, generateRsaKeyPair } from "../simulator/auth/certificates.ts";

/** Runs per property; read once. The defaults add up to 4,100 cases (600 + 400 + 600 + 100 + 2,000 + 300 + 100). */
const RUNS = Number(process.env["SEATWISE_FUZZ_RUNS"] ?? "") || 0;
const runs = (fallback: number) => (RUNS > 0 ? RUNS : fallback);
/** More runs need more time than vitest's default 60 s per test: 100 ms a run at most. */
const TIMEOUT = Math.max(60_000, RUNS * 100);

let dir: string;
let keyPem: string;
let keyWindows: Set<string>;
let configSeed: string;
let policySeed: string;
let planSeed: string;
let fileCounter = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "seatwise-fuzz-"));
  const identity = createAppIdentity("0d3b1e0c-7a4f-4b43-9a55-2b8e8c7f9d11", "Seatwise fuzz", await generateRsaKeyPair());
  keyPem = identity.privateKeyPem;
  const body = keyPem.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, "");
  keyWindows = new Set();
  for (let i = 0; i + 16 <= body.length; i++) keyWindows.add(body.slice(i, i + 16));
  writeFileSync(join(dir, "reader.pem"), `${identity.certificatePem}${identity.privateKeyPem}`, { mode: 0o600 });
  configSeed = [
    "tenantId: 8f3c2c1e-4b7a-4f0e-9d7e-2a1b3c4d5e6f",
    "clientId: 0d3b1e0c-7a4f-4b43-9a55-2b8e8c7f9d11",
    "certificate: ./reader.pem",
    "cloud: global",
    "tasks: [applicationRoster, licenseInformation]",
    "domains: [contoso.com]",
    "includeGuests: false",
    "store: ./seatwise.sqlite",
    "retainSnapshots: 14",
    "",
  ].join("\n");
  policySeed = `version: 1\nextends: default\ncurrency: EUR\nprices:\n  SPE_E3: 33.75\nsettings:\n  inactivityDays: 60\nprotect:\n  users: ["admin*@contoso.com"]\n  groups: ["Finance Admins"]\nrules:\n  - id: LIC.BLOCKED.1v1\n    severity: critical\n  - id: LIC.CUSTOM.1v1\n    name: Custom\n    rationale: Because.\n    action: review\n    severity: low\n    conditions:\n      all:\n        - { fact: lastSignIn, operator: olderThanDays, value: { setting: inactivityDays } }\n        - { fact: licenses, operator: hasAnySku, value: [SPE_E3, SPE_E5] }\n`;
  const policy = readPolicy([]);
  const blocked = baseUser({ accountEnabled: false, licenses: [license("SPE_E3")] });
  const inactive = baseUser({
    signInActivity: { lastSignInDateTime: daysAgo(200), lastNonInteractiveSignInDateTime: daysAgo(200), lastSuccessfulSignInDateTime: daysAgo(200) },
    mailbox: { storageUsedBytes: 1024 ** 3, hasArchive: false, itemCount: 10, lastActivityDate: dateDaysAgo(200) },
    oneDrive: { storageUsedBytes: 0, lastActivityDate: dateDaysAgo(200) },
    apps: { windows: false, mac: false, mobile: false, web: false, lastActivityDate: dateDaysAgo(200) },
    activity: {},
    lastUsedApp: null,
  });
  const snapshot = baseSnapshot([blocked, inactive, baseUser({ licenses: [license("SPE_E5")] })]);
  const evaluation = await evaluate(snapshot, policy, { now: TEST_NOW });
  const licenseStates = new Map(
    snapshot.users.map((u) => [
      u.id,
      {
        accountEnabled: u.accountEnabled,
        assignedLicenses: u.licenses.map((l) => ({ skuId: l.skuId, disabledPlans: [] })),
        assignments: u.licenses.map((l) => ({ skuId: l.skuId, assignedByGroup: l.assignedByGroup, disabledPlans: [] })),
      },
    ]),
  );
  const plan = planReclaim({ snapshot, runId: "fuzz-run-1", evaluation, policy, licenseStates, servicePlans: new Map() }, { now: TEST_NOW, maxUsers: 50 });
  expect(plan.actions.length).toBeGreaterThan(0);
  planSeed = `${JSON.stringify(plan, null, 2)}\n`;
});

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), env: {} };
  const code = await main(argv, io);
  return { code, out, err };
}

function writeInput(text: string, ext: string): string {
  const file = join(dir, `input-${++fileCounter}.${ext}`);
  writeFileSync(file, text);
  return file;
}

function leak(text: string): string | undefined {
  for (let i = 0; i + 16 <= text.length; i++) if (keyWindows.has(text.slice(i, i + 16))) return text.slice(i, i + 16);
  return undefined;
}

/**
 * The promise every input keeps: exit 0 or 2; on failure one line per problem, each naming a file
 * (or the command), no stack, and no 16 characters of the key. A valid file's own fields may be shown
 * on success (the effective configuration, a plan's dry run): that is the document, not an error.
 */
function expectCleanOutcome(r: { code: number; out: string; err: string }, tally: Record<number, number>): void {
  tally[r.code] = (tally[r.code] ?? 0) + 1;
  expect([0, 2], r.err).toContain(r.code);
  expect(r.err).not.toMatch(/^\s+at /m);
  expect(r.err).not.toContain("unexpected error");
  expect(leak(r.err), "stderr").toBeUndefined();
  expect(r.err).not.toContain("PRIVATE KEY-----\n");
  if (r.code !== 0) {
    expect(leak(r.out), "stdout").toBeUndefined();
    for (const line of r.err.trimEnd().split("\n")) expect(line, line).toMatch(/^\S.*: \S/);
  }
}

/** The generators reach both accepted and refused inputs (a fuzzer that only makes garbage tests little). */
function expectBothOutcomes(tally: Record<number, number>): void {
  if (process.env["SEATWISE_FUZZ_TALLY"] === "1") process.stderr.write(`fuzz tally: ${JSON.stringify(tally)}\n`);
  expect(tally[0] ?? 0).toBeGreaterThan(0);
  expect(tally[2] ?? 0).toBeGreaterThan(0);
}

/** Characters that mean something to YAML or to a parser downstream. */
const YAML_NOISE = ["&a ", "*a", "*b ", "!!binary ", "!tag ", "|", ">-", "{", "}", "[", "]", ": ", "- ", "#", "%YAML 1.1\n", "---\n", "...\n", "@", "`", '"', "'", "\t", "\r", "\u0000", "\uFEFF", "~", "? ", ",", "\\", "<<: *a"];

/** An edit to apply to a valid file. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...YAML_NOISE), fc.string({ maxLength: 12 })) }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ kind: fc.constant("dupLine" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("comment" as const), at: fc.nat(), text: fc.string({ maxLength: 20 }) }),
  fc.record({ kind: fc.constant("replaceValue" as const), at: fc.nat(), text: fc.oneof(fc.constantFrom("null", "[]", "{}", "-1", "1e309", "0x10", "yes", '""', "*a", "&a x"), fc.string({ maxLength: 20 })) }),
);

/** Key material put into an input last (whole, as a file or a pasted value would hold it). */
const secretEdit = fc.record({ kind: fc.constantFrom("insert" as const, "replaceValue" as const), at: fc.nat(), text: fc.constantFrom("KEY", "KEYLINE", "PEM") });

interface Edit {
  kind: "insert" | "delete" | "dupLine" | "replaceValue" | "comment";
  at: number;
  text?: string;
  length?: number;
}

function applyMutations(seed: string, edits: readonly Edit[]): string {
  let text = seed;
  const secret = (t: string) => (t === "KEY" ? JSON.stringify(keyPem) : t === "KEYLINE" ? keyPem.split("\n")[2]! : t === "PEM" ? `|\n  ${keyPem.trimEnd().split("\n").join("\n  ")}\n` : t);
  for (const e of edits) {
    const at = text.length === 0 ? 0 : e.at % text.length;
    if (e.kind === "insert") text = text.slice(0, at) + secret(e.text!) + text.slice(at);
    else if (e.kind === "delete") text = text.slice(0, at) + text.slice(at + e.length!);
    else if (e.kind === "dupLine") {
      const lines = text.split("\n");
      const i = e.at % Math.max(1, lines.length);
      lines.splice(i, 0, lines[i] ?? "");
      text = lines.join("\n");
    } else if (e.kind === "comment") {
      // A comment line (valid YAML whatever it says, unless it lands inside a flow collection or a quoted string).
      const lines = text.split("\n");
      lines.splice(e.at % Math.max(1, lines.length), 0, `# ${e.text!.replace(/[\r\n]/g, " ")}`);
      text = lines.join("\n");
    } else if (e.kind === "replaceValue") {
      // Replace the value after the n-th ": " (a field's value in YAML or JSON).
      const marks = [...text.matchAll(/: /g)].map((m) => m.index);
      if (marks.length === 0) continue;
      const start = marks[e.at % marks.length]! + 2;
      let end = start;
      while (end < text.length && text[end] !== "\n" && text[end] !== ",") end++;
      text = text.slice(0, start) + secret(e.text!) + text.slice(end);
    }
  }
  return text;
}

/** Random input text for a parser whose valid form is `seed`. */
function inputText(seed: () => string, knownKeys: readonly string[]): fc.Arbitrary<string> {
  const key = fc.oneof(fc.constantFrom(...knownKeys), fc.string({ minLength: 1, maxLength: 10 }));
  const value = fc.oneof({ weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) }, fc.constant(keyPem), fc.constant(keyPem.split("\n")[3]!));
  return fc.oneof(
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 300 }) },
    { weight: 2, arbitrary: fc.dictionary(key, value, { maxKeys: 8 }).map((d) => stringify(d)) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
    {
      weight: 6,
      arbitrary: fc.tuple(fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.option(secretEdit, { freq: 3 })).map(([edits, secret]) => applyMutations(seed(), secret ? [...edits, secret] : edits)),
    },
  );
}

describe("fuzz: seatwise.yaml", () => {
  it("config check: exit 0 or 2, one line per problem, no stack, no key", { timeout: TIMEOUT }, async () => {
    const tally: Record<number, number> = {};
    const keys = ["tenantId", "clientId", "certificate", "cloud", "authorityHost", "graphEndpoint", "caFile", "tasks", "domains", "includeGuests", "store", "retainSnapshots"];
    await fc.assert(
      fc.asyncProperty(inputText(() => configSeed, keys), async (text) => {
        const file = writeInput(text, "yaml");
        expectCleanOutcome(await run(["config", "check", "--config", file]), tally);
      }),
      { numRuns: runs(600) },
    );
    expectBothOutcomes(tally);
  });
});

describe("fuzz: policy files", () => {
  it("policy check: exit 0 or 2, one line per problem, no stack, no key", { timeout: TIMEOUT }, async () => {
    const tally: Record<number, number> = {};
    const keys = ["version", "extends", "currency", "prices", "settings", "protect", "rules", "id", "conditions", "fact", "operator", "value", "all", "any", "not"];
    const shipped = readFileSync(DEFAULT_POLICY_FILE, "utf8");
    await fc.assert(
      fc.asyncProperty(fc.oneof(inputText(() => policySeed, keys), inputText(() => shipped, keys)), async (text) => {
        const file = writeInput(text, "yaml");
        expectCleanOutcome(await run(["policy", "check", file]), tally);
      }),
      { numRuns: runs(400) },
    );
    expectBothOutcomes(tally);
  });
});

describe("fuzz: reclamation plans", () => {
  /** What `reclaim apply FILE` does with the file before it opens a store: read, validate, check the actions. */
  function parsePlanFile(file: string): { code: number; out: string; err: string } {
    let err = "";
    try {
      checkPlanActions(readPlanFile(file), file);
      return { code: 0, out: "", err };
    } catch (error) {
      const code = reportError(error, { out: () => undefined, err: (t) => void (err += t), env: {} });
      return { code, out: "", err };
    }
  }

  it("the plan parser (read-plan-file, plan-schema, action checks): exit 0 or 2, one line per problem, no stack, no key", { timeout: TIMEOUT }, () => {
    const tally: Record<number, number> = {};
    const keys = ["planVersion", "planId", "tenantId", "snapshot", "policy", "limits", "actions", "totals", "userId", "remove", "add"];
    fc.assert(
      fc.property(inputText(() => planSeed, keys), (text) => {
        const file = writeInput(text, "json");
        expectCleanOutcome(parsePlanFile(file), tally);
      }),
      { numRuns: runs(600) },
    );
    expectBothOutcomes(tally);
  });

  it("reclaim apply FILE: a bad plan is refused in one line before any store is opened", { timeout: TIMEOUT }, async () => {
    await fc.assert(
      fc.asyncProperty(inputText(() => planSeed, ["planVersion", "actions"]), async (text) => {
        const file = writeInput(text, "json");
        if (parsePlanFile(file).code === 0) return;
        const r = await run(["reclaim", "apply", file, "--db", join(dir, "never-created.sqlite")]);
        expectCleanOutcome(r, {});
        expect(r.code).toBe(2);
        expect(existsSync(join(dir, "never-created.sqlite"))).toBe(false);
      }),
      { numRuns: runs(100) },
    );
  });
});

/** A cell a spreadsheet would run as a formula: starts with = + - @ tab or CR and is not a plain number. */
function formulaTriggering(cell: string): boolean {
  return /^[=+\-@\t\r]/.test(cell) && !/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(cell);
}

describe("fuzz: CSV export", () => {
  it("csvCell round-trips through the CSV parser and never yields a formula-triggering cell", { timeout: TIMEOUT }, () => {
    const cell = fc.oneof(fc.string({ unit: "binary", maxLength: 40 }), fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }));
    fc.assert(
      fc.property(fc.array(cell, { minLength: 1, maxLength: 6 }), (row) => {
        const line = [...row.map(csvCell), "end"].join(",");
        const [parsed] = parseCsv(`${line}\r\n`);
        expect(parsed).toHaveLength(row.length + 1);
        for (const [i, value] of row.entries()) {
          const text = value === null ? "" : Array.isArray(value) ? value.join("; ") : String(value);
          expect(formulaTriggering(parsed![i]!), JSON.stringify(parsed![i])).toBe(false);
          expect([text, `'${text}`]).toContain(parsed![i]);
        }
      }),
      { numRuns: runs(2000) },
    );
  });

  it("export tables of users with hostile names, departments and apps: no formula-triggering cell", { timeout: TIMEOUT }, () => {
    const hostile = fc.oneof(
      fc.string({ unit: "binary", maxLength: 30 }),
      fc.constantFrom("=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "=cmd|' /C calc'!A0", "-Infinity", "1e309"),
    );
    fc.assert(
      fc.property(fc.array(fc.record({ displayName: hostile, department: hostile, jobTitle: hostile, lastUsedApp: hostile, country: hostile, local: fc.stringMatching(/^[a-z=+@-][a-z0-9.]{0,10}$/) }), { minLength: 1, maxLength: 5 }), (people) => {
        const users = people.map((p) =>
          baseUser({ displayName: p.displayName, department: p.department, jobTitle: p.jobTitle, lastUsedApp: p.lastUsedApp, country: p.country, userPrincipalName: `${p.local}@contoso.example` }),
        );
        const snapshot = baseSnapshot(users);
        for (const table of [usersTable(snapshot, TEST_NOW), licensesTable(snapshot)]) {
          const rows = parseCsv(formatTable(table, "csv"));
          expect(rows).toHaveLength(table.rows.length + 1);
          for (const row of rows) for (const c of row) expect(formulaTriggering(c), JSON.stringify(c)).toBe(false);
        }
      }),
      { numRuns: runs(300) },
    );
  });

  it("evaluate --format csv over snapshots with hostile names: exit 0, no formula-triggering cell", { timeout: TIMEOUT }, async () => {
    const hostile = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom("=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=x", "=HYPERLINK(\"http://x\")"));
    const inactiveFields = {
      signInActivity: { lastSignInDateTime: daysAgo(200), lastNonInteractiveSignInDateTime: daysAgo(200), lastSuccessfulSignInDateTime: daysAgo(200) },
      activity: {},
      lastUsedApp: null,
    };
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ displayName: hostile, department: hostile, local: fc.stringMatching(/^[a-z=+@-][a-z0-9]{0,8}$/) }), { minLength: 1, maxLength: 4 }), async (people) => {
        // Blocked and inactive users, so that findings (and their names) reach the CSV.
        const users = people.map((p, i) => baseUser({ ...(i % 2 === 0 ? { accountEnabled: false } : inactiveFields), displayName: p.displayName, department: p.department, userPrincipalName: `${p.local}@contoso.example` }));
        const file = writeInput(JSON.stringify(baseSnapshot(users)), "json");
        const r = await run(["evaluate", "--snapshot", file, "--format", "csv", "--now", TEST_NOW.toISOString()]);
        expect(r.err).toBe("");
        expect(r.code).toBe(0);
        const rows = parseCsv(r.out);
        expect(rows.length).toBeGreaterThan(1);
        for (const row of rows) for (const c of row) expect(formulaTriggering(c), JSON.stringify(c)).toBe(false);
      }),
      { numRuns: runs(100) },
    );
  });
});
