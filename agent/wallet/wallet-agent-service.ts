/**
 * The wallet inside the agent: reports the wallet's status and, at start and
 * then every few seconds, reconciles every unfinished withdrawal against the chain (the chainRpcUrl setting), so a withdrawal
 * interrupted by a crash or a dead chain finishes by itself. It needs no key
 * for that: a withdrawal is only ever signed by the process that started it,
 * and everything after signing is re-sending the stored bytes or reading the
 * chain. The one exception is a fee bump: while the key is at hand (keychain,
 * or unlocked by the owner) a stuck claim is sped up automatically when the
 * policy in fee-bump.ts says so, and on the owner's request (`speedUp`).
 */
import type { Wallet } from 'ethers';
import type { Logger } from 'pino';
import { IdlehiveError } from '../errors.ts';
import type { LedgerDatabase } from '../ledger/open-ledger.ts';
import type { ClaimRelay } from './claim-relay.ts';
import { type Keychain, osKeychain } from './keychain.ts';
import { parseChecksummedAddress } from './payout-address.ts';
import { openWalletChainSession, readBalances, type WalletChainSession } from './wallet-chain-session.ts';
import { readWalletRecord, requireWalletRecord } from './wallet-files.ts';
import {
  type BalanceView,
  balanceView,
  type WalletStatus,
  type WithdrawalPlanView,
  type WithdrawalProgress,
  walletReadiness,
  withdrawalPlanView,
  withdrawalProgress,
} from './wallet-status.ts';
import { WithdrawalRepository } from './withdrawal-repository.ts';
import type { ClaimVoucher, WithdrawalPlan } from './withdrawal-service.ts';

export interface WalletAgentServiceOptions {
  home: string;
  db: LedgerDatabase;
  logger: Logger;
  /** The chain endpoint now (a setting the owner may change at any time); null when none is set. */
  rpcUrl: () => string | null;
  onProgress: (progress: WithdrawalProgress) => void;
  keychain?: Keychain;
  reconcileEveryMs?: number;
  /** The coordinator's newest voucher for this wallet (null before anything was earned); absent while not connected. */
  newestVoucher?: () => Promise<ClaimVoucher | null>;
  /** Results submitted and not verified yet, from the coordinator; absent while not connected. */
  pendingResults?: () => Promise<number | null>;
  /** The unlocked key (keychain, or unlocked by the owner), or null while locked. */
  signer?: () => Promise<Wallet | null>;
  /** Whether the key can sign now, counting one the owner unlocked for this session; keychain only when absent. */
  readiness?: () => WalletStatus['readiness'];
  /**
   * Who submits a relayed claim for a wallet without gas (the coordinator the
   * provider loop uses), or null while there is none: asked at each use, as the
   * coordinator is a setting the owner may change.
   */
  relay?: () => ClaimRelay | null;
  /** The owner's cap on fee bumps, in gwei per gas (the withdrawalMaxGasPriceGwei setting), asked at each use. */
  feeCapGwei?: () => number | null;
}

export class WalletAgentService {
  private readonly options: WalletAgentServiceOptions;
  private readonly withdrawals: WithdrawalRepository;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  /** Withdrawals this process is starting now (see withdraw). */
  private starting = 0;

  constructor(options: WalletAgentServiceOptions) {
    this.options = options;
    this.withdrawals = new WithdrawalRepository(options.db);
  }

  status(): WalletStatus {
    const record = readWalletRecord(this.options.home);
    return {
      wallet: record && { address: record.address, mode: record.mode, keychain: record.keychain },
      readiness: this.options.readiness?.() ?? walletReadiness(record, this.options.keychain ?? osKeychain),
      withdrawals: this.withdrawals.list(20).map(withdrawalProgress),
    };
  }

  /** Wallet tokens, claimable, withdrawing, lifetime, pending and gas; needs the coordinator's voucher for the vault. */
  async balance(): Promise<BalanceView> {
    const record = requireWalletRecord(this.options.home);
    const voucher = await this.requireVoucher();
    const session = this.session(voucher);
    const pending = (await this.options.pendingResults?.()) ?? null;
    return balanceView(await readBalances(session, record.address, voucher, pending));
  }

  /** What a withdrawal now would pay and cost; nothing is written. */
  async planWithdrawal(to?: string): Promise<WithdrawalPlanView> {
    const { plan } = await this.plan(to);
    return withdrawalPlanView(plan);
  }

  /** Starts the withdrawal the owner confirmed; the reconcile loop and its events take it from there. */
  async withdraw(to: string | undefined, confirmedFee: bigint): Promise<WithdrawalProgress> {
    const { plan, session } = await this.plan(to);
    const fee = plan.relayFee ?? plan.maxGasCost ?? 0n;
    if (fee > confirmedFee) {
      throw new IdlehiveError(
        'fee_changed',
        'The fee rose since you confirmed it; look at the new fee and confirm again.',
      );
    }
    const signer = await this.options.signer?.();
    if (!signer) {
      throw new IdlehiveError(
        'wallet_locked',
        'Unlock the wallet first (or use `idlehive withdraw` in a terminal, which asks for the password there).',
      );
    }
    // The reconcile loop keeps off while this withdrawal is signed and handed over: stepping it meanwhile
    // would see the relayer's claim land before the hand-over returned, and confirm it without its hash.
    this.starting++;
    try {
      await this.running;
      const started = await session.service.start(plan, signer);
      return withdrawalProgress(started);
    } finally {
      this.starting--;
      this.schedule(0);
    }
  }

  /**
   * The owner asked to speed up a withdrawal waiting for a block (`id`, or the
   * unfinished one): the same transaction at a higher fee, recorded, then sent.
   */
  async speedUp(id: number | undefined): Promise<WithdrawalProgress> {
    const target =
      id === undefined
        ? this.withdrawals.unfinished().findLast((w) => w.kind !== 'relayed')
        : (this.withdrawals.get(id) ?? undefined);
    if (!target) {
      throw new IdlehiveError(
        'nothing_to_speed_up',
        id === undefined ? 'No withdrawal is waiting for a block.' : `There is no withdrawal ${id}.`,
      );
    }
    const signer = await this.options.signer?.();
    if (!signer) {
      throw new IdlehiveError(
        'wallet_locked',
        'Unlock the wallet first to sign the faster transaction (or run `idlehive withdraw --speed-up` in a terminal).',
      );
    }
    this.starting++;
    try {
      await this.running;
      const session = this.chainSession(target.chainId, target.vault);
      return withdrawalProgress(await session.service.speedUp(target.id, signer));
    } finally {
      this.starting--;
      this.schedule(0);
    }
  }

  private async requireVoucher(): Promise<ClaimVoucher> {
    if (!this.options.newestVoucher) {
      throw new IdlehiveError(
        'not_connected',
        'The agent is not connected to a coordinator, so it has no voucher to claim with. `idlehive withdraw --voucher FILE` claims with a saved voucher.',
      );
    }
    const voucher = await this.options.newestVoucher();
    if (!voucher) {
      throw new IdlehiveError(
        'nothing_to_claim',
        'Nothing to claim yet: no verified job has earned anything. No transaction was sent.',
      );
    }
    return voucher;
  }

  private session(voucher: ClaimVoucher): WalletChainSession {
    return this.chainSession(voucher.chainId, voucher.vault);
  }

  private chainSession(chainId: number, vault: string, rpcUrl = this.options.rpcUrl()): WalletChainSession {
    if (!rpcUrl) {
      throw new IdlehiveError('no_chain', 'No chain endpoint is configured: set chainRpcUrl in the settings.');
    }
    return openWalletChainSession(
      this.options.db,
      { rpcUrl, chainId, vault },
      {
        // With the relay, a relayed withdrawal whose hand-over failed (the coordinator was down) is handed over again.
        relay: this.relay(),
        onProgress: (record) => this.options.onProgress(withdrawalProgress(record)),
        feeCapGwei: this.options.feeCapGwei?.() ?? null,
      },
    );
  }

  private relay(): ClaimRelay | undefined {
    return this.options.relay?.() ?? undefined;
  }

  private async plan(to: string | undefined): Promise<{ plan: WithdrawalPlan; session: WalletChainSession }> {
    const recipient = to === undefined ? undefined : parseChecksummedAddress(to, 'The forwarding address');
    const voucher = await this.requireVoucher();
    const session = this.session(voucher);
    return { plan: await session.service.plan(voucher, { to: recipient }), session };
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
    clearTimeout(this.timer);
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
    if (this.starting > 0) return;
    const unfinished = this.withdrawals.unfinished();
    const rpcUrl = this.options.rpcUrl();
    if (unfinished.length === 0 || rpcUrl === null) return;
    const chains = new Map(unfinished.map((w) => [`${w.chainId}/${w.vault}`, { chainId: w.chainId, vault: w.vault }]));
    // With the key at hand (keychain, or unlocked), a stuck claim is sped up when due; without it, it waits and says why.
    const speedUpSigner = unfinished.some((w) => w.state === 'sent' && w.kind !== 'relayed')
      ? ((await this.options.signer?.()) ?? undefined)
      : undefined;
    for (const { chainId, vault } of chains.values()) {
      const session = this.chainSession(chainId, vault, rpcUrl);
      try {
        await session.service.reconcileAll(undefined, speedUpSigner);
      } catch (error) {
        this.options.logger.warn(
          { chainId, vault, error: error instanceof Error ? error.message : String(error) },
          'withdrawal reconcile failed; retrying',
        );
      }
    }
  }
}
