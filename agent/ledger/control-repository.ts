/**
 * The owner's override and the timeline of states, both kept in the ledger so
 * a restart neither forgets a pause nor loses the record of why the machine
 * did not earn.
 */
import type { TimelineEntry } from '../local-api/contract.ts';
import { type OwnerOverride, OwnerOverrideSchema } from '../scheduler/owner-override.ts';
import type { LedgerDatabase } from './open-ledger.ts';

export class ControlRepository {
  private readonly db: LedgerDatabase;

  constructor(db: LedgerDatabase) {
    this.db = db;
  }

  readOverride(): OwnerOverride | null {
    const row = this.db.prepare('SELECT kind, until_ms, set_at FROM owner_override WHERE slot = 1').get() as
      | { kind: string; until_ms: number | null; set_at: number }
      | undefined;
    if (!row) return null;
    // A row this version cannot read (edited by hand, or from a newer kind) counts as no override.
    const parsed = OwnerOverrideSchema.safeParse({ kind: row.kind, until: row.until_ms, setAt: row.set_at });
    return parsed.success ? parsed.data : null;
  }

  writeOverride(override: OwnerOverride | null): void {
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
      .prepare('INSERT INTO state_timeline (at, state, cause, reason) VALUES (?, ?, ?, ?)')
      .run(entry.at, entry.state, entry.cause, entry.reason);
  }

  timelineSince(since: number, limit = 5000): TimelineEntry[] {
    return this.db
      .prepare('SELECT at, state, cause, reason FROM state_timeline WHERE at >= ? ORDER BY id LIMIT ?')
      .all(since, limit) as TimelineEntry[];
  }
}
