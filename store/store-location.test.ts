import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { describeStore, parseStoreLocation, redactStoreText, StoreLocationError } from "./store-location.ts";

const base = "/srv/seatwise";
const parse = (text: string, allowPassword = false, credentials = {}) => parseStoreLocation(text, { base, credentials, allowPassword });

describe("store location", () => {
  it("keeps a file path as SQLite, relative to the configuration's folder", () => {
    expect(parse("./seatwise.sqlite")).toEqual({ engine: "sqlite", path: "/srv/seatwise/seatwise.sqlite" });
    expect(parse("/var/lib/seatwise/s.sqlite")).toEqual({ engine: "sqlite", path: "/var/lib/seatwise/s.sqlite" });
  });

  it("reads a postgres:// URL: TLS on for a remote server, off on loopback, as sslmode says", () => {
    expect(parse("postgres://seatwise@db.example.com/seatwise")).toEqual({
      engine: "postgres",
      host: "db.example.com",
      port: 5432,
      database: "seatwise",
      user: "seatwise",
      ssl: true,
      auth: { kind: "password", password: undefined },
    });
    expect(parse("postgresql://postgres@127.0.0.1:5433/test")).toMatchObject({ host: "127.0.0.1", port: 5433, ssl: false });
    expect(parse("postgres://u@localhost/d?sslmode=require")).toMatchObject({ ssl: true });
    expect(parse("postgres://u@db.example.com/d?sslmode=disable")).toMatchObject({ ssl: false });
  });

  it("takes the password from the environment's credentials, or the managed identity", () => {
    expect(parse("postgres://u@h/d", false, { password: "from-env" })).toMatchObject({ auth: { kind: "password", password: "from-env" } });
    const azure = { identityEndpoint: "http://localhost:42356/msi/token", identityHeader: "h", clientId: "c" };
    expect(parse("postgres://job@srv.postgres.database.azure.com/seatwise?sslmode=require", false, { azure })).toMatchObject({ auth: { kind: "azure-managed-identity", ...azure }, ssl: true });
  });

  it("refuses a password in a URL from a command line or a file, and never repeats it", () => {
    const attempt = () => parse("postgres://u:S3cr3t-pw@h/d");
    expect(attempt).toThrow(StoreLocationError);
    expect(attempt).toThrow(/PGPASSWORD/);
    try {
      attempt();
    } catch (error) {
      expect((error as Error).message).not.toContain("S3cr3t");
    }
    expect(parse("postgres://u:S3cr3t-pw@h/d", true)).toMatchObject({ auth: { kind: "password", password: "S3cr3t-pw" } });
  });

  it("refuses URLs that name no database, no user, or unknown parameters", () => {
    expect(() => parse("postgres://u@h/")).toThrow(/one database/);
    expect(() => parse("postgres://h/d")).toThrow(/no user/);
    expect(() => parse("postgres://u@h/d?application_name=x")).toThrow(/unknown URL parameter/);
    expect(() => parse("postgres://u@h/d?sslmode=sometimes")).toThrow(/sslmode/);
  });

  it("describes a store without its password", () => {
    const location = parse("postgres://seat%40wise:pw@[::1]:6543/seat", true);
    expect(describeStore(location)).toBe("postgres://seat%40wise@[::1]:6543/seat");
    expect(JSON.stringify(location)).toContain("pw"); // the location carries it; only describeStore is shown
  });

  it("redacts any password from text that holds a postgres URL", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9._~-]{1,20}$/), fc.stringMatching(/^[A-Za-z0-9!$&'()*+,;=._~-]{4,30}$/), (user, password) => {
        const text = `cannot use postgres://${user}:${password}@db.example.com:5432/seatwise today`;
        const redacted = redactStoreText(text);
        expect(redacted).not.toContain(`:${password}@`);
        expect(redacted).toContain(`postgres://${user}:***@db.example.com`);
      }),
    );
  });
});
