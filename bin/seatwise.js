#!/usr/bin/env node
// Entry point of the `seatwise` command. The sources are TypeScript run directly by Node's type
// stripping (Node >= 22.18), so there is no build step; older Node gets a clear message.
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `seatwise: Node.js >= 22.18 is required (this is ${process.version}).\n` +
      "Run `source scripts/use-node.sh` in the checkout to use a local Node 24 LTS.\n",
  );
  process.exit(1);
}
const { main } = await import("../cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
