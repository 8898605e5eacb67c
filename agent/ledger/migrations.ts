/**
 * The ledger's schema history. Each migration runs once, in order, inside a
 * transaction that also bumps `PRAGMA user_version`; shipped migrations are
 * never edited, only appended to, so any older file upgrades step by step.
 */
import type { SchemaMigration } from '../sqlite/versioned-database.ts';

export type Migration = SchemaMigration;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'settings and the append-only journal',
    sql: `
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value_json TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE journal (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        kind TEXT NOT NULL,
        payload_json TEXT NOT NULL
      ) STRICT;
      CREATE INDEX journal_kind_at ON journal(kind, at);
    `,
  },
  {
    version: 2,
    description: 'owner overrides and the state timeline',
    sql: `
      CREATE TABLE owner_override (
        slot INTEGER PRIMARY KEY CHECK (slot = 1),
        kind TEXT NOT NULL,
        until_ms INTEGER,
        set_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE state_timeline (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        state TEXT NOT NULL,
        reason TEXT NOT NULL
      ) STRICT;
      CREATE INDEX state_timeline_at ON state_timeline(at);
    `,
  },
  {
    version: 3,
    description: 'the scheduling policy, and the rule behind each timeline entry',
    sql: `
      CREATE TABLE scheduler_policy (
        slot INTEGER PRIMARY KEY CHECK (slot = 1),
        policy_json TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      ALTER TABLE state_timeline ADD COLUMN cause TEXT NOT NULL DEFAULT 'no-jobs';
    `,
  },
  {
    version: 4,
    description: 'withdrawals: the durable claim state machine (intent, signed transaction, outcome)',
    // Amounts are decimal strings of token base units (uint256 does not fit an INTEGER).
    // One unfinished withdrawal per account at a time, enforced here rather than in code,
    // so two racing requests can never both start one.
    sql: `
      CREATE TABLE withdrawals (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        chain_id INTEGER NOT NULL,
        vault TEXT NOT NULL,
        account TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('claim', 'claim-to', 'relayed')),
        recipient TEXT NOT NULL,
        cumulative_amount TEXT NOT NULL,
        voucher_signature TEXT NOT NULL,
        amount TEXT NOT NULL,
        max_fee TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('prepared', 'signed', 'sent', 'confirmed', 'failed')),
        nonce INTEGER,
        raw_tx TEXT,
        tx_hash TEXT,
        relay_json TEXT,
        sends INTEGER NOT NULL DEFAULT 0,
        block_number INTEGER,
        paid_amount TEXT,
        paid_fee TEXT,
        waiting_reason TEXT,
        failure TEXT
      ) STRICT;
      CREATE UNIQUE INDEX withdrawals_one_unfinished ON withdrawals(chain_id, vault, account)
        WHERE state IN ('prepared', 'signed', 'sent');
      CREATE INDEX withdrawals_account_created ON withdrawals(account, created_at);
    `,
  },
  {
    version: 5,
    description: 'benchmark runs: the full report, and one composite score per device and execution provider',
    // The report is JSON validated by its schema on the way in and out (native/benchmark/benchmark-report.ts);
    // scores get their own rows so estimates and the scheduler read them without parsing reports.
    sql: `
      CREATE TABLE benchmark_runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        started_at INTEGER NOT NULL,
        finished_at INTEGER NOT NULL,
        mode TEXT NOT NULL CHECK (mode IN ('quick', 'full')),
        report_json TEXT NOT NULL
      ) STRICT;
      CREATE INDEX benchmark_runs_finished ON benchmark_runs(finished_at);
      CREATE TABLE benchmark_scores (
        run_id INTEGER NOT NULL REFERENCES benchmark_runs(id) ON DELETE CASCADE,
        device TEXT NOT NULL,
        execution_provider TEXT NOT NULL,
        score REAL,
        PRIMARY KEY (run_id, device, execution_provider)
      ) STRICT;
    `,
  },
  {
    version: 6,
    description: 'every leased job with its payment state, the result outbox, and the newest voucher',
    sql: `
      CREATE TABLE provider_jobs (
        lease_id TEXT PRIMARY KEY,
        job_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('inference', 'training')),
        coordinator TEXT NOT NULL,
        account TEXT NOT NULL,
        max_reward TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('leased', 'running', 'finished', 'submitted', 'verified', 'rejected', 'failed', 'released')),
        leased_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        reward TEXT,
        reason TEXT,
        result_json TEXT,
        delivery_attempts INTEGER NOT NULL DEFAULT 0,
        next_delivery_at INTEGER
      ) STRICT;
      CREATE INDEX provider_jobs_state ON provider_jobs(state, next_delivery_at);
      CREATE INDEX provider_jobs_leased_at ON provider_jobs(leased_at);
      CREATE TABLE provider_sync (
        coordinator TEXT NOT NULL,
        account TEXT NOT NULL,
        settlements_after INTEGER NOT NULL DEFAULT 0,
        voucher_json TEXT,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (coordinator, account)
      ) STRICT;
    `,
  },
  {
    version: 7,
    description:
      "every transaction broadcast for a withdrawal (the first and each fee bump), and the withdrawal's fee cap",
    // A fee bump re-signs the same nonce with a higher fee, so one withdrawal can have several
    // transactions in flight, of which at most one is ever mined. Each is recorded here, in the same
    // SQLite transaction that makes it the withdrawal's current one, before it is broadcast; reconciling
    // asks the chain about all of them. Fees are decimal wei (NULL for rows copied from before this table).
    sql: `
      CREATE TABLE withdrawal_transactions (
        withdrawal_id INTEGER NOT NULL REFERENCES withdrawals(id),
        attempt INTEGER NOT NULL CHECK (attempt >= 1),
        raw_tx TEXT NOT NULL,
        tx_hash TEXT NOT NULL UNIQUE,
        max_fee_per_gas TEXT,
        max_priority_fee_per_gas TEXT,
        signed_at INTEGER NOT NULL,
        signed_at_block INTEGER,
        PRIMARY KEY (withdrawal_id, attempt)
      ) STRICT;
      INSERT INTO withdrawal_transactions (withdrawal_id, attempt, raw_tx, tx_hash, signed_at)
        SELECT id, 1, raw_tx, tx_hash, updated_at FROM withdrawals WHERE raw_tx IS NOT NULL AND tx_hash IS NOT NULL;
      ALTER TABLE withdrawals ADD COLUMN fee_cap_per_gas TEXT;
    `,
  },
];

export const LATEST_LEDGER_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);
