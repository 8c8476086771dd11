import { describe, expect, it } from "vitest";
import { createFaultInjector } from "./create-fault-injector.ts";

const run = (n: number, ...args: Parameters<typeof createFaultInjector>) => {
  const f = createFaultInjector(...args);
  return Array.from({ length: n }, () => f.next());
};

describe("fault injector", () => {
  it("repeats the same decisions for the same seed and differs for another", () => {
    expect(run(200, { rate: 0.3, seed: 5 }, 1, 1)).toEqual(run(200, { rate: 0.3, seed: 5 }, 1, 1));
    expect(run(200, { rate: 0.3, seed: 5 }, 1, 1)).not.toEqual(run(200, { rate: 0.3, seed: 6 }, 1, 1));
  });

  it("uses the tenant seed when the faults name none", () => {
    expect(run(100, { rate: 0.5 }, 77, 1)).toEqual(run(100, { rate: 0.5, seed: 77 }, 1, 1));
  });

  it("hits about the configured share and only the allowed kinds", () => {
    const d = run(10_000, { rate: 0.2, seed: 1, kinds: ["504", "slow"], slowMs: 100 }, 1, 0.5);
    const hits = d.filter((x) => x.kind !== "none");
    expect(hits.length).toBeGreaterThan(1_800);
    expect(hits.length).toBeLessThan(2_200);
    expect(new Set(hits.map((x) => x.kind))).toEqual(new Set(["504", "slow"]));
    expect(hits.find((x) => x.kind === "slow")).toEqual({ kind: "slow", delayMs: 50 });
  });

  it("injects nothing at rate 0", () => {
    expect(run(1_000, { rate: 0 }, 1, 1).every((x) => x.kind === "none")).toBe(true);
  });
});
