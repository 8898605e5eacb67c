/**
 * The ledger's schema history. Each migration runs once, in order, inside a
 * transaction that also bumps `PRAGMA user_version`; shipped migrations are
 * never edited, only appended to, so any older file upgrades step by step.
 */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

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
];

export const LATEST_LEDGER_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);
