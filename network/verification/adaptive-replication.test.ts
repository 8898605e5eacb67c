import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkToServe,
  DEFAULT_REPLICATION_POLICY,
  drawTrust,
  effectiveRun,
  ReplicationPolicySchema,
  replicasToAddAtLease,
  runAfter,
  trustProbability,
  versionKey,
} from './adaptive-replication.ts';

const policy = DEFAULT_REPLICATION_POLICY;

describe('adaptive replication', () => {
  it('never trusts a run below the threshold and trusts 1 - 1/run from there', () => {
    for (let run = 0; run < policy.trustThreshold; run++) expect(trustProbability(run, policy)).toBe(0);
    expect(trustProbability(10, policy)).toBeCloseTo(0.9);
    expect(trustProbability(100, policy)).toBeCloseTo(0.99);
  });

  it('draws trust exactly when the random number falls below the probability', () => {
    expect(drawTrust(9, policy, () => 0)).toBe(false);
    expect(drawTrust(10, policy, () => 0.89)).toBe(true);
    expect(drawTrust(10, policy, () => 0.9)).toBe(false);
  });

  it('a valid result extends the run and an invalid one resets it', () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), (run) => {
        expect(runAfter(run, 'valid')).toBe(run + 1);
        expect(runAfter(run, 'invalid')).toBe(0);
      }),
    );
  });

  it('trust probability is monotone in the run and stays in [0, 1)', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.nat(10_000), (a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        const pLow = trustProbability(low, policy);
        const pHigh = trustProbability(high, policy);
        expect(pLow).toBeLessThanOrEqual(pHigh);
        expect(pHigh).toBeGreaterThanOrEqual(0);
        expect(pHigh).toBeLessThan(1);
      }),
    );
  });

  it('queues the second copy at lease time only for untrusted providers of inference jobs', () => {
    const base = { jobKind: 'inference', liveReplicas: 1, totalReplicas: 1, policy };
    expect(replicasToAddAtLease({ ...base, providerRun: 0 })).toBe(1);
    expect(replicasToAddAtLease({ ...base, providerRun: 10 })).toBe(0);
    expect(replicasToAddAtLease({ ...base, jobKind: 'training', providerRun: 0 })).toBe(0);
    expect(replicasToAddAtLease({ ...base, liveReplicas: 2, totalReplicas: 2, providerRun: 0 })).toBe(0);
    expect(replicasToAddAtLease({ ...base, totalReplicas: policy.maxReplicas, providerRun: 0 })).toBe(0);
  });

  it('never adds copies beyond the quorum or the replica limit', () => {
    fc.assert(
      fc.property(fc.nat(8), fc.nat(40), fc.nat(50), (live, total, run) => {
        const added = replicasToAddAtLease({
          jobKind: 'inference',
          liveReplicas: live,
          totalReplicas: total,
          providerRun: run,
          policy,
        });
        expect(added).toBeGreaterThanOrEqual(0);
        expect(live + added).toBeLessThanOrEqual(Math.max(live, policy.quorum));
        expect(total + added).toBeLessThanOrEqual(Math.max(total, policy.maxReplicas));
      }),
    );
  });

  it('serves canaries to trusted providers and calibration jobs to the others, each at its rate', () => {
    expect(checkToServe(20, policy, () => 0)).toBe('canary');
    expect(checkToServe(20, policy, () => policy.canaryRate)).toBeNull();
    expect(checkToServe(20, { ...policy, canaryRate: 0 }, () => 0)).toBeNull();
    expect(checkToServe(5, policy, () => 0)).toBe('calibration');
    expect(checkToServe(5, policy, () => policy.calibrationRate)).toBeNull();
    expect(checkToServe(5, { ...policy, calibrationRate: 0 }, () => 0)).toBeNull();
  });

  it('never trusts a provider whose error rate is above the limit, whatever its run', () => {
    expect(effectiveRun(50, { valid: 100, invalid: 0 }, policy)).toBe(50);
    expect(effectiveRun(50, { valid: 98, invalid: 2 }, policy)).toBe(50);
    expect(effectiveRun(50, { valid: 90, invalid: 10 }, policy)).toBe(0);
    expect(effectiveRun(0, { valid: 0, invalid: 0 }, policy)).toBe(0);
    fc.assert(
      fc.property(fc.nat(1000), fc.nat(1000), fc.nat(1000), (run, valid, invalid) => {
        const effective = effectiveRun(run, { valid, invalid }, policy);
        expect(effective === run || effective === 0).toBe(true);
      }),
    );
  });

  it('keys runs by app and onnxruntime version', () => {
    expect(versionKey('0.1.0', '1.30.0')).not.toBe(versionKey('0.1.0', '1.31.0'));
  });

  it('refuses a policy without room for a tie-breaking copy', () => {
    const parsed = ReplicationPolicySchema.safeParse({ ...policy, quorum: 3, maxReplicas: 3 });
    expect(parsed.success).toBe(false);
  });
});
