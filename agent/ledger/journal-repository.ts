/**
 * The journal is the ledger's append-only record of what happened, in order.
 * An append returns only after SQLite has made it durable, so whatever a caller
 * acknowledged survives a crash.
 */
import type { LedgerDatabase } from './open-ledger.ts';

export interface JournalEntry {
  id: number;
  at: number;
  kind: string;
  payload: unknown;
}

export class JournalRepository {
  private readonly db: LedgerDatabase;

  constructor(db: LedgerDatabase) {
    this.db = db;
  }

  append(at: number, kind: string, payload: unknown): number {
    const info = this.db
      .prepare('INSERT INTO journal (at, kind, payload_json) VALUES (?, ?, ?)')
      .run(at, kind, JSON.stringify(payload));
    return Number(info.lastInsertRowid);
  }

  list(options: { kind?: string; afterId?: number; limit?: number } = {}): JournalEntry[] {
    const rows = this.db
      .prepare(
        'SELECT id, at, kind, payload_json FROM journal WHERE (? IS NULL OR kind = ?) AND id > ? ORDER BY id LIMIT ?',
      )
      .all(options.kind ?? null, options.kind ?? null, options.afterId ?? 0, options.limit ?? 1000) as {
      id: number;
      at: number;
      kind: string;
      payload_json: string;
    }[];
    return rows.map((row) => ({ id: row.id, at: row.at, kind: row.kind, payload: JSON.parse(row.payload_json) }));
  }
}
