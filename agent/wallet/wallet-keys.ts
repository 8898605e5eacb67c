/**
 * Creating, importing, unlocking and exporting the wallet's key. The key is
 * always written encrypted (keystore file, scrypt N = 2^17, the owner's
 * password) and, where the OS has a keychain, also kept there so signing
 * needs no password. Exporting the mnemonic always needs the password.
 *
 * Nothing here logs: secrets go from the caller to the file or the keychain
 * and back to the caller, nowhere else.
 */
import fs from 'node:fs';
import { HDNodeWallet, type KeystoreAccount, Mnemonic, Wallet } from 'ethers';
import { IdlehiveError } from '../errors.ts';
import { type Keychain, osKeychain } from './keychain.ts';
import { decryptKeystore, writeKeystore } from './keystore-file.ts';
import { parseChecksummedAddress } from './payout-address.ts';
import {
  readWalletRecord,
  requireWalletRecord,
  type WalletRecord,
  walletPaths,
  writeWalletRecord,
} from './wallet-files.ts';

export const MIN_PASSWORD_LENGTH = 8;
/** The default Ethereum account path (BIP-44, first account), as every common wallet derives it. */
const DEFAULT_PATH = "m/44'/60'/0'/0/0";

function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new IdlehiveError(
      'weak_password',
      `Choose a wallet password of at least ${MIN_PASSWORD_LENGTH} characters; it protects the key on this computer.`,
    );
  }
}

function refuseExisting(home: string): void {
  const existing = readWalletRecord(home);
  if (existing) {
    throw new IdlehiveError(
      'wallet_exists',
      `This Idlehive already has a wallet (${existing.address}). Withdraw its earnings first; to replace it, move the folder ${walletPaths(home).dir} aside.`,
    );
  }
}

function accountOf(wallet: Wallet | HDNodeWallet): KeystoreAccount {
  if (wallet instanceof HDNodeWallet && wallet.mnemonic) {
    return {
      address: wallet.address,
      privateKey: wallet.privateKey,
      mnemonic: { entropy: wallet.mnemonic.entropy, path: wallet.path ?? DEFAULT_PATH, locale: 'en' },
    };
  }
  return { address: wallet.address, privateKey: wallet.privateKey };
}

async function storeKey(
  home: string,
  wallet: Wallet | HDNodeWallet,
  password: string,
  keychain: Keychain,
): Promise<WalletRecord> {
  const account = accountOf(wallet);
  await writeKeystore(walletPaths(home).keystoreFile, account, password);
  const inKeychain = keychain.store(wallet.address, wallet.privateKey);
  const record: WalletRecord = {
    version: 1,
    address: wallet.address,
    mode: 'keystore',
    keychain: inKeychain,
    hasMnemonic: account.mnemonic !== undefined,
    createdAt: Date.now(),
  };
  writeWalletRecord(home, record);
  return record;
}

export interface CreatedWallet {
  record: WalletRecord;
  /** Shown to the owner once, at creation; afterwards only `exportMnemonic` with the password returns it. */
  mnemonic: string;
}

export interface CreateOptions {
  /**
   * Shows the phrase and checks the owner wrote it down, before anything is
   * stored; if it throws, nothing is written and the phrase is gone.
   */
  confirmMnemonic?: (mnemonic: string) => Promise<void>;
}

export async function createWallet(
  home: string,
  password: string,
  keychain: Keychain = osKeychain,
  options: CreateOptions = {},
): Promise<CreatedWallet> {
  refuseExisting(home);
  checkPassword(password);
  const wallet = HDNodeWallet.createRandom(undefined, DEFAULT_PATH);
  await options.confirmMnemonic?.((wallet.mnemonic as Mnemonic).phrase);
  const record = await storeKey(home, wallet, password, keychain);
  return { record, mnemonic: (wallet.mnemonic as Mnemonic).phrase };
}

/** A mnemonic (12-24 words) or a 0x-prefixed 32-byte private key. */
export function walletFromSecret(secret: string): Wallet | HDNodeWallet {
  const text = secret.trim();
  if (/^(0x)?[0-9a-fA-F]{64}$/.test(text)) {
    try {
      return new Wallet(text.startsWith('0x') ? text : `0x${text}`);
    } catch {
      throw new IdlehiveError('invalid_private_key', 'That private key is not a valid secp256k1 key.');
    }
  }
  const words = text.toLowerCase().split(/\s+/).join(' ');
  if (!Mnemonic.isValidMnemonic(words)) {
    throw new IdlehiveError(
      'invalid_secret',
      'That is neither a valid BIP-39 mnemonic (12 to 24 words, checksum included) nor a 64-hex-digit private key.',
    );
  }
  return HDNodeWallet.fromPhrase(words, undefined, DEFAULT_PATH);
}

export async function importWallet(
  home: string,
  secret: string,
  password: string,
  keychain: Keychain = osKeychain,
): Promise<WalletRecord> {
  refuseExisting(home);
  checkPassword(password);
  return storeKey(home, walletFromSecret(secret), password, keychain);
}

/** Only the payout address: earnings go there, and this computer holds no key. */
export function useWatchOnlyAddress(home: string, addressText: string): WalletRecord {
  refuseExisting(home);
  const address = parseChecksummedAddress(addressText, 'The payout address');
  const record: WalletRecord = {
    version: 1,
    address,
    mode: 'watch-only',
    keychain: false,
    hasMnemonic: false,
    createdAt: Date.now(),
  };
  writeWalletRecord(home, record);
  return record;
}

export interface UnlockOptions {
  /** Needed unless the key is in the keychain. */
  password?: string;
  keychain?: Keychain;
}

/** Whether signing needs the password (no key in a readable keychain). */
export function needsPassword(home: string, keychain: Keychain = osKeychain): boolean {
  const record = requireWalletRecord(home);
  return record.mode === 'keystore' && !(record.keychain && keychain.read(record.address) !== null);
}

/** The wallet's signer: from the keychain when it holds the key, else by decrypting the keystore. */
export async function unlockWallet(home: string, options: UnlockOptions = {}): Promise<Wallet> {
  const record = requireWalletRecord(home);
  if (record.mode === 'watch-only') {
    throw new IdlehiveError(
      'watch_only',
      `This Idlehive only knows the payout address ${record.address}; it holds no key, so it cannot sign. Claim from the wallet that owns the address, or import its key.`,
    );
  }
  const keychain = options.keychain ?? osKeychain;
  const fromKeychain = record.keychain ? keychain.read(record.address) : null;
  if (fromKeychain) {
    const wallet = new Wallet(fromKeychain);
    if (wallet.address === record.address) return wallet;
  }
  if (options.password === undefined) {
    throw new IdlehiveError(
      'password_required',
      'The wallet password is needed to sign (this computer has no keychain holding the key).',
    );
  }
  const account = await decryptKeystore(walletPaths(home).keystoreFile, options.password);
  if (account.address.toLowerCase() !== record.address.toLowerCase()) {
    throw new IdlehiveError(
      'keystore_mismatch',
      `The keystore holds ${account.address}, not this Idlehive's wallet ${record.address}. The files were not changed.`,
    );
  }
  return new Wallet(account.privateKey);
}

/** The mnemonic, for a backup: always needs the password, even with a keychain. */
export async function exportMnemonic(home: string, password: string): Promise<string> {
  const record = requireWalletRecord(home);
  if (record.mode !== 'keystore' || !record.hasMnemonic) {
    throw new IdlehiveError(
      'no_mnemonic',
      'This wallet was imported from a private key or is watch-only; it has no mnemonic to export.',
    );
  }
  const account = await decryptKeystore(walletPaths(home).keystoreFile, password);
  if (!account.mnemonic) throw new IdlehiveError('no_mnemonic', 'The keystore holds no mnemonic.');
  return Mnemonic.fromEntropy(account.mnemonic.entropy).phrase;
}

export function keystoreExists(home: string): boolean {
  return fs.existsSync(walletPaths(home).keystoreFile);
}
