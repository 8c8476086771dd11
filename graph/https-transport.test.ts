import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, startScriptedServer, type ScriptedServer } from "../test/support/scripted-https-server.ts";
import { createHttpsTransport, secureContextTrusting } from "./https-transport.ts";

let server: ScriptedServer;
let other: ScriptedServer;

beforeAll(async () => {
  [server, other] = await Promise.all([startScriptedServer(), startScriptedServer()]);
  for (const s of [server, other]) s.fallback = (_req, res) => json(res, 200, { ok: true });
});
afterAll(async () => {
  await Promise.all([server.close(), other.close()]);
});

describe("createHttpsTransport with an extra CA", () => {
  it("builds the TLS context once per CA and shares it (not once per connection)", () => {
    expect(secureContextTrusting(server.caPem)).toBe(secureContextTrusting(server.caPem));
    expect(secureContextTrusting(server.caPem)).not.toBe(secureContextTrusting(other.caPem));
  });

  it("trusts the extra CA over many connections, and only that CA", async () => {
    // One socket per request: every request opens a new TLS connection with the shared context.
    const transport = createHttpsTransport({ caPem: server.caPem, maxSockets: 1, maxTotalSockets: 1 });
    try {
      for (let i = 0; i < 3; i++) {
        const r = await transport.send({ method: "GET", url: `${server.origin}/ok?i=${i}`, headers: { connection: "close" } });
        expect(r.status).toBe(200);
      }
      // The other server's certificate comes from another CA: refused.
      await expect(transport.send({ method: "GET", url: `${other.origin}/ok`, headers: {} })).rejects.toThrow(/connection failed/);
    } finally {
      transport.close();
    }
  });
});
