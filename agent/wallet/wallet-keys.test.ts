/**
 * The key files for real: scrypt at N = 2^17 costs about a second per
 * encryption or decryption on this machine, so this file does few of them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encryptKeystoreJson, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keychainDisabled } from './keychain.ts';
import { readKeystoreFile } from './keystore-file.ts';
import { walletPaths } from './wallet-files.ts';
import {
  createWallet,
  exportMnemonic,
  importWallet,
  unlockWallet,
  useWatchOnlyAddress,
  walletFromSecret,
} from './wallet-keys.ts';

const PASSWORD = 'correct horse battery';
let home: string;
const savedKeychain = process.env.IDLEHIVE_KEYCHAIN;

beforeAll(() => {
  // Never touch the keychain of the machine running the tests.
  process.env.IDLEHIVE_KEYCHAIN = 'off';
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'idlehive-wallet-'));
});

afterAll(() => {
  process.env.IDLEHIVE_KEYCHAIN = savedKeychain;
  fs.rmSync(home, { recursive: true, force: true });
});

describe('a created wallet', () => {
  it('keeps the key encrypted at N = 2^17, unlocks only with the password, and exports the mnemonic with it', async () => {
    expect(keychainDisabled()).toBe(true);
    const { record, mnemonic } = await createWallet(home, PASSWORD);
    expect(mnemonic.split(' ')).toHaveLength(12);
    expect(record).toMatchObject({ mode: 'keystore', keychain: false, hasMnemonic: true });

    const { keystoreFile } = walletPaths(home);
    expect(fs.statSync(keystoreFile).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(fs.readFileSync(keystoreFile, 'utf8'));
    expect((stored.crypto ?? stored.Crypto).kdfparams.n).toBe(2 ** 17);
    expect(fs.readFileSync(keystoreFile, 'utf8')).not.toContain(mnemonic.split(' ')[0] as string);

    await expect(unlockWallet(home)).rejects.toMatchObject({ code: 'password_required' });
    await expect(unlockWallet(home, { password: 'wrong password' })).rejects.toMatchObject({ code: 'wrong_password' });
    const wallet = await unlockWallet(home, { password: PASSWORD });
    expect(wallet.address).toBe(record.address);
    expect(await exportMnemonic(home, PASSWORD)).toBe(mnemonic);
  }, 30_000);

  it('refuses a second wallet in the same home', async () => {
    await expect(createWallet(home, PASSWORD)).rejects.toMatchObject({ code: 'wallet_exists' });
  });

  it('refuses a short password before doing any work', async () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'idlehive-wallet-'));
    await expect(createWallet(other, 'short')).rejects.toMatchObject({ code: 'weak_password' });
    expect(fs.existsSync(walletPaths(other).walletFile)).toBe(false);
  });
});

describe('keystore files that cannot be trusted', () => {
  it('refuses a keystore encrypted below N = 2^17, leaving it untouched', async () => {
    const file = path.join(home, 'weak.json');
    const key = Wallet.createRandom();
    fs.writeFileSync(
      file,
      await encryptKeystoreJson({ address: key.address, privateKey: key.privateKey }, PASSWORD, {
        scrypt: { N: 1024 },
      }),
    );
    const before = fs.readFileSync(file);
    expect(() => readKeystoreFile(file)).toThrow(/encrypted too weakly/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('names a damaged file as damaged, leaving it untouched', () => {
    const file = path.join(home, 'damaged.json');
    fs.writeFileSync(file, '{"version":3,"crypto":');
    const before = fs.readFileSync(file);
    expect(() => readKeystoreFile(file)).toThrow(/damaged/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });
});

describe('imports and watch-only', () => {
  it('reads a private key or a mnemonic, and refuses anything else', () => {
    const key = Wallet.createRandom();
    expect(walletFromSecret(key.privateKey).address).toBe(key.address);
    expect(walletFromSecret(key.privateKey.slice(2)).address).toBe(key.address);
    expect(walletFromSecret((key.mnemonic?.phrase ?? '').toUpperCase()).address).toBe(key.address);
    expect(() => walletFromSecret('not a secret at all')).toThrow(/neither a valid BIP-39 mnemonic/);
  });

  it('refuses to import over an existing wallet', async () => {
    await expect(importWallet(home, Wallet.createRandom().privateKey, PASSWORD)).rejects.toMatchObject({
      code: 'wallet_exists',
    });
  });

  it('keeps only a checksummed payout address for a watch-only wallet, which cannot sign', async () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'idlehive-wallet-'));
    const address = Wallet.createRandom().address;
    expect(() => useWatchOnlyAddress(other, address.toLowerCase())).toThrow(/no checksum/);
    expect(useWatchOnlyAddress(other, address)).toMatchObject({ address, mode: 'watch-only' });
    await expect(unlockWallet(other, { password: PASSWORD })).rejects.toMatchObject({ code: 'watch_only' });
    fs.rmSync(other, { recursive: true, force: true });
  });
});
