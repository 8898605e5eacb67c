import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IdlehiveError } from '../errors.ts';
import { openVersionedDatabase, type SchemaMigration, schemaVersion } from './versioned-database.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idlehive-versioned-'));
  dirs.push(dir);
  return path.join(dir, 'nested', 'db.sqlite');
}

const MIGRATIONS: SchemaMigration[] = [
  { version: 2, description: 'second', sql: 'ALTER TABLE items ADD COLUMN label TEXT' },
  { version: 1, description: 'first', sql: 'CREATE TABLE items (id INTEGER PRIMARY KEY)' },
];

const spec = (file: string, synchronous: 'FULL' | 'NORMAL', migrations = MIGRATIONS) => ({
  file,
  migrations,
  synchronous,
  pragmas: ['temp_store = MEMORY'],
  unreadable: (cause: unknown) => new IdlehiveError('test_unreadable', 'unreadable', { cause }),
  tooNew: (version: number, latest: number) => new IdlehiveError('test_too_new', `${version} > ${latest}`),
});

describe('openVersionedDatabase', () => {
  it('creates an owner-only file, runs the migrations in version order and sets the durability asked for', () => {
    const file = tempFile();
    const db = openVersionedDatabase(spec(file, 'NORMAL'));
    expect(schemaVersion(db)).toBe(2);
    db.prepare('INSERT INTO items (label) VALUES (?)').run('a');
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('temp_store', { simple: true })).toBe(2); // MEMORY
    db.close();
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const again = openVersionedDatabase(spec(file, 'FULL'));
    expect(again.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(again.prepare('SELECT label FROM items').all()).toEqual([{ label: 'a' }]);
    again.close();
  });

  it('refuses a file from a newer version with the caller’s error and leaves it byte for byte', () => {
    const file = tempFile();
    openVersionedDatabase(spec(file, 'FULL')).close();
    const before = fs.readFileSync(file);
    expect(() => openVersionedDatabase(spec(file, 'FULL', MIGRATIONS.slice(1)))).toThrow(
      expect.objectContaining({ code: 'test_too_new', message: '2 > 1' }),
    );
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('answers a file that is not a database with the caller’s error', () => {
    const file = tempFile();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'not a database, just text that is long enough to have a header '.repeat(4));
    expect(() => openVersionedDatabase(spec(file, 'FULL'))).toThrow(
      expect.objectContaining({ code: 'test_unreadable' }),
    );
  });
});
