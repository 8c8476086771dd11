import { mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_SHOWN_CHARS, isBase64Like, quoteValue, redactSecrets, safeMessageLine } from "./redact.ts";

const PEM = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\nMzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu\n-----END PRIVATE KEY-----";
const JWT = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2dyYXBoLm1pY3Jvc29mdC5jb20ifQ.c2lnbmF0dXJlX2J5dGVzX2hlcmU";

describe("redactSecrets", () => {
  it("replaces PEM blocks, JWTs, client assertions and base64 runs, and keeps ordinary text", () => {
    expect(redactSecrets(`key: ${PEM} end`)).toBe("key: [PEM block redacted] end");
    expect(redactSecrets(`PEM cut short: ${PEM.slice(0, 90)}`)).toBe("PEM cut short: [PEM block redacted]");
    expect(redactSecrets(`Bearer ${JWT}`)).toBe("Bearer [token redacted]");
    expect(redactSecrets("grant_type=x&client_assertion=abc.def.ghi&scope=y")).toBe("grant_type=x&client_assertion=[redacted]&scope=y");
    expect(redactSecrets('{"client_secret": "s3cr3t"}')).toBe('{"client_secret": "[redacted]"}');
    expect(redactSecrets("MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNb")).toBe("[base64 redacted]");
    const ordinary = [
      "/tmp/seatwise-config-AbC123/policies/with/deep/nesting/default.yaml:14:9: rules[2].fact: unknown",
      "no PEM certificate (-----BEGIN CERTIFICATE-----) found",
      "8f3c2c1e-4b7a-4f0e-9d7e-2a1b3c4d5e6f thumbprint 3A9F0C1D2E3F4A5B6C7D8E9F0A1B2C3D4E5F6A7B",
      "ConfidentialClientApplication acquireTokenByClientCredential",
    ];
    for (const text of ordinary) expect(redactSecrets(text)).toBe(text);
  });

  it("never lets 16 characters of random base64 through, whatever surrounds them", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 24, maxLength: 600 }), fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }), (bytes, before, after) => {
        const b64 = Buffer.from(bytes).toString("base64");
        fc.pre(isBase64Like(b64));
        const out = redactSecrets(`${before} ${b64} ${after}`);
        for (let i = 0; i + 16 <= b64.length; i += 8) expect(out).not.toContain(b64.slice(i, i + 16));
      }),
      { numRuns: 2000 },
    );
  });
});

describe("quoteValue", () => {
  it("caps strings, describes lists and mappings, and never quotes secrets", () => {
    expect(quoteValue("ab ".repeat(40))).toBe(JSON.stringify(`${"ab ".repeat(40).slice(0, MAX_SHOWN_CHARS)}…`));
    expect(quoteValue("x".repeat(100))).toBe('"xxxxxxxxxxxx…"');
    expect(quoteValue("hrRooster")).toBe('"hrRooster"');
    expect(quoteValue([1, 2])).toBe("a list of 2");
    expect(quoteValue({ a: 1 })).toBe("a mapping");
    expect(quoteValue(PEM)).toBe("a PEM block (not shown)");
    expect(quoteValue(JWT)).toBe("a secret-looking value (not shown)");
    expect(quoteValue(3)).toBe("3");
    // A 16-character piece of a key is hidden; product names with digits are not.
    expect(quoteValue("P6ot+/Inm2An84Lg")).toBe("a secret-looking value (not shown)");
    for (const word of ["Microsoft_365_Copilot", "Office365Biz", "SPE_E5", "lastSignIn", "contoso.onmicrosoft.com", "8f3c2c1e-4b7a-4f0e-9d7e-2a1b3c4d5e6f"]) expect(quoteValue(word)).toBe(JSON.stringify(word));
    expect(quoteValue("Microsoft365Copilot")).toBe('"Microsoft365…"');
  });

  it("shows at most MAX_SHOWN_CHARS characters of any string, on one line, never 16 base64 characters in a row", () => {
    const text = fc.oneof(fc.string({ maxLength: 300 }), fc.uint8Array({ maxLength: 60 }).map((b) => Buffer.from(b).toString("base64")), fc.string({ unit: fc.constantFrom("a", "B", "7", "+", "/", "-", "."), maxLength: 60 }));
    fc.assert(
      fc.property(text, (s) => {
        const q = quoteValue(s);
        expect(q).not.toMatch(/[\r\n]/);
        expect(q).not.toMatch(/[A-Za-z0-9+/=]{16}/);
        expect(q.length).toBeLessThanOrEqual(MAX_SHOWN_CHARS * 6 + 3);
      }),
      { numRuns: 3000 },
    );
  });
});

describe("safeMessageLine", () => {
  it("keeps the first line only, without control characters", () => {
    expect(safeMessageLine("first\n    at stack (file.ts:1:1)")).toBe("first");
    expect(safeMessageLine("bell\u0007 and escape\u001b[31m")).toBe("bell and escape[31m");
  });
});

describe("file paths in messages", () => {
  const KEY_LINE = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj";

  it("keeps a real path whose temporary folder mixes case and digits like key material", () => {
    const dir = join(tmpdir(), "tmp.kQ3xZ8aB2LwP7Ry");
    mkdirSync(join(dir, "Tenants9Xy"), { recursive: true });
    try {
      const message = `${dir}/Tenants9Xy/fleet.yaml:3:13: tenants[0].config: no such file: ${dir}/Tenants9Xy/nowhere.yaml`;
      expect(isBase64Like("tmp.kQ3xZ8aB2LwP7Ry/Tenants9Xy".replace(".", ""))).toBe(true);
      expect(redactSecrets(message)).toBe(message);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("still redacts key material that only looks like a path, or sits behind a real directory", () => {
    for (const message of [`cannot read /${KEY_LINE}`, `cannot read ${tmpdir()}/${KEY_LINE}`, `cannot read ${tmpdir()}/${KEY_LINE}/x.yaml`]) {
      const shown = redactSecrets(message);
      expect(shown).toContain("[base64 redacted]");
      expect(shown).not.toContain(KEY_LINE.slice(20, 36));
    }
    expect(redactSecrets(`got ${KEY_LINE}`)).toBe("got [base64 redacted]");
    // Base64 that starts with "/" and whose pieces between slashes are each too plain (found by fast-check).
    const slashed = "//AAAAAAAAAAAAAAAAAAAAA/Sc1aHga0DgA=";
    expect(isBase64Like(slashed)).toBe(true);
    expect(redactSecrets(`cannot read ${slashed}`)).toBe("cannot read [base64 redacted]");
  });
});
