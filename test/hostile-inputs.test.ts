/**
 * Hostile and careless inputs get one line naming the file (and line:col where there is one), exit 2
 * for bad input and exit 1 with the cause for a run-time failure — never a stack trace. Files holding
 * personal data are created owner-only.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliIo } from "../cli/command.ts";
import { main } from "../cli/main.ts";
import { readToolConfig } from "../cli/read-tool-config.ts";
import { MAX_ALIAS_COUNT } from "../core/parse-yaml-with-schema.ts";
import { sameTenant } from "../core/normalize-tenant-id.ts";
import { evaluate } from "../policies/evaluate.ts";
import { readPolicy } from "../policies/read-policy.ts";
import { TEST_NOW, baseSnapshot, baseUser } from "../policies/testing/snapshot-builders.ts";
import { LEASE_TTL_MS, executeReclaimPlan, planJournalKey, type ExecutorDeps } from "../reclaim/execute-reclaim.ts";
import { planReclaim } from "../reclaim/plan-reclaim.ts";
import { createReclaimJournalRepository } from "../store/reclaim-journal-repository.ts";
import { createAppIdentity, generateRsaKeyPair } from "../simulator/auth/certificates.ts";
import { migrate } from "../store/migrate.ts";
import { openSqliteDatabase } from "../store/open-sqlite-database.ts";
import { readSnapshotFromStore } from "../store/read-snapshot-from-store.ts";
import { createRunRepository } from "../store/run-repository.ts";
import { STORE_MIGRATIONS } from "../store/store-migrations.ts";
import { startScriptedServer, type ScriptedServer } from "./support/scripted-https-server.ts";

const ROOT = resolve(import.meta.dirname, "..");
const TENANT = "8f3c2c1e-4b7a-4f0e-9d7e-2a1b3c4d5e6f";
const CLIENT = "0d3b1e0c-7a4f-4b43-9a55-2b8e8c7f9d11";
let dir: string;
let identityFile: string;
let tls: ScriptedServer;

async function run(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), env };
  const code = await main(argv, io);
  return { code, out, err };
}

function write(name: string, text: string, mode = 0o600): string {
  const file = join(dir, name);
  writeFileSync(file, text, { mode });
  return file;
}

function config(name: string, extra = "", authority = "https://127.0.0.1:9"): string {
  return write(name, `tenantId: ${TENANT}\nclientId: ${CLIENT}\ncertificate: ./identity.pem\nauthorityHost: ${authority}\ngraphEndpoint: ${authority}\n${extra}`);
}

/** One line on stderr, no stack frame. */
function expectOneLine(err: string): void {
  expect(err.endsWith("\n")).toBe(true);
  expect(err.trimEnd().split("\n")).toHaveLength(1);
  expect(err).not.toMatch(/^\s+at /m);
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "seatwise-hostile-"));
  const identity = createAppIdentity(CLIENT, "Seatwise hostile test", await generateRsaKeyPair());
  identityFile = write("identity.pem", `${identity.certificatePem}${identity.privateKeyPem}`);
  tls = await startScriptedServer();
});
afterAll(async () => {
  await tls.close();
});

/** Nine levels of nine aliases: 9^9 nodes if expanded ("billion laughs"). */
function aliasBomb(prefix: string): string {
  const lines = [prefix, 'l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
  for (let i = 1; i < 9; i++) lines.push(`l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(", ")}]`);
  return `${lines.join("\n")}\n`;
}

describe("YAML alias bombs and undefined aliases", () => {
  const inputs: { name: string; argv: (file: string) => string[]; prefix: string }[] = [
    { name: "seatwise.yaml", argv: (f) => ["config", "check", "--config", f], prefix: `tenantId: ${TENANT}` },
    { name: "policy", argv: (f) => ["policy", "check", f], prefix: "version: 1" },
    { name: "reclamation plan", argv: (f) => ["reclaim", "apply", f], prefix: "planVersion: 1" },
  ];
  for (const input of inputs) {
    it(`refuses an alias bomb in a ${input.name} in one line with its position`, async () => {
      const file = write(`bomb-${input.name}.yaml`, aliasBomb(input.prefix));
      const r = await run(input.argv(file));
      expect(r.code).toBe(2);
      expectOneLine(r.err);
      expect(r.err).toBe(`${file}:3:10: invalid YAML: aliases expand past the limit of ${MAX_ALIAS_COUNT}: refusing a document that may expand exponentially ("billion laughs")\n`);
    });

    it(`names an undefined alias in a ${input.name} with its line and column`, async () => {
      const file = write(`alias-${input.name}.yaml`, `${input.prefix}\nother: *nowhere\n`);
      const r = await run(input.argv(file));
      expect(r.code).toBe(2);
      expect(r.err).toBe(`${file}:2:8: invalid YAML: undefined alias "*nowhere" (an anchor &nowhere must come before it)\n`);
    });
  }

  it("still accepts a few ordinary aliases", async () => {
    const file = write("aliases-ok.yaml", `version: 1\nextends: default\nprotect:\n  users: &admins ["a@contoso.com"]\n  departments: *admins\n`);
    const r = await run(["policy", "check", file]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
  });
});

describe("certificate and caFile that cannot be used", () => {
  const cases = [
    { what: "a directory", make: () => (mkdirSync(join(dir, "a-dir"), { recursive: true }), "./a-dir"), message: "is a directory; give the path of a PEM file" },
    { what: "missing", make: () => "./nowhere.pem", message: "no such file (ENOENT)" },
  ];
  for (const c of cases) {
    it(`certificate: ${c.what} → exit 2, one line naming the file`, async () => {
      const rel = c.make();
      const file = write(`cert-${c.what}.yaml`, readFileSync(config("base.yaml"), "utf8").replace("./identity.pem", rel));
      const r = await run(["config", "check", "--config", file]);
      expect(r.code).toBe(2);
      expectOneLine(r.err);
      expect(r.err).toBe(`${join(dir, rel)}: certificate: cannot read the certificate file: ${c.message}\n`.replace("cannot read the certificate file: is a directory", "the certificate file is a directory"));
    });

    it(`caFile: ${c.what} → exit 2, one line naming the file (config check and collect)`, async () => {
      const rel = c.make();
      const file = config(`ca-${c.what}.yaml`, `caFile: ${rel}\n`);
      for (const argv of [["config", "check", "--config", file], ["collect", "--json", "--config", file]]) {
        const r = await run(argv);
        expect(r.code).toBe(2);
        expectOneLine(r.err);
        expect(r.err).toBe(`${join(dir, rel)}: caFile: ${c.message.startsWith("is a") ? "the CA file " + c.message : "cannot read the CA file: " + c.message}\n`);
      }
    });
  }

  it("caFile that holds no certificate → exit 2", async () => {
    write("not-a-ca.pem", "hello\n");
    const r = await run(["config", "check", "--config", config("ca-text.yaml", "caFile: ./not-a-ca.pem\n")]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`${join(dir, "not-a-ca.pem")}: caFile: no PEM certificate (-----BEGIN CERTIFICATE-----) found\n`);
  });

  it("unreadable certificate and caFile → exit 2, one line each (run as an unprivileged user when root)", () => {
    const asRoot = process.getuid?.() === 0;
    const runner = asRoot ? { uid: 65534, gid: 65534 } : {};
    const cfgDir = mkdtempSync(join(tmpdir(), "seatwise-unreadable-"));
    chmodSync(cfgDir, 0o755);
    // A certificate the runner can read (owner-only, owned by the runner) and a file it cannot.
    const readable = join(cfgDir, "readable.pem");
    writeFileSync(readable, readFileSync(identityFile, "utf8"), { mode: 0o600 });
    if (asRoot) chownSync(readable, 65534, 65534);
    const unreadable = join(cfgDir, "unreadable.pem");
    writeFileSync(unreadable, readFileSync(identityFile, "utf8"), { mode: asRoot ? 0o600 : 0o000 });
    const cases = [
      { field: "certificate", yaml: `certificate: ${unreadable}\n`, expected: `${unreadable}: certificate: cannot read the certificate file: permission denied (EACCES)\n` },
      { field: "caFile", yaml: `certificate: ${readable}\ncaFile: ${unreadable}\n`, expected: `${unreadable}: caFile: cannot read the CA file: permission denied (EACCES)\n` },
    ];
    for (const c of cases) {
      const cfg = join(cfgDir, `${c.field}.yaml`);
      writeFileSync(cfg, `tenantId: ${TENANT}\nclientId: ${CLIENT}\n${c.yaml}`, { mode: 0o644 });
      const r = spawnSync(process.execPath, [join(ROOT, "bin", "seatwise.js"), "config", "check", "--config", cfg], { encoding: "utf8", ...runner });
      expect(r.stderr).toBe(c.expected);
      expect(r.status).toBe(2);
    }
  });
});

describe("token endpoint failures", () => {
  it("unreachable: exit 1 with the host and the socket cause", async () => {
    const port = await closedPort();
    const r = await run(["collect", "--json", "--config", config("closed.yaml", "", `https://127.0.0.1:${port}`)]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`seatwise: cannot get an access token from 127.0.0.1:${port}: connection refused (ECONNREFUSED)\n`);
  });

  it("untrusted certificate: exit 1 with the host and the TLS cause", async () => {
    const host = new URL(tls.origin).host;
    const r = await run(["collect", "--json", "--config", config("untrusted.yaml", "", tls.origin)]);
    expect(r.code).toBe(1);
    expectOneLine(r.err);
    expect(r.err).toMatch(new RegExp(`^seatwise: cannot get an access token from ${host.replace(/\./g, "\\.")}: TLS: its certificate's issuer is (not trusted|not in the trusted CAs) \\((UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\\); .* caFile\\n$`));
  });
});

describe("policy check reports every problem in one pass", () => {
  it("lists schema and rule problems of one file together, sorted by line", async () => {
    const file = write(
      "many.yaml",
      [
        "version: 1",
        "extends: default",
        "settings:",
        "  inactivityDayz: 30",
        "rules:",
        "  - id: LIC.CUSTOM.1v1",
        "    name: x",
        "    rationale: y",
        "    action: reclaim",
        "    severity: extreme",
        "    conditions:",
        "      all:",
        "        - { fact: lastLogin, operator: olderThanDays, value: 30 }",
        "  - id: LIC.OTHER.1v1",
        "    name: x",
        "    rationale: y",
        "    action: reclaim",
        "    severity: high",
        "    conditions:",
        "      all:",
        "        - { fact: lastSignIn, operator: olderThanDayz, value: 30 }",
        "protect:",
        "  userz: []",
        "",
      ].join("\n"),
    );
    const r = await run(["policy", "check", file]);
    expect(r.code).toBe(2);
    expect(r.err.trimEnd().split("\n")).toEqual([
      `${file}:4:3: settings.inactivityDayz: unknown field "inactivityDayz" (did you mean "inactivityDays"?)`,
      `${file}:10:15: rules[0].severity: Invalid option: expected one of "low"|"medium"|"high"|"critical" (got "extreme")`,
      `${file}:13:19: rules[0].conditions.all[0].fact: unknown fact "lastLogin" (did you mean "lastSignIn"?)`,
      `${file}:21:41: rules[1].conditions.all[0].operator: unknown operator "olderThanDayz" (did you mean "olderThanDays"?)`,
      `${file}:23:3: protect.userz: unknown field "userz" (did you mean "users"?)`,
    ]);
  });
});

describe("tenant ids", () => {
  it("are lower-cased at the configuration edge (file and environment)", () => {
    const file = config("upper.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace(TENANT, ` ${TENANT.toUpperCase()}`));
    expect(readToolConfig(file).tenantId).toBe(TENANT);
    expect(readToolConfig(file, { SEATWISE_TENANT_ID: "Contoso.OnMicrosoft.com" }).tenantId).toBe("contoso.onmicrosoft.com");
    expect(sameTenant(TENANT.toUpperCase(), TENANT)).toBe(true);
    expect(sameTenant(TENANT, CLIENT)).toBe(false);
  });

  it("key the reclamation lease: a plan naming its tenant in upper case meets the same lease", async () => {
    const policy = readPolicy([]);
    const snapshot = baseSnapshot([baseUser({ accountEnabled: false }), baseUser()], { tenantId: TENANT });
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
    const plan = planReclaim({ snapshot, runId: "run-1", evaluation, policy, licenseStates, servicePlans: new Map() }, { now: TEST_NOW, maxUsers: 5 });
    expect(plan.actions.length).toBeGreaterThan(0);
    const db = openSqliteDatabase(join(dir, "lease.sqlite"));
    try {
      await migrate(db, STORE_MIGRATIONS);
      const journal = createReclaimJournalRepository(db);
      // Another process holds the lease of this plan, keyed by the lower-case tenant id.
      expect(await journal.acquireLease(`apply:${TENANT}:${planJournalKey(plan)}`, "other-host:1", TEST_NOW, LEASE_TTL_MS)).toEqual({ ok: true });
      const graph = {} as ExecutorDeps["graph"];
      await expect(executeReclaimPlan({ ...plan, tenantId: TENANT.toUpperCase() }, { graph, journal, now: () => TEST_NOW })).rejects.toMatchObject({ reason: "concurrent-run" });
    } finally {
      await db.close();
    }
  });

  it("find a store's runs whatever the case of the stored or the asked id", async () => {
    const db = openSqliteDatabase(join(dir, "tenants.sqlite"));
    try {
      await migrate(db, STORE_MIGRATIONS);
      const runs = createRunRepository(db);
      // An older store keyed by the id as configured then: upper case.
      const runId = await runs.begin(TENANT.toUpperCase(), [], new Date("2026-11-26T10:00:00Z"));
      await runs.finish(runId, "complete", {}, new Date("2026-11-26T10:05:00Z"));
      for (const asked of [TENANT, TENANT.toUpperCase(), ` ${TENANT} `]) expect((await readSnapshotFromStore(db, asked)).tenantId).toBe(TENANT.toUpperCase());
    } finally {
      await db.close();
    }
  });
});

describe("names from the tenant or a price book never reach Object.prototype", () => {
  it("a department, a SKU or a price-book row named __proto__ is an ordinary key", async () => {
    const snapshot = write(
      "proto.json",
      JSON.stringify(baseSnapshot([baseUser({ accountEnabled: false, department: "__proto__" }), baseUser({ accountEnabled: false, department: "constructor" })])),
    );
    const book = write("proto-prices.csv", "skuPartNumber,term,currency,price\n__proto__,monthly,USD,1\nSPE_E3,annual,USD,30\n");
    const r = await run(["evaluate", "--snapshot", snapshot, "--prices", book, "--format", "json", "--now", "2026-11-26T12:00:00Z"]);
    const polluted = Object.keys(Object.prototype).concat(["findings", "monthly", "annual"].filter((k) => k in {}));
    expect(polluted).toEqual([]);
    expect([0, 2]).toContain(r.code);
    if (r.code === 0) expect((JSON.parse(r.out) as { totals: { byDepartment: Record<string, { findings: number }> } }).totals.byDepartment["__proto__"]?.findings).toBe(1);
  });
});

describe("personal data stays private on disk", () => {
  it("evaluate --out and export --out write owner-only files even with a permissive umask", async () => {
    const snapshot = write("snapshot.json", JSON.stringify(baseSnapshot([baseUser()])), 0o644);
    const previous = process.umask(0o000);
    try {
      const evaluation = join(dir, "evaluation.json");
      expect((await run(["evaluate", "--snapshot", snapshot, "--format", "json", "--out", evaluation])).code).toBe(0);
      expect(statSync(evaluation).mode & 0o777).toBe(0o600);
    } finally {
      process.umask(previous);
    }
  });

  it("creates the SQLite store and its -wal and -shm owner-only", async () => {
    const file = join(dir, "private.sqlite");
    const previous = process.umask(0o000);
    let db;
    try {
      db = openSqliteDatabase(file);
      await db.exec("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);");
      for (const f of [file, `${file}-wal`, `${file}-shm`]) expect(statSync(f).mode & 0o777).toBe(0o600);
    } finally {
      await db?.close();
      process.umask(previous);
    }
  });
});
