import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { TASKS, permissionsFor } from "../../core/permissions.ts";
import { UsageError } from "../../core/errors.ts";
import type { AccessTokenVerifier, SimFaults } from "../contract.ts";
import type { SimAppRegistration, SimModes } from "../model.ts";
import { assembleSimulator, simulatedClientId } from "./assemble-simulator.ts";
import type { CreateGraphHandler, GenerateTenant } from "./assemble-simulator.ts";
import { fakeCreateGraphHandler, fakeGenerateTenant, requestSim } from "./fake-sim-parts.ts";

const parts = { generateTenant: fakeGenerateTenant, createGraphHandler: fakeCreateGraphHandler };

describe("assembleSimulator", () => {
  it("registers the reader and the reclaimer with their certificates and default roles", async () => {
    let seen: { users: number; seed: number; now: Date; modes: SimModes; apps: SimAppRegistration[] } | undefined;
    const generateTenant: GenerateTenant = (o) => {
      seen = o;
      return fakeGenerateTenant(o);
    };
    const now = new Date("2026-11-20T08:00:00Z");
    const sim = await assembleSimulator({ users: 25, seed: 3, now, modes: { premium: false } }, { ...parts, generateTenant });
    try {
      expect(seen).toMatchObject({ users: 25, seed: 3, now, modes: { premium: false, concealedNames: false, reportLagDays: 2 } });
      expect(sim.tenant.apps).toEqual([
        { clientId: sim.reader.clientId, displayName: "Seatwise Reader", certificatesPem: [sim.reader.certificatePem], roles: permissionsFor(TASKS, "reader") },
        { clientId: sim.reclaimer.clientId, displayName: "Seatwise Reclaimer", certificatesPem: [sim.reclaimer.certificatePem], roles: ["LicenseAssignment.ReadWrite.All", "User.Read.All"] },
      ]);
      expect(sim.reader.clientId).toBe(simulatedClientId(3, "reader"));
      expect(sim.reader.clientId).not.toBe(sim.reclaimer.clientId);
      expect(new X509Certificate(sim.caPem).ca).toBe(true);
      expect(sim.reader.thumbprintSha1).not.toBe(sim.reclaimer.thumbprintSha1);
    } finally {
      await sim.close();
    }
  });

  it("grants the roles it is given", async () => {
    const sim = await assembleSimulator({ users: 10, seed: 1, readerRoles: ["User.Read.All"], reclaimerRoles: [] }, parts);
    try {
      expect(sim.tenant.apps.map((a) => a.roles)).toEqual([["User.Read.All"], []]);
    } finally {
      await sim.close();
    }
  });

  it("hands the Graph handler the verifier, time scale, faults and the live base URL", async () => {
    let received: { tokens: AccessTokenVerifier; timeScale: number; faults: SimFaults; baseUrl: () => string } | undefined;
    const createGraphHandler: CreateGraphHandler = (o) => {
      received = o;
      return fakeCreateGraphHandler(o);
    };
    const sim = await assembleSimulator({ users: 10, seed: 1, timeScale: 0.01, faults: { rate: 0.1 } }, { ...parts, createGraphHandler });
    try {
      expect(received?.timeScale).toBe(0.01);
      expect(received?.faults).toEqual({ rate: 0.1 });
      expect(received?.baseUrl()).toBe(sim.baseUrl);
      expect(received?.tokens.verify("nope")).toBeNull();
      const res = await requestSim(`${sim.baseUrl}/v1.0/me-token`, { ca: sim.caPem });
      expect(res.status).toBe(401);
      expect(sim.stats.requests).toBe(1);
    } finally {
      await sim.close();
    }
  });

  it("derives stable, distinct, version-4 client ids from the seed", () => {
    expect(simulatedClientId(5, "reader")).toBe(simulatedClientId(5, "reader"));
    expect(simulatedClientId(5, "reader")).not.toBe(simulatedClientId(6, "reader"));
    expect(simulatedClientId(5, "reclaimer")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("refuses out-of-range options before generating anything", async () => {
    await expect(assembleSimulator({ users: 9, seed: 1 }, parts)).rejects.toThrow(UsageError);
    await expect(assembleSimulator({ users: 1_000_001, seed: 1 }, parts)).rejects.toThrow(/users must be an integer from 10 to 1000000/);
    await expect(assembleSimulator({ users: 10, seed: 1, port: 70_000 }, parts)).rejects.toThrow(/port/);
    await expect(assembleSimulator({ users: 10, seed: 1, timeScale: 0 }, parts)).rejects.toThrow(/timeScale/);
    await expect(assembleSimulator({ users: 10, seed: 1, faults: { rate: 2 } }, parts)).rejects.toThrow(/faults.rate/);
  });
});
