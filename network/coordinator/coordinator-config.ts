/**
 * The coordinator's tunables, one schema with defaults; startCoordinator
 * takes a partial override (tests shorten leases, the bench raises limits).
 */
import { z } from 'zod';
import { DEFAULT_PRICING_POLICY, type PricingPolicy } from '../payment/pricing.ts';
import { DEFAULT_REPLICATION_POLICY, ReplicationPolicySchema } from '../verification/adaptive-replication.ts';
import { DEFAULT_SUSPENSION_POLICY } from '../verification/reliability-score.ts';
import { AddressSchema } from '../wire/common.ts';

export const CoordinatorLimitsSchema = z
  .object({
    maxClockSkewMs: z.number().int().min(1000).default(60_000),
    maxSessionMs: z
      .number()
      .int()
      .min(60_000)
      .default(24 * 3_600_000),
    maxBlobBytes: z
      .number()
      .int()
      .min(1024)
      .default(256 * 1024 * 1024),
    maxJsonBytes: z
      .number()
      .int()
      .min(1024)
      .default(64 * 1024 * 1024),
    /** A lease lasts the job's own time limit plus this grace, and never longer than maxLeaseMs (renewable). */
    leaseGraceMs: z.number().int().min(0).default(30_000),
    maxLeaseMs: z
      .number()
      .int()
      .min(100)
      .default(15 * 60_000),
    /** What a provider that got no work is told to wait. */
    noWorkRetryMs: z.number().int().min(0).default(2_000),
    /** Requests one account may sign within one clock-skew window. */
    maxNoncesPerAccount: z.number().int().min(10).default(100_000),
  })
  .strict();
export type CoordinatorLimits = z.infer<typeof CoordinatorLimitsSchema>;

export const CoordinatorSettingsSchema = z
  .object({
    limits: CoordinatorLimitsSchema.default(CoordinatorLimitsSchema.parse({})),
    replication: ReplicationPolicySchema.default(DEFAULT_REPLICATION_POLICY),
    suspension: z
      .object({ minInvalid: z.number().int().min(1), minScore: z.number().min(0).max(1) })
      .strict()
      .default(DEFAULT_SUSPENSION_POLICY),
    /** Operator accounts allowed to submit calibration jobs (jobs with a known answer). */
    calibrators: z.array(AddressSchema).default([]),
  })
  .strict();
export type CoordinatorSettingsInput = z.input<typeof CoordinatorSettingsSchema>;

export interface CoordinatorSettings extends z.infer<typeof CoordinatorSettingsSchema> {
  pricing: PricingPolicy;
}

export function coordinatorSettings(input: CoordinatorSettingsInput = {}): CoordinatorSettings {
  return { ...CoordinatorSettingsSchema.parse(input), pricing: DEFAULT_PRICING_POLICY };
}
