/**
 * Request counters for benchmarks and tests (`SimStats`). `requests`, `faults` and `bytesOut` count
 * HTTP exchanges; `throttled` counts every 429, including items inside a `$batch`. `byEndpoint` is keyed
 * by the route's endpoint key (`users.list`...) or a path class (`$batch`, `download`, `unmatched`) and
 * also counts the items of a `$batch` under their own endpoint.
 */
import type { SimStats } from "../contract.ts";

export interface GraphStats extends SimStats {
  /** Counts one request (or batch item) under `key`. */
  countRequest(key: string): void;
  countThrottled(key: string): void;
  countFault(): void;
  /** Adds response body bytes; counted in total and under `key`. */
  countBytes(key: string, bytes: number): void;
  /** Counts one HTTP request in the total. */
  countHttpRequest(): void;
}

export function createGraphStats(): GraphStats {
  const entry = (key: string) => (stats.byEndpoint[key] ??= { requests: 0, throttled: 0, bytesOut: 0 });
  const stats: GraphStats = {
    requests: 0,
    throttled: 0,
    faults: 0,
    bytesOut: 0,
    byEndpoint: {},
    reset() {
      stats.requests = 0;
      stats.throttled = 0;
      stats.faults = 0;
      stats.bytesOut = 0;
      stats.byEndpoint = {};
    },
    countHttpRequest() {
      stats.requests++;
    },
    countRequest(key) {
      entry(key).requests++;
    },
    countThrottled(key) {
      stats.throttled++;
      entry(key).throttled++;
    },
    countFault() {
      stats.faults++;
    },
    countBytes(key, bytes) {
      stats.bytesOut += bytes;
      entry(key).bytesOut += bytes;
    },
  };
  return stats;
}
