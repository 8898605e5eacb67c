/**
 * What a verified result earns: a pure function of the work it measured and
 * the price the requester offered. Work is FLOPs (estimated from the model's
 * graph, identical for every copy) or device-seconds (measured by the
 * provider, capped by the job's own time limit). All arithmetic is bigint on
 * token base units, rounding down, so no float ever touches money.
 */
import { z } from 'zod';
import { TokenAmountSchema } from '../wire/common.ts';

export const PRICE_UNITS = ['gflop', 'device-second'] as const;
export const PriceUnitSchema = z.enum(PRICE_UNITS);
export type PriceUnit = z.infer<typeof PriceUnitSchema>;

export const OfferSchema = z
  .object({
    unit: PriceUnitSchema,
    /** Token base units per unit of work; the requester pays at most this. */
    maxPricePerUnit: TokenAmountSchema,
  })
  .strict();
export type Offer = z.infer<typeof OfferSchema>;

export interface PricingPolicy {
  /** The lowest price per unit the coordinator accepts, per unit. */
  minPricePerUnit: Record<PriceUnit, bigint>;
}

export const DEFAULT_PRICING_POLICY: PricingPolicy = {
  minPricePerUnit: { gflop: 1n, 'device-second': 1n },
};

export type MeasuredWork = { unit: 'gflop'; flops: bigint } | { unit: 'device-second'; deviceMs: bigint };

const FLOPS_PER_GFLOP = 1_000_000_000n;
const MS_PER_SECOND = 1_000n;

/** Reward for `work` at `pricePerUnit` base units, rounded down. */
export function rewardFor(work: MeasuredWork, pricePerUnit: bigint): bigint {
  if (pricePerUnit < 0n) throw new RangeError('a price cannot be negative');
  if (work.unit === 'gflop') {
    if (work.flops < 0n) throw new RangeError('work cannot be negative');
    return (work.flops * pricePerUnit) / FLOPS_PER_GFLOP;
  }
  if (work.deviceMs < 0n) throw new RangeError('work cannot be negative');
  return (work.deviceMs * pricePerUnit) / MS_PER_SECOND;
}

export interface JobWorkBasis {
  offer: Offer;
  /** FLOPs of one full run (inference: one pass; training: every step), when the model allowed an estimate. */
  flopsPerRun: bigint | null;
  /** The job's time limit for one run, which caps billed device time. */
  maxSeconds: number;
  /** Training: total steps; a segment audit is billed for its share of them. */
  steps: number;
}

/**
 * The work a copy is paid for. A segment audit re-runs `segmentSteps` of the
 * job's `steps`, so it is paid that share of the FLOPs and of the time cap.
 */
export function measuredWork(basis: JobWorkBasis, reportedDeviceMs: number, segmentSteps: number | null): MeasuredWork {
  const share = (value: bigint) =>
    segmentSteps === null ? value : (value * BigInt(segmentSteps)) / BigInt(basis.steps);
  if (basis.offer.unit === 'gflop') {
    if (basis.flopsPerRun === null) throw new RangeError('a FLOP-priced job needs a FLOP estimate');
    return { unit: 'gflop', flops: share(basis.flopsPerRun) };
  }
  const cap = share(BigInt(basis.maxSeconds) * MS_PER_SECOND);
  const reported = BigInt(Math.max(0, Math.floor(reportedDeviceMs)));
  return { unit: 'device-second', deviceMs: reported < cap ? reported : cap };
}

export function rewardForCopy(basis: JobWorkBasis, reportedDeviceMs: number, segmentSteps: number | null): bigint {
  return rewardFor(measuredWork(basis, reportedDeviceMs, segmentSteps), BigInt(basis.offer.maxPricePerUnit));
}

/** The most one copy can earn: all its FLOPs, or its whole time limit. */
export function maxRewardPerCopy(basis: JobWorkBasis, segmentSteps: number | null = null): bigint {
  return rewardForCopy(basis, basis.maxSeconds * 1000, segmentSteps);
}

/** Null when the offer is acceptable; otherwise the sentence explaining why not. */
export function offerProblem(offer: Offer, policy: PricingPolicy): string | null {
  const minimum = policy.minPricePerUnit[offer.unit];
  if (BigInt(offer.maxPricePerUnit) < minimum) {
    return `The offer of ${offer.maxPricePerUnit} base units per ${offer.unit} is below this coordinator's minimum of ${minimum}; offer at least that.`;
  }
  return null;
}
