/**
 * The packaging settings that make the shipped app safe and updatable, read
 * the way `npm run dist` reads them: electron-builder's own loader parses
 * electron-builder.yml and its JSON schema validates it (an unknown or
 * misspelt key fails here, not at release time). Removing a fuse, an asar
 * unpack rule or a target should fail a test, not ship.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
// electron-builder's configuration loader and schema check (app-builder-lib is its packaging library).
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import { beforeAll, describe, expect, it } from 'vitest';

type Configuration = Awaited<ReturnType<typeof getConfig>>;

const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let config: Configuration;

/** A platform's targets as names, whichever form (string, list, {target}) the file uses. */
function targetNames(target: unknown): string[] {
  const list = Array.isArray(target) ? target : [target];
  return list.map((entry) => (typeof entry === 'string' ? entry : (entry as { target: string }).target));
}

beforeAll(async () => {
  config = await getConfig(projectDir, path.join(projectDir, 'electron-builder.yml'), null);
}, 60_000);

describe('electron-builder.yml', () => {
  // Compiling electron-builder's schema is CPU-bound: about 5 s on an idle core, more on a busy machine.
  it('is a configuration electron-builder accepts', { timeout: 60_000 }, async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    await expect(
      validateConfiguration({ ...config, electronFusez: {} } as Configuration, new DebugLogger(false)),
    ).rejects.toThrow(/unknown property 'electronFusez'/);
  });

  it('flips the hardening fuses at packaging', () => {
    expect(config.electronFuses).toEqual(
      expect.objectContaining({
        runAsNode: false,
        enableCookieEncryption: true,
        enableNodeOptionsEnvironmentVariable: false,
        enableNodeCliInspectArguments: false,
        enableEmbeddedAsarIntegrityValidation: true,
        onlyLoadAppFromAsar: true,
        grantFileProtocolExtraPrivileges: false,
      }),
    );
  });

  it('packs into asar, unpacks every native module and rebuilds them for Electron', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining([
        'node_modules/better-sqlite3/**',
        'node_modules/onnxruntime-node/**',
        'node_modules/@napi-rs/keyring*/**',
        '**/*.node',
      ]),
    );
    expect(config.npmRebuild).toBe(true);
  });

  it('builds AppImage and deb, NSIS and dmg', () => {
    expect(targetNames(config.linux?.target)).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(targetNames(config.win?.target)).toContain('nsis');
    expect(targetNames(config.mac?.target)).toContain('dmg');
  });

  it('ships the resources folder beside the asar, where app-paths.ts looks for it', () => {
    expect(config.extraResources).toEqual(
      expect.arrayContaining([expect.objectContaining({ from: 'resources', to: 'resources' })]),
    );
  });

  it('configures no update feed, so a build checks for updates only once one is set', () => {
    expect(config).toHaveProperty('publish', null);
  });
});
