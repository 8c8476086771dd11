import { parseArgs } from "node:util";
import { SeatwiseError, UsageError } from "../core/errors.ts";
import { GRAPH_PERMISSIONS, type GraphPermission } from "../core/permissions.ts";
import type { SimulatorOptions } from "../simulator/contract.ts";
import type { Command } from "./command.ts";

const usage = `Usage: seatwise simulate --out DIR [options]

Serves a simulated Microsoft Graph + Entra ID token endpoint over HTTPS on 127.0.0.1 for a seeded,
deterministic synthetic tenant, writes DIR/ca.pem, DIR/seatwise.yaml, DIR/reclaimer.yaml,
DIR/reader.pem, DIR/reclaimer.pem and DIR/ground-truth.json, prints the base URL and serves until
stopped (Ctrl-C).

Options:
  --users N              number of users, 10..1000000 (default 1000)
  --seed S               tenant seed, an integer (default 1)
  --port P               port on 127.0.0.1, 0 = any free port (default 0)
  --out DIR              where to write the files (required)
  --now ISO              the tenant's clock, e.g. 2026-11-26T00:00:00Z (default: now)
  --no-premium           tenant without Entra ID P1/P2 (no signInActivity, sign-in logs, MFA registration)
  --concealed-names      usage reports conceal user names (32-character hex)
  --report-lag-days N    days usage reports lag behind (default 2)
  --time-scale X         multiply throttling windows and Retry-After by X (default 1 = real Graph)
  --fault-rate R         share of Graph requests that fail with 503/504, drop or stall, 0..1 (default 0)
  --fault-seed S         seed of the fault sequence (default: the tenant seed)
  --reader-roles LIST    comma-separated permissions granted to the reader app (default: every read permission)
  --reclaimer-roles LIST comma-separated permissions granted to the reclaimer app
                         (default: LicenseAssignment.ReadWrite.All,User.Read.All)`;

/** Parses `simulate` arguments into simulator options and the output folder. Pure. */
export function parseSimulateArgs(args: string[]): { options: SimulatorOptions; out: string } {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      users: { type: "string", default: "1000" },
      seed: { type: "string", default: "1" },
      port: { type: "string", default: "0" },
      out: { type: "string" },
      now: { type: "string" },
      "no-premium": { type: "boolean", default: false },
      "concealed-names": { type: "boolean", default: false },
      "report-lag-days": { type: "string", default: "2" },
      "time-scale": { type: "string", default: "1" },
      "fault-rate": { type: "string", default: "0" },
      "fault-seed": { type: "string" },
      "reader-roles": { type: "string" },
      "reclaimer-roles": { type: "string" },
    },
  });
  if (!values.out) throw new UsageError(`--out DIR is required\n\n${usage}`);
  const options: SimulatorOptions = {
    users: integer("--users", values.users, 10, 1_000_000),
    seed: integer("--seed", values.seed, 0, 2 ** 31 - 1),
    port: integer("--port", values.port, 0, 65535),
    modes: {
      premium: !values["no-premium"],
      concealedNames: values["concealed-names"],
      reportLagDays: integer("--report-lag-days", values["report-lag-days"], 0, 30),
    },
    timeScale: number("--time-scale", values["time-scale"], 0.0001, 1000),
    faults: {
      rate: number("--fault-rate", values["fault-rate"], 0, 1),
      ...(values["fault-seed"] === undefined ? {} : { seed: integer("--fault-seed", values["fault-seed"], 0, 2 ** 31 - 1) }),
    },
  };
  if (values.now !== undefined) {
    const now = new Date(values.now);
    if (Number.isNaN(now.getTime())) throw new UsageError(`--now: "${values.now}" is not an ISO date-time`);
    options.now = now;
  }
  if (values["reader-roles"] !== undefined) options.readerRoles = roles("--reader-roles", values["reader-roles"]);
  if (values["reclaimer-roles"] !== undefined) options.reclaimerRoles = roles("--reclaimer-roles", values["reclaimer-roles"]);
  return { options, out: values.out };
}

function integer(flag: string, raw: string, min: number, max: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${flag}: "${raw}" must be an integer from ${min} to ${max}`);
  return n;
}

function number(flag: string, raw: string, min: number, max: number): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) throw new UsageError(`${flag}: "${raw}" must be a number from ${min} to ${max}`);
  return n;
}

function roles(flag: string, raw: string): GraphPermission[] {
  const list = raw.split(",").map((s) => s.trim()).filter(Boolean);
  for (const r of list) {
    if (!(GRAPH_PERMISSIONS as readonly string[]).includes(r)) throw new UsageError(`${flag}: unknown permission "${r}" (known: ${GRAPH_PERMISSIONS.join(", ")})`);
  }
  return list as GraphPermission[];
}

export const simulateCommand: Command = {
  summary: "serve a simulated Microsoft Graph + Entra tenant over HTTPS on loopback",
  usage,
  async run(args, io) {
    const { options, out } = parseSimulateArgs(args);
    const { startSimulator } = await import("../simulator/start-simulator.ts");
    const { writeSimulatorFiles } = await import("../simulator/write-simulator-files.ts");
    const sim = await startSimulator(options);
    // Listen for the stop signals before the URL is announced: a supervisor that reads the URL and
    // stops the simulator at once must get a clean stop, never a process killed by the default action.
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    try {
      await writeSimulatorFiles(sim, out);
    } catch (error) {
      // Without its files the simulator is of no use: stop it so the process can exit.
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      await sim.close();
      throw new SeatwiseError("simulate.files", `cannot write the simulator's files to ${out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    io.out(`${sim.baseUrl}\n`);
    io.err(
      `seatwise simulate: ${options.users} users (seed ${options.seed}) at ${sim.baseUrl}; files in ${out}\n` +
        `  try: seatwise config check --config ${out}/seatwise.yaml\n  stop with Ctrl-C\n`,
    );
    await stopped;
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    await sim.close();
    return 0;
  },
};
