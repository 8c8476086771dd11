import { describe, expect, it } from "vitest";
import { UsageError } from "../core/errors.ts";
import { parseSimulateArgs } from "./simulate-command.ts";

describe("parseSimulateArgs", () => {
  it("turns flags into simulator options", () => {
    const { options, out } = parseSimulateArgs([
      "--users", "5000", "--seed", "7", "--out", "/tmp/x", "--no-premium", "--concealed-names",
      "--time-scale", "0.01", "--fault-rate", "0.1", "--reader-roles", "User.Read.All,Reports.Read.All",
    ]);
    expect(out).toBe("/tmp/x");
    expect(options).toMatchObject({
      users: 5000,
      seed: 7,
      port: 0,
      modes: { premium: false, concealedNames: true, reportLagDays: 2 },
      timeScale: 0.01,
      faults: { rate: 0.1 },
      readerRoles: ["User.Read.All", "Reports.Read.All"],
    });
  });

  it("refuses out-of-range user counts and unknown permissions", () => {
    expect(() => parseSimulateArgs(["--out", "d", "--users", "5"])).toThrow(UsageError);
    expect(() => parseSimulateArgs(["--out", "d", "--users", "2000000"])).toThrow(/--users/);
    expect(() => parseSimulateArgs(["--out", "d", "--reader-roles", "Directory.Everything"])).toThrow(/unknown permission "Directory.Everything"/);
  });

  it("requires --out", () => {
    expect(() => parseSimulateArgs([])).toThrow(/--out DIR is required/);
  });
});
