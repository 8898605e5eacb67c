/**
 * Everything a withdrawal or a balance read needs, put together once: the
 * ledger's withdrawals, the chain endpoint, the vault. The CLI and the agent
 * both open one; the ledger's unique index and state-guarded updates keep two
 * of them from ever starting or advancing the same withdrawal twice.
 */
import { getAddress } from 'ethers';
import type { LedgerDatabase } from '../ledger/open-ledger.ts';
import { type WalletBalances, walletBalances } from './balances.ts';
import type { ClaimRelay } from './claim-relay.ts';
import { isChainUnreachable, jsonRpc, type RpcOptions } from './json-rpc.ts';
import { VaultChain } from './vault-chain.ts';
import type { WithdrawalRecord } from './withdrawal-repository.ts';
import { WithdrawalRepository } from './withdrawal-repository.ts';
import { type ClaimVoucher, WithdrawalService } from './withdrawal-service.ts';

export interface WalletChainConfig {
  rpcUrl: string;
  chainId: number;
  vault: string;
  rpc?: RpcOptions;
}

export interface WalletChainSession {
  chain: VaultChain;
  withdrawals: WithdrawalRepository;
  service: WithdrawalService;
}

export function openWalletChainSession(
  db: LedgerDatabase,
  config: WalletChainConfig,
  options: { relay?: ClaimRelay; onProgress?: (record: WithdrawalRecord) => void; feeCapGwei?: number | null } = {},
): WalletChainSession {
  const chain = new VaultChain(jsonRpc(config.rpcUrl, config.rpc), config.vault);
  const withdrawals = new WithdrawalRepository(db);
  const service = new WithdrawalService({
    chain,
    chainId: config.chainId,
    withdrawals,
    relay: options.relay,
    onProgress: options.onProgress,
    feeCapGwei: options.feeCapGwei ?? null,
  });
  return { chain, withdrawals, service };
}

export interface BalanceReport extends WalletBalances {
  address: string;
  token: string | null;
  /** Why some figures are unknown (the chain did not answer); null when all were read. */
  unavailable: string | null;
}

/** Reads what the chain knows and combines it with the voucher; a silent chain leaves figures unknown, not zero. */
export async function readBalances(
  session: WalletChainSession,
  address: string,
  voucher: ClaimVoucher | null,
  pendingResults: number | null = null,
): Promise<BalanceReport> {
  const account = getAddress(address);
  const inFlight = session.withdrawals
    .unfinished()
    .filter((w) => w.account === account && w.state !== 'prepared')
    .map((w) => w.cumulativeAmount);
  try {
    const token = await session.chain.token();
    const [walletTokens, nativeGas, vaultClaimed] = await Promise.all([
      session.chain.tokenBalance(token, account),
      session.chain.nativeBalance(account),
      session.chain.claimed(account),
    ]);
    return {
      address: account,
      token,
      unavailable: null,
      ...walletBalances({
        walletTokens,
        nativeGas,
        vaultClaimed,
        voucherCumulative: voucher?.cumulativeAmount ?? null,
        inFlightCumulatives: inFlight,
        pendingResults,
      }),
    };
  } catch (error) {
    if (!isChainUnreachable(error)) throw error;
    return {
      address: account,
      token: null,
      unavailable: error.message,
      ...walletBalances({
        walletTokens: null,
        nativeGas: null,
        vaultClaimed: null,
        voucherCumulative: voucher?.cumulativeAmount ?? null,
        inFlightCumulatives: inFlight,
        pendingResults,
      }),
    };
  }
}
