import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeImportReader, nativeVersionLine } from './solc-shim.ts';

const shim = path.resolve(import.meta.dirname, 'solc-shim.ts');

function runShim(args: string[], input = '') {
  return spawnSync(process.execPath, [shim, ...args], { input, encoding: 'utf8' });
}

// Each test starting the shim loads solc-js (a large WebAssembly module): seconds on a busy machine.
describe('solc-shim', { timeout: 60_000 }, () => {
  it('reports the solc-js version the way a native solc does, last line last', () => {
    expect(nativeVersionLine('0.8.37+commit.f401782d.Emscripten.clang')).toBe(
      'Version: 0.8.37+commit.f401782d.Linux.g++',
    );
    expect(() => nativeVersionLine('latest')).toThrow(/unexpected solc-js version/);

    const result = runShim(['--version']);
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split('\n').at(-1)).toMatch(
      /^Version: \d+\.\d+\.\d+\+commit\.[0-9a-f]+\.Linux\.g\+\+$/,
    );
  });

  it('compiles Standard JSON from stdin, reading imports below the allowed roots only', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'solc-shim-'));
    try {
      fs.mkdirSync(path.join(root, 'lib'));
      fs.writeFileSync(
        path.join(root, 'lib', 'Answer.sol'),
        '// SPDX-License-Identifier: MIT\npragma solidity ^0.8.0; uint256 constant ANSWER = 42;',
      );
      const input = {
        language: 'Solidity',
        sources: {
          'Main.sol': {
            content:
              '// SPDX-License-Identifier: MIT\npragma solidity ^0.8.0; import "lib/Answer.sol"; contract Main { uint256 public a = ANSWER; }',
          },
        },
        settings: { outputSelection: { '*': { '*': ['abi'] } } },
      };
      const result = runShim(['--standard-json', '--base-path', root], JSON.stringify(input));
      expect(result.status).toBe(0);
      const output = JSON.parse(result.stdout) as {
        errors?: unknown[];
        sources: Record<string, unknown>;
        contracts: Record<string, Record<string, unknown>>;
      };
      expect(output.errors ?? []).toEqual([]);
      // lib/Answer.sol was not sent: the shim read it from disk below --base-path.
      expect(Object.keys(output.sources).sort()).toEqual(['Main.sol', 'lib/Answer.sol']);
      expect(Object.keys(output.contracts['Main.sol'] ?? {})).toEqual(['Main']);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('refuses imports that escape the roots', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'solc-shim-'));
    try {
      fs.writeFileSync(path.join(root, 'Inside.sol'), '// inside');
      const read = makeImportReader({ basePath: path.join(root, 'base'), includePaths: [], allowPaths: [] });
      fs.mkdirSync(path.join(root, 'base'));
      fs.writeFileSync(path.join(root, 'base', 'Ok.sol'), '// ok');

      expect(read('Ok.sol')).toEqual({ contents: '// ok' });
      expect(read('../Inside.sol')).toHaveProperty('error');
      expect(read(path.join(root, 'Inside.sol'))).toHaveProperty('error');
      expect(read('/etc/passwd')).toHaveProperty('error');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('refuses any other way of calling it', () => {
    const result = runShim(['--bin', 'Main.sol']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('only --version and --standard-json');
  });
});
