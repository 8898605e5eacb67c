import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../ledger/migrations.ts';
import { type LedgerDatabase, openLedger } from '../ledger/open-ledger.ts';
import { type SignedClaimTransaction, type WithdrawalIntent, WithdrawalRepository } from './withdrawal-repository.ts';

const ACCOUNT = '0x1111111111111111111111111111111111111111';
const intent = (over: Partial<WithdrawalIntent> = {}): WithdrawalIntent => ({
  chainId: 31337,
  vault: '0x2222222222222222222222222222222222222222',
  account: ACCOUNT,
  kind: 'claim',
  recipient: ACCOUNT,
  cumulativeAmount: 10n ** 30n,
  voucherSignature: `0x${'ab'.repeat(65)}`,
  amount: 5n,
  maxFee: 0n,
  ...over,
});

const signedTx = (nonce: number, rawTx: string, txHash: string, maxFeePerGas = 3n): SignedClaimTransaction => ({
  nonce,
  rawTx,
  txHash,
  maxFeePerGas,
  maxPriorityFeePerGas: 1n,
  signedAtBlock: 40,
});

let dir: string;
let db: LedgerDatabase;
let repo: WithdrawalRepository;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idlehive-withdrawals-'));
  db = openLedger(path.join(dir, 'ledger.sqlite'));
  repo = new WithdrawalRepository(db);
});

afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('WithdrawalRepository', () => {
  it('keeps uint256 amounts exactly', () => {
    const record = repo.insertIntent(intent());
    expect(record).toMatchObject({ state: 'prepared', cumulativeAmount: 10n ** 30n, rawTx: null, nonce: null });
  });

  it('refuses a second unfinished withdrawal for the account, and allows one after the first finishes', () => {
    const first = repo.insertIntent(intent());
    expect(() => repo.insertIntent(intent({ kind: 'claim-to' }))).toThrow(/already under way/);
    repo.recordFailed(first.id, 'test');
    expect(repo.insertIntent(intent()).state).toBe('prepared');
  });

  it('writes the signed transaction, nonce and hash together, then counts each send', () => {
    const { id } = repo.insertIntent(intent());
    repo.recordSignedTransaction(id, signedTx(7, '0x02aa', `0x${'cd'.repeat(32)}`));
    expect(repo.require(id)).toMatchObject({ state: 'signed', nonce: 7, rawTx: '0x02aa', sends: 0 });
    repo.recordSent(id);
    repo.recordSent(id);
    expect(repo.require(id)).toMatchObject({ state: 'sent', sends: 2 });
    expect(repo.highestSignedNonce(31337, ACCOUNT)).toBe(7);
  });

  it('refuses moves the state machine forbids, so nothing is signed twice', () => {
    const { id } = repo.insertIntent(intent());
    repo.recordSignedTransaction(id, signedTx(1, '0x02aa', `0x${'cd'.repeat(32)}`));
    expect(() => repo.recordSignedTransaction(id, signedTx(2, '0x02bb', `0x${'ef'.repeat(32)}`))).toThrow(
      /cannot become signed/,
    );
    repo.recordConfirmed(id, { blockNumber: 3, paidAmount: 5n, paidFee: 0n });
    expect(() => repo.recordFailed(id, 'late')).toThrow(/cannot become failed/);
    expect(repo.require(id)).toMatchObject({ state: 'confirmed', rawTx: '0x02aa', paidAmount: 5n });
  });

  it('records every fee bump with the first transaction, in order, and confirms the one that was mined', () => {
    const { id } = repo.insertIntent(intent({ feeCapPerGas: 12n }));
    const first = `0x${'01'.repeat(32)}`;
    const bumped = `0x${'02'.repeat(32)}`;
    repo.recordSignedTransaction(id, signedTx(4, '0x02aa', first));
    // A replacement is only recorded over a sent withdrawal's current transaction.
    expect(() => repo.recordReplacement(id, first, signedTx(4, '0x02bb', bumped, 4n))).toThrow(/was not sent/);
    repo.recordSent(id);
    repo.recordReplacement(id, first, signedTx(4, '0x02bb', bumped, 4n));
    const record = repo.require(id);
    expect(record).toMatchObject({ state: 'sent', nonce: 4, rawTx: '0x02bb', txHash: bumped, feeCapPerGas: 12n });
    expect(record.transactions.map((tx) => [tx.attempt, tx.txHash, tx.maxFeePerGas])).toEqual([
      [1, first, 3n],
      [2, bumped, 4n],
    ]);
    // A second process bumping from the same transaction loses: its replacement is never recorded.
    expect(() => repo.recordReplacement(id, first, signedTx(4, '0x02cc', `0x${'03'.repeat(32)}`, 5n))).toThrow(
      /another Idlehive process/,
    );
    // A bump must keep the nonce.
    expect(() => repo.recordReplacement(id, bumped, signedTx(5, '0x02cc', `0x${'03'.repeat(32)}`, 5n))).toThrow();
    expect(repo.require(id).transactions).toHaveLength(2);

    // The earlier transaction was mined after all: it is the one the withdrawal keeps.
    repo.recordConfirmed(id, { blockNumber: 9, paidAmount: 5n, paidFee: 0n, minedTxHash: first });
    expect(repo.require(id)).toMatchObject({ state: 'confirmed', txHash: first, rawTx: '0x02aa', blockNumber: 9 });
  });

  it('keeps a relayed withdrawal signed form and the relayer transaction', () => {
    const { id } = repo.insertIntent(intent({ kind: 'relayed', maxFee: 3n }));
    const relay = {
      recipient: ACCOUNT,
      cumulativeAmount: (10n ** 30n).toString(),
      maxFee: '3',
      deadline: 1_900_000_000,
      nonce: 0,
      withdrawalSignature: `0x${'12'.repeat(65)}`,
    };
    repo.recordSignedRelay(id, relay);
    repo.recordSent(id, `0x${'34'.repeat(32)}`);
    expect(repo.require(id)).toMatchObject({ state: 'sent', relay, txHash: `0x${'34'.repeat(32)}`, maxFee: 3n });
    expect(repo.highestSignedNonce(31337, ACCOUNT)).toBeNull();
  });

  it("fills in the relayer's hash and payment of a relayed withdrawal confirmed without them, once", () => {
    const record = repo.insertIntent(intent({ kind: 'relayed', maxFee: 2n }));
    repo.recordSignedRelay(record.id, {
      recipient: ACCOUNT,
      cumulativeAmount: (10n ** 30n).toString(),
      maxFee: '2',
      deadline: 100,
      nonce: 0,
      withdrawalSignature: `0x${'cd'.repeat(65)}`,
    });
    const outcome = { txHash: `0x${'12'.repeat(32)}`, blockNumber: 7, paidAmount: 3n, paidFee: 2n };
    expect(repo.recordRelayerTransaction(record.id, outcome)).toBe(false);
    repo.recordConfirmed(record.id, { blockNumber: null, paidAmount: null, paidFee: null });
    expect(repo.recordRelayerTransaction(record.id, outcome)).toBe(true);
    expect(repo.require(record.id)).toMatchObject({ state: 'confirmed', ...outcome });
    expect(repo.recordRelayerTransaction(record.id, { ...outcome, txHash: `0x${'34'.repeat(32)}` })).toBe(false);
    expect(repo.require(record.id).txHash).toBe(outcome.txHash);
  });
});

describe('a ledger from before fee bumps (version 6)', () => {
  it('upgrades with each signed withdrawal as the first row of its transaction history, and no fee cap', () => {
    const file = path.join(dir, 'old.sqlite');
    const old = new Database(file);
    for (const migration of MIGRATIONS.filter((m) => m.version <= 6)) old.exec(migration.sql);
    old.pragma('user_version = 6');
    old
      .prepare(
        `INSERT INTO withdrawals (created_at, updated_at, chain_id, vault, account, kind, recipient, cumulative_amount,
           voucher_signature, amount, max_fee, state, nonce, raw_tx, tx_hash, sends)
         VALUES (1, 2, 31337, ?, ?, 'claim', ?, '10', '0xsig', '10', '0', 'sent', 0, '0x02aa', ?, 1)`,
      )
      .run('0x2222222222222222222222222222222222222222', ACCOUNT, ACCOUNT, `0x${'cd'.repeat(32)}`);
    old.close();

    const upgraded = openLedger(file);
    try {
      const [record] = new WithdrawalRepository(upgraded).unfinished();
      expect(record).toMatchObject({ state: 'sent', feeCapPerGas: null, txHash: `0x${'cd'.repeat(32)}` });
      expect(record?.transactions).toEqual([
        {
          attempt: 1,
          rawTx: '0x02aa',
          txHash: `0x${'cd'.repeat(32)}`,
          maxFeePerGas: null,
          maxPriorityFeePerGas: null,
          signedAt: 2,
          signedAtBlock: null,
        },
      ]);
    } finally {
      upgraded.close();
    }
  });
});
