/**
 * Opens the ledger: one SQLite file, written by the agent process alone.
 * It will hold money, so every commit is durable (WAL + synchronous=FULL), and
 * a file from a newer Idlehive is refused before anything touches it.
 */
import type Database from 'better-sqlite3';
import { IdlehiveError } from '../errors.ts';
import { openVersionedDatabase, schemaVersion } from '../sqlite/versioned-database.ts';
import { LATEST_LEDGER_VERSION, MIGRATIONS, type Migration } from './migrations.ts';

export type LedgerDatabase = Database.Database;

export interface OpenLedgerOptions {
  /** Only for tests that build older files; the agent always uses every migration. */
  migrations?: readonly Migration[];
}

export function openLedger(file: string, options: OpenLedgerOptions = {}): LedgerDatabase {
  return openVersionedDatabase({
    file,
    migrations: options.migrations ?? MIGRATIONS,
    synchronous: 'FULL',
    unreadable: (cause) =>
      new IdlehiveError(
        'ledger_unreadable',
        `The ledger at ${file} could not be read as a database (${String(cause)}). Move it aside and restart Idlehive; your earnings can be recovered from the network.`,
        { cause },
      ),
    tooNew: (version, latest) =>
      new IdlehiveError(
        'ledger_too_new',
        `The ledger at ${file} was written by a newer Idlehive (schema version ${version}; this version knows up to ${latest}). Update Idlehive to open it. The file was not changed.`,
      ),
  });
}

export function ledgerVersion(db: LedgerDatabase): number {
  return schemaVersion(db);
}

export { LATEST_LEDGER_VERSION };
