/**
 * The one storage interface the coordinator's services use. Every method is
 * synchronous and `transaction` runs a function atomically (and, with
 * `durable`, on disk before it returns, with everything committed before it): the services
 * read a job, decide, and write the decision in one transaction, so a crash
 * leaves either all of a decision or none of it. SQLite implements it
 * (sqlite-store.ts); a server database would implement the same methods.
 */
import type {
  JobRow,
  LeaseRow,
  LeaseState,
  ProviderRow,
  RelayedClaimRow,
  ReplicaRow,
  RunRow,
  SessionRow,
  SettlementRow,
  VoucherRow,
} from './store-rows.ts';

export type JobPatch = Partial<
  Pick<JobRow, 'state' | 'failure' | 'updatedAt' | 'verifiedAt' | 'canonicalReplica' | 'method' | 'agreeing' | 'cost'>
>;
export type ReplicaPatch = Partial<
  Pick<ReplicaRow, 'state' | 'account' | 'leaseId' | 'result' | 'reward' | 'reason' | 'updatedAt'>
>;

export interface CoordinatorStore {
  transaction<T>(fn: () => T, options?: { durable?: boolean }): T;
  /**
   * Resolves once every transaction run so far is committed; rejects when
   * their commit failed (they are rolled back). A store may defer commits to
   * group them (sqlite-store.ts `groupCommit`); later reads in this process
   * see the writes at once, so answer nothing outside the process before
   * this resolves. Durable transactions are committed when they return.
   */
  committed(): Promise<void>;
  close(): void;

  getMeta(key: string): string | undefined;
  setMeta(key: string, value: string): void;

  putSession(row: SessionRow): void;
  getSession(publicKey: string): SessionRow | undefined;

  upsertProvider(account: string, profile: ProviderRow['profile'], now: number): void;
  getProvider(account: string): ProviderRow | undefined;
  /** Counts a settled result and adds its reward to the account's cumulative earnings. */
  recordOutcome(account: string, outcome: 'valid' | 'invalid' | 'inconclusive', reward: bigint): void;
  getRun(account: string, appVersion: string, onnxruntimeVersion: string): number;
  setRun(account: string, appVersion: string, onnxruntimeVersion: string, run: number): void;
  listRuns(account: string): RunRow[];

  /** Stores a blob; false when it was already there. */
  putBlob(sha256: string, data: Buffer, owner: string, now: number): boolean;
  getBlob(sha256: string): Buffer | undefined;
  missingBlobs(sha256s: readonly string[]): string[];
  blobOwner(sha256: string): string | undefined;
  linkBlobsToJob(sha256s: readonly string[], jobId: string): void;
  /** Whether a job of this requester references the blob (its inputs or its result's checkpoints). */
  requesterCanRead(sha256: string, requester: string): boolean;

  insertJob(row: JobRow): void;
  getJob(jobId: string): JobRow | undefined;
  findJobByClientRequestId(requester: string, clientRequestId: string): JobRow | undefined;
  updateJob(jobId: string, patch: JobPatch): void;
  /**
   * Jobs with a known answer that `account` never worked on or got a canary
   * of, newest first: calibration jobs, and (with `verifiedJobs`) verified
   * inference jobs. Where canaries come from.
   */
  canarySources(account: string, limit: number, verifiedJobs: boolean): string[];

  insertReplica(row: ReplicaRow): void;
  getReplica(replicaId: string): ReplicaRow | undefined;
  listReplicas(jobId: string): ReplicaRow[];
  /** Who holds each copy of a job and in what state, without reading results (leasing asks this per candidate). */
  replicaHolders(jobId: string): Pick<ReplicaRow, 'account' | 'state'>[];
  updateReplica(replicaId: string, patch: ReplicaPatch): void;
  /** Queued replicas, those of the oldest jobs first (so started jobs finish before new ones start). */
  queuedReplicas(limit: number): ReplicaRow[];
  /** Replicas this account submitted whose outcome is not known yet. */
  countPending(account: string): number;

  insertLease(row: LeaseRow): void;
  getLease(leaseId: string): LeaseRow | undefined;
  setLeaseState(leaseId: string, state: LeaseState, expiresAt?: number): void;
  expiredLeases(now: number, limit: number): LeaseRow[];
  activeLeasesOf(account: string): LeaseRow[];

  insertSettlement(row: Omit<SettlementRow, 'seq'>): number;
  listSettlements(account: string, after: number, limit: number): SettlementRow[];

  getVoucher(account: string): VoucherRow | undefined;
  putVoucher(row: VoucherRow): void;

  getRelayedClaim(digest: string): RelayedClaimRow | undefined;
  /** Replaces the row for the digest (a claim whose transaction reverted is signed anew). */
  putRelayedClaim(row: RelayedClaimRow): void;
}
