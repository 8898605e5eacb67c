/**
 * The wallet inside the agent: reports the wallet's status and, at start and
 * then every few seconds, reconciles every unfinished withdrawal against the chain (the chainRpcUrl setting), so a withdrawal
 * interrupted by a crash or a dead chain finishes by itself. It needs no key
 * for that: a withdrawal is only ever signed by the process that started it,
 * and everything after signing is re-sending the stored bytes or reading the
 * chain.
 */
import type { Logger } from 'pino';
import type { LedgerDatabase } from '../ledger/open-ledger.ts';
import { type Keychain, osKeychain } from './keychain.ts';
import { openWalletChainSession } from './wallet-chain-session.ts';
import { readWalletRecord } from './wallet-files.ts';
import { type WalletStatus, type WithdrawalProgress, walletReadiness, withdrawalProgress } from './wallet-status.ts';
import { WithdrawalRepository } from './withdrawal-repository.ts';

export interface WalletAgentServiceOptions {
  home: string;
  db: LedgerDatabase;
  logger: Logger;
  /** The chain endpoint now (a setting the owner may change at any time); null when none is set. */
  rpcUrl: () => string | null;
  onProgress: (progress: WithdrawalProgress) => void;
  keychain?: Keychain;
  reconcileEveryMs?: number;
}

export class WalletAgentService {
  private readonly options: WalletAgentServiceOptions;
  private readonly withdrawals: WithdrawalRepository;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(options: WalletAgentServiceOptions) {
    this.options = options;
    this.withdrawals = new WithdrawalRepository(options.db);
  }

  status(): WalletStatus {
    const record = readWalletRecord(this.options.home);
    return {
      wallet: record && { address: record.address, mode: record.mode, keychain: record.keychain },
      readiness: walletReadiness(record, this.options.keychain ?? osKeychain),
      withdrawals: this.withdrawals.list(20).map(withdrawalProgress),
    };
  }

  start(): void {
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.reconcileOnce().finally(() => {
        this.running = undefined;
        // Another process (the CLI) may start a withdrawal at any time: look at the ledger again
        // even when nothing is open; that costs one query, and the chain is asked only when needed.
        this.schedule(this.options.reconcileEveryMs ?? 3_000);
      });
    }, delayMs);
    this.timer.unref();
  }

  /** One pass over every unfinished withdrawal; a failure is logged (without secrets) and retried next pass. */
  async reconcileOnce(): Promise<void> {
    const unfinished = this.withdrawals.unfinished();
    const rpcUrl = this.options.rpcUrl();
    if (unfinished.length === 0 || rpcUrl === null) return;
    const chains = new Map(unfinished.map((w) => [`${w.chainId}/${w.vault}`, { chainId: w.chainId, vault: w.vault }]));
    for (const { chainId, vault } of chains.values()) {
      const session = openWalletChainSession(
        this.options.db,
        { rpcUrl, chainId, vault },
        { onProgress: (record) => this.options.onProgress(withdrawalProgress(record)) },
      );
      try {
        await session.service.reconcileAll();
      } catch (error) {
        this.options.logger.warn(
          { chainId, vault, error: error instanceof Error ? error.message : String(error) },
          'withdrawal reconcile failed; retrying',
        );
      }
    }
  }
}
