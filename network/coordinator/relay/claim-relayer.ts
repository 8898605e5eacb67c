/**
 * The coordinator as a relayer: it submits a provider's signed withdrawal to
 * the vault's `relayedClaim` from its own gas-funded account and takes the
 * signed fee in tokens, so a provider without native gas can still withdraw.
 *
 * Everything that can be refused is refused before a transaction exists: the
 * vault, the fee against the signed maximum and against the gas it must pay,
 * the deadline against the chain's clock, and finally the vault itself (an
 * estimate of the call, which reverts exactly where the real call would).
 * The signed transaction is stored before it is broadcast, keyed by the
 * withdrawal's digest, so the same signed withdrawal submitted again (a retry,
 * a restart of either side) is answered with the same transaction.
 */
import { getAddress, keccak256, Transaction, type Wallet } from 'ethers';
import { isChainUnreachable, type JsonRpc, RpcAnswerError } from '../../../agent/wallet/json-rpc.ts';
import { describeRevert, VaultChain, vaultInterface } from '../../../agent/wallet/vault-chain.ts';
import { RELAYED_CLAIM_GAS_LIMIT, relayFeeTokens } from '../../payment/relay-fee.ts';
import { voucherDomain } from '../../payment/voucher.ts';
import { type WithdrawalValue, withdrawalDigest } from '../../payment/withdrawal.ts';
import { NetworkError } from '../../wire/errors.ts';
import type { RelayQuote, RelayQuoteRequest, RelaySubmitRequest, RelaySubmitResponse } from '../../wire/relay.ts';
import type { CoordinatorStore } from '../store/coordinator-store.ts';

export interface ClaimRelayerOptions {
  rpc: JsonRpc;
  chainId: number;
  vault: string;
  /** The relaying account's key: it must hold native gas. */
  signer: Wallet;
  /** Token base units per whole native coin (10^18 wei): the operator's exchange rate for fees. */
  tokenUnitsPerNativeCoin: bigint;
  store: CoordinatorStore;
  now: () => number;
}

export class ClaimRelayer {
  readonly address: string;
  private readonly options: ClaimRelayerOptions;
  private readonly chain: VaultChain;
  /** One submission at a time: each takes the relayer's next nonce, and two at once would take the same one. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: ClaimRelayerOptions) {
    this.options = options;
    this.address = options.signer.address;
    this.chain = new VaultChain(options.rpc, options.vault);
  }

  async quote(request: RelayQuoteRequest): Promise<RelayQuote> {
    this.requireVault(request.chainId, request.vault);
    const { maxFeePerGas } = await this.fees();
    await this.requireGas(maxFeePerGas);
    return {
      fee: this.feeAt(maxFeePerGas).toString(),
      relayer: this.address,
      gasLimit: RELAYED_CLAIM_GAS_LIMIT.toString(),
      maxFeePerGas: maxFeePerGas.toString(),
      tokenUnitsPerNativeCoin: this.options.tokenUnitsPerNativeCoin.toString(),
    };
  }

  submit(request: RelaySubmitRequest): Promise<RelaySubmitResponse> {
    const run = this.queue.then(() => this.submitNow(request));
    this.queue = run.catch(() => {});
    return run;
  }

  private async submitNow(request: RelaySubmitRequest): Promise<RelaySubmitResponse> {
    this.requireVault(request.chainId, request.vault);
    const w = request.withdrawal;
    const withdrawal: WithdrawalValue = {
      account: getAddress(w.account),
      recipient: getAddress(w.recipient),
      cumulativeAmount: BigInt(w.cumulativeAmount),
      maxFee: BigInt(w.maxFee),
      deadline: BigInt(w.deadline),
      nonce: BigInt(w.nonce),
    };
    const fee = BigInt(request.fee);
    if (fee > withdrawal.maxFee) {
      throw new NetworkError(
        'relay_fee_above_max',
        `The fee asked (${fee} base units) is above the withdrawal's signed maximum (${withdrawal.maxFee}); ask for a fee no higher than the signed one.`,
      );
    }
    const digest = withdrawalDigest(voucherDomain(this.options.chainId, this.chain.vault), withdrawal);
    return this.onChain(async () => {
      const known = this.options.store.getRelayedClaim(digest);
      if (known && (await this.stillStands(known.txHash))) return { txHash: known.txHash, relayer: this.address };

      const block = await this.chain.latestBlock();
      // The next block's timestamp is later than the latest one's, and the vault refuses a deadline before it.
      if (withdrawal.deadline <= block.timestamp) {
        throw new NetworkError(
          'relay_deadline_passed',
          `The withdrawal's deadline (${withdrawal.deadline}) has passed on chain (block time ${block.timestamp}); sign a new withdrawal.`,
        );
      }
      const fees = await this.fees();
      // The quote is for the most gas can cost (twice the base fee); half of it still covers the likely cost.
      const floor = this.feeAt(fees.maxFeePerGas) / 2n;
      if (fee < floor) {
        throw new NetworkError(
          'relay_fee_too_low',
          `The fee (${fee} base units) no longer covers the gas at today's prices (at least ${floor}); ask for a new quote and sign a new withdrawal.`,
        );
      }
      await this.requireGas(fees.maxFeePerGas);
      const data = vaultInterface.encodeFunctionData('relayedClaim', [
        [
          withdrawal.account,
          withdrawal.recipient,
          withdrawal.cumulativeAmount,
          withdrawal.maxFee,
          withdrawal.deadline,
          withdrawal.nonce,
        ],
        fee,
        request.voucherSignature,
        request.withdrawalSignature,
      ]);
      try {
        await this.chain.estimateGas(this.address, data);
      } catch (error) {
        if (!(error instanceof RpcAnswerError)) throw error;
        const reason = describeRevert(error.data) ?? error.message;
        throw new NetworkError(
          'relay_refused',
          `The vault would refuse this relayed claim (${reason}); nothing was sent. Check the voucher, the withdrawal's nonce and signature.`,
        );
      }
      const tx = Transaction.from({
        type: 2,
        chainId: this.options.chainId,
        nonce: await this.chain.pendingNonce(this.address),
        to: this.chain.vault,
        data,
        gasLimit: RELAYED_CLAIM_GAS_LIMIT,
        maxFeePerGas: fees.maxFeePerGas,
        maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
        value: 0n,
      });
      const rawTx = await this.options.signer.signTransaction(tx);
      const txHash = keccak256(rawTx);
      this.options.store.transaction(
        () =>
          this.options.store.putRelayedClaim({
            digest,
            account: withdrawal.account,
            txHash,
            rawTx,
            fee,
            createdAt: this.options.now(),
          }),
        { durable: true },
      );
      try {
        await this.chain.sendRaw(rawTx);
      } catch (error) {
        if (!(error instanceof RpcAnswerError)) throw error;
        // Stored but not taken: the next submission of this withdrawal finds it unknown to the node and signs anew.
        throw new NetworkError(
          'relay_refused',
          `The chain did not take the relayer's transaction (${error.message}); submit the withdrawal again.`,
        );
      }
      return { txHash, relayer: this.address };
    });
  }

  /**
   * Whether an earlier transaction for this withdrawal still stands: mined and
   * successful, or waiting in the node. One that reverted or that the node
   * dropped is replaced by a new one; the vault's nonce makes sure only one pays.
   */
  private async stillStands(txHash: string): Promise<boolean> {
    const receipt = await this.chain.receipt(txHash);
    if (receipt) return receipt.status === 1n;
    return this.chain.knowsTransaction(txHash);
  }

  /** A relayer that cannot pay for the claim's gas says so up front, rather than quoting or signing what cannot be sent. */
  private async requireGas(maxFeePerGas: bigint): Promise<void> {
    const balance = await this.onChain(() => this.chain.nativeBalance(this.address));
    if (balance < RELAYED_CLAIM_GAS_LIMIT * maxFeePerGas) {
      throw new NetworkError(
        'relay_unavailable',
        `The coordinator's relaying account ${this.address} has too little gas to submit claims now; retry later or claim with your own gas.`,
      );
    }
  }

  private feeAt(maxFeePerGas: bigint): bigint {
    return relayFeeTokens(RELAYED_CLAIM_GAS_LIMIT, maxFeePerGas, this.options.tokenUnitsPerNativeCoin);
  }

  private fees() {
    return this.onChain(() => this.chain.fees());
  }

  private requireVault(chainId: number, vault: string): void {
    if (chainId !== this.options.chainId || getAddress(vault) !== this.chain.vault) {
      throw new NetworkError(
        'relay_wrong_vault',
        `This coordinator relays claims for the vault ${this.chain.vault} on chain ${this.options.chainId} only, not ${vault} on chain ${chainId}.`,
      );
    }
  }

  /** A chain that does not answer is the coordinator's problem for now, said as such: retry later. */
  private async onChain<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (isChainUnreachable(error)) {
        throw new NetworkError(
          'relay_chain_unreachable',
          `The coordinator cannot reach its chain (${error.message}); retry the withdrawal later.`,
        );
      }
      throw error;
    }
  }
}
