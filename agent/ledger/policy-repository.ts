/**
 * The owner's scheduling policy, one JSON document in the ledger. It is
 * parsed on every read, so defaults added by a newer version fill in and a
 * document that no longer validates falls back to the defaults instead of
 * stopping the agent.
 */
import { defaultSchedulerPolicy, parseSchedulerPolicy, type SchedulerPolicy } from '../scheduler/policy.ts';
import type { LedgerDatabase } from './open-ledger.ts';

export class PolicyRepository {
  private readonly db: LedgerDatabase;
  private readonly clock: () => number;

  constructor(db: LedgerDatabase, clock: () => number) {
    this.db = db;
    this.clock = clock;
  }

  read(): SchedulerPolicy {
    const row = this.db.prepare('SELECT policy_json FROM scheduler_policy WHERE slot = 1').get() as
      | { policy_json: string }
      | undefined;
    if (!row) return defaultSchedulerPolicy();
    try {
      return parseSchedulerPolicy(JSON.parse(row.policy_json));
    } catch {
      return defaultSchedulerPolicy();
    }
  }

  /** Stores an already-parsed policy. */
  write(policy: SchedulerPolicy): void {
    this.db
      .prepare(
        'INSERT INTO scheduler_policy (slot, policy_json, updated_at) VALUES (1, ?, ?) ON CONFLICT(slot) DO UPDATE SET policy_json = excluded.policy_json, updated_at = excluded.updated_at',
      )
      .run(JSON.stringify(policy), this.clock());
  }
}
