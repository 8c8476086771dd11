import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeFileAtomic } from "./write-file-atomic.ts";

describe("writeFileAtomic", () => {
  it("replaces the file with the given mode and leaves no temporary file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "seatwise-atomic-"));
    const file = join(dir, "key.pem");
    writeFileSync(file, "old", { mode: 0o644 });
    await writeFileAtomic(file, "new", 0o600);
    expect(readFileSync(file, "utf8")).toBe("new");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(["key.pem"]);
  });

  it("creates files owner-only by default, even replacing a world-readable one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "seatwise-atomic-"));
    const file = join(dir, "evaluation.json");
    writeFileSync(file, "old", { mode: 0o644 });
    await writeFileAtomic(file, "{}");
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("never makes a file wider than the umask allows", async () => {
    const dir = mkdtempSync(join(tmpdir(), "seatwise-atomic-"));
    const file = join(dir, "ca.pem");
    const previous = process.umask(0o077);
    try {
      await writeFileAtomic(file, "x", 0o644);
    } finally {
      process.umask(previous);
    }
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("leaves the old content and no temporary file when the target cannot be replaced", async () => {
    const dir = mkdtempSync(join(tmpdir(), "seatwise-atomic-"));
    await expect(writeFileAtomic(join(dir, "missing-folder", "x.json"), "{}")).rejects.toThrow();
    expect(readdirSync(dir)).toEqual([]);
  });
});
