/**
 * Opens the coordinator's own SQLite file (never the agent's ledger). Every
 * commit survives the process being killed (WAL, synchronous=NORMAL): a
 * coordinator killed at any moment loses nothing it has answered for. The
 * commits that make promises outside the process (an accepted job, a signed
 * voucher) are also synced to disk (CoordinatorStore.transaction `durable`),
 * which makes every commit before them durable too; syncing every lease and
 * result instead cost ~5 ms of disk wait per request here, blocking the
 * event loop, and capped the coordinator at about 100 requests per second.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { IdlehiveError } from '../../../agent/errors.ts';
import { COORDINATOR_MIGRATIONS } from './migrations.ts';

export type CoordinatorDatabase = Database.Database;

export const COORDINATOR_DATABASE_FILE = 'coordinator.sqlite';

export function openCoordinatorDatabase(file: string): CoordinatorDatabase {
  const latest = COORDINATOR_MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  let db: CoordinatorDatabase;
  let version: number;
  try {
    db = new Database(file);
    version = Number(db.pragma('user_version', { simple: true }));
  } catch (cause) {
    throw new IdlehiveError(
      'coordinator_database_unreadable',
      `The coordinator database at ${file} could not be read (${String(cause)}). Restore it from a backup or point --data-dir elsewhere.`,
      { cause },
    );
  }
  if (version > latest) {
    db.close();
    throw new IdlehiveError(
      'coordinator_database_too_new',
      `The coordinator database at ${file} has schema version ${version}; this version knows up to ${latest}. Update Idlehive to open it. The file was not changed.`,
    );
  }
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  // Group commit runs each request in a savepoint, whose undo journal went to a temp file: a write cost 3 times more.
  db.pragma('temp_store = MEMORY');
  return migrateCoordinatorDatabase(db);
}

/** Turns foreign keys on and applies the migrations a database lacks (also for in-memory databases in benchmarks). */
export function migrateCoordinatorDatabase(db: CoordinatorDatabase): CoordinatorDatabase {
  db.pragma('foreign_keys = ON');
  const version = Number(db.pragma('user_version', { simple: true }));
  for (const migration of COORDINATOR_MIGRATIONS) {
    if (migration.version <= version) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
  return db;
}
