#!/usr/bin/env node
// The idlehive command. The sources are TypeScript run by Node's type stripping,
// which needs Node 24 or newer: say so plainly instead of failing on syntax.
const [major] = process.versions.node.split('.').map(Number);
if (major < 24) {
  process.stderr.write(
    `idlehive: Node.js 24 or newer is required (this is ${process.version}). See README.md, "Requirements".\n`,
  );
  process.exit(1);
}
const { runCli } = await import('../agent/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));
