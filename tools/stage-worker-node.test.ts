import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STAGE_ROOT, stagedNodePath } from './stage-worker-node.ts';

const tool = path.join(import.meta.dirname, 'stage-worker-node.ts');
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'idlehive-stage-node-'));
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

function stage(...args: string[]) {
  return spawnSync(process.execPath, [tool, ...args], { cwd: workDir, encoding: 'utf8', timeout: 60_000 });
}

describe('stage-worker-node', () => {
  it.skipIf(process.platform === 'win32')(
    'stages this machine’s Node where electron-builder takes it, after checking it runs with the permission model',
    () => {
      const result = stage();
      expect(result.status, result.stderr).toBe(0);
      const staged = path.join(workDir, stagedNodePath(STAGE_ROOT, process.platform, process.arch));
      const version = spawnSync(staged, ['--version'], { encoding: 'utf8' });
      expect(version.stdout.trim()).toBe(process.version);
    },
  );

  it.skipIf(process.platform === 'win32')('stops the build for a Node too old for the worker’s flags', () => {
    // A real executable that answers the probe as Node 20 would.
    const oldNode = path.join(workDir, 'old-node');
    fs.writeFileSync(oldNode, `#!/bin/sh\nprintf '{"version":"v20.20.2","canWrite":false}'\n`, { mode: 0o755 });
    const result = stage('--node', oldNode);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/is Node v20\.20\.2; the worker needs 24 or later/);
  });
});
