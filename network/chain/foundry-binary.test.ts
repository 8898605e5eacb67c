import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { foundryBinaryPath, missingFoundryBinaryMessage, requireFoundryBinary } from './foundry-binary.ts';

describe('foundry binaries from npm', () => {
  it.each(['forge', 'anvil'] as const)('finds an installed %s that runs', (tool) => {
    const binary = requireFoundryBinary(tool);
    expect(binary).toBe(foundryBinaryPath(tool));
    const version = spawnSync(binary, ['--version'], { encoding: 'utf8' });
    expect(version.status).toBe(0);
    expect(version.stdout).toContain(`${tool} Version: 1.`);
  });

  it('says in one line which package to install', () => {
    const message = missingFoundryBinaryMessage('forge');
    expect(message).not.toContain('\n');
    expect(message).toMatch(/npm install|no npm build/);
  });
});
