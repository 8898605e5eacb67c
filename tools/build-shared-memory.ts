/**
 * `npm ci` runs this (postinstall): compiles the shared-memory addon
 * (native/worker/shared-memory/) with node-gyp on Linux, the one platform
 * where the tensor rings are used. `--stage DIR` (part of `npm run build`)
 * copies the compiled addon to the same place under DIR, beside the compiled
 * worker code, which is where native/worker/shared-memory.ts looks for it.
 *
 * A failed build does not fail the install: the rings then fall back to
 * reading and writing through their descriptors, and the isolation report and
 * the addon's own test say so.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SHARED_MEMORY_ADDON_DIR, SHARED_MEMORY_ADDON_PATH } from '../native/worker/shared-memory.ts';

const { values } = parseArgs({ options: { stage: { type: 'string' } } });
const root = path.resolve(import.meta.dirname, '..');
// Where the loader looks for the addon, relative to the repository (and so to a staging folder).
const ADDON_DIR = path.relative(root, SHARED_MEMORY_ADDON_DIR);
const ADDON_FILE = path.relative(root, SHARED_MEMORY_ADDON_PATH);

if (process.platform !== 'linux') {
  process.stdout.write('shared-memory addon: not needed on this platform (the tensor rings are Linux only)\n');
  process.exit(0);
}

if (values.stage !== undefined) {
  const source = path.join(root, ADDON_FILE);
  if (!fs.existsSync(source)) {
    process.stderr.write(`shared-memory addon: ${ADDON_FILE} is missing; run npm ci (or npm rebuild) first\n`);
    process.exit(1);
  }
  const target = path.join(root, values.stage, ADDON_FILE);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(source, target);
  process.exit(0);
}

// npm names its own node-gyp for install scripts; otherwise the copy that electron-builder brings.
const nodeGyp = process.env.npm_config_node_gyp ?? createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js');
const result = spawnSync(process.execPath, [nodeGyp, 'rebuild'], {
  cwd: path.join(root, ADDON_DIR),
  stdio: ['ignore', 'ignore', 'pipe'],
  encoding: 'utf8',
});
if (result.status !== 0) {
  const reason = result.error?.message ?? result.stderr.trim().split('\n').slice(-3).join(' ');
  process.stderr.write(
    `shared-memory addon: the build failed (${reason}); tensor rings will use descriptor reads and writes instead\n`,
  );
  process.exit(0);
}
process.stdout.write(`shared-memory addon: built ${ADDON_FILE}\n`);
