import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APP_RESOURCES_ENV,
  bundledNodePath,
  currentRuntimeContext,
  type RuntimeContext,
  resolveWorkerRuntime,
} from './worker-runtime.ts';

/** A context where exactly the listed files are executable. */
function context(overrides: Partial<RuntimeContext>, executables: readonly string[] = []): RuntimeContext {
  return {
    platform: 'linux',
    execPath: '/usr/bin/node',
    electronVersion: undefined,
    resourcesPath: undefined,
    configuredNodePath: undefined,
    pathEnv: '/usr/local/bin:/usr/bin',
    isExecutable: (file) => executables.includes(file),
    ...overrides,
  };
}

const electronApp = { electronVersion: '38.0.0', execPath: '/opt/Idlehive/idlehive' } as const;

describe('the worker runtime', () => {
  it('is the Node running the agent outside Electron (headless agent, CLI, tests)', () => {
    expect(resolveWorkerRuntime(context({}))).toEqual({
      nodePath: '/usr/bin/node',
      source: 'current-node',
      note: null,
    });
  });

  it('is the Node shipped in the packaged app, per platform, in Node’s own layout', () => {
    const linux = context({ ...electronApp, resourcesPath: '/opt/Idlehive/resources' }, [
      '/opt/Idlehive/resources/node/bin/node',
      '/usr/bin/node',
    ]);
    expect(resolveWorkerRuntime(linux)).toEqual({
      nodePath: '/opt/Idlehive/resources/node/bin/node',
      source: 'app-resources',
      note: null,
    });
    const resources = '/Applications/Idlehive.app/Contents/Resources';
    const mac = context({ ...electronApp, platform: 'darwin', resourcesPath: resources }, [
      `${resources}/node/bin/node`,
    ]);
    expect(resolveWorkerRuntime(mac).nodePath).toBe(`${resources}/node/bin/node`);
    expect(bundledNodePath('C:\\Idlehive\\resources', 'win32')).toBe(
      path.join('C:\\Idlehive\\resources', 'node', 'node.exe'),
    );
  });

  it('falls back to Node on PATH when the shipped one is missing, and says so for the isolation report', () => {
    const runtime = resolveWorkerRuntime(
      context({ ...electronApp, resourcesPath: '/opt/Idlehive/resources' }, ['/usr/bin/node']),
    );
    expect(runtime).toMatchObject({ nodePath: '/usr/bin/node', source: 'path' });
    expect(runtime.note).toMatch(/ships with Idlehive is missing \(\/opt\/Idlehive\/resources\/node\/bin\/node\)/);
    expect(runtime.note).toMatch(/reinstall Idlehive/);
  });

  it('uses the developer’s Node in an unpackaged Electron run, never the Electron binary itself', () => {
    const developer = context(
      { electronVersion: '38.0.0', execPath: '/usr/local/bin/node', pathEnv: '/usr/local/bin:/usr/bin' },
      ['/usr/local/bin/node', '/usr/bin/node'],
    );
    expect(resolveWorkerRuntime(developer)).toEqual({ nodePath: '/usr/bin/node', source: 'path', note: null });
  });

  it('refuses to run jobs with no plain Node at all rather than run them on Electron', () => {
    expect(() =>
      resolveWorkerRuntime(context({ ...electronApp, resourcesPath: '/opt/Idlehive/resources' }, [])),
    ).toThrow(expect.objectContaining({ code: 'worker.runtime_missing' }));
  });

  it('takes IDLEHIVE_WORKER_NODE first, and refuses one that is not executable', () => {
    expect(
      resolveWorkerRuntime(context({ configuredNodePath: '/opt/node24/bin/node' }, ['/opt/node24/bin/node'])),
    ).toEqual({ nodePath: '/opt/node24/bin/node', source: 'configured', note: null });
    expect(() => resolveWorkerRuntime(context({ configuredNodePath: '/nope' }))).toThrow(
      expect.objectContaining({
        code: 'worker.runtime_missing',
        message: expect.stringMatching(/IDLEHIVE_WORKER_NODE/),
      }),
    );
  });

  it('reads the packaged app’s resources folder from what the app’s main process passes the agent', () => {
    const saved = process.env[APP_RESOURCES_ENV];
    try {
      process.env[APP_RESOURCES_ENV] = '/opt/Idlehive/resources';
      expect(currentRuntimeContext().resourcesPath).toBe('/opt/Idlehive/resources');
      delete process.env[APP_RESOURCES_ENV];
      expect(currentRuntimeContext().resourcesPath).toBeUndefined();
    } finally {
      if (saved === undefined) delete process.env[APP_RESOURCES_ENV];
      else process.env[APP_RESOURCES_ENV] = saved;
    }
  });
});
