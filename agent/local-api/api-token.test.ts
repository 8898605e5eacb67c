import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOrCreateApiToken, rotateApiToken } from './api-token.ts';

const tokenFile = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'idlehive-token-')), 'api-token');

describe('loadOrCreateApiToken', () => {
  it('creates a 256-bit token readable by the owner alone, then reuses it', () => {
    const file = tokenFile();
    const token = loadOrCreateApiToken(file);
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(loadOrCreateApiToken(file)).toBe(token);
  });
  it('replaces a token others could read', () => {
    const file = tokenFile();
    const token = loadOrCreateApiToken(file);
    fs.chmodSync(file, 0o644);
    const next = loadOrCreateApiToken(file);
    expect(next).not.toBe(token);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });
  it('replaces a malformed token', () => {
    const file = tokenFile();
    fs.writeFileSync(file, 'short', { mode: 0o600 });
    expect(loadOrCreateApiToken(file)).toMatch(/^[0-9a-f]{64}$/);
  });
  it('rotates to a different token', () => {
    const file = tokenFile();
    const token = loadOrCreateApiToken(file);
    expect(rotateApiToken(file)).not.toBe(token);
    expect(loadOrCreateApiToken(file)).not.toBe(token);
  });
});
