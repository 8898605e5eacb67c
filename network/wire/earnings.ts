/**
 * What a provider has earned and the newest voucher it can claim with.
 */
import { z } from 'zod';
import { AddressSchema, EpochMsSchema, TokenAmountSchema, VersionStringSchema } from './common.ts';

export const EarningsSchema = z
  .object({
    account: AddressSchema,
    /** Everything ever credited to this account; a voucher for this amount pays the rest of it. */
    cumulativeEarned: TokenAmountSchema,
    results: z
      .object({
        pending: z.number().int().nonnegative(),
        valid: z.number().int().nonnegative(),
        invalid: z.number().int().nonnegative(),
        inconclusive: z.number().int().nonnegative(),
      })
      .strict(),
    /** In (0, 1); rejected results lower it five times as much as valid ones raise it. */
    score: z.number(),
    suspended: z.boolean(),
    reliability: z.array(
      z
        .object({
          appVersion: VersionStringSchema,
          onnxruntimeVersion: VersionStringSchema,
          /** Consecutive valid results with these versions. */
          run: z.number().int().nonnegative(),
          /** The chance the next result is accepted without a second copy. */
          trustProbability: z.number().min(0).max(1),
        })
        .strict(),
    ),
  })
  .strict();
export type Earnings = z.infer<typeof EarningsSchema>;

export const VoucherSchema = z
  .object({
    account: AddressSchema,
    cumulativeAmount: TokenAmountSchema,
    /** EIP-712 signature by `signer` over Voucher(account, cumulativeAmount) in the vault's domain. */
    signature: z.string().regex(/^0x[0-9a-fA-F]{130}$/),
    signer: AddressSchema,
    chainId: z.number().int().positive(),
    vault: AddressSchema,
    signedAt: EpochMsSchema,
  })
  .strict();
export type Voucher = z.infer<typeof VoucherSchema>;

export const VoucherResponseSchema = z.object({ voucher: VoucherSchema.nullable() }).strict();
