/**
 * The wallet as the provider loop needs it: a signer for the one delegation
 * each network session needs. The key comes from the OS keychain where one
 * holds it; otherwise the owner unlocks it once with the password and it stays
 * in this process's memory only (never on disk unencrypted, never on the local
 * API, never in logs) until the agent stops or the owner locks it.
 */
import type { Wallet } from 'ethers';
import type { WalletReadiness } from '../scheduler/signals.ts';
import type { Keychain } from '../wallet/keychain.ts';
import { osKeychain } from '../wallet/keychain.ts';
import { readWalletRecord } from '../wallet/wallet-files.ts';
import { unlockWallet } from '../wallet/wallet-keys.ts';
import { walletReadiness } from '../wallet/wallet-status.ts';

export class WalletAccess {
  private readonly home: string;
  private readonly keychain: Keychain;
  private unlocked: Wallet | null = null;

  constructor(home: string, keychain: Keychain = osKeychain) {
    this.home = home;
    this.keychain = keychain;
  }

  /** Whether a signer is available now, without asking anyone. */
  readiness(): WalletReadiness {
    let record: ReturnType<typeof readWalletRecord>;
    try {
      record = readWalletRecord(this.home);
    } catch {
      return 'missing';
    }
    // Unlocked with the password this session: ready whatever the keychain says.
    if (record !== null && record.mode !== 'watch-only' && this.unlocked?.address === record.address) return 'ready';
    return walletReadiness(record, this.keychain);
  }

  /** The signer, or null when the wallet is missing or locked. */
  async signer(): Promise<Wallet | null> {
    if (this.readiness() !== 'ready') return null;
    if (this.unlocked !== null) return this.unlocked;
    this.unlocked = await unlockWallet(this.home, { keychain: this.keychain });
    return this.unlocked;
  }

  /** Decrypts the keystore with the owner's password; throws the keystore's own sentence when it is wrong. */
  async unlock(password: string): Promise<string> {
    this.unlocked = await unlockWallet(this.home, { password, keychain: this.keychain });
    return this.unlocked.address;
  }

  lock(): void {
    this.unlocked = null;
  }
}
