#!/usr/bin/env -S node --max-semi-space-size=4
// Entry point of the `seatwise` command. `--max-semi-space-size=4` (MB) keeps V8's young generation
// small: collection makes much short-lived garbage, and this halves peak RSS at 100,000 users
// (measured: 433 MB → 231 MB, same wall time; see bench/collect.ts). The sources are TypeScript run directly by Node's type
// stripping (Node >= 22.18), so there is no build step; older Node gets a clear message.
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `seatwise: Node.js >= 22.18 is required (this is ${process.version}).\n` +
      "Run `source scripts/use-node.sh` in the checkout to use a local Node 24 LTS.\n",
  );
  process.exit(1);
}
// A reader that went away (`seatwise export users | head`) ends the command quietly, as Unix tools do.
process.stdout.on("error", (error) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});
const { main } = await import("../cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
