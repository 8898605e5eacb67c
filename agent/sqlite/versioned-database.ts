/**
 * Opening a SQLite file whose schema is versioned by `PRAGMA user_version`:
 * the agent's ledger and the coordinator's database differ only in durability,
 * their migrations and their words when a file cannot be opened. The file is
 * created owner-only, a file from a newer version is refused before anything
 * writes to it, and each missing migration runs in a transaction with its
 * version bump (shipped migrations are append-only).
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { IdlehiveError } from '../errors.ts';

export interface SchemaMigration {
  version: number;
  description: string;
  sql: string;
}

export interface VersionedDatabaseSpec {
  file: string;
  migrations: readonly SchemaMigration[];
  /** FULL syncs every commit to disk; NORMAL (in WAL mode) survives a killed process but not a power cut. */
  synchronous: 'FULL' | 'NORMAL';
  /** Pragmas set after the common ones, e.g. 'temp_store = MEMORY'. */
  pragmas?: readonly string[];
  /** The error for a file SQLite cannot read. */
  unreadable(cause: unknown): IdlehiveError;
  /** The error for a file written by a newer version (the file is left as it was). */
  tooNew(version: number, latest: number): IdlehiveError;
}

export function openVersionedDatabase(spec: VersionedDatabaseSpec): Database.Database {
  const latest = latestVersion(spec.migrations);
  fs.mkdirSync(path.dirname(spec.file), { recursive: true, mode: 0o700 });
  // Create the file owner-only before SQLite does; its -wal and -shm files copy these permissions.
  fs.closeSync(fs.openSync(spec.file, 'a', 0o600));

  let db: Database.Database;
  let version: number;
  try {
    db = new Database(spec.file);
    // Reading user_version writes nothing, so a refused file stays byte-for-byte as it was.
    version = schemaVersion(db);
  } catch (cause) {
    throw spec.unreadable(cause);
  }
  if (version > latest) {
    db.close();
    throw spec.tooNew(version, latest);
  }
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${spec.synchronous}`);
  db.pragma('busy_timeout = 5000');
  for (const pragma of spec.pragmas ?? []) db.pragma(pragma);
  return applyMigrations(db, spec.migrations);
}

/** Turns foreign keys on and runs, in order, each migration newer than the file (also for in-memory databases). */
export function applyMigrations(db: Database.Database, migrations: readonly SchemaMigration[]): Database.Database {
  db.pragma('foreign_keys = ON');
  const version = schemaVersion(db);
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (migration.version <= version) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
  return db;
}

export function schemaVersion(db: Database.Database): number {
  return Number(db.pragma('user_version', { simple: true }));
}

export function latestVersion(migrations: readonly SchemaMigration[]): number {
  return migrations.reduce((max, m) => Math.max(max, m.version), 0);
}
