import { readFileSync } from 'node:fs';
import { TypedDataEncoder, verifyTypedData, Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';
import { voucherDomain } from './voucher.ts';
import { signWithdrawal, WITHDRAWAL_TYPE_STRING, WITHDRAWAL_TYPES, type WithdrawalValue } from './withdrawal.ts';

const vaultSource = readFileSync(new URL('../../contracts/src/PayoutVault.sol', import.meta.url), 'utf8');

describe('withdrawals', () => {
  it('encode to exactly the type string the vault hashes', () => {
    expect(TypedDataEncoder.from(WITHDRAWAL_TYPES).encodeType('Withdrawal')).toBe(WITHDRAWAL_TYPE_STRING);
    expect(vaultSource.replace(/\s+/g, ' ')).toContain(`keccak256( "${WITHDRAWAL_TYPE_STRING}" )`);
  });

  it('are signed by the account over the vault domain, binding every field', async () => {
    const account = Wallet.createRandom();
    const domain = voucherDomain(31337, '0x5555555555555555555555555555555555555555');
    const withdrawal: WithdrawalValue = {
      account: account.address.toLowerCase(),
      recipient: Wallet.createRandom().address,
      cumulativeAmount: 10n ** 18n,
      maxFee: 10n ** 16n,
      deadline: 1_900_000_000n,
      nonce: 3n,
    };
    const signature = await signWithdrawal(account, domain, withdrawal);
    expect(verifyTypedData(domain, WITHDRAWAL_TYPES, withdrawal, signature)).toBe(account.address);
    expect(verifyTypedData(domain, WITHDRAWAL_TYPES, { ...withdrawal, maxFee: 10n ** 17n }, signature)).not.toBe(
      account.address,
    );
  });
});
