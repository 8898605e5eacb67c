import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeLocalNetworkDescriptor } from '../../network/local-network/local-network-descriptor.ts';
import { homeLayout } from '../home.ts';
import { openLedger } from '../ledger/open-ledger.ts';
import { SettingsRepository } from '../ledger/settings-repository.ts';
import { LOCAL_NETWORK_FOLDER } from './network-for-start.ts';
import { chainRpcUrlFor, coordinatorUrlFor } from './withdraw-endpoints.ts';

const ADDRESS = '0x1111111111111111111111111111111111111111';
let home: string;

beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'idlehive-endpoints-'));
});

afterEach(() => {
  fs.rmSync(home, { recursive: true, force: true });
});

function localNetwork(pid: number): void {
  writeLocalNetworkDescriptor(path.join(home, LOCAL_NETWORK_FOLDER), {
    version: 1,
    chainId: 31337,
    vault: ADDRESS,
    token: ADDRESS,
    coordinatorAddress: ADDRESS,
    deployedAt: 0,
    lastBlock: 0,
    running: { pid, coordinatorUrl: 'http://127.0.0.1:4100', rpcUrl: 'http://127.0.0.1:8545' },
  });
}

function saveSettings(coordinatorUrl: string, chainRpcUrl: string): void {
  const db = openLedger(homeLayout(home).ledgerFile);
  try {
    new SettingsRepository(db, Date.now).write({ coordinatorUrl, chainRpcUrl });
  } finally {
    db.close();
  }
}

describe('where idlehive withdraw reaches the network', () => {
  it('is nowhere without a flag, a setting or a running local network', () => {
    expect(coordinatorUrlFor(home, undefined)).toBeNull();
    expect(chainRpcUrlFor(home, undefined)).toBeNull();
  });

  it('is the running local network, but not one whose process is gone', () => {
    localNetwork(process.pid);
    expect(coordinatorUrlFor(home, undefined)).toBe('http://127.0.0.1:4100');
    expect(chainRpcUrlFor(home, undefined)).toBe('http://127.0.0.1:8545');
    // Far above any pid a system hands out.
    localNetwork(2 ** 22 + 12_345);
    expect(coordinatorUrlFor(home, undefined)).toBeNull();
  });

  it('prefers the flag, then the setting, over the local network', () => {
    localNetwork(process.pid);
    saveSettings('https://coordinator.example', 'https://rpc.example');
    expect(coordinatorUrlFor(home, undefined)).toBe('https://coordinator.example');
    expect(chainRpcUrlFor(home, undefined)).toBe('https://rpc.example');
    expect(coordinatorUrlFor(home, 'http://flag.example')).toBe('http://flag.example');
  });
});
