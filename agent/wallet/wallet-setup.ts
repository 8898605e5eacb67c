/**
 * Creating or importing the wallet from a UI (`wallet.create`,
 * `wallet.import`), so the first-run flow needs no terminal. The key is
 * written exactly as `idlehive wallet create` writes it (encrypted keystore,
 * keychain where there is one) and then unlocked in the agent for this
 * session, so earning can start at once.
 *
 * `create` returns the recovery phrase once, for the owner to write down and
 * confirm: the single, deliberate exception to "key material never crosses
 * the local API" (see ARCHITECTURE.md). Nothing here logs or journals it.
 */
import type { WalletAccess } from '../work/wallet-access.ts';
import { type Keychain, osKeychain } from './keychain.ts';
import { createWallet, importWallet } from './wallet-keys.ts';

export interface WalletSetupOptions {
  home: string;
  access: WalletAccess;
  keychain?: Keychain;
}

export class WalletSetup {
  readonly #options: WalletSetupOptions;

  constructor(options: WalletSetupOptions) {
    this.#options = options;
  }

  async create(password: string): Promise<{ address: string; mnemonic: string }> {
    const { record, mnemonic } = await createWallet(this.#options.home, password, this.#options.keychain ?? osKeychain);
    await this.#options.access.unlock(password);
    return { address: record.address, mnemonic };
  }

  async import(secret: string, password: string): Promise<{ address: string }> {
    const record = await importWallet(this.#options.home, secret, password, this.#options.keychain ?? osKeychain);
    await this.#options.access.unlock(password);
    return { address: record.address };
  }
}
