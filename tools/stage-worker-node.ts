/**
 * `npm run stage:worker-node` (run by `npm run dist` before electron-builder):
 * puts the plain Node binary that runs sandboxed job workers where
 * electron-builder.yml's per-platform extraResources take it from,
 * out/worker-node/<platform>-<arch>/ in Node's own layout (bin/node, or
 * node.exe on Windows), with Node's licence beside it. The packaged app then
 * has it in resources/node/, where native/sandbox/worker-runtime.ts looks.
 *
 * Why a separate Node: Electron's utilityProcess ignores --permission and the
 * app turns the RunAsNode fuse off, so the worker cannot run on Electron and
 * still be confined (native/sandbox/README.md).
 *
 * electron-builder skips an extraResources folder that does not exist without
 * a word, so this step fails loudly instead: no binary, a binary that does not
 * run, or one without the permission model, and the build stops.
 *
 * Options: --node PATH (default: the Node running this), --platform, --arch
 * (default: this machine's; a binary for another platform is copied but
 * cannot be checked by running it).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { bundledNodeRelativePath } from '../native/sandbox/worker-runtime.ts';

/** The flags worker-launch-command.ts passes (--permission, --allow-addons) need this Node major or later. */
export const MIN_WORKER_NODE_MAJOR = 24;
export const STAGE_ROOT = path.join('out', 'worker-node');

/** Where the binary goes for a target: electron-builder.yml names out/worker-node/<platform>-${arch}. */
export function stagedNodePath(root: string, platform: NodeJS.Platform, arch: string): string {
  return path.join(root, `${platform}-${arch}`, bundledNodeRelativePath(platform));
}

function fail(message: string): never {
  process.stderr.write(`stage-worker-node: ${message}\n`);
  process.exit(1);
}

/** Runs the binary with the worker's permission flags: it must start, be new enough and refuse a file write. */
function checkRunnable(nodePath: string): string {
  const probe = spawnSync(
    nodePath,
    [
      '--permission',
      '--allow-addons',
      '-e',
      "process.stdout.write(JSON.stringify({ version: process.version, canWrite: process.permission.has('fs.write') }))",
    ],
    { encoding: 'utf8', timeout: 30_000, env: {} },
  );
  if (probe.status !== 0) {
    fail(
      `${nodePath} did not run with the worker's flags: ${(probe.stderr || String(probe.error)).trim().slice(0, 500)}`,
    );
  }
  const { version, canWrite } = JSON.parse(probe.stdout) as { version: string; canWrite: boolean };
  const major = Number(version.slice(1).split('.')[0]);
  if (major < MIN_WORKER_NODE_MAJOR)
    fail(`${nodePath} is Node ${version}; the worker needs ${MIN_WORKER_NODE_MAJOR} or later`);
  if (canWrite) fail(`${nodePath} (${version}) ran with --permission but may still write files`);
  return version;
}

/** Node's licence from its install folder (the official archives and the node-<os>-<arch> npm packages keep it there). */
function findLicense(nodePath: string): string | null {
  const installRoot = path.dirname(path.dirname(fs.realpathSync(nodePath)));
  for (const candidate of [path.join(installRoot, 'LICENSE'), path.join(path.dirname(nodePath), 'LICENSE')]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  return null;
}

function main(): void {
  const { values } = parseArgs({
    options: { node: { type: 'string' }, platform: { type: 'string' }, arch: { type: 'string' } },
  });
  const platform = (values.platform ?? process.platform) as NodeJS.Platform;
  const arch = values.arch ?? process.arch;
  const source = path.resolve(values.node ?? process.execPath);
  if (!fs.existsSync(source)) fail(`no Node binary at ${source}`);
  const isThisMachine = platform === process.platform && arch === process.arch;
  const version = isThisMachine ? checkRunnable(source) : 'not checked: built for another machine';

  const target = stagedNodePath(STAGE_ROOT, platform, arch);
  const folder = path.join(STAGE_ROOT, `${platform}-${arch}`);
  fs.rmSync(folder, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(fs.realpathSync(source), target);
  fs.chmodSync(target, 0o755);
  const license = findLicense(source);
  if (license !== null) fs.copyFileSync(license, path.join(folder, 'LICENSE'));
  process.stdout.write(
    `staged ${source} (${version}) as ${target}${license === null ? ' (no LICENSE found beside it)' : ''}\n`,
  );
}

if (import.meta.main) main();
