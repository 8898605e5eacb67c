/**
 * Withdrawals from start to finish, over the pure state machine
 * (withdrawal-machine.ts), the ledger (withdrawal-repository.ts) and the chain
 * (vault-chain.ts). The order of writes is the whole point:
 *
 *   1. the intent is written (`prepared`) before anything is signed;
 *   2. the signed raw transaction, its nonce and hash are written in one
 *      statement (`signed`) before it is broadcast;
 *   3. only then is it broadcast (`sent`).
 *
 * A crash between any two steps leaves a row that `reconcile` finishes from
 * what the chain says: it re-sends the stored bytes, waits, confirms or fails,
 * and never signs a second withdrawal. A chain that does not answer leaves
 * the withdrawal waiting with its reason, never failed.
 *
 * A stuck direct claim is sped up (fee-bump.ts): re-signed with the same
 * nonce and a higher fee, the replacement recorded (with the others, in one
 * SQLite transaction) before it is broadcast. Whichever of its transactions
 * is mined confirms it; the shared nonce means at most one ever is.
 */
import { getAddress, keccak256, Transaction, type Wallet } from 'ethers';
import { voucherDomain } from '../../network/payment/voucher.ts';
import { signWithdrawal } from '../../network/payment/withdrawal.ts';
import { IdlehiveError } from '../errors.ts';
import { claimAmount } from './balances.ts';
import type { ClaimRelay } from './claim-relay.ts';
import { bigMin, feeCapPerGas, formatGwei, replacementFees, speedUpDue } from './fee-bump.ts';
import { isChainUnreachable, RpcAnswerError } from './json-rpc.ts';
import type { Fees, Receipt, VaultChain } from './vault-chain.ts';
import { describeRevert, vaultInterface } from './vault-chain.ts';
import {
  type ChainObservation,
  isFinal,
  type ReconcileDecision,
  reconcile,
  type WithdrawalKind,
} from './withdrawal-machine.ts';
import type { WithdrawalRecord, WithdrawalRepository, WithdrawalTransaction } from './withdrawal-repository.ts';

/** A coordinator's voucher for the account's cumulative earnings. */
export interface ClaimVoucher {
  account: string;
  cumulativeAmount: bigint;
  signature: string;
  chainId: number;
  vault: string;
}

export interface WithdrawalPlan {
  kind: WithdrawalKind;
  voucher: ClaimVoucher;
  recipient: string;
  /** What the vault pays for this voucher now (fee included). */
  amount: bigint;
  /** Direct claims: the most the gas can cost, in the chain's native coin. */
  maxGasCost: bigint | null;
  /** Direct claims: the highest max fee per gas automatic fee bumps may reach. */
  feeCapPerGas: bigint | null;
  /** Direct claims: the most the gas can cost if it is sped up to the cap. */
  maxGasCostWithSpeedUps: bigint | null;
  /** Relayed claims: the relayer's fee in tokens, signed as the maximum. */
  relayFee: bigint | null;
  /** What reaches the recipient. */
  received: bigint;
  /** Things the owner should read before confirming (a never-used address). */
  warnings: string[];
}

/** Gas headroom over the estimate: storage refunds and warm slots make estimates a little low. */
const GAS_MARGIN_PERCENT = 125n;
/** An intent no process signed within this long was interrupted (its process died before signing). */
export const ABANDONED_INTENT_MS = 120_000;
/** How long a relayer has to submit a signed withdrawal. */
const RELAY_DEADLINE_SECONDS = 3_600;

export interface WithdrawalServiceOptions {
  chain: VaultChain;
  chainId: number;
  withdrawals: WithdrawalRepository;
  relay?: ClaimRelay;
  /** Told after every change of a withdrawal (progress for the UI); never given secrets. */
  onProgress?: (record: WithdrawalRecord) => void;
  /** The owner's cap on the max fee per gas, in gwei (the withdrawalMaxGasPriceGwei setting); null: 4 times the fee shown. */
  feeCapGwei?: number | null;
}

/** Speeding up a stuck claim: with this key, automatically when due, or now because the owner asked. */
export interface SpeedUp {
  signer: Wallet;
  now: boolean;
}

/** What the chain looked like at the step, beyond what `reconcile` reads: for the fee-bump policy. */
interface ChainNow {
  blockNumber: number;
  baseFeePerGas: bigint;
}

export class WithdrawalService {
  private readonly chain: VaultChain;
  private readonly chainId: number;
  private readonly withdrawals: WithdrawalRepository;
  private readonly relay: ClaimRelay | undefined;
  private readonly onProgress: (record: WithdrawalRecord) => void;
  private readonly feeCapGwei: number | null;

  constructor(options: WithdrawalServiceOptions) {
    this.chain = options.chain;
    this.chainId = options.chainId;
    this.withdrawals = options.withdrawals;
    this.relay = options.relay;
    this.onProgress = options.onProgress ?? (() => {});
    this.feeCapGwei = options.feeCapGwei ?? null;
  }

  /**
   * What a withdrawal would do now, checked against the chain, before anything
   * is written: the owner sees the amount and the fee and confirms.
   */
  async plan(voucher: ClaimVoucher, options: { to?: string } = {}): Promise<WithdrawalPlan> {
    if (voucher.chainId !== this.chainId || getAddress(voucher.vault) !== this.chain.vault) {
      throw new IdlehiveError('wrong_vault', 'The voucher is for another chain or vault than the one configured.');
    }
    await this.chain.requireChainId(voucher.chainId);
    const account = getAddress(voucher.account);
    const claimed = await this.chain.claimed(account);
    const amount = claimAmount(voucher.cumulativeAmount, claimed);
    if (amount === 0n) {
      throw new IdlehiveError(
        'nothing_to_claim',
        'Nothing to claim: everything earned so far has already been withdrawn. No transaction was sent.',
      );
    }
    if (!(await this.chain.isValidVoucher(account, voucher.cumulativeAmount, voucher.signature))) {
      throw new IdlehiveError(
        'invalid_voucher',
        "The vault does not accept this voucher (it was not signed by the vault's current signer for this account). Fetch a new one from the coordinator.",
      );
    }
    const recipient = options.to === undefined ? account : getAddress(options.to);
    const warnings = recipient === account ? [] : await this.recipientWarnings(recipient);

    const data = this.claimCalldata(recipient === account ? 'claim' : 'claim-to', account, recipient, voucher);
    const gas = ((await this.chain.estimateGas(account, data)) * GAS_MARGIN_PERCENT) / 100n;
    const [fees, block] = await Promise.all([this.chain.fees(), this.chain.latestBlock()]);
    const cap = feeCapPerGas(fees.maxFeePerGas, this.feeCapGwei);
    if (cap <= (block.baseFeePerGas ?? 0n)) {
      throw new IdlehiveError(
        'fee_cap_too_low',
        `Gas costs ${formatGwei(block.baseFeePerGas ?? 0n)} now, above your maximum of ${formatGwei(cap)} (the withdrawalMaxGasPriceGwei setting); wait for it to fall or raise the setting. Nothing was sent.`,
      );
    }
    const maxGasCost = gas * initialFees(fees, cap).maxFeePerGas;
    const gasBalance = await this.chain.nativeBalance(account);
    if (gasBalance >= maxGasCost) {
      return {
        kind: recipient === account ? 'claim' : 'claim-to',
        voucher,
        recipient,
        amount,
        maxGasCost,
        feeCapPerGas: cap,
        maxGasCostWithSpeedUps: gas * cap,
        relayFee: null,
        received: amount,
        warnings,
      };
    }
    if (!this.relay) {
      throw new IdlehiveError(
        'no_gas',
        'This wallet has too little native coin to pay for gas, and no relayer is configured to claim for it.',
      );
    }
    const quote = await this.relay.quote({
      chainId: this.chainId,
      vault: this.chain.vault,
      account,
      cumulativeAmount: voucher.cumulativeAmount,
    });
    if (quote.fee >= amount) {
      throw new IdlehiveError(
        'relay_fee_too_high',
        `The relayer's fee (${quote.fee} base units) is not less than what there is to claim (${amount}); wait until more is earned.`,
      );
    }
    return {
      kind: 'relayed',
      voucher,
      recipient,
      amount,
      maxGasCost: null,
      feeCapPerGas: null,
      maxGasCostWithSpeedUps: null,
      relayFee: quote.fee,
      received: amount - quote.fee,
      warnings,
    };
  }

  /** A recipient that never sent a transaction and holds nothing may be a typo or a fresh address. */
  private async recipientWarnings(recipient: string): Promise<string[]> {
    const [nonce, balance] = await Promise.all([this.chain.minedNonce(recipient), this.chain.nativeBalance(recipient)]);
    return nonce === 0 && balance === 0n
      ? [`${recipient} has never been used on this chain. Check that it is an address you control.`]
      : [];
  }

  private claimCalldata(kind: 'claim' | 'claim-to', account: string, recipient: string, voucher: ClaimVoucher): string {
    return kind === 'claim'
      ? vaultInterface.encodeFunctionData('claim', [account, voucher.cumulativeAmount, voucher.signature])
      : vaultInterface.encodeFunctionData('claimTo', [recipient, voucher.cumulativeAmount, voucher.signature]);
  }

  /** Writes the intent, signs, writes the signed form, broadcasts. Returns the record as it stands. */
  async start(plan: WithdrawalPlan, signer: Wallet): Promise<WithdrawalRecord> {
    const account = getAddress(plan.voucher.account);
    if (signer.address !== account) {
      throw new IdlehiveError(
        'wrong_signer',
        `The unlocked key is ${signer.address}, not the voucher's account ${account}.`,
      );
    }
    const record = this.withdrawals.insertIntent({
      chainId: this.chainId,
      vault: this.chain.vault,
      account,
      kind: plan.kind,
      recipient: plan.recipient,
      cumulativeAmount: plan.voucher.cumulativeAmount,
      voucherSignature: plan.voucher.signature,
      amount: plan.amount,
      maxFee: plan.relayFee ?? 0n,
      feeCapPerGas: plan.feeCapPerGas,
    });
    this.onProgress(record);
    return this.step(record.id, signer);
  }

  /**
   * Finishes every unfinished withdrawal as far as the chain allows now (after a restart, and periodically).
   * With `speedUpSigner`, a stuck claim is sped up when the policy says it is due.
   */
  async reconcileAll(signer?: Wallet, speedUpSigner?: Wallet): Promise<WithdrawalRecord[]> {
    const results: WithdrawalRecord[] = [];
    for (const record of this.withdrawals.unfinished()) {
      if (record.chainId !== this.chainId || record.vault !== this.chain.vault) continue;
      results.push(
        await this.step(record.id, signer, speedUpSigner ? { signer: speedUpSigner, now: false } : undefined),
      );
    }
    return results;
  }

  /** Reconciles until the withdrawal is final or `timeoutMs` passes; returns where it stands. */
  async waitUntilFinal(
    id: number,
    options: { timeoutMs: number; pollMs?: number; speedUpSigner?: Wallet },
  ): Promise<WithdrawalRecord> {
    const deadline = Date.now() + options.timeoutMs;
    const speedUp = options.speedUpSigner ? { signer: options.speedUpSigner, now: false } : undefined;
    for (;;) {
      const record = await this.step(id, undefined, speedUp);
      if (isFinal(record.state) || Date.now() >= deadline) return record;
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 500));
    }
  }

  /**
   * The owner asked to speed a stuck claim up now: re-signed with the same
   * nonce and a higher fee (within the cap), recorded, then broadcast.
   * Refused with a reason when there is nothing to speed up or it is at the cap.
   */
  async speedUp(id: number, signer: Wallet): Promise<WithdrawalRecord> {
    const record = this.withdrawals.require(id);
    if (record.kind === 'relayed') {
      throw new IdlehiveError(
        'nothing_to_speed_up',
        "A relayed withdrawal's gas is paid by the relayer; there is no fee of yours to raise.",
      );
    }
    if (record.state !== 'sent') {
      throw new IdlehiveError(
        'nothing_to_speed_up',
        record.state === 'confirmed'
          ? `Withdrawal ${id} is already confirmed; there is nothing to speed up.`
          : `Withdrawal ${id} is ${record.state}; only a sent withdrawal waiting for a block can be sped up.`,
      );
    }
    if (signer.address !== record.account) {
      throw new IdlehiveError('wrong_signer', `The unlocked key is ${signer.address}, not ${record.account}.`);
    }
    const after = await this.step(id, undefined, { signer, now: true });
    if (after.state === 'sent' && after.txHash === record.txHash) {
      throw new IdlehiveError(
        'not_sped_up',
        `Withdrawal ${id} was not sped up: ${after.waitingReason ?? 'the chain did not answer'}`,
      );
    }
    return after;
  }

  /** One reconcile step: observe the chain, decide (pure), apply; a stuck claim is sped up when due and a key is given. */
  async step(id: number, signer?: Wallet, speedUp?: SpeedUp): Promise<WithdrawalRecord> {
    const record = this.withdrawals.require(id);
    if (isFinal(record.state)) return record;
    const { observation, receipt, chainNow } = await this.observe(record);
    const decision = reconcile(
      {
        kind: record.kind,
        state: record.state,
        cumulativeAmount: record.cumulativeAmount,
        nonce: record.nonce,
        hasRawTransaction: record.rawTx !== null,
        txHash: record.txHash,
        deadlineSeconds: record.relay?.deadline ?? null,
      },
      observation,
    );
    try {
      const stuck = (decision.action === 'broadcast' || decision.action === 'wait') && chainNow !== null;
      const bump = stuck ? await this.speedUpIfDue(record, chainNow, speedUp) : { kind: 'not-due' as const };
      if (bump.kind === 'replaced') {
        // The replacement is recorded: broadcast it (it replaces the older one in the node's mempool).
        await this.send(this.withdrawals.require(id));
      } else if (bump.kind === 'stays') {
        // Due, but not replaced (no key here, or at the cap): the stored transaction is still sent when the
        // node lacks it, and the withdrawal says why it was not sped up rather than only that it waits.
        if (decision.action === 'broadcast') await this.send(record);
        const now = this.withdrawals.require(id);
        if (now.sends === record.sends || decision.action === 'wait') this.withdrawals.recordWaiting(id, bump.why);
      } else {
        await this.apply(record, decision, receipt, signer);
      }
    } catch (error) {
      // Another Idlehive process (the agent and the CLI) advanced it first; its write stands.
      if (!(error instanceof IdlehiveError && error.code === 'withdrawal_conflict')) throw error;
    }
    const after = this.withdrawals.require(id);
    if (
      after.state !== record.state ||
      after.waitingReason !== record.waitingReason ||
      after.sends !== record.sends ||
      after.txHash !== record.txHash
    ) {
      this.onProgress(after);
    }
    return after;
  }

  /**
   * Re-signs a stuck direct claim with the same nonce and a higher fee when the
   * policy says it is due (or the owner asked), and records it before anything
   * is broadcast. `stays`: due but not replaced (no key here, or at the cap),
   * with the sentence the owner sees.
   */
  private async speedUpIfDue(
    record: WithdrawalRecord,
    chainNow: ChainNow,
    speedUp: SpeedUp | undefined,
  ): Promise<{ kind: 'replaced' } | { kind: 'stays'; why: string } | { kind: 'not-due' }> {
    const newest = record.transactions.at(-1);
    if (record.kind === 'relayed' || record.state !== 'sent' || record.nonce === null || !newest) {
      return { kind: 'not-due' };
    }
    if (newest.maxFeePerGas === null || newest.maxPriorityFeePerGas === null || record.feeCapPerGas === null) {
      return speedUp?.now
        ? { kind: 'stays', why: 'It was started by an older Idlehive, which set no fee cap, so it cannot be sped up.' }
        : { kind: 'not-due' };
    }
    const due = speedUpDue(
      {
        maxFeePerGas: newest.maxFeePerGas,
        maxPriorityFeePerGas: newest.maxPriorityFeePerGas,
        signedAtMs: newest.signedAt,
        signedAtBlock: newest.signedAtBlock,
      },
      { ...chainNow, nowMs: Date.now() },
      speedUp?.now ?? false,
    );
    if (!due.due) return { kind: 'not-due' };
    const current = { maxFeePerGas: newest.maxFeePerGas, maxPriorityFeePerGas: newest.maxPriorityFeePerGas };
    const next = replacementFees(current, await this.chain.fees(), record.feeCapPerGas);
    if (next.kind === 'at-cap') {
      return {
        kind: 'stays',
        why: `${due.why === 'underpriced' ? `Gas costs ${formatGwei(chainNow.baseFeePerGas)} now, more than this transaction offers` : 'Waiting for a block'}; it already pays the most allowed (${formatGwei(next.capPerGas)} per gas, the withdrawalMaxGasPriceGwei setting), so it waits for fees to fall.`,
      };
    }
    if (!speedUp) {
      return {
        kind: 'stays',
        why:
          due.why === 'underpriced'
            ? `Gas costs ${formatGwei(chainNow.baseFeePerGas)} now, more than this transaction offers (${formatGwei(newest.maxFeePerGas)}); unlock the wallet or run \`idlehive withdraw --speed-up\` to replace it with a higher fee.`
            : 'Waiting for a block for a while now; unlock the wallet or run `idlehive withdraw --speed-up` to replace it with a higher fee.',
      };
    }
    await this.signReplacement(record, newest, next.fees, chainNow.blockNumber, speedUp.signer);
    return { kind: 'replaced' };
  }

  private async signReplacement(
    record: WithdrawalRecord,
    newest: WithdrawalTransaction,
    fees: Fees,
    blockNumber: number,
    signer: Wallet,
  ): Promise<void> {
    const previous = Transaction.from(newest.rawTx);
    if (signer.address !== record.account) {
      throw new IdlehiveError('wrong_signer', `The unlocked key is ${signer.address}, not ${record.account}.`);
    }
    // Everything but the fees stays: the same nonce, call and gas limit, so it replaces, never adds.
    const replacement = Transaction.from({
      type: 2,
      chainId: this.chainId,
      nonce: previous.nonce,
      to: previous.to,
      data: previous.data,
      gasLimit: previous.gasLimit,
      value: previous.value,
      maxFeePerGas: fees.maxFeePerGas,
      maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
    });
    const rawTx = await signer.signTransaction(replacement);
    this.withdrawals.recordReplacement(record.id, newest.txHash, {
      nonce: previous.nonce,
      rawTx,
      txHash: keccak256(rawTx),
      maxFeePerGas: fees.maxFeePerGas,
      maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
      signedAtBlock: blockNumber,
    });
  }

  private async observe(
    record: WithdrawalRecord,
  ): Promise<{ observation: ChainObservation; receipt: Receipt | null; chainNow: ChainNow | null }> {
    try {
      // Nonces first, the receipt after: a nonce seen used must then show our receipt if the
      // transaction was ours, so "no receipt" really means replaced, even with a block mined between reads.
      const [minedNonce, vaultClaimed, vaultWithdrawalNonce, block] = await Promise.all([
        this.chain.minedNonce(record.account),
        this.chain.claimed(record.account),
        record.kind === 'relayed' ? this.chain.withdrawalNonce(record.account) : Promise.resolve(null),
        this.chain.latestBlock(),
      ]);
      // Every transaction of the withdrawal (fee bumps share a nonce): whichever was mined decides.
      const hashes = [
        ...new Set([...record.transactions.map((tx) => tx.txHash), ...(record.txHash ? [record.txHash] : [])]),
      ];
      let receipt: Receipt | null = null;
      for (const hash of hashes.reverse()) {
        receipt = await this.chain.receipt(hash);
        if (receipt) break;
      }
      const pendingInNode =
        record.txHash !== null && receipt === null && (await this.chain.knowsTransaction(record.txHash));
      return {
        receipt,
        chainNow: { blockNumber: Number(block.number), baseFeePerGas: block.baseFeePerGas ?? 0n },
        observation: {
          kind: 'observed',
          receipt: receipt && {
            txHash: receipt.transactionHash,
            status: receipt.status === 1n ? 'success' : 'reverted',
            blockNumber: Number(receipt.blockNumber),
            revertReason: null,
          },
          pendingInNode,
          minedNonce,
          vaultClaimed,
          vaultWithdrawalNonce,
          chainTimeSeconds: Number(block.timestamp),
        },
      };
    } catch (error) {
      if (isChainUnreachable(error))
        return { receipt: null, chainNow: null, observation: { kind: 'unreachable', reason: error.message } };
      throw error;
    }
  }

  private async apply(
    record: WithdrawalRecord,
    decision: ReconcileDecision,
    receipt: Receipt | null,
    signer: Wallet | undefined,
  ): Promise<void> {
    switch (decision.action) {
      case 'wait':
        this.withdrawals.recordWaiting(record.id, this.waitingWords(record, decision.reason));
        return;
      case 'fail':
        this.withdrawals.recordFailed(record.id, decision.reason);
        return;
      case 'confirm': {
        const paid = receipt ? this.claimedEvent(receipt) : null;
        this.withdrawals.recordConfirmed(record.id, {
          blockNumber: decision.blockNumber,
          paidAmount: paid?.amount ?? null,
          paidFee: paid?.fee ?? null,
          ...(decision.txHash !== null && record.kind !== 'relayed' ? { minedTxHash: decision.txHash } : {}),
        });
        return;
      }
      case 'sign':
        if (!signer) {
          // Only the process that wrote the intent signs it, within seconds. An intent left unsigned
          // longer was interrupted: nothing was signed, so nothing can be on chain, and it is closed.
          if (Date.now() - record.createdAt >= ABANDONED_INTENT_MS) {
            this.withdrawals.recordFailed(record.id, 'Interrupted before anything was signed; nothing was sent.');
          }
          return;
        }
        await this.sign(record, signer);
        {
          const signed = this.withdrawals.require(record.id);
          if (signed.state === 'signed') await this.send(signed);
        }
        return;
      case 'broadcast':
      case 'relay':
        await this.send(record);
        return;
    }
  }

  /** A sped-up claim says so while it waits: the owner sees the replacement, not just "sent". */
  private waitingWords(record: WithdrawalRecord, reason: string): string {
    const replacements = record.transactions.length - 1;
    const newest = record.transactions.at(-1);
    if (replacements < 1 || !newest || record.kind === 'relayed') return reason;
    const fee = newest.maxFeePerGas === null ? '' : ` (up to ${formatGwei(newest.maxFeePerGas)} per gas)`;
    return `Replaced with a higher fee${fee}${replacements > 1 ? `, ${replacements} times` : ''}. ${reason}`;
  }

  private claimedEvent(receipt: Receipt): { amount: bigint; fee: bigint } | null {
    for (const log of receipt.logs) {
      if (getAddress(log.address) !== this.chain.vault) continue;
      const parsed = vaultInterface.parseLog({ topics: log.topics, data: log.data });
      if (parsed?.name === 'Claimed') return { amount: parsed.args.amount as bigint, fee: parsed.args.fee as bigint };
    }
    return null;
  }

  private async sign(record: WithdrawalRecord, signer: Wallet): Promise<void> {
    try {
      if (record.kind === 'relayed') await this.signRelayed(record, signer);
      else await this.signTransaction(record, signer);
    } catch (error) {
      if (isChainUnreachable(error)) {
        // Nothing is signed yet: free the account for a later try rather than leave a half-started intent.
        this.withdrawals.recordFailed(record.id, `Not started: ${error.message}`);
        return;
      }
      if (error instanceof RpcAnswerError) {
        const name = describeRevert(error.data);
        this.withdrawals.recordFailed(
          record.id,
          `The vault would refuse this claim (${name ?? error.message}); nothing was sent.`,
        );
        return;
      }
      throw error;
    }
  }

  /** Agent-managed nonce: past everything this ledger signed and everything the chain has seen. */
  private async nextNonce(account: string): Promise<number> {
    const pending = await this.chain.pendingNonce(account);
    const signed = this.withdrawals.highestSignedNonce(this.chainId, account);
    return Math.max(pending, signed === null ? 0 : signed + 1);
  }

  private async signTransaction(record: WithdrawalRecord, signer: Wallet): Promise<void> {
    const kind = record.kind === 'claim' ? 'claim' : 'claim-to';
    const data = this.claimCalldata(kind, record.account, record.recipient, {
      account: record.account,
      cumulativeAmount: record.cumulativeAmount,
      signature: record.voucherSignature,
      chainId: record.chainId,
      vault: record.vault,
    });
    const gasLimit = ((await this.chain.estimateGas(record.account, data)) * GAS_MARGIN_PERCENT) / 100n;
    const [market, block] = await Promise.all([this.chain.fees(), this.chain.latestBlock()]);
    const fees = record.feeCapPerGas === null ? market : initialFees(market, record.feeCapPerGas);
    const nonce = await this.nextNonce(record.account);
    const tx = Transaction.from({
      type: 2,
      chainId: this.chainId,
      nonce,
      to: this.chain.vault,
      data,
      gasLimit,
      maxFeePerGas: fees.maxFeePerGas,
      maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
      value: 0n,
    });
    const rawTx = await signer.signTransaction(tx);
    this.withdrawals.recordSignedTransaction(record.id, {
      nonce,
      rawTx,
      txHash: keccak256(rawTx),
      maxFeePerGas: fees.maxFeePerGas,
      maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
      signedAtBlock: Number(block.number),
    });
  }

  private async signRelayed(record: WithdrawalRecord, signer: Wallet): Promise<void> {
    const [nonce, block] = await Promise.all([this.chain.withdrawalNonce(record.account), this.chain.latestBlock()]);
    const deadline = Number(block.timestamp) + RELAY_DEADLINE_SECONDS;
    const withdrawal = {
      account: record.account,
      recipient: record.recipient,
      cumulativeAmount: record.cumulativeAmount,
      maxFee: record.maxFee,
      deadline: BigInt(deadline),
      nonce: BigInt(nonce),
    };
    const withdrawalSignature = await signWithdrawal(signer, voucherDomain(this.chainId, this.chain.vault), withdrawal);
    this.withdrawals.recordSignedRelay(record.id, {
      recipient: record.recipient,
      cumulativeAmount: record.cumulativeAmount.toString(),
      maxFee: record.maxFee.toString(),
      deadline,
      nonce,
      withdrawalSignature,
    });
  }

  /**
   * The relayer answered with its transaction. Another Idlehive process (the
   * agent beside `idlehive withdraw`) may have confirmed the withdrawal from
   * the vault's nonce meanwhile, knowing no hash: then the hash and what was
   * paid are filled in, so the withdrawal keeps its transaction.
   */
  private async recordRelayed(id: number, txHash: string): Promise<void> {
    try {
      this.withdrawals.recordSent(id, txHash);
    } catch (error) {
      if (!(error instanceof IdlehiveError && error.code === 'withdrawal_conflict')) throw error;
      const receipt = await this.chain.receipt(txHash);
      const paid = receipt?.status === 1n ? this.claimedEvent(receipt) : null;
      if (receipt?.status === 1n) {
        this.withdrawals.recordRelayerTransaction(id, {
          txHash,
          blockNumber: Number(receipt.blockNumber),
          paidAmount: paid?.amount ?? null,
          paidFee: paid?.fee ?? null,
        });
      }
      // Otherwise another process recorded the same relayer answer first; its write stands.
    }
  }

  /** Hands the stored signed form to the node or the relayer; a silent chain leaves it waiting. */
  private async send(record: WithdrawalRecord): Promise<void> {
    try {
      if (record.kind === 'relayed') {
        if (!this.relay || !record.relay) {
          this.withdrawals.recordWaiting(record.id, 'Waiting for a relayer to submit the signed withdrawal.');
          return;
        }
        const txHash = await this.relay.submit({
          chainId: record.chainId,
          vault: record.vault,
          withdrawal: {
            account: record.account,
            recipient: record.relay.recipient,
            cumulativeAmount: BigInt(record.relay.cumulativeAmount),
            maxFee: BigInt(record.relay.maxFee),
            deadline: BigInt(record.relay.deadline),
            nonce: BigInt(record.relay.nonce),
          },
          fee: BigInt(record.relay.maxFee),
          voucherSignature: record.voucherSignature,
          withdrawalSignature: record.relay.withdrawalSignature,
        });
        await this.recordRelayed(record.id, txHash);
        return;
      }
      if (!record.rawTx)
        throw new IdlehiveError('withdrawal_unsigned', `Withdrawal ${record.id} has no signed transaction.`);
      await this.chain.sendRaw(record.rawTx);
      this.withdrawals.recordSent(record.id);
    } catch (error) {
      if (isChainUnreachable(error)) {
        this.withdrawals.recordWaiting(record.id, error.message);
        return;
      }
      if (error instanceof RpcAnswerError || error instanceof IdlehiveError) {
        // The node refused the bytes (e.g. nonce too low: maybe already mined), or the relayer refused the
        // hand-over for now (its sentence says why). The next reconcile decides from the chain.
        const who =
          record.kind === 'relayed'
            ? 'The relayer did not take the signed withdrawal'
            : 'The chain did not take the transaction';
        this.withdrawals.recordWaiting(record.id, `${who} yet: ${error.message}`);
        return;
      }
      throw error;
    }
  }
}

/** The first transaction's fees: what the chain asks now, never above the withdrawal's cap. */
function initialFees(market: Fees, capPerGas: bigint): Fees {
  const maxFeePerGas = bigMin(market.maxFeePerGas, capPerGas);
  return { maxFeePerGas, maxPriorityFeePerGas: bigMin(market.maxPriorityFeePerGas, maxFeePerGas) };
}
