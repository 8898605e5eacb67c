/**
 * A relayer that submits relayed claims from its own gas-funded key: what a
 * coordinator (or any third party) runs so that providers without native gas
 * can withdraw. Its fee covers the gas it spends, priced in tokens at a fixed
 * rate the operator sets, so the provider sees one number up front.
 */
import { getAddress, keccak256, Transaction, type Wallet } from 'ethers';
import { RELAYED_CLAIM_GAS_LIMIT } from '../../network/payment/relay-fee.ts';
import { voucherDomain } from '../../network/payment/voucher.ts';
import { withdrawalDigest } from '../../network/payment/withdrawal.ts';
import { IdlehiveError } from '../errors.ts';
import type { ClaimRelay, RelayedClaimSubmission, RelayQuote, RelayQuoteRequest } from './claim-relay.ts';
import type { JsonRpc } from './json-rpc.ts';
import { VaultChain, vaultInterface } from './vault-chain.ts';

export interface ChainRelayOptions {
  rpc: JsonRpc;
  /** The relayer's funded key. */
  signer: Wallet;
  /** The fixed fee in tokens per relayed claim. */
  feeTokens: bigint;
}

export class ChainRelay implements ClaimRelay {
  private readonly options: ChainRelayOptions;
  /** Withdrawal digest -> the transaction sent for it, so a repeated submit sends nothing new. */
  private readonly sent = new Map<string, string>();

  constructor(options: ChainRelayOptions) {
    this.options = options;
  }

  async quote(_request: RelayQuoteRequest): Promise<RelayQuote> {
    return { fee: this.options.feeTokens, relayer: this.options.signer.address };
  }

  async submit(claim: RelayedClaimSubmission): Promise<string> {
    if (claim.fee > claim.withdrawal.maxFee) {
      throw new IdlehiveError('relay_fee_above_max', 'The relayer asked for more than the signed maximum fee.');
    }
    const digest = withdrawalDigest(voucherDomain(claim.chainId, claim.vault), claim.withdrawal);
    const chain = new VaultChain(this.options.rpc, claim.vault);
    const already = this.sent.get(digest);
    // The same withdrawal again: the transaction already sent stands, unless it reverted.
    if (already && (await chain.receipt(already))?.status !== 0n) return already;
    const w = claim.withdrawal;
    const data = vaultInterface.encodeFunctionData('relayedClaim', [
      [getAddress(w.account), getAddress(w.recipient), w.cumulativeAmount, w.maxFee, w.deadline, w.nonce],
      claim.fee,
      claim.voucherSignature,
      claim.withdrawalSignature,
    ]);
    // Estimating first turns a claim the vault would refuse into an error instead of a paid revert.
    await chain.estimateGas(this.options.signer.address, data);
    const fees = await chain.fees();
    const tx = Transaction.from({
      type: 2,
      chainId: claim.chainId,
      nonce: await chain.pendingNonce(this.options.signer.address),
      to: chain.vault,
      data,
      gasLimit: RELAYED_CLAIM_GAS_LIMIT,
      maxFeePerGas: fees.maxFeePerGas,
      maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
      value: 0n,
    });
    const raw = await this.options.signer.signTransaction(tx);
    await chain.sendRaw(raw);
    const hash = keccak256(raw);
    this.sent.set(digest, hash);
    return hash;
  }
}
