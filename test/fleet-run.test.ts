/**
 * The fleet's limits and isolation as properties: whatever the number of tenants, limits and
 * failures, every tenant gets exactly one outcome, never more than maxConcurrentTenants hold a
 * Graph connection at once, their sockets never exceed maxOpenConnections, and every connection
 * is closed. Tenants fail here before Graph (an unreadable certificate, a refused token), so the
 * property needs no simulator; test/fleet-collect.test.ts runs real collections.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GraphError } from "../core/errors.ts";
import { fleetFileSchema } from "../core/fleet-schema.ts";
import { planFleet } from "../collector/fleet/plan-fleet.ts";
import { runFleet, type FleetTenantRun, type TenantConnection } from "../collector/fleet/run-fleet.ts";
import { formatFleetSummary } from "../collector/fleet/format-fleet-summary.ts";
import type { GraphClient } from "../graph/graph-client.ts";
import { openSqliteDatabase } from "../store/open-sqlite-database.ts";

const STORE = "/fleet/store.sqlite";

function input(i: number, tenantId = `tenant-${i}.example`): FleetTenantRun {
  return { configFile: `t${i}.yaml`, tenantId, store: `/t${i}/seatwise.sqlite`, retainSnapshots: 3, line: i + 4, col: 13, tasks: ["licenseInformation"] };
}

describe("planFleet", () => {
  it("gives every running tenant an equal share of the connection limit, within the limit", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 500 }), (n, maxConcurrentTenants, extra) => {
        const maxOpenConnections = maxConcurrentTenants + extra;
        const planned = planFleet("fleet.yaml", { maxConcurrentTenants, maxOpenConnections, store: STORE }, Array.from({ length: n }, (_, i) => input(i)));
        expect(planned.ok).toBe(true);
        if (!planned.ok) return;
        const { plan } = planned;
        expect(plan.maxConcurrentTenants).toBe(Math.min(n, maxConcurrentTenants));
        expect(plan.connectionsPerTenant).toBeGreaterThanOrEqual(1);
        expect(plan.connectionsPerTenant * plan.maxConcurrentTenants).toBeLessThanOrEqual(maxOpenConnections);
        expect(plan.stores).toEqual([STORE]);
      }),
    );
  });

  it("keeps each tenant's own store when the fleet names none", () => {
    const planned = planFleet("fleet.yaml", { maxConcurrentTenants: 2, maxOpenConnections: 8 }, [input(0), input(1)]);
    expect(planned.ok && planned.plan.stores).toEqual(["/t0/seatwise.sqlite", "/t1/seatwise.sqlite"]);
  });

  it("lower-cases tenant ids and refuses one tenant listed twice, pointing at the second entry", () => {
    const planned = planFleet("fleet.yaml", { maxConcurrentTenants: 2, maxOpenConnections: 8 }, [input(0, " Contoso.COM"), input(1, "other.example"), input(2, "contoso.com")]);
    expect(planned).toEqual({ ok: false, problems: [{ file: "fleet.yaml", line: 6, col: 13, path: "tenants[2].config", message: 't2.yaml names tenant "contoso.com", already listed by t0.yaml' }] });
    const ok = planFleet("fleet.yaml", { maxConcurrentTenants: 2, maxOpenConnections: 8 }, [input(0, "6F1C0000-AAAA-BBBB-CCCC-000000000001")]);
    expect(ok.ok && ok.plan.tenants[0]!.tenantId).toBe("6f1c0000-aaaa-bbbb-cccc-000000000001");
  });
});

describe("fleetFileSchema", () => {
  it("defaults the limits and refuses fewer connections than running tenants", () => {
    expect(fleetFileSchema.parse({ version: 1, tenants: [{ config: "a.yaml" }] })).toEqual({ version: 1, tenants: [{ config: "a.yaml" }], maxConcurrentTenants: 8, maxOpenConnections: 64 });
    const r = fleetFileSchema.safeParse({ version: 1, tenants: [{ config: "a.yaml" }], maxConcurrentTenants: 10, maxOpenConnections: 4 });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(["maxOpenConnections"]);
  });
});

describe("runFleet", () => {
  it("bounds tenants and sockets at once, closes every connection and gives every tenant its own outcome", async () => {
    const db = openSqliteDatabase(":memory:");
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.record({ failure: fc.constantFrom("certificate", "token"), delayMs: fc.integer({ min: 0, max: 3 }) }), { minLength: 1, maxLength: 25 }),
          fc.integer({ min: 1, max: 8 }),
          fc.integer({ min: 0, max: 30 }),
          async (tenants, maxConcurrentTenants, extra) => {
            const maxOpenConnections = maxConcurrentTenants + extra;
            const planned = planFleet("fleet.yaml", { maxConcurrentTenants, maxOpenConnections, store: STORE }, tenants.map((_, i) => input(i)));
            if (!planned.ok) throw new Error("plan");
            let open = 0;
            let openSockets = 0;
            let peak = 0;
            let peakSockets = 0;
            let opened = 0;
            let closed = 0;
            const summary = await runFleet(planned.plan, {
              stores: new Map([[STORE, db]]),
              protectGroups: [],
              now: () => new Date("2026-11-20T08:00:00Z"),
              connect: (tenant, { maxSockets }) => {
                const i = Number(tenant.input.configFile.slice(1, -5));
                const t = tenants[i]!;
                if (t.failure === "certificate") throw new Error(`t${i}: no PEM certificate found`);
                open++;
                opened++;
                openSockets += maxSockets;
                peak = Math.max(peak, open);
                peakSockets = Math.max(peakSockets, openSockets);
                let isClosed = false;
                const connection: TenantConnection = {
                  tokens: {
                    getToken: async () => {
                      await new Promise((r) => setTimeout(r, t.delayMs));
                      throw new GraphError({ status: 401, code: "invalid_client AADSTS700027", message: `t${i} refused`, requestId: "", method: "POST", url: "https://login.example/token" });
                    },
                  },
                  graph: { stats: { requests: 0, throttled: 0, retries: 0, pacedMs: 0 } } as unknown as GraphClient,
                  close: () => {
                    if (isClosed) throw new Error("closed twice");
                    isClosed = true;
                    closed++;
                    open--;
                    openSockets -= maxSockets;
                  },
                };
                return connection;
              },
            });
            expect(summary.tenants.map((o) => o.config)).toEqual(tenants.map((_, i) => `t${i}.yaml`));
            expect(summary.tenants.every((o) => o.status === "failed")).toBe(true);
            summary.tenants.forEach((o, i) => expect(o.error).toContain(tenants[i]!.failure === "certificate" ? `t${i}: no PEM certificate` : `t${i} refused`));
            expect(summary.ok).toBe(false);
            expect(peak).toBeLessThanOrEqual(maxConcurrentTenants);
            expect(peakSockets).toBeLessThanOrEqual(maxOpenConnections);
            expect(closed).toBe(opened);
            // All workers start at once: with no certificate failure, the limit is used, not just respected.
            if (tenants.every((t) => t.failure === "token")) expect(peak).toBe(Math.min(maxConcurrentTenants, tenants.length));
          },
        ),
        { numRuns: 60 },
      );
    } finally {
      await db.close();
    }
  });
});

describe("formatFleetSummary", () => {
  const summary = {
    ok: false,
    durationMs: 4200,
    tenants: [
      { tenantId: "a.example", config: "a.yaml", status: "complete" as const, runId: "run-a", requests: 40, throttled: 2, notCollected: 0, durationMs: 4000, error: null },
      { tenantId: "b.example", config: "b.yaml", status: "failed" as const, runId: null, requests: 0, throttled: 0, notCollected: 0, durationMs: 100, error: "POST https://login.example/token -> 401 invalid_client" },
    ],
  };

  it("prints one JSON line per tenant and one for the fleet", () => {
    const lines = formatFleetSummary(summary, "json").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatchObject({ type: "tenant", tenantId: "b.example", status: "failed", error: "POST https://login.example/token -> 401 invalid_client" });
    expect(lines[2]).toEqual({ type: "fleet", ok: false, tenants: 2, complete: 1, incomplete: 0, failed: 1, durationMs: 4200 });
  });

  it("prints a table with each tenant's outcome and the counts", () => {
    const text = formatFleetSummary(summary, "table");
    expect(text).toMatch(/^a\.example +complete +40 +2 +0 +4\.0 +run-a$/m);
    expect(text).toMatch(/^b\.example +failed .*401 invalid_client$/m);
    expect(text).toContain("2 tenants in 4.2 s: 1 complete, 0 incomplete, 1 failed");
  });
});
