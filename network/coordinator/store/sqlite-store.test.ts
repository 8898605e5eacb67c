/**
 * The SQLite store's commit and cache rules, on a real database file read
 * back through a second connection (what a restarted coordinator would see):
 * grouped transactions are on disk only once `committed()` resolves, a
 * failed one undoes only itself, durable ones are on disk when they return,
 * and no cache serves a write that was undone.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { classifierJob, cpuProfile } from '../../../test/integration/coordinator-fixtures.ts';
import { DEFAULT_TOLERANCES } from '../../verification/tensor-compare.ts';
import { openCoordinatorDatabase } from './open-coordinator-database.ts';
import { SqliteCoordinatorStore } from './sqlite-store.ts';
import type { JobRow, ReplicaRow } from './store-rows.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function openStore(groupCommit: boolean) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idlehive-coordinator-store-'));
  dirs.push(dir);
  const file = path.join(dir, 'coordinator.sqlite');
  const store = new SqliteCoordinatorStore(openCoordinatorDatabase(file), { groupCommit });
  /** What another connection (or the process after a restart) reads from the file. */
  const onDisk = (sql: string, ...params: unknown[]) => {
    const db = new Database(file, { readonly: true });
    try {
      return db.prepare(sql).all(...params);
    } finally {
      db.close();
    }
  };
  return { store, onDisk };
}

const metaOnDisk = (onDisk: ReturnType<typeof openStore>['onDisk']) =>
  (onDisk('SELECT key, value FROM meta ORDER BY key') as { key: string; value: string }[]).map(
    (row) => `${row.key}=${row.value}`,
  );

function jobRow(jobId: string, overrides: Partial<JobRow> = {}): JobRow {
  const { spec } = classifierJob(1);
  return {
    jobId,
    kind: 'inference',
    requester: null,
    clientRequestId: null,
    spec: { ...spec, jobId },
    offer: { unit: 'device-second', maxPricePerUnit: '1000' },
    tolerances: DEFAULT_TOLERANCES,
    flopsPerRun: null,
    maxSeconds: 15,
    state: 'open',
    failure: null,
    submittedAt: 1,
    updatedAt: 1,
    verifiedAt: null,
    canonicalReplica: null,
    method: null,
    agreeing: null,
    cost: 0n,
    parentJob: null,
    auditedReplica: null,
    excludedAccount: null,
    segment: null,
    knownAnswer: null,
    claim: null,
    ...overrides,
  };
}

function replicaRow(replicaId: string, jobId: string, account: string | null): ReplicaRow {
  return {
    replicaId,
    jobId,
    state: account ? 'leased' : 'queued',
    account,
    leaseId: null,
    result: null,
    reward: null,
    reason: null,
    queueAt: 1,
    createdAt: 1,
    updatedAt: 1,
  };
}

describe('SqliteCoordinatorStore group commit', () => {
  it('shows a grouped write in this process at once and on disk only once committed() resolves', async () => {
    const { store, onDisk } = openStore(true);
    store.transaction(() => store.setMeta('a', '1'));
    store.transaction(() => store.setMeta('b', '2'));
    expect(store.getMeta('a')).toBe('1');
    expect(metaOnDisk(onDisk)).toEqual([]);
    await store.committed();
    expect(metaOnDisk(onDisk)).toEqual(['a=1', 'b=2']);
    await expect(store.committed()).resolves.toBeUndefined();
    store.close();
  });

  it('undoes only the transaction that threw; the rest of its group commits', async () => {
    const { store, onDisk } = openStore(true);
    store.transaction(() => store.setMeta('kept', '1'));
    expect(() =>
      store.transaction(() => {
        store.setMeta('undone', '1');
        throw new Error('refused');
      }),
    ).toThrow('refused');
    store.transaction(() => store.setMeta('after', '1'));
    expect(store.getMeta('undone')).toBeUndefined();
    await store.committed();
    expect(metaOnDisk(onDisk)).toEqual(['after=1', 'kept=1']);
    store.close();
  });

  it('puts a durable transaction, and the group before it, on disk before it returns', () => {
    const { store, onDisk } = openStore(true);
    store.transaction(() => store.setMeta('grouped', '1'));
    store.transaction(() => store.setMeta('promised', '1'), { durable: true });
    expect(metaOnDisk(onDisk)).toEqual(['grouped=1', 'promised=1']);
    store.close();
  });

  it('commits each transaction by itself without group commit', () => {
    const { store, onDisk } = openStore(false);
    store.transaction(() => store.setMeta('a', '1'));
    expect(metaOnDisk(onDisk)).toEqual(['a=1']);
    store.close();
  });

  it('commits an open group when closed', () => {
    const { store, onDisk } = openStore(true);
    store.transaction(() => store.setMeta('a', '1'));
    store.close();
    expect(metaOnDisk(onDisk)).toEqual(['a=1']);
  });
});

describe('SqliteCoordinatorStore caches', () => {
  const account = '0x00000000000000000000000000000000000000a1';

  it('serves no session or provider whose write was undone', async () => {
    const { store } = openStore(true);
    const session = { publicKey: 'k'.repeat(43), account, role: 'provider' as const, expiresAt: 10, createdAt: 1 };
    expect(() =>
      store.transaction(() => {
        store.putSession(session);
        store.upsertProvider(account, cpuProfile(), 1);
        // Read inside the transaction, so the caches hold them before the undo.
        expect(store.getSession(session.publicKey)).toEqual(session);
        expect(store.getProvider(account)?.valid).toBe(0);
        throw new Error('refused');
      }),
    ).toThrow('refused');
    expect(store.getSession(session.publicKey)).toBeUndefined();
    expect(store.getProvider(account)).toBeUndefined();
    await store.committed();
    store.close();
  });

  it('keeps cached counts, earnings and runs equal to what a fresh store reads from the file', async () => {
    const { store } = openStore(true);
    store.transaction(() => {
      store.upsertProvider(account, cpuProfile(), 1);
      expect(store.getRun(account, '0.1.0', '1.30.0')).toBe(0);
      store.recordOutcome(account, 'valid', 7n);
      store.recordOutcome(account, 'invalid', 0n);
      store.setRun(account, '0.1.0', '1.30.0', 3);
    });
    await store.committed();
    const file = path.join(dirs.at(-1) as string, 'coordinator.sqlite');
    const cached = { provider: store.getProvider(account), run: store.getRun(account, '0.1.0', '1.30.0') };
    store.close();
    const fresh = new SqliteCoordinatorStore(openCoordinatorDatabase(file));
    expect(cached).toEqual({ provider: fresh.getProvider(account), run: 3 });
    expect(cached.provider).toMatchObject({ valid: 1, invalid: 1, earned: 7n });
    fresh.close();
  });

  it('shares a job spec between reads and refuses changes to it', () => {
    const { store } = openStore(false);
    store.transaction(() => store.insertJob(jobRow('job_a')));
    const first = store.getJob('job_a') as JobRow;
    expect(store.getJob('job_a')?.spec).toBe(first.spec);
    expect(() => {
      (first.spec as { jobId: string }).jobId = 'job_b';
    }).toThrow(TypeError);
    store.close();
  });
});

describe('SqliteCoordinatorStore canary sources', () => {
  it('offers verified and calibration jobs newest first that the account never ran nor got a canary of', () => {
    const { store } = openStore(false);
    const me = '0x00000000000000000000000000000000000000a1';
    const other = '0x00000000000000000000000000000000000000b2';
    store.transaction(() => {
      store.insertJob(jobRow('job_old', { state: 'verified', verifiedAt: 10 }));
      store.insertJob(jobRow('job_new', { state: 'verified', verifiedAt: 30 }));
      store.insertJob(jobRow('job_calibration', { kind: 'calibration', state: 'verified', verifiedAt: 20 }));
      store.insertJob(jobRow('job_mine', { state: 'verified', verifiedAt: 40 }));
      store.insertReplica(replicaRow('replica_mine', 'job_mine', me));
      store.insertJob(jobRow('job_replayed', { state: 'verified', verifiedAt: 50 }));
      store.insertJob(jobRow('job_canary', { kind: 'canary', parentJob: 'job_replayed' }));
      store.insertReplica(replicaRow('replica_canary', 'job_canary', me));
      store.insertJob(jobRow('job_open'));
    });
    expect(store.canarySources(me, 10, true)).toEqual(['job_new', 'job_calibration', 'job_old']);
    expect(store.canarySources(me, 2, true)).toEqual(['job_new', 'job_calibration']);
    expect(store.canarySources(me, 10, false)).toEqual(['job_calibration']);
    expect(store.canarySources(other, 10, true)).toEqual([
      'job_replayed',
      'job_mine',
      'job_new',
      'job_calibration',
      'job_old',
    ]);
    store.close();
  });
});
