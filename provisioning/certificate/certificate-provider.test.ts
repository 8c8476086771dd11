import * as pulumi from "@pulumi/pulumi";
import { execFile } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { certificateProvider } from "./certificate-provider.ts";

const run = promisify(execFile);

// The provider host (`@pulumi/pulumi/cmd/dynamic-provider`) loads the serialized provider with
// `require-from-string` and calls `.handler()`; this script does the same in a fresh Node process.
const HOST_SCRIPT = `
const requireFromString = require(process.argv[2]);
const fs = require("node:fs");
const provider = requireFromString(fs.readFileSync(process.argv[3], "utf8")).handler();
const inputs = { commonName: "Seatwise host test", validityDays: 30, rotationWindowDays: 7, keySize: 2048 };
(async () => {
  const checked = await provider.check({}, inputs);
  const created = await provider.create(checked.inputs);
  const diff = await provider.diff(created.id, created.outs, inputs);
  const bad = await provider.check({}, { ...inputs, keySize: 1024 });
  process.stdout.write(JSON.stringify({ id: created.id, outs: created.outs, diff, bad }));
})().catch((e) => { console.error(e); process.exit(1); });
`;

describe("certificateProvider", () => {
  it("survives Pulumi's closure serialization and creates a certificate in a separate provider-host process", async () => {
    const provider = certificateProvider; // as in the SDK: a local captured by `() => provider`
    const serialized = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
    // Only the logic module's path is captured, never module objects or key material.
    expect(serialized.text).toContain("certificate-logic.ts");
    expect(serialized.text).not.toMatch(/node-forge|__vi_import|__vite_ssr/);

    const dir = await mkdtemp(join(tmpdir(), "seatwise-provider-"));
    try {
      await writeFile(join(dir, "provider.js"), serialized.text);
      await writeFile(join(dir, "host.cjs"), HOST_SCRIPT);
      // Resolved the way @pulumi/pulumi's provider host resolves it.
      const pulumiRequire = createRequire(createRequire(import.meta.url).resolve("@pulumi/pulumi"));
      const requireFromString = pulumiRequire.resolve("require-from-string");
      const { stdout } = await run(process.execPath, [join(dir, "host.cjs"), requireFromString, join(dir, "provider.js")], { cwd: process.cwd() });
      const result = JSON.parse(stdout) as { id: string; outs: Record<string, string>; diff: { changes: boolean }; bad: { failures: { property: string }[] } };
      const x509 = new X509Certificate(result.outs.certPem!);
      expect(x509.subject).toBe("CN=Seatwise host test");
      expect(result.id).toBe(x509.fingerprint256.replace(/:/g, ""));
      expect(result.diff.changes).toBe(false);
      expect(result.bad.failures.map((f) => f.property)).toEqual(["keySize"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
