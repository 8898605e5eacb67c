import { z } from 'zod';
import { AddressSchema, EpochMsSchema, TokenAmountSchema, VersionStringSchema } from './common.ts';

export const PROTOCOL_VERSION = 'idlehive-v1';

/** What a client needs before it registers: who the coordinator is, on which chain, and its limits. */
export const NetworkInfoSchema = z
  .object({
    protocol: z.literal(PROTOCOL_VERSION),
    appVersion: VersionStringSchema,
    /** The key that signs vouchers and that delegations must name. */
    coordinator: AddressSchema,
    chainId: z.number().int().positive(),
    /** The PayoutVault vouchers are signed for; null when this coordinator signs no vouchers. */
    vault: AddressSchema.nullable(),
    serverTime: EpochMsSchema,
    limits: z
      .object({
        maxClockSkewMs: z.number().int().positive(),
        maxSessionMs: z.number().int().positive(),
        maxBlobBytes: z.number().int().positive(),
        maxJsonBytes: z.number().int().positive(),
        leaseMs: z.number().int().positive(),
      })
      .strict(),
    pricing: z
      .object({
        minPricePerUnit: z.object({ gflop: TokenAmountSchema, 'device-second': TokenAmountSchema }).strict(),
      })
      .strict(),
  })
  .strict();
export type NetworkInfo = z.infer<typeof NetworkInfoSchema>;
