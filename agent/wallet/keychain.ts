/**
 * The operating system's keychain (macOS Keychain, Windows Credential
 * Manager, the Secret Service on Linux) through @napi-rs/keyring, holding the
 * wallet's private key so the agent can sign a withdrawal without asking for
 * the password each time. On Linux only a real Secret Service counts: the
 * kernel keyring the binding would otherwise fall back to forgets everything
 * at reboot, and a machine without a Secret Service has no keychain at all
 * (where Electron's safeStorage would silently use a hard-coded key).
 *
 * Every failure means "no keychain": the encrypted keystore file is always
 * written too, so nothing is lost when the keychain is missing or locked.
 * IDLEHIVE_KEYCHAIN=off turns it off (headless rigs, tests).
 */
import { Entry, type EntryOptions } from '@napi-rs/keyring';

const SERVICE = 'idlehive';

export interface Keychain {
  /** Stores the secret; false when there is no usable keychain. */
  store(account: string, secret: string): boolean;
  /** The stored secret, or null when absent or the keychain cannot be read. */
  read(account: string): string | null;
  remove(account: string): void;
}

function entryOptions(): EntryOptions {
  return process.platform === 'linux' ? { linux: { store: 'secret-service' } } : {};
}

function entryFor(account: string): Entry {
  return new Entry(SERVICE, `wallet:${account.toLowerCase()}`, entryOptions());
}

export function keychainDisabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.IDLEHIVE_KEYCHAIN === 'off';
}

export const osKeychain: Keychain = {
  store(account, secret) {
    if (keychainDisabled()) return false;
    try {
      const entry = entryFor(account);
      entry.setPassword(secret);
      // Read it back: some stores accept a write they cannot return.
      return entry.getPassword() === secret;
    } catch {
      return false;
    }
  },
  read(account) {
    if (keychainDisabled()) return null;
    try {
      return entryFor(account).getPassword();
    } catch {
      return null;
    }
  },
  remove(account) {
    try {
      entryFor(account).deleteCredential();
    } catch {
      // Nothing stored, or no keychain: there is nothing to remove.
    }
  },
};
