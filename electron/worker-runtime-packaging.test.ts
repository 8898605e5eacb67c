/**
 * The desktop build keeps the job worker confined with the RunAsNode fuse off:
 * it ships a plain Node binary in resources/node/ for every platform, where
 * native/sandbox/worker-runtime.ts looks for it, and keeps the worker's code
 * and packages out of app.asar. Read the way `npm run dist` reads the file
 * (electron-builder's own loader), so a renamed folder fails here, not in a
 * shipped app whose jobs fall back to whatever Node is on PATH.
 */
import fs from 'node:fs';
import path from 'node:path';
import { getConfig } from 'app-builder-lib/out/util/config/config.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { WORKER_PACKAGES } from '../native/sandbox/worker-read-paths.ts';
import { BUNDLED_NODE_DIR, bundledNodePath, bundledNodeRelativePath } from '../native/sandbox/worker-runtime.ts';
import { STAGE_ROOT, stagedNodePath } from '../tools/stage-worker-node.ts';

type Configuration = Awaited<ReturnType<typeof getConfig>>;

/** electron-builder's macro for the target architecture, expanded when it packs. */
const ARCH_MACRO = ['$', '{arch}'].join('');

const projectDir = path.resolve(import.meta.dirname, '..');
let config: Configuration;

beforeAll(async () => {
  config = await getConfig(projectDir, path.join(projectDir, 'electron-builder.yml'), null);
});

/** electron-builder's name for a platform's section, and Node's name for the platform. */
const PLATFORMS = [
  { section: 'linux', platform: 'linux', resources: '/opt/Idlehive/resources' },
  { section: 'mac', platform: 'darwin', resources: '/Applications/Idlehive.app/Contents/Resources' },
  { section: 'win', platform: 'win32', resources: 'C:\\Idlehive\\resources' },
] as const;

function extraResourcesOf(section: (typeof PLATFORMS)[number]['section']): { from?: string; to?: string }[] {
  const entries = config[section]?.extraResources;
  return (Array.isArray(entries) ? entries : [entries]).filter(
    (entry): entry is { from?: string; to?: string } => typeof entry === 'object' && entry !== null,
  );
}

describe('the worker runtime in the desktop build', () => {
  it.each(PLATFORMS)('ships the staged Node for $platform in resources/node, where the agent looks', (target) => {
    const entry = extraResourcesOf(target.section).find((candidate) => candidate.to === BUNDLED_NODE_DIR);
    expect(entry, `${target.section}.extraResources has no entry for ${BUNDLED_NODE_DIR}/`).toBeDefined();
    const from = entry?.from ?? '';
    // What the staging step writes is what this entry copies...
    expect(path.join(from, bundledNodeRelativePath(target.platform))).toBe(
      stagedNodePath(STAGE_ROOT, target.platform, ARCH_MACRO),
    );
    // ...and where it lands is where worker-runtime.ts resolves it at run time.
    expect(path.join(target.resources, entry?.to ?? '', bundledNodeRelativePath(target.platform))).toBe(
      bundledNodePath(target.resources, target.platform),
    );
  });

  it('signs the shipped Node with the macOS app', () => {
    expect(config.mac?.binaries).toContain(`Contents/Resources/${BUNDLED_NODE_DIR}/bin/node`);
  });

  it('keeps the worker’s code and every package it imports out of app.asar, which plain Node cannot read', () => {
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining(['dist/native/worker/**', ...WORKER_PACKAGES.map((name) => `node_modules/${name}/**`)]),
    );
  });

  it('stages the runtime before packaging, with the RunAsNode fuse still off', () => {
    const scripts = JSON.parse(fs.readFileSync(path.join(projectDir, 'package.json'), 'utf8')).scripts as Record<
      string,
      string
    >;
    expect(scripts['stage:worker-node']).toBe('node tools/stage-worker-node.ts');
    expect(scripts.dist).toMatch(/npm run stage:worker-node && electron-builder/);
    expect(config.electronFuses).toMatchObject({ runAsNode: false });
  });
});
