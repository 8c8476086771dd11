/**
 * No command prints a secret or a file's contents. A real private key (PKCS#8, with and without its
 * certificate) is given to every option that takes a file, directly or through another file
 * (`extends:`, `certificate:`, `caFile:`, environment variables); no 16 consecutive characters of the
 * key's base64 may appear in stdout or stderr, and the error is one line per problem, never a stack.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { CliIo } from "../cli/command.ts";
import { main } from "../cli/main.ts";
import { createAppIdentity, generateRsaKeyPair } from "../simulator/auth/certificates.ts";

let dir: string;
/** Key file: certificate + private key, owner-only (what provisioning writes). */
let identityPem: string;
/** Key only (PKCS#8). */
let keyPem: string;
let keyWindows: Set<string>;
let validConfig: string;

/** Every 16-character window of the key's base64 body. */
function windowsOf(pem: string): Set<string> {
  const body = pem.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, "");
  const out = new Set<string>();
  for (let i = 0; i + 16 <= body.length; i++) out.add(body.slice(i, i + 16));
  return out;
}

function leaked(text: string): string | undefined {
  for (let i = 0; i + 16 <= text.length; i++) if (keyWindows.has(text.slice(i, i + 16))) return text.slice(i, i + 16);
  return undefined;
}

function write(name: string, text: string, mode = 0o600): string {
  const file = join(dir, name);
  writeFileSync(file, text, { mode });
  return file;
}

async function run(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), env };
  const code = await main(argv, io);
  return { code, out, err };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "seatwise-leak-"));
  const key = await generateRsaKeyPair();
  const identity = createAppIdentity("0d3b1e0c-7a4f-4b43-9a55-2b8e8c7f9d11", "Seatwise leak test", key);
  keyPem = identity.privateKeyPem;
  identityPem = `${identity.certificatePem.trimEnd()}\n${identity.privateKeyPem.trimEnd()}\n`;
  keyWindows = windowsOf(keyPem);
  write("identity.pem", identityPem);
  write("key.pem", keyPem);
  // A valid configuration whose Graph is unreachable (nothing listens on port 9): no test goes that far.
  validConfig = write(
    "seatwise.yaml",
    "tenantId: 8f3c2c1e-4b7a-4f0e-9d7e-2a1b3c4d5e6f\nclientId: 0d3b1e0c-7a4f-4b43-9a55-2b8e8c7f9d11\ncertificate: ./identity.pem\nauthorityHost: https://127.0.0.1:9\ngraphEndpoint: https://127.0.0.1:9\n",
  );
});

/** Each case: a name and the argv (built once files exist), with optional environment. */
const cases: { name: string; argv: () => string[]; env?: () => Record<string, string> }[] = [
  { name: "config check --config KEY", argv: () => ["config", "check", "--config", join(dir, "identity.pem")] },
  { name: "config check --config KEY (key only)", argv: () => ["config", "check", "--config", join(dir, "key.pem")] },
  { name: "policy check KEY", argv: () => ["policy", "check", join(dir, "identity.pem")] },
  { name: "evaluate --policy KEY", argv: () => ["evaluate", "--policy", join(dir, "identity.pem"), "--snapshot", join(dir, "key.pem")] },
  { name: "evaluate --snapshot KEY", argv: () => ["evaluate", "--snapshot", join(dir, "identity.pem")] },
  { name: "evaluate --snapshot KEY (key only)", argv: () => ["evaluate", "--snapshot", join(dir, "key.pem")] },
  { name: "evaluate --prices KEY", argv: () => ["evaluate", "--prices", join(dir, "identity.pem"), "--snapshot", join(dir, "key.pem")] },
  {
    name: "evaluate --prices with a key line as a price",
    argv: () => ["evaluate", "--snapshot", join(dir, "key.pem"), "--prices", write("prices.csv", `skuPartNumber,term,currency,price\nSPE_E3,${keyPem.split("\n")[2]!.slice(0, 20)},USD,${keyPem.split("\n")[3]!.slice(0, 30)}\n`)],
  },
  { name: "evaluate --db KEY", argv: () => ["evaluate", "--db", join(dir, "key.pem")] },
  { name: "report --plan KEY", argv: () => ["report", "--db", join(dir, "report-store.sqlite"), "--out", join(dir, "report.html"), "--plan", join(dir, "identity.pem")] },
  { name: "report --policy KEY", argv: () => ["report", "--db", join(dir, "report-store.sqlite"), "--out", join(dir, "report.html"), "--policy", join(dir, "key.pem")] },
  { name: "report --prices KEY", argv: () => ["report", "--db", join(dir, "report-store.sqlite"), "--out", join(dir, "report.html"), "--prices", join(dir, "key.pem")] },
  { name: "report --db KEY", argv: () => ["report", "--db", join(dir, "key.pem"), "--out", join(dir, "report.html")] },
  { name: "export users --db KEY", argv: () => ["export", "users", "--db", join(dir, "key.pem")] },
  { name: "collect --policy KEY", argv: () => ["collect", "--config", validConfig, "--policy", join(dir, "identity.pem"), "--json"] },
  { name: "collect --config KEY", argv: () => ["collect", "--config", join(dir, "identity.pem")] },
  { name: "collect --db KEY", argv: () => ["collect", "--config", validConfig, "--db", join(dir, "key.pem"), "--json"] },
  { name: "schedule --config KEY", argv: () => ["schedule", "--cron", "0 3 * * *", "--config", join(dir, "identity.pem")] },
  { name: "reclaim plan --policy KEY", argv: () => ["reclaim", "plan", "--policy", join(dir, "identity.pem"), "--db", join(dir, "plan-store.sqlite"), "--out", join(dir, "plan.json")] },
  { name: "reclaim plan --db KEY", argv: () => ["reclaim", "plan", "--db", join(dir, "key.pem"), "--out", join(dir, "plan.json")] },
  { name: "reclaim apply KEY", argv: () => ["reclaim", "apply", join(dir, "identity.pem")] },
  { name: "reclaim apply KEY --execute", argv: () => ["reclaim", "apply", join(dir, "key.pem"), "--execute", "--config", validConfig] },
  { name: "reclaim history --db KEY", argv: () => ["reclaim", "history", "--db", join(dir, "key.pem")] },
  { name: "provision-config --input KEY", argv: () => ["provision-config", "--input", join(dir, "identity.pem"), "--out-dir", join(dir, "provisioned")] },
  { name: "policy with extends: KEY", argv: () => ["policy", "check", write("extends-key.yaml", `version: 1\nextends: ./identity.pem\n`)] },
  {
    name: "seatwise.yaml with certificate: KEY only (no certificate in it)",
    argv: () => ["config", "check", "--config", write("cert-key-only.yaml", readFileSync(validConfig, "utf8").replace("./identity.pem", "./key.pem"))],
  },
  {
    name: "seatwise.yaml with caFile: KEY",
    argv: () => ["config", "check", "--config", write("ca-key.yaml", `${readFileSync(validConfig, "utf8")}caFile: ./identity.pem\n`)],
  },
  {
    name: "collect with caFile: KEY",
    argv: () => ["collect", "--json", "--config", write("ca-key-collect.yaml", `${readFileSync(validConfig, "utf8")}caFile: ./key.pem\n`)],
  },
  {
    name: "SEATWISE_CERTIFICATE=KEY only",
    argv: () => ["config", "check", "--config", validConfig],
    env: () => ({ SEATWISE_CERTIFICATE: join(dir, "key.pem") }),
  },
  {
    name: "SEATWISE_CLIENT_ID=the key's PEM text",
    argv: () => ["config", "check", "--config", validConfig],
    env: () => ({ SEATWISE_CLIENT_ID: keyPem }),
  },
  {
    name: "a key pasted into a field of seatwise.yaml",
    argv: () => ["config", "check", "--config", write("pasted.yaml", `${readFileSync(validConfig, "utf8").replace(/^clientId: .*$/m, `clientId: ${JSON.stringify(keyPem)}`)}`)],
  },
  {
    name: "one line of the key's base64 as a field value",
    argv: () => ["config", "check", "--config", write("line.yaml", readFileSync(validConfig, "utf8").replace(/^tenantId: .*$/m, `tenantId: ${keyPem.split("\n")[3]}`))],
  },
  {
    name: "one line of the key's base64 as an unknown field",
    argv: () => ["config", "check", "--config", write("key-field.yaml", `${readFileSync(validConfig, "utf8")}${keyPem.split("\n")[5]!.replace(/[^A-Za-z0-9]/g, "x")}: 1\n`)],
  },
  {
    name: "one line of the key's base64 as a policy fact and SKU",
    argv: () => [
      "policy",
      "check",
      write(
        "fact.yaml",
        `version: 1\nextends: default\nrules:\n  - id: LIC.X.1v1\n    name: x\n    rationale: x\n    action: review\n    severity: low\n    skus: [${keyPem.split("\n")[2]!.replace(/[^A-Za-z0-9]/g, "x")}]\n    conditions:\n      all:\n        - { fact: ${keyPem.split("\n")[4]!.replace(/[^A-Za-z0-9]/g, "x")}, operator: equal, value: 1 }\n`,
      ),
    ],
  },
];

describe("no command prints a key given to it", () => {
  for (const c of cases) {
    it(`${c.name}: one-line error, no 16 characters of the key`, async () => {
      const r = await run(c.argv(), c.env?.() ?? {});
      expect(leaked(r.out), `stdout of ${c.name}`).toBeUndefined();
      expect(leaked(r.err), `stderr of ${c.name}`).toBeUndefined();
      expect(r.err).not.toMatch(/^\s+at /m);
      expect(r.err).not.toContain("BEGIN PRIVATE KEY");
      expect([1, 2, 3]).toContain(r.code);
      expect(r.err.trim().split("\n").length).toBeLessThanOrEqual(3);
    });
  }

  it("a policy that extends /etc/passwd prints none of that file", async () => {
    const passwd = readFileSync("/etc/passwd", "utf8");
    const file = write("passwd.yaml", "version: 1\nextends: /etc/passwd\n");
    const r = await run(["policy", "check", file]);
    expect(r.code).toBe(2);
    for (const line of passwd.split("\n").filter((l) => l.length >= 8)) expect(r.err).not.toContain(line);
    expect(r.err).not.toContain("root:");
    expect(r.err.trim()).toBe("/etc/passwd:1:1: must be a YAML or JSON mapping of fields, but the file is text: is it the right file?");
  });
});
