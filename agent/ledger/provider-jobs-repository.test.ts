import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LedgerDatabase, openLedger } from './open-ledger.ts';
import { deliveryBackoffMs, ProviderJobsRepository } from './provider-jobs-repository.ts';

let dir: string;
let file: string;
let db: LedgerDatabase;
let now = 1_000;
let jobs: ProviderJobsRepository;

const lease = (leaseId: string) => ({
  leaseId,
  jobId: `job-${leaseId}`,
  kind: 'inference' as const,
  coordinator: 'http://127.0.0.1:1',
  account: '0xabc',
  maxReward: '100',
});

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idlehive-jobs-'));
  file = path.join(dir, 'ledger.sqlite');
  db = openLedger(file);
  now = 1_000;
  jobs = new ProviderJobsRepository(db, () => now);
});

afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('ProviderJobsRepository', () => {
  it('follows a job from lease to verified with its reward', () => {
    jobs.recordLease(lease('a'));
    expect(jobs.move('a', ['leased'], 'running')).toBe(true);
    jobs.storeResult('a', '{"r":1}');
    expect(jobs.get('a')?.state).toBe('finished');
    expect(jobs.pendingCount()).toBe(1);
    jobs.delivered('a');
    jobs.settle('a', 'valid', '90', null);
    expect(jobs.get('a')).toMatchObject({ state: 'verified', reward: '90', reason: null });
    expect(jobs.pendingCount()).toBe(0);
  });

  it('keeps a finished result across a reopen, and backs delivery off after failures', () => {
    jobs.recordLease(lease('a'));
    jobs.storeResult('a', '{"r":1}');
    db.close();
    db = openLedger(file);
    jobs = new ProviderJobsRepository(db, () => now);
    expect(jobs.dueDeliveries(now)).toEqual([
      { leaseId: 'a', coordinator: 'http://127.0.0.1:1', account: '0xabc', resultJson: '{"r":1}', attempts: 0 },
    ]);
    jobs.deliveryFailed('a');
    expect(jobs.dueDeliveries(now)).toEqual([]);
    expect(jobs.nextDeliveryAt()).toBe(now + deliveryBackoffMs(1));
    now += deliveryBackoffMs(1);
    expect(jobs.dueDeliveries(now)[0]?.attempts).toBe(1);
  });

  it('never changes a settled job, whatever arrives later', () => {
    jobs.recordLease(lease('a'));
    jobs.storeResult('a', '{}');
    jobs.delivered('a');
    jobs.settle('a', 'invalid', null, 'outputs differ from the quorum');
    jobs.settle('a', 'valid', '90', null);
    expect(jobs.get('a')).toMatchObject({ state: 'rejected', reward: null, reason: 'outputs differ from the quorum' });
    expect(jobs.move('a', ['finished'], 'failed')).toBe(false);
  });

  it('tells its listeners about every write that changed a row, and only those', () => {
    let changes = 0;
    const unsubscribe = jobs.onChange(() => {
      changes += 1;
    });
    jobs.recordLease(lease('a'));
    jobs.recordLease(lease('a'));
    expect(changes).toBe(1);
    jobs.move('a', ['leased'], 'running');
    jobs.move('a', ['leased'], 'running');
    expect(changes).toBe(2);
    jobs.storeResult('a', '{}');
    jobs.deliveryFailed('a');
    jobs.delivered('a');
    jobs.settle('a', 'valid', '90', null);
    jobs.settle('a', 'invalid', null, 'late');
    expect(changes).toBe(6);
    unsubscribe();
    jobs.recordLease(lease('b'));
    expect(changes).toBe(6);
  });

  it('records a lease once, even if told twice', () => {
    jobs.recordLease(lease('a'));
    jobs.move('a', ['leased'], 'running');
    jobs.recordLease(lease('a'));
    expect(jobs.list()).toHaveLength(1);
    expect(jobs.get('a')?.state).toBe('running');
  });

  it('keeps the settlement cursor and the newest voucher per coordinator and account', () => {
    expect(jobs.settlementsAfter('http://c', '0xabc')).toBe(0);
    jobs.saveSettlementsAfter('http://c', '0xabc', 7);
    jobs.saveVoucher('http://c', '0xabc', '{"cumulativeAmount":"5"}');
    expect(jobs.settlementsAfter('http://c', '0xabc')).toBe(7);
    expect(jobs.voucherJson('0xabc')).toBe('{"cumulativeAmount":"5"}');
    expect(jobs.voucherJson('0xdef')).toBeNull();
  });

  it('lists the credits of verified jobs since a moment, at the time each was verified', () => {
    for (const [id, at, outcome, reward] of [
      ['old', 1_000, 'valid', '5'],
      ['a', 2_000, 'valid', '90'],
      ['b', 3_000, 'invalid', null],
      ['c', 4_000, 'valid', '10'],
    ] as const) {
      now = at;
      jobs.recordLease(lease(id));
      jobs.settle(id, outcome, reward, null);
    }
    jobs.recordLease(lease('running'));
    expect(jobs.creditsSince(2_000)).toEqual([
      { at: 2_000, reward: '90' },
      { at: 4_000, reward: '10' },
    ]);
  });

  it('lists what each result awaiting verification can still earn, however many jobs the ledger holds', () => {
    for (let i = 0; i < 1500; i++) {
      now = 1_000 + i;
      jobs.recordLease({ ...lease(`old-${i}`), maxReward: '7' });
      jobs.settle(`old-${i}`, 'valid', '7', null);
    }
    now = 10_000;
    jobs.recordLease({ ...lease('finished'), maxReward: '300' });
    jobs.storeResult('finished', '{"r":1}');
    now = 10_001;
    jobs.recordLease({ ...lease('submitted'), maxReward: '200' });
    jobs.storeResult('submitted', '{"r":2}');
    jobs.delivered('submitted');
    jobs.recordLease(lease('running'));
    jobs.recordLease(lease('rejected'));
    jobs.settle('rejected', 'invalid', null, 'did not match');
    expect(jobs.awaitingMaxRewards()).toEqual(['300', '200']);
    expect(jobs.creditsSince(0)).toHaveLength(1500);
  });

  it('backs off from 2 s up to 5 min', () => {
    expect([1, 2, 3, 10, 30].map(deliveryBackoffMs)).toEqual([2000, 4000, 8000, 300_000, 300_000]);
  });
});
