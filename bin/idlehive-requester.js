#!/usr/bin/env node
// The idlehive-requester command: submit jobs to a coordinator and read verified results.
// The sources are TypeScript run by Node's type stripping, which needs Node 24 or newer.
const [major] = process.versions.node.split('.').map(Number);
if (major < 24) {
  process.stderr.write(`idlehive-requester: Node.js 24 or newer is required (this is ${process.version}).\n`);
  process.exit(1);
}
const { runRequesterCli } = await import('../network/requester-cli/requester-cli.ts');
process.exitCode = await runRequesterCli(process.argv.slice(2));
