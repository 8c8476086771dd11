import { describe, expect, it } from "vitest";
import { createRng, guidFrom, hash32, hex8, wordOf } from "./prng.ts";

describe("prng", () => {
  it("repeats the same sequence for the same seed and differs for another", () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(seqA);
  });

  it("keeps next() in [0, 1) and int() within its inclusive bounds, reaching both ends", () => {
    const r = createRng(7);
    const seen = new Set<number>();
    for (let k = 0; k < 5000; k++) {
      const x = r.next();
      expect(x >= 0 && x < 1).toBe(true);
      seen.add(r.int(3, 6));
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });

  it("hashes word lists to unsigned 32-bit values sensitive to order", () => {
    expect(hash32(1, 2)).toBe(hash32(1, 2));
    expect(hash32(1, 2)).not.toBe(hash32(2, 1));
    expect(hash32(0xffffffff) >= 0 && hash32(0xffffffff) <= 0xffffffff).toBe(true);
    expect(wordOf("SPE_E3")).not.toBe(wordOf("SPE_E5"));
  });

  it("formats hex and version-4-shaped GUIDs", () => {
    expect(hex8(0)).toBe("00000000");
    expect(hex8(0xdeadbeef)).toBe("deadbeef");
    expect(hex8(-1)).toBe("ffffffff");
    const g = guidFrom(1, 2, 3);
    expect(g).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(guidFrom(1, 2, 3)).toBe(g);
    expect(guidFrom(1, 2, 4)).not.toBe(g);
  });
});
