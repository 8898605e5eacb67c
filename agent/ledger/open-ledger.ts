/**
 * Opens the ledger: one SQLite file, written by the agent process alone.
 * It will hold money, so every commit is durable (WAL + synchronous=FULL), and
 * a file from a newer Idlehive is refused before anything touches it.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { IdlehiveError } from '../errors.ts';
import { LATEST_LEDGER_VERSION, MIGRATIONS, type Migration } from './migrations.ts';

export type LedgerDatabase = Database.Database;

export interface OpenLedgerOptions {
  /** Only for tests that build older files; the agent always uses every migration. */
  migrations?: readonly Migration[];
}

export function openLedger(file: string, options: OpenLedgerOptions = {}): LedgerDatabase {
  const migrations = options.migrations ?? MIGRATIONS;
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // Create the file owner-only before SQLite does; its -wal and -shm files copy these permissions.
  fs.closeSync(fs.openSync(file, 'a', 0o600));

  let db: LedgerDatabase;
  let version: number;
  try {
    db = new Database(file);
    // Reading user_version writes nothing, so a refused file stays byte-for-byte as it was.
    version = Number(db.pragma('user_version', { simple: true }));
  } catch (cause) {
    throw new IdlehiveError(
      'ledger_unreadable',
      `The ledger at ${file} could not be read as a database (${String(cause)}). Move it aside and restart Idlehive; your earnings can be recovered from the network.`,
      { cause },
    );
  }

  if (version > latest) {
    db.close();
    throw new IdlehiveError(
      'ledger_too_new',
      `The ledger at ${file} was written by a newer Idlehive (schema version ${version}; this version knows up to ${latest}). Update Idlehive to open it. The file was not changed.`,
    );
  }

  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');

  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (migration.version <= version) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
  return db;
}

export function ledgerVersion(db: LedgerDatabase): number {
  return Number(db.pragma('user_version', { simple: true }));
}

export { LATEST_LEDGER_VERSION };
