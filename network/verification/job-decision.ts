/**
 * What to do with a job after a result arrives: the whole verification rule
 * book as one pure function of the job's replicas, the policy and a source of
 * randomness. The store loads the snapshot, calls this, and applies the
 * decision in the same transaction.
 *
 * - A result that is the job's only live copy, from a provider the adaptive
 *   replication policy trusts this time, is accepted alone.
 * - Otherwise results are grouped by agreement (equal output hash, or every
 *   output within tolerance of the group's first result); a group of `quorum`
 *   results from distinct accounts settles the job: the group is valid, every
 *   other result invalid.
 * - Without a quorum and with no copy still running, one more copy is queued,
 *   up to `maxReplicas`; after that the job fails and its results are
 *   inconclusive (neither rewarded nor held against anyone).
 * - An untrusted training result is not re-run in full: one random checkpoint
 *   segment is audited (see segment jobs below).
 * - A canary (a replay of a verified job) is judged against the known answer.
 * - A segment audit re-runs steps [k, k+1] of a training result on another
 *   provider: the audited result's claimed state at k+1 is one candidate, the
 *   re-runs are the others, and a quorum decides whether the claim stands.
 */
import type { OutputGroups } from '../jobs/tensors.ts';
import { drawTrust, type ReplicationPolicy, trustProbability } from './adaptive-replication.ts';
import { compareOutputGroups, type OutputTolerances } from './tensor-compare.ts';

export type JobKindForVerification = 'inference' | 'training' | 'canary' | 'segment';
export type ReplicaState = 'queued' | 'leased' | 'submitted' | 'valid' | 'invalid' | 'inconclusive' | 'canceled';
export type SettledOutcome = 'valid' | 'invalid' | 'inconclusive';

export interface CandidateResult {
  outputSha256: string;
  outputs: OutputGroups;
}

export interface ReplicaSnapshot {
  replicaId: string;
  state: ReplicaState;
  account: string | null;
  /** Present once the replica has submitted. */
  result: CandidateResult | null;
  /** The provider's current run for the version key of its result (0 when unknown). */
  run: number;
  /** Training results: how many checkpoints the result reports (the segments an audit can pick from). */
  checkpointCount: number;
}

export interface JobSnapshot {
  jobId: string;
  kind: JobKindForVerification;
  replicas: readonly ReplicaSnapshot[];
  tolerances: OutputTolerances;
  /** Canaries: the verified answer. */
  knownAnswer: CandidateResult | null;
  /** Segment audits: the audited result's claimed state at the segment's end. */
  claim: CandidateResult | null;
}

export type VerificationMethod = 'trusted' | 'quorum' | 'known-answer' | 'segment-audit';

export interface Settlement {
  replicaId: string;
  outcome: SettledOutcome;
  reason: string;
}

export interface JobDecision {
  settle: Settlement[];
  /** Queued or leased replicas that are no longer needed. */
  cancel: string[];
  /** New copies of this job to queue. */
  addReplicas: number;
  /** The job is settled with this result as its answer. */
  verified: { canonicalReplicaId: string | null; method: VerificationMethod } | null;
  failed: { code: string; message: string } | null;
  /** Training: audit this replica's result by re-running the segment ending at checkpoint `segmentIndex`. */
  audit: { replicaId: string; segmentIndex: number } | null;
  /** Segment audits: whether the audited claim stood. */
  claimVerdict: 'upheld' | 'refuted' | 'undecided' | null;
  /** Trust draws made, for the record. */
  trustDraws: { replicaId: string; probability: number; trusted: boolean }[];
}

function emptyDecision(): JobDecision {
  return {
    settle: [],
    cancel: [],
    addReplicas: 0,
    verified: null,
    failed: null,
    audit: null,
    claimVerdict: null,
    trustDraws: [],
  };
}

const LIVE: ReadonlySet<ReplicaState> = new Set(['queued', 'leased', 'submitted']);

export function isLive(replica: ReplicaSnapshot): boolean {
  return LIVE.has(replica.state);
}

function agrees(a: CandidateResult, b: CandidateResult, tolerances: OutputTolerances): boolean {
  if (a.outputSha256 === b.outputSha256) return true;
  return compareOutputGroups(a.outputs, b.outputs, tolerances).agree;
}

interface Member {
  id: string;
  account: string | null;
  result: CandidateResult;
}

/**
 * Groups candidates by agreement with each group's first member, in order.
 * Agreement within a tolerance is not transitive, so comparing to one
 * representative keeps the grouping deterministic and order-stable.
 */
export function groupByAgreement(members: readonly Member[], tolerances: OutputTolerances): Member[][] {
  const groups: Member[][] = [];
  for (const member of members) {
    const group = groups.find((candidate) => agrees((candidate[0] as Member).result, member.result, tolerances));
    if (group) group.push(member);
    else groups.push([member]);
  }
  return groups;
}

/** Distinct accounts in a group (the claim of a segment audit counts as its own voice). */
function voices(group: readonly Member[]): number {
  return new Set(group.map((member) => member.account ?? `claim:${member.id}`)).size;
}

function openCopies(replicas: readonly ReplicaSnapshot[]): ReplicaSnapshot[] {
  return replicas.filter((replica) => replica.state === 'queued' || replica.state === 'leased');
}

function submitted(replicas: readonly ReplicaSnapshot[]): ReplicaSnapshot[] {
  return replicas.filter((replica) => replica.state === 'submitted' && replica.result !== null);
}

function asMember(replica: ReplicaSnapshot): Member {
  return { id: replica.replicaId, account: replica.account, result: replica.result as CandidateResult };
}

/** Queue one more copy, or fail the job when it already has as many as the policy allows. */
function needAnotherCopy(
  decision: JobDecision,
  job: JobSnapshot,
  policy: ReplicationPolicy,
  pending: readonly ReplicaSnapshot[],
): JobDecision {
  if (job.replicas.length < policy.maxReplicas) {
    decision.addReplicas = 1;
    return decision;
  }
  for (const replica of pending) {
    decision.settle.push({
      replicaId: replica.replicaId,
      outcome: 'inconclusive',
      reason: `no ${policy.quorum} results agreed within ${policy.maxReplicas} copies`,
    });
  }
  decision.failed = {
    code: 'no_agreement',
    message: `No ${policy.quorum} providers agreed on the result within ${policy.maxReplicas} copies; the outputs may not be reproducible within the job's tolerance. Loosen the tolerance or make the model deterministic, then submit again.`,
  };
  if (job.kind === 'segment') decision.claimVerdict = 'undecided';
  return decision;
}

function decideCanary(job: JobSnapshot): JobDecision {
  const decision = emptyDecision();
  const answer = job.knownAnswer;
  for (const replica of submitted(job.replicas)) {
    if (!answer) throw new Error(`canary ${job.jobId} has no known answer`);
    const comparison =
      replica.result?.outputSha256 === answer.outputSha256
        ? { agree: true as const }
        : compareOutputGroups((replica.result as CandidateResult).outputs, answer.outputs, job.tolerances);
    decision.settle.push(
      comparison.agree
        ? { replicaId: replica.replicaId, outcome: 'valid', reason: 'matches the verified answer' }
        : {
            replicaId: replica.replicaId,
            outcome: 'invalid',
            reason: `does not match the verified answer: ${comparison.reason}`,
          },
    );
    decision.verified = { canonicalReplicaId: null, method: 'known-answer' };
  }
  return decision;
}

function decideByQuorum(
  job: JobSnapshot,
  policy: ReplicationPolicy,
  candidates: Member[],
  pending: readonly ReplicaSnapshot[],
): JobDecision {
  const decision = emptyDecision();
  const groups = groupByAgreement(candidates, job.tolerances);
  const winner = groups.find((group) => voices(group) >= policy.quorum);
  if (winner) {
    const winners = new Set(winner.map((member) => member.id));
    const firstResult = winner.find((member) => member.account !== null);
    for (const replica of pending) {
      decision.settle.push(
        winners.has(replica.replicaId)
          ? {
              replicaId: replica.replicaId,
              outcome: 'valid',
              reason: `agrees with ${winner.length - 1} other result(s)`,
            }
          : {
              replicaId: replica.replicaId,
              outcome: 'invalid',
              reason: `disagrees with ${winner.length} agreeing results`,
            },
      );
    }
    decision.cancel = openCopies(job.replicas).map((replica) => replica.replicaId);
    if (job.kind === 'segment') {
      const claimWon = winner.some((member) => member.account === null);
      decision.claimVerdict = claimWon ? 'upheld' : 'refuted';
      decision.verified = { canonicalReplicaId: firstResult?.id ?? null, method: 'quorum' };
    } else {
      decision.verified = { canonicalReplicaId: (winner[0] as Member).id, method: 'quorum' };
    }
    return decision;
  }
  if (openCopies(job.replicas).length > 0) return decision;
  return needAnotherCopy(decision, job, policy, pending);
}

/** The decision for a job after one of its replicas submitted (or a copy went away). */
export function decideJob(job: JobSnapshot, policy: ReplicationPolicy, random: () => number): JobDecision {
  if (job.kind === 'canary') return decideCanary(job);
  const pending = submitted(job.replicas);

  if (job.kind === 'segment') {
    if (!job.claim) throw new Error(`segment audit ${job.jobId} has no claim`);
    const claim: Member = { id: `claim:${job.jobId}`, account: null, result: job.claim };
    if (pending.length === 0) {
      if (openCopies(job.replicas).length > 0) return emptyDecision();
      return needAnotherCopy(emptyDecision(), job, policy, pending);
    }
    return decideByQuorum(job, policy, [claim, ...pending.map(asMember)], pending);
  }

  if (pending.length === 0) {
    if (job.replicas.some(isLive)) return emptyDecision();
    return needAnotherCopy(emptyDecision(), job, policy, pending);
  }

  const live = job.replicas.filter(isLive);
  if (pending.length === 1 && live.length === 1) {
    const only = pending[0] as ReplicaSnapshot;
    const decision = emptyDecision();
    const probability = trustProbability(only.run, policy);
    const trusted = drawTrust(only.run, policy, random);
    decision.trustDraws.push({ replicaId: only.replicaId, probability, trusted });
    if (trusted) {
      decision.settle.push({ replicaId: only.replicaId, outcome: 'valid', reason: 'accepted from a trusted provider' });
      decision.verified = { canonicalReplicaId: only.replicaId, method: 'trusted' };
      return decision;
    }
    if (job.kind === 'training') {
      const segments = Math.max(1, only.checkpointCount);
      decision.audit = {
        replicaId: only.replicaId,
        segmentIndex: Math.min(segments - 1, Math.floor(random() * segments)),
      };
      return decision;
    }
    return needAnotherCopy(decision, job, policy, pending);
  }

  return decideByQuorum(job, policy, pending.map(asMember), pending);
}

/**
 * A training job after an audit of its result came back: an upheld claim
 * settles the job with that result; a refuted or undecided one leaves the job
 * without an answer, so another copy runs (or the job fails at the limit).
 */
export function decideAfterAudit(
  job: JobSnapshot,
  auditedReplicaId: string,
  verdict: 'upheld' | 'refuted' | 'undecided',
  policy: ReplicationPolicy,
): JobDecision {
  const decision = emptyDecision();
  if (verdict === 'upheld') {
    decision.settle.push({
      replicaId: auditedReplicaId,
      outcome: 'valid',
      reason: 'an independent re-run of a random checkpoint segment agreed',
    });
    decision.verified = { canonicalReplicaId: auditedReplicaId, method: 'segment-audit' };
    return decision;
  }
  decision.settle.push(
    verdict === 'refuted'
      ? {
          replicaId: auditedReplicaId,
          outcome: 'invalid',
          reason: 'independent re-runs of a random checkpoint segment disagreed with the reported checkpoint',
        }
      : {
          replicaId: auditedReplicaId,
          outcome: 'inconclusive',
          reason: 'the audit of a random checkpoint segment reached no agreement',
        },
  );
  const remaining: JobSnapshot = {
    ...job,
    replicas: job.replicas.map((replica) =>
      replica.replicaId === auditedReplicaId ? { ...replica, state: 'invalid' as const } : replica,
    ),
  };
  if (remaining.replicas.some(isLive)) return decision;
  return needAnotherCopy(decision, remaining, policy, []);
}
