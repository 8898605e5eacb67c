/**
 * The CoordinatorStore on SQLite (better-sqlite3): synchronous, so a
 * decision and its writes share one transaction; statements are prepared
 * once. JSON columns hold values that were validated before they were
 * written, so reading them back trusts their shape.
 *
 * With `groupCommit`, the transactions of one event-loop turn share one
 * commit: each runs in a savepoint of a transaction that stays open until
 * the turn ends (setImmediate), and `committed()` resolves once it is on
 * disk. A commit of its own cost about 0.35 ms of wall time here (WAL frames
 * written, pages waiting on writeback, checkpoints), most of a request's
 * database time; twenty requests sharing one cost 0.03 ms each.
 */
import type Database from 'better-sqlite3';
import type { CoordinatorStore, JobPatch, ReplicaPatch } from './coordinator-store.ts';
import type { CoordinatorDatabase } from './open-coordinator-database.ts';
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

type Row = Record<string, unknown>;

/** Entries a read cache holds before it starts over: bounded memory, and a restart costs only re-reads. */
const CACHE_LIMIT = 20_000;

function remember<T>(cache: Map<string, T>, key: string, value: T): void {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
}

const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));
const parse = <T>(value: unknown): T => (value === null ? (null as T) : (JSON.parse(value as string) as T));
const amount = (value: unknown) => (value === null ? null : BigInt(value as string));

/** The columns a job is created with and never changes, parsed. */
type JobConstants = Pick<JobRow, 'spec' | 'offer' | 'tolerances' | 'flopsPerRun' | 'segment' | 'knownAnswer' | 'claim'>;

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

function jobConstantsFromRow(row: Row): JobConstants {
  // Frozen, since every read of the job shares them: a caller that tried to change one would throw.
  return deepFreeze({
    spec: parse(row.spec),
    offer: parse(row.offer),
    tolerances: parse(row.tolerances),
    flopsPerRun: amount(row.flops_per_run),
    segment: parse(row.segment),
    knownAnswer: parse(row.known_answer),
    claim: parse(row.claim),
  });
}

function jobFromRow(row: Row, constants: JobConstants): JobRow {
  return {
    jobId: row.job_id as string,
    kind: row.kind as JobRow['kind'],
    requester: row.requester as string | null,
    clientRequestId: row.client_request_id as string | null,
    spec: constants.spec,
    offer: constants.offer,
    tolerances: constants.tolerances,
    flopsPerRun: constants.flopsPerRun,
    maxSeconds: row.max_seconds as number,
    state: row.state as JobRow['state'],
    failure: parse(row.failure),
    submittedAt: row.submitted_at as number,
    updatedAt: row.updated_at as number,
    verifiedAt: row.verified_at as number | null,
    canonicalReplica: row.canonical_replica as string | null,
    method: row.method as string | null,
    agreeing: row.agreeing as number | null,
    cost: BigInt(row.cost as string),
    parentJob: row.parent_job as string | null,
    auditedReplica: row.audited_replica as string | null,
    excludedAccount: row.excluded_account as string | null,
    segment: constants.segment,
    knownAnswer: constants.knownAnswer,
    claim: constants.claim,
  };
}

function replicaFromRow(row: Row): ReplicaRow {
  return {
    replicaId: row.replica_id as string,
    jobId: row.job_id as string,
    state: row.state as ReplicaRow['state'],
    account: row.account as string | null,
    leaseId: row.lease_id as string | null,
    result: parse(row.result),
    reward: amount(row.reward),
    reason: row.reason as string | null,
    queueAt: row.queue_at as number,
    createdAt: row.created_at as number,
    updatedAt: row.updated_at as number,
  };
}

function leaseFromRow(row: Row): LeaseRow {
  return {
    leaseId: row.lease_id as string,
    replicaId: row.replica_id as string,
    account: row.account as string,
    state: row.state as LeaseState,
    blobs: parse(row.blobs),
    expiresAt: row.expires_at as number,
    createdAt: row.created_at as number,
  };
}

const JOB_PATCH_COLUMNS: Record<keyof JobPatch, [string, (value: never) => unknown]> = {
  state: ['state', (v) => v],
  failure: ['failure', json],
  updatedAt: ['updated_at', (v) => v],
  verifiedAt: ['verified_at', (v) => v],
  canonicalReplica: ['canonical_replica', (v) => v],
  method: ['method', (v) => v],
  agreeing: ['agreeing', (v) => v],
  cost: ['cost', (v: bigint) => v.toString()],
};

const REPLICA_PATCH_COLUMNS: Record<keyof ReplicaPatch, [string, (value: never) => unknown]> = {
  state: ['state', (v) => v],
  account: ['account', (v) => v],
  leaseId: ['lease_id', (v) => v],
  result: ['result', json],
  reward: ['reward', (v: bigint | null) => (v === null ? null : v.toString())],
  reason: ['reason', (v) => v],
  updatedAt: ['updated_at', (v) => v],
};

export interface SqliteStoreOptions {
  /** Commit the transactions of one event-loop turn together; see `committed()`. */
  groupCommit?: boolean;
}

/** The open group transaction: those waiting on `committed()` hear when it is on disk. */
interface CommitGroup {
  done: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class SqliteCoordinatorStore implements CoordinatorStore {
  readonly #db: CoordinatorDatabase;
  readonly #statements = new Map<string, Database.Statement>();
  readonly #groupCommit: boolean;
  #group: CommitGroup | null = null;
  /**
   * Read caches of what never changes once written (a job's creation-time
   * columns) or changes only through this store (sessions, providers,
   * reliability runs; this process is the database's only writer). A copy's
   * lease and result read these about ten times; each read was a statement
   * and a JSON parse. Emptied whenever a transaction is undone, so they never
   * hold a rolled-back write.
   */
  readonly #jobConstants = new Map<string, JobConstants>();
  readonly #sessions = new Map<string, SessionRow>();
  readonly #providers = new Map<string, ProviderRow>();
  readonly #runs = new Map<string, number>();
  /** One transaction wrapper: better-sqlite3 builds four functions per `db.transaction(fn)` call. */
  readonly #transaction: (fn: () => unknown) => unknown;

  constructor(db: CoordinatorDatabase, options: SqliteStoreOptions = {}) {
    this.#db = db;
    this.#groupCommit = options.groupCommit ?? false;
    this.#transaction = db.transaction((fn: () => unknown) => fn());
  }

  #sql(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  #patch(
    table: string,
    key: string,
    id: string,
    patch: object,
    columns: Record<string, [string, (v: never) => unknown]>,
    derived: [string, unknown][] = [],
  ) {
    const entries = Object.entries(patch).filter(([, value]) => value !== undefined);
    if (entries.length === 0) return;
    const sets = [
      ...entries.map(([name]) => (columns[name] as [string, unknown])[0]),
      ...derived.map(([column]) => column),
    ]
      .map((column) => `${column} = ?`)
      .join(', ');
    const values = entries.map(([name, value]) =>
      (columns[name] as [string, (v: never) => unknown])[1](value as never),
    );
    this.#sql(`UPDATE ${table} SET ${sets} WHERE ${key} = ?`).run(...values, ...derived.map(([, value]) => value), id);
  }

  /**
   * Every commit survives the process being killed (WAL). A durable one also
   * survives the machine losing power: the WAL is synced, which covers every
   * earlier commit too, so one durable commit makes all before it durable.
   */
  transaction<T>(fn: () => T, options: { durable?: boolean } = {}): T {
    if (options.durable) {
      // SQLite cannot change the sync level inside a transaction: commit the open group, then this one alone.
      this.#commitGroup();
      this.#db.pragma('synchronous = FULL');
      try {
        return this.#run(fn);
      } finally {
        this.#db.pragma('synchronous = NORMAL');
      }
    }
    if (this.#groupCommit && !this.#group) this.#openGroup();
    // Nested in the open group, better-sqlite3 runs it as a savepoint: a throw undoes only this function's writes.
    return this.#run(fn);
  }

  #run<T>(fn: () => T): T {
    try {
      return this.#transaction(fn) as T;
    } catch (error) {
      this.#forgetCaches();
      throw error;
    }
  }

  #forgetCaches(): void {
    this.#jobConstants.clear();
    this.#sessions.clear();
    this.#providers.clear();
    this.#runs.clear();
  }

  committed(): Promise<void> {
    return this.#group?.done ?? Promise.resolve();
  }

  #openGroup(): void {
    let resolve = () => {};
    let reject: (error: unknown) => void = () => {};
    const done = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // Whoever acknowledges something awaits `done`; a group nobody waits on must not crash the process.
    done.catch(() => {});
    this.#sql('BEGIN').run();
    const group = { done, resolve, reject };
    this.#group = group;
    setImmediate(() => {
      if (this.#group === group) this.#commitGroup();
    });
  }

  #commitGroup(): void {
    const group = this.#group;
    if (!group) return;
    this.#group = null;
    try {
      // SQLite rolls a transaction back by itself after some errors (a full disk, an I/O error).
      if (!this.#db.inTransaction) throw new Error('SQLite rolled the group transaction back after an error');
      this.#sql('COMMIT').run();
      group.resolve();
    } catch (error) {
      if (this.#db.inTransaction) this.#sql('ROLLBACK').run();
      this.#forgetCaches();
      group.reject(error);
    }
  }

  close(): void {
    this.#commitGroup();
    this.#db.close();
  }

  getMeta(key: string): string | undefined {
    return (this.#sql('SELECT value FROM meta WHERE key = ?').get(key) as Row | undefined)?.value as string | undefined;
  }

  setMeta(key: string, value: string): void {
    this.#sql('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(
      key,
      value,
    );
  }

  putSession(row: SessionRow): void {
    this.#sessions.delete(row.publicKey);
    this.#sql(
      'INSERT OR REPLACE INTO sessions (public_key, account, role, expires_at, created_at) VALUES (?, ?, ?, ?, ?)',
    ).run(row.publicKey, row.account, row.role, row.expiresAt, row.createdAt);
  }

  getSession(publicKey: string): SessionRow | undefined {
    const cached = this.#sessions.get(publicKey);
    if (cached) return cached;
    const row = this.#sql('SELECT * FROM sessions WHERE public_key = ?').get(publicKey) as Row | undefined;
    if (!row) return undefined;
    const session: SessionRow = Object.freeze({
      publicKey: row.public_key as string,
      account: row.account as string,
      role: row.role as SessionRow['role'],
      expiresAt: row.expires_at as number,
      createdAt: row.created_at as number,
    });
    remember(this.#sessions, publicKey, session);
    return session;
  }

  upsertProvider(account: string, profile: ProviderRow['profile'], now: number): void {
    this.#providers.delete(account);
    this.#sql(
      'INSERT INTO providers (account, profile, registered_at) VALUES (?, ?, ?) ON CONFLICT(account) DO UPDATE SET profile = excluded.profile',
    ).run(account, JSON.stringify(profile), now);
  }

  getProvider(account: string): ProviderRow | undefined {
    const cached = this.#providers.get(account);
    if (cached) return cached;
    const row = this.#sql('SELECT * FROM providers WHERE account = ?').get(account) as Row | undefined;
    if (!row) return undefined;
    const provider: ProviderRow = deepFreeze({
      account: row.account as string,
      profile: parse(row.profile),
      registeredAt: row.registered_at as number,
      valid: row.valid as number,
      invalid: row.invalid as number,
      inconclusive: row.inconclusive as number,
      earned: BigInt(row.earned as string),
    });
    remember(this.#providers, account, provider);
    return provider;
  }

  recordOutcome(account: string, outcome: 'valid' | 'invalid' | 'inconclusive', reward: bigint): void {
    const provider = this.getProvider(account);
    if (!provider) throw new Error(`no provider ${account}`);
    const earned = provider.earned + reward;
    this.#sql(`UPDATE providers SET ${outcome} = ${outcome} + 1, earned = ? WHERE account = ?`).run(
      earned.toString(),
      account,
    );
    this.#providers.set(account, Object.freeze({ ...provider, [outcome]: provider[outcome] + 1, earned }));
  }

  getRun(account: string, appVersion: string, onnxruntimeVersion: string): number {
    const key = `${account}\n${appVersion}\n${onnxruntimeVersion}`;
    const cached = this.#runs.get(key);
    if (cached !== undefined) return cached;
    const row = this.#sql(
      'SELECT run FROM reliability WHERE account = ? AND app_version = ? AND onnxruntime_version = ?',
    ).get(account, appVersion, onnxruntimeVersion) as Row | undefined;
    const run = (row?.run as number | undefined) ?? 0;
    remember(this.#runs, key, run);
    return run;
  }

  setRun(account: string, appVersion: string, onnxruntimeVersion: string, run: number): void {
    this.#sql(
      'INSERT INTO reliability (account, app_version, onnxruntime_version, run) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET run = excluded.run',
    ).run(account, appVersion, onnxruntimeVersion, run);
    remember(this.#runs, `${account}\n${appVersion}\n${onnxruntimeVersion}`, run);
  }

  listRuns(account: string): RunRow[] {
    return (
      this.#sql('SELECT * FROM reliability WHERE account = ? ORDER BY app_version, onnxruntime_version').all(
        account,
      ) as Row[]
    ).map((row) => ({
      appVersion: row.app_version as string,
      onnxruntimeVersion: row.onnxruntime_version as string,
      run: row.run as number,
    }));
  }

  putBlob(sha256: string, data: Buffer, owner: string, now: number): boolean {
    const result = this.#sql(
      'INSERT OR IGNORE INTO blobs (sha256, bytes, data, owner, created_at) VALUES (?, ?, ?, ?, ?)',
    ).run(sha256, data.length, data, owner, now);
    return result.changes > 0;
  }

  getBlob(sha256: string): Buffer | undefined {
    return (this.#sql('SELECT data FROM blobs WHERE sha256 = ?').get(sha256) as Row | undefined)?.data as
      | Buffer
      | undefined;
  }

  missingBlobs(sha256s: readonly string[]): string[] {
    const has = this.#sql('SELECT 1 FROM blobs WHERE sha256 = ?');
    return sha256s.filter((sha256) => has.get(sha256) === undefined);
  }

  blobOwner(sha256: string): string | undefined {
    return (this.#sql('SELECT owner FROM blobs WHERE sha256 = ?').get(sha256) as Row | undefined)?.owner as
      | string
      | undefined;
  }

  linkBlobsToJob(sha256s: readonly string[], jobId: string): void {
    const link = this.#sql('INSERT OR IGNORE INTO blob_jobs (sha256, job_id) VALUES (?, ?)');
    for (const sha256 of sha256s) link.run(sha256, jobId);
  }

  requesterCanRead(sha256: string, requester: string): boolean {
    return (
      this.#sql(
        'SELECT 1 FROM blob_jobs b JOIN jobs j ON j.job_id = b.job_id WHERE b.sha256 = ? AND j.requester = ? LIMIT 1',
      ).get(sha256, requester) !== undefined
    );
  }

  insertJob(row: JobRow): void {
    this.#sql(
      `INSERT INTO jobs (job_id, kind, requester, client_request_id, spec, offer, tolerances, flops_per_run, max_seconds,
        state, failure, submitted_at, updated_at, verified_at, canonical_replica, method, agreeing, cost, parent_job,
        audited_replica, excluded_account, segment, known_answer, claim)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      row.jobId,
      row.kind,
      row.requester,
      row.clientRequestId,
      JSON.stringify(row.spec),
      JSON.stringify(row.offer),
      JSON.stringify(row.tolerances),
      row.flopsPerRun === null ? null : row.flopsPerRun.toString(),
      row.maxSeconds,
      row.state,
      json(row.failure),
      row.submittedAt,
      row.updatedAt,
      row.verifiedAt,
      row.canonicalReplica,
      row.method,
      row.agreeing,
      row.cost.toString(),
      row.parentJob,
      row.auditedReplica,
      row.excludedAccount,
      json(row.segment),
      json(row.knownAnswer),
      json(row.claim),
    );
  }

  #job(row: Row | undefined): JobRow | undefined {
    if (!row) return undefined;
    const jobId = row.job_id as string;
    let constants = this.#jobConstants.get(jobId);
    if (!constants) {
      constants = jobConstantsFromRow(row);
      remember(this.#jobConstants, jobId, constants);
    }
    return jobFromRow(row, constants);
  }

  getJob(jobId: string): JobRow | undefined {
    return this.#job(this.#sql('SELECT * FROM jobs WHERE job_id = ?').get(jobId) as Row | undefined);
  }

  findJobByClientRequestId(requester: string, clientRequestId: string): JobRow | undefined {
    return this.#job(
      this.#sql('SELECT * FROM jobs WHERE requester = ? AND client_request_id = ?').get(requester, clientRequestId) as
        | Row
        | undefined,
    );
  }

  updateJob(jobId: string, patch: JobPatch): void {
    this.#patch('jobs', 'job_id', jobId, patch, JOB_PATCH_COLUMNS);
  }

  canarySources(account: string, limit: number, verifiedJobs: boolean): string[] {
    // Each branch walks jobs_verified_inference newest first and stops at `limit`; the checks per candidate use
    // replicas_job and jobs_parent. (One NOT IN over all of the account's replicas scanned the replicas table.)
    const unseen = `NOT EXISTS (SELECT 1 FROM replicas r WHERE r.job_id = j.job_id AND r.account = @account)
      AND NOT EXISTS (SELECT 1 FROM jobs c JOIN replicas r ON r.job_id = c.job_id
                      WHERE c.parent_job = j.job_id AND c.kind = 'canary' AND r.account = @account)`;
    return (
      this.#sql(
        `SELECT job_id, verified_at FROM (
           SELECT job_id, verified_at FROM jobs j WHERE kind = 'calibration' AND ${unseen}
           ORDER BY verified_at DESC LIMIT @limit)
         UNION ALL
         SELECT job_id, verified_at FROM (
           SELECT job_id, verified_at FROM jobs j WHERE @verifiedJobs AND kind = 'inference' AND state = 'verified'
             AND ${unseen}
           ORDER BY verified_at DESC LIMIT @limit)
         ORDER BY verified_at DESC LIMIT @limit`,
      ).all({ account, limit, verifiedJobs: verifiedJobs ? 1 : 0 }) as Row[]
    ).map((row) => row.job_id as string);
  }

  insertReplica(row: ReplicaRow): void {
    this.#sql(
      `INSERT INTO replicas (replica_id, job_id, state, account, lease_id, result, output_sha256, reward, reason, queue_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      row.replicaId,
      row.jobId,
      row.state,
      row.account,
      row.leaseId,
      json(row.result),
      row.result?.outputSha256 ?? null,
      row.reward === null ? null : row.reward.toString(),
      row.reason,
      row.queueAt,
      row.createdAt,
      row.updatedAt,
    );
  }

  getReplica(replicaId: string): ReplicaRow | undefined {
    const row = this.#sql('SELECT * FROM replicas WHERE replica_id = ?').get(replicaId) as Row | undefined;
    return row ? replicaFromRow(row) : undefined;
  }

  listReplicas(jobId: string): ReplicaRow[] {
    // Sorted here: a job has a handful of copies, and ORDER BY cost SQLite 20 us a call even along the index.
    const rows = this.#sql('SELECT rowid AS seq, * FROM replicas WHERE job_id = ?').all(jobId) as Row[];
    rows.sort((a, b) => (a.created_at as number) - (b.created_at as number) || (a.seq as number) - (b.seq as number));
    return rows.map(replicaFromRow);
  }

  replicaHolders(jobId: string): Pick<ReplicaRow, 'account' | 'state'>[] {
    return this.#sql('SELECT account, state FROM replicas WHERE job_id = ?').all(jobId) as Pick<
      ReplicaRow,
      'account' | 'state'
    >[];
  }

  updateReplica(replicaId: string, patch: ReplicaPatch): void {
    // output_sha256 is the result's own hash, kept in a column of its own; written in the same statement.
    const derived: [string, unknown][] =
      patch.result === undefined ? [] : [['output_sha256', patch.result?.outputSha256 ?? null]];
    this.#patch('replicas', 'replica_id', replicaId, patch, REPLICA_PATCH_COLUMNS, derived);
  }

  queuedReplicas(limit: number): ReplicaRow[] {
    return (
      this.#sql("SELECT * FROM replicas WHERE state = 'queued' ORDER BY queue_at, created_at LIMIT ?").all(
        limit,
      ) as Row[]
    ).map(replicaFromRow);
  }

  countPending(account: string): number {
    return (
      this.#sql("SELECT COUNT(*) AS n FROM replicas WHERE account = ? AND state = 'submitted'").get(account) as Row
    ).n as number;
  }

  insertLease(row: LeaseRow): void {
    this.#sql(
      'INSERT INTO leases (lease_id, replica_id, account, state, blobs, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(row.leaseId, row.replicaId, row.account, row.state, JSON.stringify(row.blobs), row.expiresAt, row.createdAt);
  }

  getLease(leaseId: string): LeaseRow | undefined {
    const row = this.#sql('SELECT * FROM leases WHERE lease_id = ?').get(leaseId) as Row | undefined;
    return row ? leaseFromRow(row) : undefined;
  }

  setLeaseState(leaseId: string, state: LeaseState, expiresAt?: number): void {
    if (expiresAt === undefined) this.#sql('UPDATE leases SET state = ? WHERE lease_id = ?').run(state, leaseId);
    else this.#sql('UPDATE leases SET state = ?, expires_at = ? WHERE lease_id = ?').run(state, expiresAt, leaseId);
  }

  expiredLeases(now: number, limit: number): LeaseRow[] {
    return (
      this.#sql("SELECT * FROM leases WHERE state = 'active' AND expires_at < ? ORDER BY expires_at LIMIT ?").all(
        now,
        limit,
      ) as Row[]
    ).map(leaseFromRow);
  }

  activeLeasesOf(account: string): LeaseRow[] {
    return (this.#sql("SELECT * FROM leases WHERE account = ? AND state = 'active'").all(account) as Row[]).map(
      leaseFromRow,
    );
  }

  insertSettlement(row: Omit<SettlementRow, 'seq'>): number {
    const result = this.#sql(
      'INSERT INTO settlements (account, lease_id, outcome, reward, reason, settled_at) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(
      row.account,
      row.leaseId,
      row.outcome,
      row.reward === null ? null : row.reward.toString(),
      row.reason,
      row.settledAt,
    );
    return Number(result.lastInsertRowid);
  }

  listSettlements(account: string, after: number, limit: number): SettlementRow[] {
    return (
      this.#sql('SELECT * FROM settlements WHERE account = ? AND seq > ? ORDER BY seq LIMIT ?').all(
        account,
        after,
        limit,
      ) as Row[]
    ).map((row) => ({
      seq: row.seq as number,
      account: row.account as string,
      leaseId: row.lease_id as string,
      outcome: row.outcome as SettlementRow['outcome'],
      reward: amount(row.reward),
      reason: row.reason as string | null,
      settledAt: row.settled_at as number,
    }));
  }

  getVoucher(account: string): VoucherRow | undefined {
    const row = this.#sql('SELECT * FROM vouchers WHERE account = ?').get(account) as Row | undefined;
    if (!row) return undefined;
    return {
      account: row.account as string,
      cumulative: BigInt(row.cumulative as string),
      signature: row.signature as string,
      signer: row.signer as string,
      chainId: row.chain_id as number,
      vault: row.vault as string,
      signedAt: row.signed_at as number,
    };
  }

  putVoucher(row: VoucherRow): void {
    this.#sql(
      'INSERT OR REPLACE INTO vouchers (account, cumulative, signature, signer, chain_id, vault, signed_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(row.account, row.cumulative.toString(), row.signature, row.signer, row.chainId, row.vault, row.signedAt);
  }

  getRelayedClaim(digest: string): RelayedClaimRow | undefined {
    const row = this.#sql('SELECT * FROM relayed_claims WHERE digest = ?').get(digest) as Row | undefined;
    if (!row) return undefined;
    return {
      digest: row.digest as string,
      account: row.account as string,
      txHash: row.tx_hash as string,
      rawTx: row.raw_tx as string,
      fee: BigInt(row.fee as string),
      createdAt: row.created_at as number,
    };
  }

  putRelayedClaim(row: RelayedClaimRow): void {
    this.#sql(
      'INSERT OR REPLACE INTO relayed_claims (digest, account, tx_hash, raw_tx, fee, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(row.digest, row.account, row.txHash, row.rawTx, row.fee.toString(), row.createdAt);
  }
}
