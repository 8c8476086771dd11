/**
 * Composes a running simulator from its parts: key material and certificates, the two app
 * registrations, the synthetic tenant, the Entra endpoints, the Graph handler and the HTTPS server.
 * The tenant generator and the Graph handler are passed in, so `startSimulator` wires the real ones
 * and tests can wire small fakes.
 */
import { createHash } from "node:crypto";
import type { AccessTokenVerifier, RunningSimulator, SimFaults, SimHandler, SimStats, SimulatorOptions } from "../contract.ts";
import type { SimAppRegistration, SimModes, SimTenant } from "../model.ts";
import type { GraphPermission } from "../../core/permissions.ts";
import { TASKS, permissionsFor } from "../../core/permissions.ts";
import { UsageError } from "../../core/errors.ts";
import { createAccessTokenService } from "../auth/create-access-token-service.ts";
import { createAppIdentity, createCertificateAuthority, generateRsaKeyPair, issueServerCertificate } from "../auth/certificates.ts";
import { createEntraHandler } from "../auth/create-entra-handler.ts";
import { createSimRouter } from "./create-sim-router.ts";
import { startSimServer } from "./start-sim-server.ts";

/** The tenant generator's signature (simulator/tenant/generate-tenant.ts). */
export type GenerateTenant = (options: { users: number; seed: number; now: Date; modes: SimModes; apps: SimAppRegistration[] }) => SimTenant;

/** The Graph handler factory's signature (simulator/graph/create-graph-handler.ts). */
export type CreateGraphHandler = (options: { tenant: SimTenant; tokens: AccessTokenVerifier; timeScale: number; faults: SimFaults; baseUrl: () => string }) => { handle: SimHandler; stats: SimStats };

/** Smallest and largest synthetic tenant. */
export const MIN_USERS = 10;
export const MAX_USERS = 1_000_000;

/** Reclaimer permissions when none are given (issue 2: only these two). */
export const DEFAULT_RECLAIMER_ROLES: readonly GraphPermission[] = ["LicenseAssignment.ReadWrite.All", "User.Read.All"];

/** Default tenant modes. */
export const DEFAULT_MODES: SimModes = { premium: true, concealedNames: false, reportLagDays: 2 };

/** A stable client id derived from the seed, so generated configurations stay the same per seed. */
export function simulatedClientId(seed: number, role: "reader" | "reclaimer"): string {
  const h = createHash("sha256").update(`seatwise-simulator:${seed}:${role}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function validate(options: SimulatorOptions): void {
  if (!Number.isInteger(options.users) || options.users < MIN_USERS || options.users > MAX_USERS) {
    throw new UsageError(`users must be an integer from ${MIN_USERS} to ${MAX_USERS}, got ${options.users}`);
  }
  if (!Number.isInteger(options.seed)) throw new UsageError(`seed must be an integer, got ${options.seed}`);
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`port must be from 0 to 65535, got ${port}`);
  const timeScale = options.timeScale ?? 1;
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) throw new UsageError(`timeScale must be a positive number, got ${timeScale}`);
  const rate = options.faults?.rate ?? 0;
  if (!(rate >= 0 && rate <= 1)) throw new UsageError(`faults.rate must be from 0 to 1, got ${rate}`);
}

/** Starts a simulator with the given tenant generator and Graph handler factory. */
export async function assembleSimulator(options: SimulatorOptions, parts: { generateTenant: GenerateTenant; createGraphHandler: CreateGraphHandler }): Promise<RunningSimulator> {
  validate(options);
  // The tenant clock defaults to now truncated to the minute (contract.ts).
  const now = options.now ?? new Date(Math.floor(Date.now() / 60_000) * 60_000);
  const modes: SimModes = { ...DEFAULT_MODES, ...options.modes };

  // Five keys generated concurrently on the thread pool: CA, server, reader, reclaimer, token signing.
  const [caKey, serverKey, readerKey, reclaimerKey, signingKey] = await Promise.all([
    generateRsaKeyPair(),
    generateRsaKeyPair(),
    generateRsaKeyPair(),
    generateRsaKeyPair(),
    generateRsaKeyPair(),
  ]);
  const ca = createCertificateAuthority(caKey);
  const serverCert = issueServerCertificate(ca, serverKey);
  const reader = createAppIdentity(simulatedClientId(options.seed, "reader"), "Seatwise Reader", readerKey);
  const reclaimer = createAppIdentity(simulatedClientId(options.seed, "reclaimer"), "Seatwise Reclaimer", reclaimerKey);
  const apps: SimAppRegistration[] = [
    { clientId: reader.clientId, displayName: "Seatwise Reader", certificatesPem: [reader.certificatePem], roles: [...(options.readerRoles ?? permissionsFor(TASKS, "reader"))] },
    { clientId: reclaimer.clientId, displayName: "Seatwise Reclaimer", certificatesPem: [reclaimer.certificatePem], roles: [...(options.reclaimerRoles ?? DEFAULT_RECLAIMER_ROLES)] },
  ];

  const tenant = parts.generateTenant({ users: options.users, seed: options.seed, now, modes, apps });
  let baseUrl = "";
  const tokens = createAccessTokenService({ tenant, signingKey, baseUrl: () => baseUrl });
  const entra = createEntraHandler({ tenant, tokens, baseUrl: () => baseUrl });
  const graph = parts.createGraphHandler({
    tenant,
    tokens,
    timeScale: options.timeScale ?? 1,
    faults: options.faults ?? { rate: 0 },
    baseUrl: () => baseUrl,
  });
  const server = await startSimServer({
    port: options.port ?? 0,
    certificatePem: serverCert.certificatePem,
    privateKeyPem: serverCert.privateKeyPem,
    handle: createSimRouter({ entra, graph: graph.handle }),
  });
  baseUrl = server.url;
  return { baseUrl, tenant, caPem: ca.certificatePem, reader, reclaimer, stats: graph.stats, close: () => server.close() };
}
