/**
 * EIP-712 withdrawals for the PayoutVault's relayed claim: a provider with no
 * native gas signs (account, recipient, cumulativeAmount, maxFee, deadline,
 * nonce), and anyone may submit it with the coordinator's voucher, taking at
 * most `maxFee` in tokens. Same domain as the vouchers (voucher.ts defines it
 * once); the field names and order must match the contract's
 * WITHDRAWAL_TYPEHASH exactly.
 */
import { getAddress, type TypedDataDomain, TypedDataEncoder } from 'ethers';
import type { TypedDataSigner } from './voucher.ts';

export const WITHDRAWAL_TYPES = {
  Withdrawal: [
    { name: 'account', type: 'address' },
    { name: 'recipient', type: 'address' },
    { name: 'cumulativeAmount', type: 'uint256' },
    { name: 'maxFee', type: 'uint256' },
    { name: 'deadline', type: 'uint256' },
    { name: 'nonce', type: 'uint256' },
  ],
};

/** What the vault's WITHDRAWAL_TYPEHASH is the keccak256 of. */
export const WITHDRAWAL_TYPE_STRING =
  'Withdrawal(address account,address recipient,uint256 cumulativeAmount,uint256 maxFee,uint256 deadline,uint256 nonce)';

export interface WithdrawalValue {
  /** The provider whose earnings are claimed; it signs the withdrawal. */
  account: string;
  /** Where the tokens go, less the relayer's fee. */
  recipient: string;
  /** The cumulative amount of the coordinator's voucher submitted with it. */
  cumulativeAmount: bigint;
  /** The most the relayer may take, in token base units. */
  maxFee: bigint;
  /** The last block timestamp (seconds) at which it may be submitted. */
  deadline: bigint;
  /** The account's current withdrawal nonce: `vault.nonces(account)`. */
  nonce: bigint;
}

function normalized(withdrawal: WithdrawalValue): WithdrawalValue {
  return { ...withdrawal, account: getAddress(withdrawal.account), recipient: getAddress(withdrawal.recipient) };
}

/** The digest the vault recovers the account from (`vault.withdrawalDigest`). */
export function withdrawalDigest(domain: TypedDataDomain, withdrawal: WithdrawalValue): string {
  return TypedDataEncoder.hash(domain, WITHDRAWAL_TYPES, normalized(withdrawal));
}

export function signWithdrawal(
  signer: TypedDataSigner,
  domain: TypedDataDomain,
  withdrawal: WithdrawalValue,
): Promise<string> {
  return signer.signTypedData(domain, WITHDRAWAL_TYPES, { ...normalized(withdrawal) });
}
