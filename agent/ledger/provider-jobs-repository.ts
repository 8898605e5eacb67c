/**
 * Every job this computer leased, with its payment state, and the outbox of
 * finished results: a result is written here before delivery is tried, so a
 * coordinator outage or an agent crash never loses finished work. Delivery is
 * idempotent on the coordinator's side, so re-sending after a crash is safe.
 *
 * leased → running → finished (in the outbox) → submitted → verified | rejected;
 * failed and released end a job that earned nothing.
 */
import { z } from 'zod';
import type { LedgerDatabase } from './open-ledger.ts';

export const ProviderJobStateSchema = z.enum([
  'leased',
  'running',
  'finished',
  'submitted',
  'verified',
  'rejected',
  'failed',
  'released',
]);
export type ProviderJobState = z.infer<typeof ProviderJobStateSchema>;

export const ProviderJobSchema = z.object({
  leaseId: z.string(),
  jobId: z.string(),
  kind: z.enum(['inference', 'training']),
  coordinator: z.string(),
  account: z.string(),
  maxReward: z.string(),
  state: ProviderJobStateSchema,
  leasedAt: z.number().int(),
  updatedAt: z.number().int(),
  /** What the verified result earned (token base units, decimal). */
  reward: z.string().nullable(),
  /** Why a job earned nothing. */
  reason: z.string().nullable(),
});
export type ProviderJob = z.infer<typeof ProviderJobSchema>;

export interface OutboxEntry {
  leaseId: string;
  coordinator: string;
  account: string;
  resultJson: string;
  attempts: number;
}

interface JobRow {
  lease_id: string;
  job_id: string;
  kind: 'inference' | 'training';
  coordinator: string;
  account: string;
  max_reward: string;
  state: ProviderJobState;
  leased_at: number;
  updated_at: number;
  reward: string | null;
  reason: string | null;
}

function fromRow(row: JobRow): ProviderJob {
  return {
    leaseId: row.lease_id,
    jobId: row.job_id,
    kind: row.kind,
    coordinator: row.coordinator,
    account: row.account,
    maxReward: row.max_reward,
    state: row.state,
    leasedAt: row.leased_at,
    updatedAt: row.updated_at,
    reward: row.reward,
    reason: row.reason,
  };
}

/** Delivery retries back off from 2 s to 5 min. */
export function deliveryBackoffMs(attempts: number): number {
  return Math.min(300_000, 2000 * 2 ** Math.max(0, attempts - 1));
}

export class ProviderJobsRepository {
  private readonly db: LedgerDatabase;
  private readonly clock: () => number;
  private readonly listeners = new Set<() => void>();

  constructor(db: LedgerDatabase, clock: () => number) {
    this.db = db;
    this.clock = clock;
  }

  /** Called after any write that changed a job's row; returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells the listeners when a statement changed a row; returns whether it did. */
  private announced(info: { changes: number }): boolean {
    if (info.changes === 0) return false;
    for (const listener of this.listeners) listener();
    return true;
  }

  recordLease(job: Pick<ProviderJob, 'leaseId' | 'jobId' | 'kind' | 'coordinator' | 'account' | 'maxReward'>): void {
    const now = this.clock();
    const info = this.db
      .prepare(
        `INSERT INTO provider_jobs (lease_id, job_id, kind, coordinator, account, max_reward, state, leased_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, 'leased', ?, ?) ON CONFLICT(lease_id) DO NOTHING`,
      )
      .run(job.leaseId, job.jobId, job.kind, job.coordinator, job.account, job.maxReward, now, now);
    this.announced(info);
  }

  /** Moves a job on; a job already past `from` (e.g. settled) is left alone. */
  move(
    leaseId: string,
    from: readonly ProviderJobState[],
    to: ProviderJobState,
    details: { reason?: string } = {},
  ): boolean {
    const marks = from.map(() => '?').join(', ');
    const info = this.db
      .prepare(
        `UPDATE provider_jobs SET state = ?, reason = COALESCE(?, reason), updated_at = ?
         WHERE lease_id = ? AND state IN (${marks})`,
      )
      .run(to, details.reason ?? null, this.clock(), leaseId, ...from);
    return this.announced(info);
  }

  /** The finished result goes into the outbox in the same statement that marks the job finished. */
  storeResult(leaseId: string, resultJson: string): void {
    const info = this.db
      .prepare(
        `UPDATE provider_jobs SET state = 'finished', result_json = ?, delivery_attempts = 0, next_delivery_at = ?, updated_at = ?
         WHERE lease_id = ? AND state IN ('leased', 'running')`,
      )
      .run(resultJson, this.clock(), this.clock(), leaseId);
    this.announced(info);
  }

  /** Results waiting for delivery whose next attempt is due. */
  dueDeliveries(now: number): OutboxEntry[] {
    const rows = this.db
      .prepare(
        `SELECT lease_id, coordinator, account, result_json, delivery_attempts FROM provider_jobs
         WHERE state = 'finished' AND result_json IS NOT NULL AND next_delivery_at <= ? ORDER BY leased_at`,
      )
      .all(now) as {
      lease_id: string;
      coordinator: string;
      account: string;
      result_json: string;
      delivery_attempts: number;
    }[];
    return rows.map((row) => ({
      leaseId: row.lease_id,
      coordinator: row.coordinator,
      account: row.account,
      resultJson: row.result_json,
      attempts: row.delivery_attempts,
    }));
  }

  /** When the next delivery is due, or null when the outbox is empty. */
  nextDeliveryAt(): number | null {
    const row = this.db
      .prepare(`SELECT MIN(next_delivery_at) AS at FROM provider_jobs WHERE state = 'finished'`)
      .get() as { at: number | null };
    return row.at;
  }

  deliveryFailed(leaseId: string): void {
    const row = this.db.prepare('SELECT delivery_attempts FROM provider_jobs WHERE lease_id = ?').get(leaseId) as
      | { delivery_attempts: number }
      | undefined;
    const attempts = (row?.delivery_attempts ?? 0) + 1;
    const info = this.db
      .prepare(
        'UPDATE provider_jobs SET delivery_attempts = ?, next_delivery_at = ?, updated_at = ? WHERE lease_id = ?',
      )
      .run(attempts, this.clock() + deliveryBackoffMs(attempts), this.clock(), leaseId);
    this.announced(info);
  }

  /** Delivered: the outbox copy is dropped in the same statement. */
  delivered(leaseId: string): void {
    const info = this.db
      .prepare(
        `UPDATE provider_jobs SET state = 'submitted', result_json = NULL, next_delivery_at = NULL, updated_at = ?
         WHERE lease_id = ? AND state = 'finished'`,
      )
      .run(this.clock(), leaseId);
    this.announced(info);
  }

  /** A settlement from the coordinator: valid pays, the rest earn nothing; a settled job never changes again. */
  settle(
    leaseId: string,
    outcome: 'valid' | 'invalid' | 'expired' | 'released' | 'canceled',
    reward: string | null,
    reason: string | null,
  ): void {
    const state: ProviderJobState = outcome === 'valid' ? 'verified' : outcome === 'invalid' ? 'rejected' : 'released';
    const info = this.db
      .prepare(
        `UPDATE provider_jobs SET state = ?, reward = ?, reason = ?, result_json = NULL, next_delivery_at = NULL, updated_at = ?
         WHERE lease_id = ? AND state NOT IN ('verified', 'rejected')`,
      )
      .run(state, outcome === 'valid' ? reward : null, reason, this.clock(), leaseId);
    this.announced(info);
  }

  list(limit = 200): ProviderJob[] {
    const rows = this.db.prepare('SELECT * FROM provider_jobs ORDER BY leased_at DESC LIMIT ?').all(limit) as JobRow[];
    return rows.map(fromRow);
  }

  get(leaseId: string): ProviderJob | null {
    const row = this.db.prepare('SELECT * FROM provider_jobs WHERE lease_id = ?').get(leaseId) as JobRow | undefined;
    return row ? fromRow(row) : null;
  }

  settlementsAfter(coordinator: string, account: string): number {
    const row = this.db
      .prepare('SELECT settlements_after FROM provider_sync WHERE coordinator = ? AND account = ?')
      .get(coordinator, account) as { settlements_after: number } | undefined;
    return row?.settlements_after ?? 0;
  }

  saveSettlementsAfter(coordinator: string, account: string, after: number): void {
    this.db
      .prepare(
        `INSERT INTO provider_sync (coordinator, account, settlements_after, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(coordinator, account) DO UPDATE SET settlements_after = excluded.settlements_after, updated_at = excluded.updated_at`,
      )
      .run(coordinator, account, after, this.clock());
  }

  saveVoucher(coordinator: string, account: string, voucherJson: string): void {
    this.db
      .prepare(
        `INSERT INTO provider_sync (coordinator, account, voucher_json, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(coordinator, account) DO UPDATE SET voucher_json = excluded.voucher_json, updated_at = excluded.updated_at`,
      )
      .run(coordinator, account, voucherJson, this.clock());
  }

  /** The newest stored voucher for this account, from whichever coordinator signed the largest. */
  voucherJson(account: string): string | null {
    const rows = this.db
      .prepare(
        'SELECT voucher_json FROM provider_sync WHERE account = ? AND voucher_json IS NOT NULL ORDER BY updated_at DESC',
      )
      .all(account) as { voucher_json: string }[];
    return rows[0]?.voucher_json ?? null;
  }

  /** Each verified job's reward and when it was verified (its last update), for jobs verified at or after `sinceMs`. */
  creditsSince(sinceMs: number): { at: number; reward: string }[] {
    return this.db
      .prepare(
        `SELECT updated_at AS at, reward FROM provider_jobs
         WHERE state = 'verified' AND reward IS NOT NULL AND updated_at >= ? ORDER BY updated_at`,
      )
      .all(sinceMs) as { at: number; reward: string }[];
  }

  /** The most each result awaiting verification (finished or submitted) can still earn, oldest lease first. */
  awaitingMaxRewards(): string[] {
    const rows = this.db
      .prepare(`SELECT max_reward FROM provider_jobs WHERE state IN ('finished', 'submitted') ORDER BY leased_at`)
      .all() as { max_reward: string }[];
    return rows.map((row) => row.max_reward);
  }

  /** Results not yet settled (pending in the wallet's words). */
  pendingCount(): number {
    const row = this.db
      .prepare(`SELECT COUNT(*) AS n FROM provider_jobs WHERE state IN ('finished', 'submitted')`)
      .get() as { n: number };
    return row.n;
  }
}
