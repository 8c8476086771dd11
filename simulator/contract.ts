/**
 * How the simulator's parts fit together: the HTTPS server (`simulator/server/`), the Entra token
 * endpoint (`simulator/auth/`), the Graph routes (`simulator/graph/`) and the synthetic tenant
 * (`simulator/tenant/`). `startSimulator` (simulator/start-simulator.ts) composes them.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { GraphPermission } from "../core/permissions.ts";
import type { SimModes, SimTenant } from "./model.ts";

/** Claims of an access token the simulator issued (a JWT signed by the simulator's own key). */
export interface AccessClaims {
  /** Client id of the app the token was issued to. */
  appid: string;
  /** Tenant id. */
  tid: string;
  /** Application permissions granted to the app. */
  roles: string[];
  /** Expiry, seconds since epoch. */
  exp: number;
}

/** Verifies a bearer token presented to Graph; null when invalid or expired. */
export interface AccessTokenVerifier {
  verify(bearer: string): AccessClaims | null;
}

/** A request handler on the raw node:http objects; the body is already read. */
export type SimHandler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => Promise<void>;

/** Counters benchmarks and tests read (requests, 429s, bytes), per endpoint key and in total. */
export interface SimStats {
  requests: number;
  throttled: number;
  faults: number;
  bytesOut: number;
  byEndpoint: Record<string, { requests: number; throttled: number; bytesOut: number }>;
  reset(): void;
}

/** Fault injection: a seeded share of Graph requests fail or stall. */
export interface SimFaults {
  /** Probability in [0,1] that a Graph request gets a fault. Default 0. */
  rate: number;
  /** Seed for the fault sequence. Default: the tenant seed. */
  seed?: number;
  /** Which faults may occur. Default all. */
  kinds?: ("503" | "504" | "drop" | "slow")[];
  /** Delay of a slow response in ms (before time scaling). Default 5000. */
  slowMs?: number;
}

/** Everything `startSimulator` accepts. */
export interface SimulatorOptions {
  /** Number of users, 10..1,000,000. */
  users: number;
  /** Seed of the deterministic tenant. */
  seed: number;
  /** The tenant's clock. Default: now, truncated to the minute. */
  now?: Date;
  /** Tenant modes; defaults: premium true, concealedNames false, reportLagDays 2. */
  modes?: Partial<SimModes>;
  /** Port on 127.0.0.1; 0 = any free port. Default 0. */
  port?: number;
  /**
   * Throttling time scale: windows and Retry-After are multiplied by this (1 = real Graph;
   * 0.01 = a 10-minute reports window lasts 6 s). Default 1.
   */
  timeScale?: number;
  faults?: SimFaults;
  /** Permissions granted to the reader app. Default: every read permission of the task map. */
  readerRoles?: GraphPermission[];
  /** Permissions granted to the reclaimer app. Default: LicenseAssignment.ReadWrite.All, User.Read.All. */
  reclaimerRoles?: GraphPermission[];
}

/** A PEM bundle for one simulated app identity: certificate plus PKCS#8 key. */
export interface SimIdentity {
  clientId: string;
  certificatePem: string;
  privateKeyPem: string;
  /** SHA-1 and SHA-256 thumbprints, hex upper-case. */
  thumbprintSha1: string;
  thumbprintSha256: string;
}

/** A running simulator. */
export interface RunningSimulator {
  /** e.g. https://127.0.0.1:54321 — authority host and Graph endpoint are both this origin. */
  baseUrl: string;
  tenant: SimTenant;
  /** PEM of the simulator's own CA (trust it as `caFile`). */
  caPem: string;
  reader: SimIdentity;
  reclaimer: SimIdentity;
  stats: SimStats;
  close(): Promise<void>;
}
