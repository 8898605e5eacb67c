import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  agentEntryPath,
  appIconPath,
  preloadScriptPath,
  rendererRoot,
  resourcesRoot,
  trayIconPath,
} from './app-paths.ts';
import type { TrayIconState } from './tray-menu.ts';

const repository = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('app paths', () => {
  const appPath = '/opt/Idlehive/resources/app.asar';

  it('finds the built parts under dist/ in the app', () => {
    expect(agentEntryPath(appPath)).toBe('/opt/Idlehive/resources/app.asar/dist/agent/main.js');
    expect(preloadScriptPath(appPath)).toBe('/opt/Idlehive/resources/app.asar/dist/electron/preload.cjs');
    expect(rendererRoot(appPath)).toBe('/opt/Idlehive/resources/app.asar/dist/renderer');
  });

  it('finds resources beside app.asar when packaged, in the repository otherwise', () => {
    expect(resourcesRoot({ appPath, resourcesPath: '/opt/Idlehive/resources', isPackaged: true })).toBe(
      '/opt/Idlehive/resources/resources',
    );
    expect(resourcesRoot({ appPath: '/src/idlehive', resourcesPath: '/x', isPackaged: false })).toBe(
      '/src/idlehive/resources',
    );
  });
});

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('the icons in resources/', () => {
  const resources = path.join(repository, 'resources');
  const states: TrayIconState[] = ['earning', 'waiting', 'paused', 'error'];

  it.each(states)('has the %s tray icon at 16 px and 32 px (@2x)', (state) => {
    const file = trayIconPath(resources, state);
    expect(pngSize(file)).toEqual({ width: 16, height: 16 });
    expect(pngSize(file.replace(/\.png$/, '@2x.png'))).toEqual({ width: 32, height: 32 });
  });

  it('has a 512 px app icon', () => {
    expect(pngSize(appIconPath(resources))).toEqual({ width: 512, height: 512 });
  });
});
