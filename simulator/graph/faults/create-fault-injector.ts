/**
 * Seeded fault injection for Graph requests: a share `rate` of requests gets a 503 (sometimes with
 * Retry-After), a 504, a dropped connection, or a slow response. Each request consumes exactly three
 * draws of a seeded PRNG, so the fault sequence depends only on the seed and the request order.
 */
import type { SimFaults } from "../../contract.ts";

export const FAULT_KINDS = ["503", "504", "drop", "slow"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export type FaultDecision =
  | { kind: "none" }
  | { kind: "503"; retryAfterSeconds: number | null }
  | { kind: "504" }
  | { kind: "drop" }
  | { kind: "slow"; delayMs: number };

export interface FaultInjector {
  /** The decision for the next Graph request. */
  next(): FaultDecision;
}

/** mulberry32: a small, fast, well-distributed 32-bit PRNG; returns a function yielding [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * @param faults rate (default 0), seed (default `defaultSeed`), kinds (default all), slowMs (default 5000)
 * @param timeScale multiplies slow delays and Retry-After seconds
 */
export function createFaultInjector(faults: SimFaults, defaultSeed: number, timeScale: number): FaultInjector {
  const rate = Math.max(0, Math.min(1, faults.rate ?? 0));
  const kinds: readonly FaultKind[] = faults.kinds && faults.kinds.length > 0 ? faults.kinds : FAULT_KINDS;
  const slowMs = faults.slowMs ?? 5_000;
  const random = seededRandom(faults.seed ?? defaultSeed);
  return {
    next() {
      const hit = random();
      const which = random();
      const detail = random();
      if (hit >= rate) return { kind: "none" };
      const kind = kinds[Math.min(kinds.length - 1, Math.floor(which * kinds.length))]!;
      switch (kind) {
        case "503":
          // Half of the 503s say when to come back (1-10 s, scaled), as Graph sometimes does.
          return { kind, retryAfterSeconds: detail < 0.5 ? Math.round((1 + detail * 18) * timeScale * 1000) / 1000 : null };
        case "504":
          return { kind };
        case "drop":
          return { kind };
        case "slow":
          return { kind, delayMs: slowMs * timeScale };
      }
    },
  };
}
