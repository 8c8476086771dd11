import { describe, expect, it } from "vitest";
import { decodeSkipToken, encodeSkipToken, nextLink, odataContext } from "./paging.ts";

describe("paging", () => {
  it("round-trips page state through an opaque token", () => {
    const token = encodeSkipToken({ p: 1200, c: 5 });
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeSkipToken(token)).toEqual({ p: 1200, c: 5 });
  });

  it("refuses a token that was altered or never issued", () => {
    const forged = Buffer.from('xxxxxxxx.{"p":1}').toString("base64url");
    expect(() => decodeSkipToken(forged)).toThrow(/page token/);
    expect(() => decodeSkipToken("garbage")).toThrow(/page token/);
  });

  it("builds nextLink from the original query, replacing $skiptoken", () => {
    const req = { baseUrl: "https://127.0.0.1:1", version: "v1.0" as const, path: "/users", query: new URLSearchParams("$select=id,mail&$skiptoken=old&$top=5") };
    const link = nextLink(req, { p: 10 });
    expect(link).toBe(`https://127.0.0.1:1/v1.0/users?$select=id%2Cmail&$top=5&$skiptoken=${encodeSkipToken({ p: 10 })}`);
    expect(odataContext(req, "users", ["id", "mail"], true)).toBe("https://127.0.0.1:1/v1.0/$metadata#users(id,mail)/$entity");
  });
});
