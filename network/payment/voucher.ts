/**
 * EIP-712 vouchers for the PayoutVault (contracts/src/PayoutVault.sol): the
 * coordinator signs (account, cumulativeAmount) over the domain
 * {name: "Idlehive PayoutVault", version: "1", chainId, verifyingContract:
 * the vault}; the vault pays `cumulativeAmount - alreadyClaimed`. The names
 * and types here must match the contract's VOUCHER_TYPEHASH exactly.
 */
import { getAddress, type SigningKey, type TypedDataDomain, TypedDataEncoder, verifyTypedData } from 'ethers';

export const VOUCHER_DOMAIN_NAME = 'Idlehive PayoutVault';
export const VOUCHER_DOMAIN_VERSION = '1';

export const VOUCHER_TYPES = {
  Voucher: [
    { name: 'account', type: 'address' },
    { name: 'cumulativeAmount', type: 'uint256' },
  ],
};

/** keccak256("Voucher(address account,uint256 cumulativeAmount)") is what the vault checks against. */
export const VOUCHER_TYPE_STRING = 'Voucher(address account,uint256 cumulativeAmount)';

export interface VoucherValue {
  account: string;
  cumulativeAmount: bigint;
}

export function voucherDomain(chainId: number, vault: string): TypedDataDomain {
  return {
    name: VOUCHER_DOMAIN_NAME,
    version: VOUCHER_DOMAIN_VERSION,
    chainId,
    verifyingContract: getAddress(vault),
  };
}

/** The digest the vault recovers the signer from. */
export function voucherDigest(domain: TypedDataDomain, voucher: VoucherValue): string {
  return TypedDataEncoder.hash(domain, VOUCHER_TYPES, {
    account: getAddress(voucher.account),
    cumulativeAmount: voucher.cumulativeAmount,
  });
}

/** Anything that signs EIP-712 typed data: an ethers Wallet. */
export interface TypedDataSigner {
  signTypedData(
    domain: TypedDataDomain,
    types: Record<string, { name: string; type: string }[]>,
    value: Record<string, unknown>,
  ): Promise<string>;
}

export async function signVoucher(
  signer: TypedDataSigner,
  domain: TypedDataDomain,
  voucher: VoucherValue,
): Promise<string> {
  return signer.signTypedData(domain, VOUCHER_TYPES, {
    account: getAddress(voucher.account),
    cumulativeAmount: voucher.cumulativeAmount,
  });
}

/**
 * Signs in the calling tick: the coordinator signs inside a request without an
 * await, so a voucher always names the total the store holds at that moment.
 */
export function signVoucherSync(key: SigningKey, domain: TypedDataDomain, voucher: VoucherValue): string {
  return key.sign(voucherDigest(domain, voucher)).serialized;
}

export function recoverVoucherSigner(domain: TypedDataDomain, voucher: VoucherValue, signature: string): string {
  return verifyTypedData(
    domain,
    VOUCHER_TYPES,
    { account: getAddress(voucher.account), cumulativeAmount: voucher.cumulativeAmount },
    signature,
  );
}
