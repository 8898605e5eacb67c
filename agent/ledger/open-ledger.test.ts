import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from './migrations.ts';
import { LATEST_LEDGER_VERSION, ledgerVersion, openLedger } from './open-ledger.ts';

const tempFile = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'idlehive-ledger-')), 'ledger.sqlite');
const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('openLedger', () => {
  it('creates an empty file at the latest version with durable settings', () => {
    const file = tempFile();
    const db = openLedger(file);
    expect(ledgerVersion(db)).toBe(LATEST_LEDGER_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    db.close();
  });

  it('upgrades an older file step by step and keeps its rows', () => {
    const file = tempFile();
    const old = openLedger(file, { migrations: MIGRATIONS.filter((m) => m.version === 1) });
    old.prepare("INSERT INTO settings (key, value_json, updated_at) VALUES ('theme', '\"dark\"', 1)").run();
    old.prepare("INSERT INTO journal (at, kind, payload_json) VALUES (1, 'old.event', '{}')").run();
    expect(ledgerVersion(old)).toBe(1);
    old.close();

    const db = openLedger(file);
    expect(ledgerVersion(db)).toBe(LATEST_LEDGER_VERSION);
    expect(db.prepare('SELECT value_json FROM settings WHERE key = ?').get('theme')).toEqual({ value_json: '"dark"' });
    expect(db.prepare('SELECT count(*) AS n FROM journal').get()).toEqual({ n: 1 });
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'owner_override'").get()).toBeTruthy();
    db.close();
  });

  it('refuses a file from a newer version and leaves it byte-for-byte unchanged', () => {
    const file = tempFile();
    const future = new Database(file);
    future.exec('CREATE TABLE from_the_future (x INTEGER)');
    future.pragma(`user_version = ${LATEST_LEDGER_VERSION + 5}`);
    future.close();
    const before = sha256(file);
    const siblings = fs.readdirSync(path.dirname(file));

    expect(() => openLedger(file)).toThrow(
      expect.objectContaining({
        code: 'ledger_too_new',
        message: expect.stringMatching(/newer Idlehive.*not changed/),
      }),
    );
    expect(sha256(file)).toBe(before);
    expect(fs.readdirSync(path.dirname(file))).toEqual(siblings);
  });

  it('refuses a file that is not a database with a clear error', () => {
    const file = tempFile();
    fs.writeFileSync(file, 'definitely not sqlite, but long enough to have a header...........................');
    expect(() => openLedger(file)).toThrow(expect.objectContaining({ code: 'ledger_unreadable' }));
  });

  it('numbers migrations without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });
});
