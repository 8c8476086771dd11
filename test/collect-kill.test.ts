/**
 * A collection killed at random points (SIGKILL of a real `seatwise collect` process) leaves the
 * previous snapshot intact and readable, and the next run completes.
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../store/open-store.ts";
import { readSnapshotFromStore } from "../store/read-snapshot-from-store.ts";
import { createRunRepository } from "../store/run-repository.ts";
import { dropFreshStores, STORE_ENGINES, type FreshStore } from "../store/testing/store-engines.ts";
import type { RunningSimulator } from "../simulator/contract.ts";
import { createRng } from "../simulator/tenant/prng.ts";
import { startSimulator } from "../simulator/start-simulator.ts";
import { writeSimulatorFiles } from "../simulator/write-simulator-files.ts";

const bin = join(import.meta.dirname, "..", "bin", "seatwise.js");
let sim: RunningSimulator;
let dir: string;

/**
 * Runs `seatwise collect`; with `killAfterParts`, SIGKILLs it as soon as it has logged that many
 * collected parts (a point inside the run, whatever the machine's speed). Resolves with how it ended.
 */
function runCollectInto(store: FreshStore, killAfterParts?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, "collect", "--config", join(dir, "seatwise.yaml"), "--db", store.arg, "--json"], { stdio: ["ignore", "ignore", "pipe"] });
    let parts = 0;
    child.stderr.on("data", (chunk: Buffer) => {
      parts += chunk.toString("utf8").split("\n").filter((l) => l.includes('"event":"part"')).length;
      if (killAfterParts !== undefined && parts >= killAfterParts) child.kill("SIGKILL");
    });
    child.on("exit", (code, signal) => resolve({ code, signal }));
  });
}

async function visibleRunOf(where: FreshStore) {
  const store = await openStore(where.location, { mode: "read" });
  try {
    const run = await createRunRepository(store).latestComplete(sim.tenant.tenantId);
    const snapshot = await readSnapshotFromStore(store);
    return { runId: run?.runId, users: snapshot.users.length, runs: await createRunRepository(store).list(sim.tenant.tenantId) };
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  sim = await startSimulator({ users: 600, seed: 21, timeScale: 0.001 });
  dir = mkdtempSync(join(tmpdir(), "seatwise-kill-"));
  await writeSimulatorFiles(sim, dir);
});
afterAll(async () => {
  await sim.close();
  await dropFreshStores();
});

describe.each(STORE_ENGINES)("collection killed at random points ($name)", (engine) => {
  it("keeps the previous snapshot visible after each kill, and the next run completes", async () => {
    const store = await engine.fresh();
    const runCollect = (killAfterParts?: number) => runCollectInto(store, killAfterParts);
    const visibleRun = () => visibleRunOf(store);
    const first = await runCollect();
    expect(first.signal).toBeNull();
    const before = await visibleRun();
    expect(before.users).toBe(600);

    const random = createRng(20261126);
    let killed = 0;
    const interruptedRuns = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const result = await runCollect(random.int(1, 14));
      if (result.signal === "SIGKILL") killed++;
      const now = await visibleRun();
      // The visible snapshot is always a complete run, whole: never the run the kill interrupted.
      const interrupted = now.runs.at(-1)!;
      if (result.signal === "SIGKILL" && interrupted.status === "running") {
        interruptedRuns.add(interrupted.runId);
        expect(now.runId).not.toBe(interrupted.runId);
      }
      expect(now.runs.find((r) => r.runId === now.runId)?.status).toBe("complete");
      expect(now.users).toBe(600);
    }
    expect(killed).toBeGreaterThan(0);
    expect(interruptedRuns.size).toBeGreaterThan(0);

    const last = await runCollect();
    expect(last.signal).toBeNull();
    const after = await visibleRun();
    expect(after.runId).not.toBe(before.runId);
    expect(after.users).toBe(600);
    // Every run a kill interrupted was found by the next run and marked abandoned.
    expect(after.runs.filter((r) => r.status === "running")).toEqual([]);
    expect(after.runs.filter((r) => r.status === "abandoned").map((r) => r.runId).sort()).toEqual([...interruptedRuns].sort());
  });
});
