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
import type Database from 'better-sqlite3';
import { IdlehiveError } from '../../../agent/errors.ts';
import { applyMigrations, openVersionedDatabase } from '../../../agent/sqlite/versioned-database.ts';
import { COORDINATOR_MIGRATIONS } from './migrations.ts';

export type CoordinatorDatabase = Database.Database;

export const COORDINATOR_DATABASE_FILE = 'coordinator.sqlite';

export function openCoordinatorDatabase(file: string): CoordinatorDatabase {
  return openVersionedDatabase({
    file,
    migrations: COORDINATOR_MIGRATIONS,
    synchronous: 'NORMAL',
    // Group commit runs each request in a savepoint, whose undo journal went to a temp file: a write cost 3 times more.
    pragmas: ['temp_store = MEMORY'],
    unreadable: (cause) =>
      new IdlehiveError(
        'coordinator_database_unreadable',
        `The coordinator database at ${file} could not be read (${String(cause)}). Restore it from a backup or point --data-dir elsewhere.`,
        { cause },
      ),
    tooNew: (version, latest) =>
      new IdlehiveError(
        'coordinator_database_too_new',
        `The coordinator database at ${file} has schema version ${version}; this version knows up to ${latest}. Update Idlehive to open it. The file was not changed.`,
      ),
  });
}

/** Turns foreign keys on and applies the migrations a database lacks (also for in-memory databases in benchmarks). */
export function migrateCoordinatorDatabase(db: CoordinatorDatabase): CoordinatorDatabase {
  return applyMigrations(db, COORDINATOR_MIGRATIONS);
}
