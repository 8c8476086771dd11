import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ValidationError } from "../core/errors.ts";
import { readToolConfig } from "./read-tool-config.ts";

const base = `tenantId: 8f3c2c1e-4b7a-4f0e-9d7e-2a1b3c4d5e6f
clientId: 11111111-2222-3333-4444-555555555555
certificate: ./reader.pem
`;

function write(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "seatwise-config-"));
  const file = join(dir, "seatwise.yaml");
  writeFileSync(file, text);
  return file;
}

function problemsOf(file: string, env: Record<string, string> = {}): string[] {
  try {
    readToolConfig(file, env);
  } catch (error) {
    if (error instanceof ValidationError) return error.message.split("\n");
    throw error;
  }
  throw new Error("expected a validation error");
}

describe("readToolConfig", () => {
  it("applies defaults and resolves paths against the file's folder", () => {
    const file = write(base);
    const c = readToolConfig(file);
    expect(c.cloud).toBe("global");
    expect(c.authorityHost).toBe("https://login.microsoftonline.com");
    expect(c.graphEndpoint).toBe("https://graph.microsoft.com");
    expect(c.tasks).toContain("applicationRoster");
    expect(c.tasks).not.toContain("reclamation");
    expect(c.includeGuests).toBe(false);
    expect(c.certificatePath).toBe(join(file, "..", "reader.pem"));
    expect(c.store).toEqual({ engine: "sqlite", path: join(file, "..", "seatwise.sqlite") });
  });

  it("maps sovereign cloud presets", () => {
    expect(readToolConfig(write(`${base}cloud: usgovdod\n`)).graphEndpoint).toBe("https://dod-graph.microsoft.us");
    expect(readToolConfig(write(`${base}cloud: china\n`)).authorityHost).toBe("https://login.chinacloudapi.cn");
  });

  it("reports an unknown field with its line, column and a suggestion", () => {
    const file = write(`${base}tasks:\n  - applicationRoster\nincludeGuest: true\n`);
    expect(problemsOf(file)).toEqual([`${file}:6:1: includeGuest: unknown field "includeGuest" (did you mean "includeGuests"?)`]);
  });

  it("reports an invalid task at its list item", () => {
    const file = write(`${base}tasks:\n  - applicationRoster\n  - hrRooster\n`);
    const [problem] = problemsOf(file);
    expect(problem).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:6:5: tasks\\[1\\]: .*hrRooster.*did you mean "hrRoster"`));
  });

  it("requires authorityHost and graphEndpoint together", () => {
    const file = write(`${base}authorityHost: https://127.0.0.1:8443\n`);
    expect(problemsOf(file)).toEqual([`${file}:1:1: graphEndpoint: authorityHost and graphEndpoint must be given together (or use cloud)`]);
  });

  it("rejects a non-https authority host", () => {
    const file = write(`${base}authorityHost: http://127.0.0.1:8443\ngraphEndpoint: https://127.0.0.1:8443\n`);
    expect(problemsOf(file)[0]).toContain(`${file}:4:16: authorityHost: must be an https:// origin`);
  });

  it("names a missing required field", () => {
    const file = write("clientId: 11111111-2222-3333-4444-555555555555\ncertificate: x.pem\n");
    expect(problemsOf(file)).toEqual([`${file}:1:1: tenantId: is required`]);
  });

  it("reports YAML syntax errors with their position", () => {
    const file = write(`${base}tasks: [applicationRoster\n`);
    expect(problemsOf(file)[0]).toMatch(/seatwise\.yaml:\d+:\d+: invalid YAML/);
  });

  it("lets environment variables override fields and blames them for bad values", () => {
    const file = write(base);
    const c = readToolConfig(file, { SEATWISE_TASKS: "hrRoster,licenseInformation", SEATWISE_INCLUDE_GUESTS: "true" });
    expect(c.tasks).toEqual(["hrRoster", "licenseInformation"]);
    expect(c.includeGuests).toBe(true);
    expect(c.overriddenBy.sort()).toEqual(["SEATWISE_INCLUDE_GUESTS", "SEATWISE_TASKS"]);
    expect(problemsOf(file, { SEATWISE_CLIENT_ID: "not-a-guid" })).toEqual([
      "environment variable SEATWISE_CLIENT_ID: clientId: must be the application (client) id, a GUID (got \"not-a-guid\")",
    ]);
  });
});
