/**
 * The job image, without Docker: reproduces the Dockerfile's file tree (its COPY lines, .dockerignore
 * and `npm ci --omit=dev`) in a clean temporary folder, then runs the image's ENTRYPOINT from there —
 * `--help`, `config check`, `collect` against the simulator and `export` of what was collected. A
 * runtime import of a devDependency, or of a file the Dockerfile does not copy, fails here.
 * Slow (an npm install from the cache): one file, always run.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { parse as parseYaml, stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../simulator/contract.ts";
import { jobEnvironment } from "../provisioning/scheduled-collector-job.ts";
import { renderFleetYaml } from "../provisioning/seatwise-yaml.ts";
import { startSimulator } from "../simulator/start-simulator.ts";
import { dropFreshStores, STORE_ENGINES } from "../store/testing/store-engines.ts";
import { writeSimulatorFiles } from "../simulator/write-simulator-files.ts";
import type { SimulatorFiles } from "../simulator/write-simulator-files.ts";
import { ancestorNodeModules, createDockerignore, parseDockerfile, readModuleGraph, reproduceImage } from "./support/reproduce-image.ts";
import type { ReproducedImage } from "./support/reproduce-image.ts";

const execFileAsync = promisify(execFile);
/**
 * Not applicationRoster: the default policy protects a "Break Glass Accounts" group the simulated
 * tenant lacks, which `collect` rightly reports as a coverage gap (exit 1).
 */
const TASKS = ["licenseInformation", "hrRoster", "applicationDiscovery", "ssoApplicationRoster"];
const root = new URL("../", import.meta.url).pathname;
const dockerfile = readFileSync(join(root, "Dockerfile"), "utf8");
const dockerignore = readFileSync(join(root, ".dockerignore"), "utf8");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
/** npm next to this Node (the checkout's Node 24 from scripts/use-node.sh, or the system's). */
const npm = existsSync(join(dirname(process.execPath), "npm")) ? join(dirname(process.execPath), "npm") : "npm";

describe("Dockerfile", () => {
  const stages = parseDockerfile(dockerfile);
  const final = stages.at(-1)!;

  it("is multi-stage on Node 24 slim, installs production dependencies only and runs as a non-root user", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const s of stages) expect(s.image).toBe("node:24-slim");
    const installs = stages.flatMap((s) => s.instructions).filter((i) => i.kind === "run" && /\bnpm ci\b/.test(i.command));
    expect(installs).toHaveLength(1);
    expect(installs[0]).toMatchObject({ command: expect.stringMatching(/npm ci .*--omit=dev/) });
    expect(final.instructions.some((i) => i.kind === "run" && /\bnpm (ci|install)\b/.test(i.command))).toBe(false);
    const users = final.instructions.filter((i) => i.kind === "user");
    expect(users.length).toBeGreaterThan(0);
    const user = (users.at(-1) as { user: string }).user;
    expect(user.split(":")[0]).not.toMatch(/^(root|0)$/);
  });

  it("has the seatwise entry point as ENTRYPOINT", () => {
    const entrypoint = final.instructions.find((i) => i.kind === "entrypoint");
    expect(entrypoint).toMatchObject({ argv: ["node", "--max-semi-space-size=4", "/app/bin/seatwise.js"] });
  });
});

describe("reproduce-image support", () => {
  it("reads continuations, stages, COPY flags and ARG defaults", () => {
    const stages = parseDockerfile('ARG IMG=node:24-slim\nFROM ${IMG} AS a\nRUN one \\\n  # note\n  && two\nFROM $IMG\nENV A=1 B=x\nCOPY --from=a --chown=1:1 /x ./y/\nENTRYPOINT ["node", "b.js"]\n');
    expect(stages).toEqual([
      { name: "a", image: "node:24-slim", instructions: [{ kind: "run", command: "one    && two", line: 3 }] },
      {
        name: "1",
        image: "node:24-slim",
        instructions: [
          { kind: "env", vars: { A: "1", B: "x" }, line: 7 },
          { kind: "copy", from: "a", sources: ["/x"], dest: "./y/", line: 8 },
          { kind: "entrypoint", argv: ["node", "b.js"], line: 9 },
        ],
      },
    ]);
  });

  it("refuses instructions it cannot reproduce", () => {
    expect(() => parseDockerfile("FROM x\nADD a b\n")).toThrow(/Dockerfile:2: ADD is not reproduced/);
    expect(() => parseDockerfile("FROM x\nCOPY src/*.ts ./\n")).toThrow(/wildcards/);
    expect(() => parseDockerfile('FROM x\nCOPY ["a", "b"]\n')).toThrow(/JSON form/);
  });

  it("follows lazy imports and data files, skips type-only imports and reports missing files", () => {
    const dir = mkdtempSync(join(tmpdir(), "seatwise-graph-"));
    try {
      writeFileSync(join(dir, "main.js"), 'import { a } from "./a.ts";\nimport type { T } from "./types.ts";\nconst pg = await import("pg");\n');
      writeFileSync(join(dir, "a.ts"), 'import {\n  x,\n  type Y,\n} from "@azure/msal-node/lib";\nexport type { Z } from "./gone.ts";\nconst data = new URL("./data.json", import.meta.url);\nimport "./missing.ts";\nconst chart = createRequire(import.meta.url).resolve("chart.js");\nconst here = path.resolve("./x");\n');
      writeFileSync(join(dir, "data.json"), "{}");
      const graph = readModuleGraph(join(dir, "main.js"));
      expect(graph.packages).toEqual(["@azure/msal-node", "chart.js", "pg"]);
      expect(graph.files.map((f) => f.slice(dir.length + 1)).sort()).toEqual(["a.ts", "data.json", "main.js"]);
      expect(graph.missing).toEqual([`${join(dir, "a.ts")}: ./missing.ts`]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("applies .dockerignore like Docker: anchored patterns, ** at any depth, folders, and ! exceptions", () => {
    const ignored = createDockerignore("node_modules\n**/*.test.ts\n**/testing\n!keep/a.test.ts\n");
    expect(ignored("node_modules/x/index.js")).toBe(true);
    expect(ignored("cli/node_modules/x.js")).toBe(false);
    expect(ignored("cli/main.test.ts")).toBe(true);
    expect(ignored("a.test.ts")).toBe(true);
    expect(ignored("policies/testing/builders.ts")).toBe(true);
    expect(ignored("keep/a.test.ts")).toBe(false);
    expect(ignored("cli/main.ts")).toBe(false);
  });
});

describe("the image's content, run without Docker", () => {
  let work: string;
  let image: ReproducedImage;
  let sim: RunningSimulator;
  let files: SimulatorFiles;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "seatwise-image-"));
    image = await reproduceImage({ context: root, dockerfile, dockerignore, outDir: join(work, "image"), npm });
    sim = await startSimulator({ users: 120, seed: 5, timeScale: 0.01, now: new Date("2026-11-20T08:00:00Z") });
    files = await writeSimulatorFiles(sim, join(work, "sim"));
  }, 300_000);

  afterAll(async () => {
    await dropFreshStores();
    await sim?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** Runs the image's ENTRYPOINT with `args`, in its WORKDIR, with its ENV and nothing else but PATH (and `extraEnv`). */
  async function seatwise(args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
    const [command, ...entry] = image.entrypoint;
    try {
      const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", ...image.env, ...extraEnv };
      const { stdout, stderr } = await execFileAsync(command!, [...entry, ...args], { cwd: image.workdir, env, maxBuffer: 64 * 1024 * 1024 });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      if (typeof e.code !== "number") throw error;
      return { code: e.code, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
    }
  }

  it("holds exactly the production dependencies and no test, fixture or local state", () => {
    const app = join(image.roots.get(image.final.name)!, "app");
    const installed = new Set(readdirSync(join(app, "node_modules")).flatMap((n) => (n.startsWith("@") ? readdirSync(join(app, "node_modules", n)).map((m) => `${n}/${m}`) : [n])));
    for (const dep of Object.keys(pkg.dependencies)) expect(installed, dep).toContain(dep);
    for (const dev of Object.keys(pkg.devDependencies)) expect(installed, dev).not.toContain(dev);
    expect(image.copiedFromContext.length).toBeGreaterThan(50);
    expect(image.copiedFromContext.filter((p) => /\.test\.ts$|(^|\/)testing\/|\.pem$|\.sqlite|^test\/|^node_modules\//.test(p))).toEqual([]);
    expect(image.copiedFromContext).toContain("bin/seatwise.js");
    // Nothing above the reproduced image could lend Node a module the image lacks.
    expect(ancestorNodeModules(app)).toBeUndefined();
  });

  it("holds every module and data file the entry point can load, lazily loaded ones included, and every package they name", () => {
    const app = join(image.roots.get(image.final.name)!, "app");
    const graph = readModuleGraph(join(app, "bin", "seatwise.js"));
    expect(graph.missing).toEqual([]);
    expect(graph.files.length).toBeGreaterThan(50);
    for (const name of graph.packages) expect(existsSync(join(app, "node_modules", name, "package.json")), `package ${name}`).toBe(true);
    // The checkout's own graph reaches the same packages: none is satisfied by accident.
    expect(readModuleGraph(join(root, "bin", "seatwise.js")).packages).toEqual(graph.packages);
  });

  it("prints the command list with --help", async () => {
    const { code, stdout, stderr } = await seatwise(["--help"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    for (const command of ["collect", "config", "evaluate", "export", "reclaim", "provision-config", "simulate"]) expect(stdout).toMatch(new RegExp(`^  ${command} `, "m"));
  });

  it("checks the simulator tenant's configuration", async () => {
    const { code, stdout } = await seatwise(["config", "check", "--config", files.readerConfig]);
    expect(code).toBe(0);
    expect(stdout).toContain(sim.reader.clientId);
    expect(stdout).not.toContain("PRIVATE KEY");
  });

  // Each store engine: SQLite (a file) and PostgreSQL (a fresh database; `pg` loads from the image).
  it.each(STORE_ENGINES.map((e) => [e.name, e] as const))("collects the simulator tenant into %s, then exports and reports from that store", async (engine, store) => {
    const { arg: db } = await store.fresh();
    const collect = await seatwise(["collect", "--config", files.readerConfig, "--db", db, "--tasks", TASKS.join(",")]);
    expect(collect.stderr).not.toMatch(/Cannot find (module|package)|ERR_MODULE_NOT_FOUND/);
    expect(collect.code, collect.stdout + collect.stderr).toBe(0);
    const summary = JSON.parse(collect.stdout) as { status: string; completeCoverage: boolean };
    expect(summary).toMatchObject({ status: "complete", completeCoverage: true });
    const exported = await seatwise(["export", "users", "--db", db, "--format", "json"]);
    expect(exported.code, exported.stderr).toBe(0);
    expect((JSON.parse(exported.stdout) as unknown[]).length).toBe(sim.tenant.userCount);
    // The report inlines Chart.js from the image's node_modules.
    const html = join(work, `report-${engine}.html`);
    const report = await seatwise(["report", "--db", db, "--out", html]);
    expect(report.code, report.stderr).toBe(0);
    const page = readFileSync(html, "utf8");
    expect(page).toMatch(/^<!doctype html>/i);
    expect(page).toContain("Chart.js v");
  });

  // As the scheduled job runs: the environment the Pulumi program gives the job (jobEnvironment), plus
  // what Container Apps adds for a managed identity. The store comes from SEATWISE_STORE alone (a
  // fresh database here; the job's real URL names the Azure server). The local server trusts
  // 127.0.0.1, so it never asks for the token; the token protocol is tested in store/.
  it.each(STORE_ENGINES.filter((e) => e.name === "postgres").map((e) => [e.name, e] as const))("collects into %s with the job's environment, the store named by SEATWISE_STORE only", async (_name, store) => {
    const { arg: url } = await store.fresh();
    const identity = createServer((_req, res) => {
      res.writeHead(500).end();
    });
    await new Promise<void>((resolve) => identity.listen(0, "127.0.0.1", resolve));
    try {
      const clientId = "3f1b2c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d";
      const env = Object.fromEntries(jobEnvironment({ kind: "postgres", url }, clientId).map((v) => [v.name, v.value as string]));
      expect(Object.keys(env).sort()).toEqual(["AZURE_CLIENT_ID", "SEATWISE_PG_AUTH", "SEATWISE_STORE"]);
      const yaml = join(files.dir, "job.yaml");
      writeFileSync(yaml, stringify({ ...(parseYaml(readFileSync(files.readerConfig, "utf8")) as object), tasks: TASKS }));
      const containerApps = { IDENTITY_ENDPOINT: `http://127.0.0.1:${(identity.address() as AddressInfo).port}/msi/token`, IDENTITY_HEADER: "header-of-this-run" };
      const run = await seatwise(["collect", "--config", yaml], { ...env, ...containerApps });
      expect(run.code, run.stdout + run.stderr).toBe(0);
      const exported = await seatwise(["export", "users", "--db", url, "--format", "json"]);
      expect((JSON.parse(exported.stdout) as unknown[]).length).toBe(sim.tenant.userCount);
      // Without Container Apps' identity variables the same environment is refused, naming them.
      const refused = await seatwise(["collect", "--config", yaml], env);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/SEATWISE_PG_AUTH: azure-managed-identity needs IDENTITY_ENDPOINT/);
    } finally {
      identity.close();
    }
  });

  it.each(STORE_ENGINES.map((e) => [e.name, e] as const))("collects a fleet of two tenants into %s from a fleet file rendered as the Pulumi program renders the fleet job's", async (engine, store) => {
    const second = await startSimulator({ users: 60, seed: 6, timeScale: 0.01, now: new Date("2026-11-20T08:00:00Z") });
    try {
      const secondFiles = await writeSimulatorFiles(second, join(work, `sim-2-${engine}`));
      const configs = [files, secondFiles].map((f) => {
        const path = join(f.dir, "tenant.yaml");
        writeFileSync(path, stringify({ ...(parseYaml(readFileSync(f.readerConfig, "utf8")) as object), tasks: TASKS }));
        return path;
      });
      const fleetFile = join(work, `fleet-${engine}.yaml`);
      const { arg: db } = await store.fresh();
      writeFileSync(fleetFile, renderFleetYaml(configs, db));
      const run = await seatwise(["collect", "--fleet", fleetFile]);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      const exported = await seatwise(["export", "users", "--db", db, "--all-tenants", "--format", "json"]);
      expect(exported.code, exported.stderr).toBe(0);
      expect((JSON.parse(exported.stdout) as unknown[]).length).toBe(sim.tenant.userCount + second.tenant.userCount);
    } finally {
      await second.close();
    }
  });
});
