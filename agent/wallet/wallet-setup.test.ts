import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WalletAccess } from '../work/wallet-access.ts';
import type { Keychain } from './keychain.ts';
import { WalletSetup } from './wallet-setup.ts';

const NO_KEYCHAIN: Keychain = { store: () => false, read: () => null, remove: () => {} };
const PASSWORD = 'correct horse';

function setupIn(home: string) {
  const access = new WalletAccess(home, NO_KEYCHAIN);
  return { access, setup: new WalletSetup({ home, access, keychain: NO_KEYCHAIN }) };
}

describe('WalletSetup', () => {
  it('creates a wallet, returns its phrase once, and leaves the key unlocked for this session', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'idlehive-setup-'));
    const { access, setup } = setupIn(home);
    expect(access.readiness()).toBe('missing');
    const created = await setup.create(PASSWORD);
    expect(created.mnemonic.split(' ')).toHaveLength(12);
    expect(access.readiness()).toBe('ready');
    expect((await access.signer())?.address).toBe(created.address);
    // A second wallet is refused with the sentence that says what to do.
    await expect(setup.create(PASSWORD)).rejects.toThrow(/already has a wallet/);
    // A fresh agent on the same home needs the password: the key was only unlocked in memory.
    expect(new WalletAccess(home, NO_KEYCHAIN).readiness()).toBe('locked');
  }, 60_000);

  it('imports a phrase to the same address and refuses a short password', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'idlehive-setup-'));
    const phrase = 'test test test test test test test test test test test junk';
    const { access, setup } = setupIn(home);
    await expect(setup.import(phrase, 'short')).rejects.toThrow(/at least 8 characters/);
    const { address } = await setup.import(phrase, PASSWORD);
    expect(address).toBe('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266');
    expect(access.readiness()).toBe('ready');
  }, 60_000);
});
