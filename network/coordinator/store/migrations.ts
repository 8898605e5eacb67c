/**
 * The coordinator database's schema history: append-only steps keyed by
 * `PRAGMA user_version`, each run in a transaction with its version bump.
 *
 * Money is TEXT holding a decimal integer of token base units (SQLite
 * integers stop at 2^63; amounts are uint256). Results and specs are JSON as
 * received after validation, so what was verified is what is stored.
 */
import type { SchemaMigration } from '../../../agent/sqlite/versioned-database.ts';

export type CoordinatorMigration = SchemaMigration;

export const COORDINATOR_MIGRATIONS: readonly CoordinatorMigration[] = [
  {
    version: 1,
    description: 'sessions, providers, blobs, jobs, replicas, leases, settlements, vouchers',
    sql: `
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
      CREATE TABLE sessions (
        public_key TEXT PRIMARY KEY,
        account TEXT NOT NULL,
        role TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE providers (
        account TEXT PRIMARY KEY,
        profile TEXT NOT NULL,
        registered_at INTEGER NOT NULL,
        valid INTEGER NOT NULL DEFAULT 0,
        invalid INTEGER NOT NULL DEFAULT 0,
        inconclusive INTEGER NOT NULL DEFAULT 0,
        earned TEXT NOT NULL DEFAULT '0'
      ) STRICT;
      CREATE TABLE reliability (
        account TEXT NOT NULL,
        app_version TEXT NOT NULL,
        onnxruntime_version TEXT NOT NULL,
        run INTEGER NOT NULL,
        PRIMARY KEY (account, app_version, onnxruntime_version)
      ) STRICT;
      CREATE TABLE blobs (
        sha256 TEXT PRIMARY KEY,
        bytes INTEGER NOT NULL,
        data BLOB NOT NULL,
        owner TEXT NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE jobs (
        job_id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        requester TEXT,
        client_request_id TEXT,
        spec TEXT NOT NULL,
        offer TEXT NOT NULL,
        tolerances TEXT NOT NULL,
        flops_per_run TEXT,
        max_seconds INTEGER NOT NULL,
        state TEXT NOT NULL,
        failure TEXT,
        submitted_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        verified_at INTEGER,
        canonical_replica TEXT,
        method TEXT,
        agreeing INTEGER,
        cost TEXT NOT NULL DEFAULT '0',
        parent_job TEXT REFERENCES jobs(job_id),
        audited_replica TEXT,
        excluded_account TEXT,
        segment TEXT,
        known_answer TEXT,
        claim TEXT,
        UNIQUE (requester, client_request_id)
      ) STRICT;
      CREATE INDEX jobs_verified_inference ON jobs(kind, state, verified_at);
      CREATE TABLE replicas (
        replica_id TEXT PRIMARY KEY,
        job_id TEXT NOT NULL REFERENCES jobs(job_id),
        state TEXT NOT NULL,
        account TEXT,
        lease_id TEXT,
        result TEXT,
        output_sha256 TEXT,
        reward TEXT,
        reason TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX replicas_job ON replicas(job_id);
      CREATE INDEX replicas_queue ON replicas(state, created_at);
      CREATE TABLE leases (
        lease_id TEXT PRIMARY KEY,
        replica_id TEXT NOT NULL REFERENCES replicas(replica_id),
        account TEXT NOT NULL,
        state TEXT NOT NULL,
        blobs TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX leases_active ON leases(state, expires_at);
      CREATE INDEX leases_account ON leases(account, state);
      CREATE TABLE blob_jobs (
        sha256 TEXT NOT NULL,
        job_id TEXT NOT NULL REFERENCES jobs(job_id),
        PRIMARY KEY (sha256, job_id)
      ) STRICT;
      CREATE TABLE settlements (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        account TEXT NOT NULL,
        lease_id TEXT NOT NULL,
        outcome TEXT NOT NULL,
        reward TEXT,
        reason TEXT,
        settled_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX settlements_account ON settlements(account, seq);
      CREATE TABLE vouchers (
        account TEXT PRIMARY KEY,
        cumulative TEXT NOT NULL,
        signature TEXT NOT NULL,
        signer TEXT NOT NULL,
        chain_id INTEGER NOT NULL,
        vault TEXT NOT NULL,
        signed_at INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 2,
    description: 'queue order on the replica, so leasing reads the queue from an index instead of sorting a join',
    sql: `
      ALTER TABLE replicas ADD COLUMN queue_at INTEGER NOT NULL DEFAULT 0;
      UPDATE replicas SET queue_at = (SELECT submitted_at FROM jobs WHERE jobs.job_id = replicas.job_id);
      DROP INDEX replicas_queue;
      CREATE INDEX replicas_queue ON replicas(state, queue_at, created_at);
    `,
  },
  {
    version: 3,
    description:
      'relayed claims the coordinator signed, written before broadcast so a repeat answers the same transaction',
    sql: `
      CREATE TABLE relayed_claims (
        digest TEXT PRIMARY KEY,
        account TEXT NOT NULL,
        tx_hash TEXT NOT NULL,
        raw_tx TEXT NOT NULL,
        fee TEXT NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 4,
    description:
      'canaries of a job found by their parent (choosing a canary read every job); copies of a job in creation order (settling sorted them every time)',
    sql: `
      CREATE INDEX jobs_parent ON jobs(parent_job) WHERE parent_job IS NOT NULL;
      DROP INDEX replicas_job;
      CREATE INDEX replicas_job ON replicas(job_id, created_at);
    `,
  },
];
