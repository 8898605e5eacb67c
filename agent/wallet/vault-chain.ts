/**
 * What the wallet reads from and sends to the chain, over JSON-RPC: the
 * vault's claimed amounts and withdrawal nonces, token and gas balances,
 * receipts, the mempool, fees, and raw transactions. ABI encoding comes from
 * the committed PayoutVault artifact, so it cannot drift from the contract.
 */
import { getAddress, Interface, toBeHex } from 'ethers';
import { z } from 'zod';
import { payoutVaultArtifact, testTokenArtifact } from '../../network/chain/contract-artifacts.ts';
import { IdlehiveError } from '../errors.ts';
import { type JsonRpc, RpcAnswerError } from './json-rpc.ts';

export const vaultInterface = new Interface(payoutVaultArtifact.abi as never);
/** Only ERC-20's balanceOf is used, which every payout token has. */
const tokenInterface = new Interface(testTokenArtifact.abi as never);

const hex = z.string().regex(/^0x[0-9a-fA-F]*$/);
const quantity = hex.transform((value) => BigInt(value === '0x' ? 0 : value));

const ReceiptSchema = z.object({
  status: quantity,
  blockNumber: quantity,
  transactionHash: hex,
  logs: z.array(z.object({ address: z.string(), topics: z.array(hex), data: hex })),
});
export type Receipt = z.infer<typeof ReceiptSchema>;

const PendingTransactionSchema = z.object({ hash: hex, blockNumber: hex.nullable().optional() }).nullable();
const BlockSchema = z.object({ number: quantity, timestamp: quantity, baseFeePerGas: quantity.optional() });

export interface Fees {
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
}

export class VaultChain {
  readonly rpc: JsonRpc;
  readonly vault: string;

  constructor(rpc: JsonRpc, vault: string) {
    this.rpc = rpc;
    this.vault = getAddress(vault);
  }

  async chainId(): Promise<number> {
    return Number(quantity.parse(await this.rpc.request('eth_chainId', [])));
  }

  /** Refuses a chain other than the one the voucher was signed for. */
  async requireChainId(expected: number): Promise<void> {
    const actual = await this.chainId();
    if (actual !== expected) {
      throw new IdlehiveError(
        'wrong_chain',
        `The chain endpoint ${this.rpc.url} is chain ${actual}, but the voucher is for chain ${expected}. Point Idlehive at the right chain.`,
      );
    }
  }

  private async callVault(fn: string, args: unknown[]): Promise<unknown[]> {
    const data = vaultInterface.encodeFunctionData(fn, args);
    const result = hex.parse(await this.rpc.request('eth_call', [{ to: this.vault, data }, 'latest']));
    if (result === '0x') {
      throw new IdlehiveError('no_vault', `There is no payout vault at ${this.vault} on ${this.rpc.url}.`);
    }
    return [...vaultInterface.decodeFunctionResult(fn, result)];
  }

  async claimed(account: string): Promise<bigint> {
    return BigInt((await this.callVault('claimed', [account]))[0] as bigint);
  }

  async withdrawalNonce(account: string): Promise<number> {
    return Number((await this.callVault('nonces', [account]))[0] as bigint);
  }

  async token(): Promise<string> {
    return getAddress((await this.callVault('token', []))[0] as string);
  }

  async isValidVoucher(account: string, cumulativeAmount: bigint, signature: string): Promise<boolean> {
    return Boolean((await this.callVault('isValidVoucher', [account, cumulativeAmount, signature]))[0]);
  }

  async tokenBalance(token: string, account: string): Promise<bigint> {
    const data = tokenInterface.encodeFunctionData('balanceOf', [account]);
    const result = hex.parse(await this.rpc.request('eth_call', [{ to: token, data }, 'latest']));
    return BigInt(tokenInterface.decodeFunctionResult('balanceOf', result)[0] as bigint);
  }

  async nativeBalance(account: string): Promise<bigint> {
    return quantity.parse(await this.rpc.request('eth_getBalance', [account, 'latest']));
  }

  /** Transactions of `account` mined so far: the nonce the chain accepts next. */
  async minedNonce(account: string): Promise<number> {
    return Number(quantity.parse(await this.rpc.request('eth_getTransactionCount', [account, 'latest'])));
  }

  /** Including those waiting in the node's mempool. */
  async pendingNonce(account: string): Promise<number> {
    return Number(quantity.parse(await this.rpc.request('eth_getTransactionCount', [account, 'pending'])));
  }

  async receipt(txHash: string): Promise<Receipt | null> {
    const raw = await this.rpc.request('eth_getTransactionReceipt', [txHash]);
    return raw === null ? null : ReceiptSchema.parse(raw);
  }

  /** Whether the node holds the transaction, mined or not. */
  async knowsTransaction(txHash: string): Promise<boolean> {
    return PendingTransactionSchema.parse(await this.rpc.request('eth_getTransactionByHash', [txHash])) !== null;
  }

  async latestBlock(): Promise<z.infer<typeof BlockSchema>> {
    return BlockSchema.parse(await this.rpc.request('eth_getBlockByNumber', ['latest', false]));
  }

  /** EIP-1559 fees: twice the base fee plus the tip, so a block or two of rising fees still includes it. */
  async fees(): Promise<Fees> {
    const block = await this.latestBlock();
    let tip: bigint;
    try {
      tip = quantity.parse(await this.rpc.request('eth_maxPriorityFeePerGas', []));
    } catch (error) {
      if (!(error instanceof RpcAnswerError)) throw error;
      tip = 1_000_000_000n;
    }
    const base = block.baseFeePerGas ?? 0n;
    return { maxFeePerGas: base * 2n + tip, maxPriorityFeePerGas: tip };
  }

  async estimateGas(from: string, data: string): Promise<bigint> {
    return quantity.parse(await this.rpc.request('eth_estimateGas', [{ from, to: this.vault, data }, 'latest']));
  }

  /** Broadcasts signed bytes; the node's "already known" is success (it has exactly these bytes). */
  async sendRaw(rawTx: string): Promise<void> {
    try {
      await this.rpc.request('eth_sendRawTransaction', [rawTx]);
    } catch (error) {
      if (error instanceof RpcAnswerError && /already known|already imported|known transaction/i.test(error.message)) {
        return;
      }
      throw error;
    }
  }
}

/** A revert's custom error by name, e.g. "NothingToClaim", where the vault's ABI knows it. */
export function describeRevert(data: unknown): string | null {
  if (typeof data !== 'string' || !data.startsWith('0x')) return null;
  try {
    const parsed = vaultInterface.parseError(data);
    return parsed ? parsed.name : null;
  } catch {
    return null;
  }
}

export function asQuantity(value: bigint | number): string {
  return toBeHex(value);
}
