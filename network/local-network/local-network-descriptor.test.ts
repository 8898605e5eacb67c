import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  descriptorPath,
  type LocalNetworkDescriptor,
  readLocalNetworkDescriptor,
  writeLocalNetworkDescriptor,
} from './local-network-descriptor.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idlehive-descriptor-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const descriptor: LocalNetworkDescriptor = {
  version: 1,
  chainId: 31337,
  vault: '0x8dD0D1046FBe3fc4e4ba93BB3cFDe4c593dCB2FC',
  token: '0x6Df56E55E25B47df8bA8DcA7659E28FA7bb0b2cF',
  coordinatorAddress: '0x335a33f540173a3E4Abc12eBAF8Abf5f8917353E',
  deployedAt: 1_795_972_090_295,
  lastBlock: 6,
  running: { pid: 4242, coordinatorUrl: 'http://127.0.0.1:33203', rpcUrl: 'http://127.0.0.1:45149' },
};

describe('the local network descriptor', () => {
  it('is absent in a new folder, and reads back what was written, owner-only', () => {
    const dir = tempDir();
    expect(readLocalNetworkDescriptor(dir)).toBeNull();
    writeLocalNetworkDescriptor(dir, descriptor);
    expect(readLocalNetworkDescriptor(dir)).toEqual(descriptor);
    expect(fs.statSync(descriptorPath(dir)).mode & 0o777).toBe(0o600);
  });

  it('names the file and the fix when it is damaged or not a descriptor', () => {
    const dir = tempDir();
    fs.writeFileSync(descriptorPath(dir), '{"version":1,');
    expect(() => readLocalNetworkDescriptor(dir)).toThrow(/local-network\.json is not JSON; remove it/);
    fs.writeFileSync(descriptorPath(dir), JSON.stringify({ ...descriptor, vault: 'nowhere' }));
    expect(() => readLocalNetworkDescriptor(dir)).toThrow(/vault: must be an Ethereum address.*remove it/);
  });
});
