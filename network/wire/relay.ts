/**
 * Relayed claims through the coordinator: a provider with no native gas asks
 * what the coordinator would take in tokens to submit its claim (the quote),
 * signs that fee as the withdrawal's maximum, and hands the signed withdrawal
 * and its voucher over (the submission). The withdrawal's fields are those of
 * network/payment/withdrawal.ts, as decimal strings on the wire.
 */
import { z } from 'zod';
import { AddressSchema, TokenAmountSchema } from './common.ts';

const SignatureSchema = z
  .string()
  .regex(/^0x[0-9a-fA-F]{130}$/, 'must be a 65-byte signature: 0x followed by 130 hex characters');
/** A uint256 that is not money (deadline, nonce): the same decimal form as amounts. */
const UintSchema = TokenAmountSchema;

export const RelayQuoteRequestSchema = z
  .object({
    chainId: z.number().int().positive(),
    vault: AddressSchema,
    account: AddressSchema,
    cumulativeAmount: TokenAmountSchema,
  })
  .strict();
export type RelayQuoteRequest = z.infer<typeof RelayQuoteRequestSchema>;

export const RelayQuoteSchema = z
  .object({
    /** Tokens the coordinator takes from the claim for submitting it now. */
    fee: TokenAmountSchema,
    /** The coordinator's relaying account: it pays the gas and receives the fee. */
    relayer: AddressSchema,
    /** How the fee was reached: gasLimit x maxFeePerGas (wei) x tokenUnitsPerNativeCoin / 10^18, rounded up. */
    gasLimit: UintSchema,
    maxFeePerGas: UintSchema,
    tokenUnitsPerNativeCoin: TokenAmountSchema,
  })
  .strict();
export type RelayQuote = z.infer<typeof RelayQuoteSchema>;

export const WithdrawalWireSchema = z
  .object({
    account: AddressSchema,
    recipient: AddressSchema,
    cumulativeAmount: TokenAmountSchema,
    maxFee: TokenAmountSchema,
    /** The last block timestamp (seconds) at which it may be submitted. */
    deadline: UintSchema,
    nonce: UintSchema,
  })
  .strict();

export const RelaySubmitRequestSchema = z
  .object({
    chainId: z.number().int().positive(),
    vault: AddressSchema,
    withdrawal: WithdrawalWireSchema,
    /** The fee the coordinator takes: at most `withdrawal.maxFee`. */
    fee: TokenAmountSchema,
    voucherSignature: SignatureSchema,
    withdrawalSignature: SignatureSchema,
  })
  .strict();
export type RelaySubmitRequest = z.infer<typeof RelaySubmitRequestSchema>;

export const RelaySubmitResponseSchema = z
  .object({
    /** The relayer's transaction; the same hash for the same signed withdrawal submitted again. */
    txHash: z.string().regex(/^0x[0-9a-fA-F]{64}$/),
    relayer: AddressSchema,
  })
  .strict();
export type RelaySubmitResponse = z.infer<typeof RelaySubmitResponseSchema>;
