/**
 * The packaging settings that make the shipped app safe, read from
 * electron-builder.yml as text (the project has no YAML parser of its own):
 * removing a fuse or an asar unpack rule should fail a test, not ship.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const config = readFileSync(
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'electron-builder.yml'),
  'utf8',
);

/** The indented lines under a top-level key, without comments. */
function block(key: string): string[] {
  const lines = config.split('\n');
  const start = lines.indexOf(`${key}:`);
  if (start === -1) return [];
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line !== '' && !line.startsWith(' ')) break;
    const text = line.trim();
    if (text !== '' && !text.startsWith('#')) body.push(text);
  }
  return body;
}

describe('electron-builder.yml', () => {
  it('flips the hardening fuses', () => {
    expect(block('electronFuses')).toEqual(
      expect.arrayContaining([
        'runAsNode: false',
        'enableCookieEncryption: true',
        'enableNodeOptionsEnvironmentVariable: false',
        'enableNodeCliInspectArguments: false',
        'enableEmbeddedAsarIntegrityValidation: true',
        'onlyLoadAppFromAsar: true',
        'grantFileProtocolExtraPrivileges: false',
      ]),
    );
  });

  it('packs into asar, unpacks the native modules and rebuilds them', () => {
    expect(config).toMatch(/^asar: true$/m);
    expect(block('asarUnpack')).toEqual([
      '- node_modules/better-sqlite3/**',
      '- node_modules/onnxruntime-node/**',
      '- "**/*.node"',
    ]);
    expect(config).toMatch(/^npmRebuild: true$/m);
  });

  it('builds AppImage and deb, NSIS and dmg', () => {
    expect(block('linux')).toEqual(expect.arrayContaining(['- AppImage', '- deb']));
    expect(block('win')).toContain('- nsis');
    expect(block('mac')).toContain('- dmg');
  });

  it('ships the resources folder beside the asar, where app-paths.ts looks for it', () => {
    expect(block('extraResources')).toEqual(expect.arrayContaining(['- from: resources', 'to: resources']));
  });
});
