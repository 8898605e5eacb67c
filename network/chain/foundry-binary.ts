/**
 * Where the Foundry binaries installed from npm live. `@foundry-rs/forge` and
 * `@foundry-rs/anvil` depend on one package per platform (for example
 * `@foundry-rs/anvil-linux-amd64`) that holds the binary; their own `bin.mjs`
 * only forwards to it, and their postinstall (denied by `allowScripts`) is not
 * needed. We resolve the binary ourselves so that a missing one is reported in
 * one sentence instead of a spawn ENOENT, and so that anvil runs as our direct
 * child: signals reach it, not a Node wrapper in between.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { IdlehiveError } from '../../agent/errors.ts';

export type FoundryTool = 'forge' | 'anvil';

/** Foundry names architectures the Go way; Node says x64. */
const FOUNDRY_ARCH: Readonly<Partial<Record<string, string>>> = { x64: 'amd64', arm64: 'arm64' };

const require = createRequire(import.meta.url);

/** The npm package that carries `tool` for this machine, or undefined where Foundry ships none. */
export function foundryPlatformPackage(tool: FoundryTool): string | undefined {
  const arch = FOUNDRY_ARCH[process.arch];
  if (!arch || !['linux', 'darwin', 'win32'].includes(process.platform)) return undefined;
  return `@foundry-rs/${tool}-${process.platform}-${arch}`;
}

/** The absolute path of the installed binary, or undefined when it is not installed. */
export function foundryBinaryPath(tool: FoundryTool): string | undefined {
  const platformPackage = foundryPlatformPackage(tool);
  if (!platformPackage) return undefined;
  const executable = process.platform === 'win32' ? `${tool}.exe` : tool;
  try {
    const resolved = require.resolve(`${platformPackage}/bin/${executable}`);
    return fs.existsSync(resolved) ? resolved : undefined;
  } catch {
    return undefined;
  }
}

/** One line a person can act on when the binary is missing. */
export function missingFoundryBinaryMessage(tool: FoundryTool): string {
  const platformPackage = foundryPlatformPackage(tool);
  return platformPackage
    ? `${tool} is not installed: run \`npm install\` (it comes from the npm package ${platformPackage}).`
    : `Foundry publishes no npm build of ${tool} for ${process.platform}-${process.arch}; this machine cannot run it.`;
}

/** The binary's path, or an IdlehiveError saying how to install it. */
export function requireFoundryBinary(tool: FoundryTool): string {
  const binary = foundryBinaryPath(tool);
  if (!binary) throw new IdlehiveError('foundry_missing', missingFoundryBinaryMessage(tool));
  return binary;
}
