/**
 * The owner's override (a pause with or without an end) and the timeline of
 * states, both kept in the ledger so a restart neither forgets a pause nor
 * loses the record of why the machine did not earn.
 */
import type { AgentState, PauseOverride } from '../local-api/contract.ts';
import type { LedgerDatabase } from './open-ledger.ts';

export interface TimelineEntry {
  at: number;
  state: AgentState;
  reason: string;
}

export class ControlRepository {
  private readonly db: LedgerDatabase;

  constructor(db: LedgerDatabase) {
    this.db = db;
  }

  readOverride(): PauseOverride | null {
    const row = this.db.prepare('SELECT kind, until_ms, set_at FROM owner_override WHERE slot = 1').get() as
      | { kind: string; until_ms: number | null; set_at: number }
      | undefined;
    if (!row || row.kind !== 'pause') return null;
    return { kind: 'pause', until: row.until_ms, setAt: row.set_at };
  }

  writeOverride(override: PauseOverride | null): void {
    if (override === null) {
      this.db.prepare('DELETE FROM owner_override WHERE slot = 1').run();
      return;
    }
    this.db
      .prepare(
        'INSERT INTO owner_override (slot, kind, until_ms, set_at) VALUES (1, ?, ?, ?) ON CONFLICT(slot) DO UPDATE SET kind = excluded.kind, until_ms = excluded.until_ms, set_at = excluded.set_at',
      )
      .run(override.kind, override.until, override.setAt);
  }

  appendTimeline(entry: TimelineEntry): void {
    this.db
      .prepare('INSERT INTO state_timeline (at, state, reason) VALUES (?, ?, ?)')
      .run(entry.at, entry.state, entry.reason);
  }

  timelineSince(since: number): TimelineEntry[] {
    return this.db
      .prepare('SELECT at, state, reason FROM state_timeline WHERE at >= ? ORDER BY id')
      .all(since) as TimelineEntry[];
  }
}
