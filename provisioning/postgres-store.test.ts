import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { postgresStoreUrl } from "./postgres-store.ts";

describe("postgresStoreUrl", () => {
  it("names the identity as the user, no password, the seatwise database and TLS required, for any identity name", () => {
    const identityName = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{2,127}$/);
    const server = fc.stringMatching(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/);
    fc.assert(
      fc.property(identityName, server, (user, name) => {
        const fqdn = `${name}.postgres.database.azure.com`;
        const url = new URL(postgresStoreUrl(user, fqdn));
        expect(url.protocol).toBe("postgres:");
        expect(decodeURIComponent(url.username)).toBe(user);
        expect(url.password).toBe("");
        expect(url.hostname).toBe(fqdn);
        expect(url.port).toBe("5432");
        expect(url.pathname).toBe("/seatwise");
        expect([...url.searchParams]).toEqual([["sslmode", "require"]]);
      }),
    );
  });

  it("is exactly the documented shape", () => {
    expect(postgresStoreUrl("seatwise-kv-collector-1a2b", "seatwise-contoso.postgres.database.azure.com")).toBe(
      "postgres://seatwise-kv-collector-1a2b@seatwise-contoso.postgres.database.azure.com:5432/seatwise?sslmode=require",
    );
  });
});
