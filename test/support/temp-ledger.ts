import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { type LedgerDatabase, openLedger } from '../../agent/ledger/open-ledger.ts';

/**
 * A factory of real ledger files, each in its own temporary folder; every one
 * opened during a test is closed and removed after it. Call at a test file's top level.
 */
export function tempLedgers(prefix: string): () => LedgerDatabase {
  const dirs: string[] = [];
  const dbs: LedgerDatabase[] = [];
  afterEach(() => {
    for (const db of dbs.splice(0)) db.close();
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    dirs.push(dir);
    const db = openLedger(path.join(dir, 'ledger.sqlite'));
    dbs.push(db);
    return db;
  };
}
