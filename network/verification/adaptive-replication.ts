/**
 * BOINC-style adaptive replication. Each provider has, per app version, a run
 * of consecutive valid results. Below the threshold (10) its results are
 * never trusted alone; from there on a result is trusted with probability
 * 1 - 1/run, so a long honest record costs the network almost no copies while
 * a cheater can never be sure its result will go unchecked. One invalid result
 * resets the run to 0.
 */
import { z } from 'zod';

export const ReplicationPolicySchema = z
  .object({
    /** Consecutive valid results before a provider's results may be accepted alone. */
    trustThreshold: z.number().int().min(1).max(1_000_000),
    /** Agreeing results from distinct accounts that settle a job (or a checkpoint audit). */
    quorum: z.number().int().min(2).max(8),
    /** Copies of one job ever created; a job that reaches this without a quorum fails. */
    maxReplicas: z.number().int().min(2).max(32),
    /** Chance that a trusted provider's lease is a canary with a known answer instead of new work. */
    canaryRate: z.number().min(0).max(1),
    /**
     * Chance that a provider not yet trusted gets a calibration job (an
     * operator's job with a known answer) when one is available: how a new
     * provider proves itself, and how a cheater is caught, even where too few
     * providers exist to replicate every job.
     */
    calibrationRate: z.number().min(0).max(1),
    /**
     * A provider whose rejected share of all its results is above this is
     * never trusted alone, whatever its run: BOINC's rule alone trusts a
     * machine that errs one time in ten for most of its results, because its
     * runs often pass the threshold between errors.
     */
    maxTrustedErrorRate: z.number().min(0).max(1),
  })
  .strict()
  .refine((policy) => policy.maxReplicas >= policy.quorum + 1, {
    path: ['maxReplicas'],
    message: 'must leave room for at least one tie-breaking copy above the quorum',
  });
export type ReplicationPolicy = z.infer<typeof ReplicationPolicySchema>;

export const DEFAULT_REPLICATION_POLICY: ReplicationPolicy = {
  trustThreshold: 10,
  quorum: 2,
  maxReplicas: 5,
  canaryRate: 0.02,
  calibrationRate: 0.25,
  maxTrustedErrorRate: 0.02,
};

/** The chance that a result from a provider with this run is accepted without a second copy. */
export function trustProbability(run: number, policy: Pick<ReplicationPolicy, 'trustThreshold'>): number {
  if (run < policy.trustThreshold) return 0;
  return 1 - 1 / run;
}

/** Draws whether this result is trusted alone; `random` returns a number in [0, 1). */
export function drawTrust(
  run: number,
  policy: Pick<ReplicationPolicy, 'trustThreshold'>,
  random: () => number,
): boolean {
  const probability = trustProbability(run, policy);
  return probability > 0 && random() < probability;
}

/**
 * The run that trust decisions use: the provider's run for these versions,
 * or 0 when its error rate over all its results is too high to trust it.
 */
export function effectiveRun(
  run: number,
  counts: { valid: number; invalid: number },
  policy: Pick<ReplicationPolicy, 'maxTrustedErrorRate'>,
): number {
  const total = counts.valid + counts.invalid;
  if (total > 0 && counts.invalid / total > policy.maxTrustedErrorRate) return 0;
  return run;
}

export function runAfter(run: number, outcome: 'valid' | 'invalid'): number {
  return outcome === 'valid' ? run + 1 : 0;
}

/**
 * Copies to queue when a provider leases an inference job: a provider that
 * cannot be trusted yet will need a second opinion anyway, so the second copy
 * is queued at once and runs in parallel instead of after the first.
 */
export function replicasToAddAtLease(input: {
  jobKind: string;
  liveReplicas: number;
  totalReplicas: number;
  providerRun: number;
  policy: ReplicationPolicy;
}): number {
  if (input.jobKind !== 'inference') return 0;
  if (input.providerRun >= input.policy.trustThreshold) return 0;
  const wanted = input.policy.quorum - input.liveReplicas;
  return Math.max(0, Math.min(wanted, input.policy.maxReplicas - input.totalReplicas));
}

export type CheckToServe = 'canary' | 'calibration' | null;

/**
 * Whether a lease should be a check with a known answer instead of new work:
 * a trusted provider, whose results would otherwise go unchecked, gets a
 * canary (a replay of any verified job) at the canary rate; a provider not
 * yet trusted gets a calibration job at the calibration rate.
 */
export function checkToServe(run: number, policy: ReplicationPolicy, random: () => number): CheckToServe {
  const trusted = run >= policy.trustThreshold;
  const rate = trusted ? policy.canaryRate : policy.calibrationRate;
  if (rate <= 0 || random() >= rate) return null;
  return trusted ? 'canary' : 'calibration';
}

/** The versions a run belongs to: a new app or onnxruntime version starts a new record. */
export function versionKey(appVersion: string, onnxruntimeVersion: string): string {
  return `${appVersion}+ort${onnxruntimeVersion}`;
}
