import { readFileSync } from 'node:fs';
import { id, Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';
import {
  recoverVoucherSigner,
  signVoucher,
  signVoucherSync,
  VOUCHER_DOMAIN_NAME,
  VOUCHER_DOMAIN_VERSION,
  VOUCHER_TYPE_STRING,
  voucherDomain,
} from './voucher.ts';

const vaultSource = readFileSync(new URL('../../contracts/src/PayoutVault.sol', import.meta.url), 'utf8');
const vault = '0x5555555555555555555555555555555555555555';

describe('vouchers', () => {
  it('use exactly the vault contract EIP-712 names and type', () => {
    expect(vaultSource).toContain(`DOMAIN_NAME = "${VOUCHER_DOMAIN_NAME}"`);
    expect(vaultSource).toContain(`DOMAIN_VERSION = "${VOUCHER_DOMAIN_VERSION}"`);
    expect(vaultSource).toContain(`VOUCHER_TYPEHASH = keccak256("${VOUCHER_TYPE_STRING}")`);
    expect(id(VOUCHER_TYPE_STRING)).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it('recover the signer, and the synchronous signature equals the wallet one', async () => {
    const signer = Wallet.createRandom();
    const domain = voucherDomain(31337, vault);
    const voucher = { account: Wallet.createRandom().address, cumulativeAmount: 1234n };
    const signature = await signVoucher(signer, domain, voucher);
    expect(signVoucherSync(signer.signingKey, domain, voucher)).toBe(signature);
    expect(recoverVoucherSigner(domain, voucher, signature)).toBe(signer.address);
    expect(recoverVoucherSigner(voucherDomain(1, vault), voucher, signature)).not.toBe(signer.address);
    expect(recoverVoucherSigner(domain, { ...voucher, cumulativeAmount: 1235n }, signature)).not.toBe(signer.address);
  });
});
