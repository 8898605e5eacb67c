#!/usr/bin/env node
/**
 * A `solc` command line that forge can drive, backed by the npm `solc` package
 * (solc-js, the compiler built to WebAssembly). This machine and CI have no
 * internet, so forge cannot download a native solc; `forge build --use
 * tools/solc-shim.ts` (or `solc = ...` in contracts/foundry.toml) runs this
 * instead.
 *
 * It answers the two ways forge calls a compiler:
 *   --version        "solc, the solidity compiler commandline interface\nVersion: X"
 *                    (forge parses the last line, so it must stay last)
 *   --standard-json  Standard JSON input on stdin, Standard JSON output on stdout.
 * Every other flag forge adds (--base-path, --include-path, --allow-paths) is
 * honoured for imports that forge did not inline: their sources are read from
 * disk below those roots, never from outside them.
 */
import fs from 'node:fs';
import path from 'node:path';
import solc from 'solc';

interface ImportRoots {
  basePath: string;
  includePaths: string[];
  allowPaths: string[];
}

/**
 * solc-js names its build "0.8.37+commit.f401782d.Emscripten.clang"; forge parses
 * the version with semver and only needs the number and commit, so the build
 * suffix says what a native Linux solc says.
 */
export function nativeVersionLine(solcJsVersion: string): string {
  const match = /^(\d+\.\d+\.\d+)(?:\+commit\.([0-9a-f]+))?/.exec(solcJsVersion);
  if (!match) throw new Error(`solc-shim: unexpected solc-js version "${solcJsVersion}"`);
  const [, semver, commit] = match;
  return `Version: ${semver}${commit ? `+commit.${commit}` : ''}.Linux.g++`;
}

function parseRoots(argv: string[]): ImportRoots {
  const roots: ImportRoots = { basePath: process.cwd(), includePaths: [], allowPaths: [] };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined) continue;
    if (flag === '--base-path') {
      roots.basePath = path.resolve(value);
      i++;
    } else if (flag === '--include-path') {
      roots.includePaths.push(path.resolve(value));
      i++;
    } else if (flag === '--allow-paths') {
      roots.allowPaths.push(...value.split(',').map((p) => path.resolve(p)));
      i++;
    }
  }
  return roots;
}

function isInside(file: string, root: string): boolean {
  const relative = path.relative(root, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** The callback solc-js calls for an import whose content forge did not send. */
export function makeImportReader(roots: ImportRoots): (sourceUnit: string) => { contents: string } | { error: string } {
  const searchRoots = [roots.basePath, ...roots.includePaths];
  const allowedRoots = [...searchRoots, ...roots.allowPaths];
  return (sourceUnit) => {
    const candidates = path.isAbsolute(sourceUnit) ? [sourceUnit] : searchRoots.map((r) => path.join(r, sourceUnit));
    for (const candidate of candidates) {
      const resolved = path.resolve(candidate);
      if (!allowedRoots.some((root) => isInside(resolved, root))) continue;
      if (fs.existsSync(resolved) && fs.statSync(resolved).isFile()) {
        return { contents: fs.readFileSync(resolved, 'utf8') };
      }
    }
    return { error: `File not found inside the allowed paths: ${sourceUnit}` };
  };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--version')) {
    process.stdout.write(`solc, the solidity compiler commandline interface\n${nativeVersionLine(solc.version())}\n`);
    return 0;
  }
  if (argv.includes('--standard-json')) {
    const input = await readStdin();
    const output = solc.compile(input, { import: makeImportReader(parseRoots(argv)) });
    process.stdout.write(output);
    return 0;
  }
  process.stderr.write(
    'solc-shim: only --version and --standard-json are supported (this is solc-js behind a solc command line)\n',
  );
  return 2;
}

if (import.meta.main) {
  process.exitCode = await main(process.argv.slice(2));
}
