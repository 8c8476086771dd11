import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createManagedIdentityTokenSource, OSSRDBMS_RESOURCE } from "./managed-identity-token.ts";

/** A local stand-in for the Container Apps identity endpoint: answers each request with `answer`. */
async function identityEndpoint(answer: (req: IncomingMessage, n: number) => { status: number; body: string }) {
  const requests: { url: URL; header: string | undefined }[] = [];
  const server: Server = createServer((req, res) => {
    requests.push({ url: new URL(req.url ?? "/", "http://localhost"), header: req.headers["x-identity-header"] as string | undefined });
    const { status, body } = answer(req, requests.length);
    res.writeHead(status, { "content-type": "application/json" }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  open.push(server);
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/msi/token`, requests };
}

const open: Server[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await new Promise((resolve) => s.close(resolve));
});

const T0 = Date.parse("2026-11-29T12:00:00Z");
const token = (n: number, expiresOn: number) => JSON.stringify({ access_token: `token-${n}`, expires_on: String(expiresOn / 1000), resource: OSSRDBMS_RESOURCE, token_type: "Bearer" });

describe("managed identity token for Azure Database for PostgreSQL", () => {
  it("asks the identity endpoint for the ossrdbms resource with the identity header and the client id", async () => {
    const { endpoint, requests } = await identityEndpoint((_req, n) => ({ status: 200, body: token(n, T0 + 24 * 3600_000) }));
    const source = createManagedIdentityTokenSource({ identityEndpoint: endpoint, identityHeader: "secret-header", clientId: "11111111-2222-3333-4444-555555555555", now: () => T0 });
    expect(await source()).toBe("token-1");
    expect(requests).toHaveLength(1);
    const { url, header } = requests[0]!;
    expect(url.pathname).toBe("/msi/token");
    expect(Object.fromEntries(url.searchParams)).toEqual({ resource: "https://ossrdbms-aad.database.windows.net", "api-version": "2019-08-01", client_id: "11111111-2222-3333-4444-555555555555" });
    expect(header).toBe("secret-header");
  });

  it("reuses a token until five minutes before it expires, then fetches a new one (once for concurrent callers)", async () => {
    let now = T0;
    const { endpoint, requests } = await identityEndpoint((_req, n) => ({ status: 200, body: token(n, T0 + 60 * 60_000) }));
    const source = createManagedIdentityTokenSource({ identityEndpoint: endpoint, identityHeader: "h", clientId: undefined, now: () => now });
    expect(await Promise.all([source(), source(), source()])).toEqual(["token-1", "token-1", "token-1"]);
    now = T0 + 54 * 60_000;
    expect(await source()).toBe("token-1");
    now = T0 + 56 * 60_000;
    expect(await source()).toBe("token-2");
    expect(requests).toHaveLength(2);
    expect(requests[0]!.url.searchParams.has("client_id")).toBe(false);
  });

  it("says what the endpoint answered when it refuses, never the identity header", async () => {
    const { endpoint } = await identityEndpoint(() => ({ status: 400, body: JSON.stringify({ error: "invalid_request", error_description: "Unable to load the proper Managed Identity." }) }));
    const source = createManagedIdentityTokenSource({ identityEndpoint: endpoint, identityHeader: "do-not-print-me", clientId: "c" });
    const error = await source().then(() => undefined, (e: unknown) => e as Error);
    expect(error?.message).toMatch(/answered 400 .*Unable to load the proper Managed Identity/);
    expect(error?.message).not.toContain("do-not-print-me");
  });

  it("names the endpoint and the socket cause when nothing answers", async () => {
    const { endpoint } = await identityEndpoint(() => ({ status: 200, body: "{}" }));
    await new Promise((resolve) => open.pop()!.close(resolve));
    const source = createManagedIdentityTokenSource({ identityEndpoint: endpoint, identityHeader: "h", clientId: undefined });
    await expect(source()).rejects.toThrow(new RegExp(`${endpoint.replace(/[.?]/g, "\\$&")}: ECONNREFUSED`));
  });
});
