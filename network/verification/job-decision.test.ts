import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { float32Tensor } from '../jobs/tensors.ts';
import { DEFAULT_REPLICATION_POLICY } from './adaptive-replication.ts';
import {
  type CandidateResult,
  decideAfterAudit,
  decideJob,
  groupByAgreement,
  type JobSnapshot,
  type ReplicaSnapshot,
} from './job-decision.ts';
import { DEFAULT_TOLERANCES } from './tensor-compare.ts';

const policy = DEFAULT_REPLICATION_POLICY;

function result(value: number): CandidateResult {
  return { outputSha256: `hash-${value}`, outputs: [[float32Tensor('y', [1], [value])]] };
}

function replica(id: string, partial: Partial<ReplicaSnapshot> = {}): ReplicaSnapshot {
  return { replicaId: id, state: 'queued', account: null, result: null, run: 0, checkpointCount: 0, ...partial };
}

function submittedReplica(id: string, account: string, value: number, run = 0): ReplicaSnapshot {
  return replica(id, { state: 'submitted', account, result: result(value), run });
}

function job(kind: JobSnapshot['kind'], replicas: ReplicaSnapshot[], extra: Partial<JobSnapshot> = {}): JobSnapshot {
  return { jobId: 'j', kind, replicas, tolerances: DEFAULT_TOLERANCES, knownAnswer: null, claim: null, ...extra };
}

const never = () => 0.999_999;
const always = () => 0;

describe('decideJob', () => {
  it('accepts a lone result from a trusted provider when the draw says so', () => {
    const decision = decideJob(job('inference', [submittedReplica('a', '0xA', 1, 50)]), policy, always);
    expect(decision.verified).toEqual({ canonicalReplicaId: 'a', method: 'trusted' });
    expect(decision.settle).toEqual([{ replicaId: 'a', outcome: 'valid', reason: 'accepted from a trusted provider' }]);
    expect(decision.trustDraws[0]?.trusted).toBe(true);
  });

  it('asks for a second copy when a lone result is not trusted', () => {
    const decision = decideJob(job('inference', [submittedReplica('a', '0xA', 1, 3)]), policy, always);
    expect(decision.verified).toBeNull();
    expect(decision.addReplicas).toBe(1);
    expect(decision.settle).toEqual([]);
  });

  it('waits while another copy is still running', () => {
    const decision = decideJob(
      job('inference', [submittedReplica('a', '0xA', 1), replica('b', { state: 'leased', account: '0xB' })]),
      policy,
      never,
    );
    expect(decision).toMatchObject({ settle: [], addReplicas: 0, verified: null });
  });

  it('settles a quorum of agreeing distinct providers and rejects the odd one out', () => {
    const decision = decideJob(
      job('inference', [
        submittedReplica('a', '0xA', 1),
        submittedReplica('b', '0xB', 7),
        submittedReplica('c', '0xC', 1),
      ]),
      policy,
      never,
    );
    expect(decision.verified).toEqual({ canonicalReplicaId: 'a', method: 'quorum' });
    expect(decision.settle.find((s) => s.replicaId === 'b')?.outcome).toBe('invalid');
    expect(decision.settle.filter((s) => s.outcome === 'valid').map((s) => s.replicaId)).toEqual(['a', 'c']);
  });

  it('does not count two results of one account as a quorum', () => {
    const decision = decideJob(
      job('inference', [submittedReplica('a', '0xA', 1), submittedReplica('b', '0xA', 1)]),
      policy,
      never,
    );
    expect(decision.verified).toBeNull();
    expect(decision.addReplicas).toBe(1);
  });

  it('fails the job at the replica limit and holds nothing against anyone', () => {
    const replicas = [1, 2, 3, 4, 5].map((v, i) => submittedReplica(`r${i}`, `0x${i}`, v));
    const decision = decideJob(job('inference', replicas), policy, never);
    expect(decision.failed?.code).toBe('no_agreement');
    expect(decision.settle.every((s) => s.outcome === 'inconclusive')).toBe(true);
  });

  it('cancels open copies once a quorum is reached', () => {
    const decision = decideJob(
      job('inference', [submittedReplica('a', '0xA', 1), submittedReplica('b', '0xB', 1), replica('c')]),
      policy,
      never,
    );
    expect(decision.cancel).toEqual(['c']);
  });

  it('judges a canary against its known answer', () => {
    const good = decideJob(job('canary', [submittedReplica('a', '0xA', 1)], { knownAnswer: result(1) }), policy, never);
    expect(good.settle[0]?.outcome).toBe('valid');
    const bad = decideJob(job('canary', [submittedReplica('a', '0xA', 2)], { knownAnswer: result(1) }), policy, never);
    expect(bad.settle[0]?.outcome).toBe('invalid');
    expect(bad.settle[0]?.reason).toContain('verified answer');
  });

  it('audits an untrusted training result by a random checkpoint segment instead of a full copy', () => {
    const training = job('training', [
      replica('a', { state: 'submitted', account: '0xA', result: result(1), checkpointCount: 4 }),
    ]);
    const decision = decideJob(training, policy, () => 0.6);
    expect(decision.audit).toEqual({ replicaId: 'a', segmentIndex: 2 });
    expect(decision.addReplicas).toBe(0);
  });

  it('upholds a segment claim that a re-run agrees with, and refutes one two re-runs contradict', () => {
    const upheld = decideJob(job('segment', [submittedReplica('s1', '0xB', 1)], { claim: result(1) }), policy, never);
    expect(upheld.claimVerdict).toBe('upheld');
    expect(upheld.settle[0]?.outcome).toBe('valid');
    const split = decideJob(job('segment', [submittedReplica('s1', '0xB', 2)], { claim: result(1) }), policy, never);
    expect(split.claimVerdict).toBeNull();
    expect(split.addReplicas).toBe(1);
    const refuted = decideJob(
      job('segment', [submittedReplica('s1', '0xB', 2), submittedReplica('s2', '0xC', 2)], { claim: result(1) }),
      policy,
      never,
    );
    expect(refuted.claimVerdict).toBe('refuted');
  });

  it('settles the audited training result by the verdict', () => {
    const training = job('training', [replica('a', { state: 'submitted', account: '0xA', result: result(1) })]);
    expect(decideAfterAudit(training, 'a', 'upheld', policy).verified?.method).toBe('segment-audit');
    const refuted = decideAfterAudit(training, 'a', 'refuted', policy);
    expect(refuted.settle[0]?.outcome).toBe('invalid');
    expect(refuted.addReplicas).toBe(1);
  });

  it('never settles a replica twice and never marks both sides of a split valid', () => {
    const arbitraryReplicas = fc.array(
      fc.record({
        account: fc.constantFrom('0xA', '0xB', '0xC', '0xD'),
        value: fc.constantFrom(1, 2, 3),
        run: fc.nat(40),
      }),
      { minLength: 1, maxLength: 5 },
    );
    fc.assert(
      fc.property(arbitraryReplicas, fc.double({ min: 0, max: 0.999, noNaN: true }), (specs, draw) => {
        const replicas = specs.map((s, i) => submittedReplica(`r${i}`, s.account, s.value, s.run));
        const decision = decideJob(job('inference', replicas), policy, () => draw);
        const ids = decision.settle.map((s) => s.replicaId);
        expect(new Set(ids).size).toBe(ids.length);
        const validValues = new Set(
          decision.settle
            .filter((s) => s.outcome === 'valid')
            .map((s) => replicas.find((r) => r.replicaId === s.replicaId)?.result?.outputSha256),
        );
        expect(validValues.size).toBeLessThanOrEqual(1);
        expect(decision.verified === null || decision.failed === null).toBe(true);
      }),
    );
  });

  it('groups by agreement with each group first member, in order', () => {
    const members = [1, 2, 1, 3, 2].map((v, i) => ({ id: `m${i}`, account: `0x${i}`, result: result(v) }));
    expect(groupByAgreement(members, DEFAULT_TOLERANCES).map((g) => g.map((m) => m.id))).toEqual([
      ['m0', 'm2'],
      ['m1', 'm4'],
      ['m3'],
    ]);
  });
});
