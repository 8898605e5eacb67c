import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultHome, homeLayout, resolveHome } from './home.ts';

describe('resolveHome', () => {
  it('prefers --home, then IDLEHIVE_HOME, then the platform folder', () => {
    expect(resolveHome('/flag', { IDLEHIVE_HOME: '/env' })).toBe(path.resolve('/flag'));
    expect(resolveHome(undefined, { IDLEHIVE_HOME: '/env' })).toBe(path.resolve('/env'));
    expect(resolveHome(undefined, {})).toBe(path.resolve(defaultHome()));
  });
  it('makes relative folders absolute', () => {
    expect(path.isAbsolute(resolveHome('rel/dir', {}))).toBe(true);
  });
  it('keeps every file inside the home', () => {
    const layout = homeLayout('/h');
    for (const file of [layout.ledgerFile, layout.endpointFile, layout.apiTokenFile, layout.logFile]) {
      expect(file.startsWith(`/h${path.sep}`)).toBe(true);
    }
  });
});
