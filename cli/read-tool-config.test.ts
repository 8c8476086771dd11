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

  it("reads a PostgreSQL store from the file, its password only from the environment", () => {
    const file = write(`${base}store:\n  postgres: { host: seatwise.postgres.database.azure.com, database: seatwise, user: seatwise-job }\n`);
    expect(readToolConfig(file, { PGPASSWORD: "pw" }).store).toEqual({
      engine: "postgres",
      host: "seatwise.postgres.database.azure.com",
      port: 5432,
      database: "seatwise",
      user: "seatwise-job",
      ssl: true,
      auth: { kind: "password", password: "pw" },
    });
    const url = write(`${base}store: postgres://seatwise@127.0.0.1:5432/seatwise\n`);
    expect(readToolConfig(url).store).toMatchObject({ engine: "postgres", host: "127.0.0.1", ssl: false, auth: { kind: "password", password: undefined } });
  });

  it("refuses a password in the file's store URL without repeating it", () => {
    const file = write(`${base}store: postgres://seatwise:Hunter2-secret@db.example.com/seatwise\n`);
    const problems = problemsOf(file);
    expect(problems).toEqual([`${file}:4:8: store: postgres://seatwise:***@db.example.com/seatwise: a password does not belong in this file; set PGPASSWORD, or put the whole URL in the SEATWISE_STORE environment variable`]);
    expect(problems.join("")).not.toContain("Hunter2");
  });

  it("takes the whole store URL, password included, from SEATWISE_STORE", () => {
    const file = write(base);
    expect(readToolConfig(file, { SEATWISE_STORE: "postgres://job:tok@db.example.com/seatwise?sslmode=require" }).store).toMatchObject({
      engine: "postgres",
      user: "job",
      auth: { kind: "password", password: "tok" },
    });
    expect(problemsOf(file, { SEATWISE_STORE: "postgres://job:tok@db.example.com/" })).toEqual(["environment variable SEATWISE_STORE: postgres://job:***@db.example.com/: the URL must name one database, e.g. postgres://seatwise@db.example.com:5432/seatwise"]);
  });

  it("authenticates with the managed identity when SEATWISE_PG_AUTH says so, and says which variables are missing", () => {
    const file = write(`${base}store: postgres://seatwise-job@srv.postgres.database.azure.com/seatwise?sslmode=require\n`);
    const env = { SEATWISE_PG_AUTH: "azure-managed-identity", AZURE_CLIENT_ID: "11111111-2222-3333-4444-555555555555", IDENTITY_ENDPOINT: "http://localhost:42356/msi/token", IDENTITY_HEADER: "h" };
    expect(readToolConfig(file, env).store).toMatchObject({
      auth: { kind: "azure-managed-identity", identityEndpoint: "http://localhost:42356/msi/token", identityHeader: "h", clientId: "11111111-2222-3333-4444-555555555555" },
    });
    expect(problemsOf(file, { SEATWISE_PG_AUTH: "azure-managed-identity" })).toEqual([
      "environment variable SEATWISE_PG_AUTH: azure-managed-identity needs IDENTITY_ENDPOINT and IDENTITY_HEADER (set by Azure Container Apps for a job with a managed identity)",
    ]);
    expect(problemsOf(file, { SEATWISE_PG_AUTH: "kerberos" })).toEqual(['environment variable SEATWISE_PG_AUTH: "kerberos" must be one of password, azure-managed-identity']);
  });
});
