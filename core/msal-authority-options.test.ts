import { describe, expect, it } from "vitest";
import { msalAuthorityOptions } from "./msal-authority-options.ts";

describe("msalAuthorityOptions", () => {
  it("declares host:port a known authority and gives the tenant's endpoints inline", () => {
    const o = msalAuthorityOptions("https://127.0.0.1:54321/", "t-1");
    expect(o.authority).toBe("https://127.0.0.1:54321/t-1");
    expect(o.knownAuthorities).toEqual(["127.0.0.1:54321"]);
    expect(JSON.parse(o.authorityMetadata ?? "null")).toEqual({
      token_endpoint: "https://127.0.0.1:54321/t-1/oauth2/v2.0/token",
      authorization_endpoint: "https://127.0.0.1:54321/t-1/oauth2/v2.0/authorize",
      end_session_endpoint: "https://127.0.0.1:54321/t-1/oauth2/v2.0/logout",
      issuer: "https://127.0.0.1:54321/t-1/v2.0",
      jwks_uri: "https://127.0.0.1:54321/t-1/discovery/v2.0/keys",
    });
  });

  it("leaves Microsoft's clouds to MSAL's built-in metadata", () => {
    expect(msalAuthorityOptions("https://login.microsoftonline.us", "t-1")).toEqual({ authority: "https://login.microsoftonline.us/t-1" });
  });
});
