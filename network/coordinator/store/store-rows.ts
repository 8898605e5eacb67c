/**
 * What the coordinator stores, as plain rows the services read and write.
 * The store interface (coordinator-store.ts) is written in these terms only,
 * so a server database can replace SQLite without touching the services.
 */
import type { JobSpec } from '../../jobs/job-spec-view.ts';
import type { Offer } from '../../payment/pricing.ts';
import type { CandidateResult, ReplicaState } from '../../verification/job-decision.ts';
import type { OutputTolerances } from '../../verification/tensor-compare.ts';
import type { BlobRef, Role } from '../../wire/common.ts';
import type { ResultSubmission, Segment } from '../../wire/leases.ts';
import type { ProviderProfile } from '../../wire/sessions.ts';

export interface SessionRow {
  publicKey: string;
  account: string;
  role: Role;
  expiresAt: number;
  createdAt: number;
}

export interface ProviderRow {
  account: string;
  profile: ProviderProfile;
  registeredAt: number;
  valid: number;
  invalid: number;
  inconclusive: number;
  earned: bigint;
}

export interface RunRow {
  appVersion: string;
  onnxruntimeVersion: string;
  run: number;
}

/**
 * inference and training come from requesters; calibration jobs from
 * operators, with their answer, and are never run for their own sake;
 * canaries (replays of verified or calibration jobs) and segment audits are
 * the coordinator's own checks.
 */
export type StoredJobKind = 'inference' | 'training' | 'calibration' | 'canary' | 'segment';
export type StoredJobState = 'open' | 'verified' | 'failed';

export interface JobRow {
  jobId: string;
  kind: StoredJobKind;
  /** Null for the coordinator's own jobs (canaries, audits), which no requester pays for. */
  requester: string | null;
  clientRequestId: string | null;
  spec: JobSpec;
  offer: Offer;
  tolerances: OutputTolerances;
  flopsPerRun: bigint | null;
  maxSeconds: number;
  state: StoredJobState;
  failure: { code: string; message: string } | null;
  submittedAt: number;
  updatedAt: number;
  verifiedAt: number | null;
  canonicalReplica: string | null;
  method: string | null;
  agreeing: number | null;
  /** What verified copies of this job (and audits of it) earned their providers. */
  cost: bigint;
  /** Canaries: the verified or calibration job replayed. Segment audits: the training job audited. */
  parentJob: string | null;
  auditedReplica: string | null;
  /** An account that may not run this job: the provider whose result a segment audit checks. */
  excludedAccount: string | null;
  segment: Segment | null;
  knownAnswer: CandidateResult | null;
  claim: CandidateResult | null;
}

export interface ReplicaRow {
  replicaId: string;
  jobId: string;
  state: ReplicaState;
  account: string | null;
  leaseId: string | null;
  result: ResultSubmission | null;
  reward: bigint | null;
  reason: string | null;
  /** Where the copy stands in the queue: its job's submission time, so older jobs finish first. */
  queueAt: number;
  createdAt: number;
  updatedAt: number;
}

export type LeaseState = 'active' | 'submitted' | 'expired' | 'released' | 'canceled';

export interface LeaseRow {
  leaseId: string;
  replicaId: string;
  account: string;
  state: LeaseState;
  blobs: BlobRef[];
  expiresAt: number;
  createdAt: number;
}

export type SettlementOutcome = 'valid' | 'invalid' | 'inconclusive' | 'expired' | 'released' | 'canceled';

export interface SettlementRow {
  seq: number;
  account: string;
  leaseId: string;
  outcome: SettlementOutcome;
  reward: bigint | null;
  reason: string | null;
  settledAt: number;
}

export interface VoucherRow {
  account: string;
  cumulative: bigint;
  signature: string;
  signer: string;
  chainId: number;
  vault: string;
  signedAt: number;
}

/** A relayed claim the coordinator signed for a provider's withdrawal (keyed by the withdrawal's EIP-712 digest). */
export interface RelayedClaimRow {
  digest: string;
  account: string;
  txHash: string;
  rawTx: string;
  fee: bigint;
  createdAt: number;
}
