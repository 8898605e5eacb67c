import { describe, expect, it } from 'vitest';
import type { WalletStatus, WithdrawalProgress } from '../../../agent/local-api/contract.ts';
import {
  confirmedFee,
  isFinalWithdrawal,
  speedUpSummary,
  supersededTransactions,
  withWithdrawal,
} from './withdrawals.ts';

function progress(id: number, overrides: Partial<WithdrawalProgress> = {}): WithdrawalProgress {
  return {
    id,
    state: 'prepared',
    kind: 'claim',
    account: '0xabc',
    recipient: '0xabc',
    amount: '1000',
    relayFee: null,
    txHash: null,
    nonce: null,
    sends: 0,
    blockNumber: null,
    paidAmount: null,
    paidFee: null,
    waitingReason: null,
    failure: null,
    createdAt: 1000 + id,
    updatedAt: 1000 + id,
    ...overrides,
  };
}

const wallet = (withdrawals: WithdrawalProgress[]): WalletStatus => ({
  wallet: { address: '0xabc', mode: 'keystore', keychain: false },
  readiness: 'ready',
  withdrawals,
});

describe('withWithdrawal', () => {
  it('adds a new withdrawal first and replaces a known one with its newer progress', () => {
    const start = wallet([progress(1)]);
    const added = withWithdrawal(start, progress(2));
    expect(added.withdrawals.map((w) => w.id)).toEqual([2, 1]);
    const sent = withWithdrawal(added, progress(1, { state: 'sent', txHash: '0xdead', updatedAt: 5000 }));
    expect(sent.withdrawals.map((w) => [w.id, w.state])).toEqual([
      [2, 'prepared'],
      [1, 'sent'],
    ]);
  });

  it('ignores a report older than what it already shows', () => {
    const start = wallet([progress(1, { state: 'confirmed', updatedAt: 9000 })]);
    expect(withWithdrawal(start, progress(1, { state: 'sent', updatedAt: 8000 }))).toBe(start);
  });
});

describe('confirmedFee and isFinalWithdrawal', () => {
  it('confirms the relayer’s fee for a relayed claim and the gas cap otherwise', () => {
    const plan = { recipient: '0x1', amount: '10', received: '9', warnings: [], relayFee: '1', maxGasCost: '7' };
    expect(confirmedFee({ ...plan, kind: 'relayed' })).toBe('1');
    expect(confirmedFee({ ...plan, kind: 'claim' })).toBe('7');
    expect(confirmedFee({ ...plan, kind: 'claim-to', maxGasCost: null })).toBeNull();
  });

  it('knows confirmed and failed are final', () => {
    expect(isFinalWithdrawal(progress(1, { state: 'confirmed' }))).toBe(true);
    expect(isFinalWithdrawal(progress(1, { state: 'failed' }))).toBe(true);
    expect(isFinalWithdrawal(progress(1, { state: 'sent' }))).toBe(false);
  });
});

describe('a withdrawal sped up with a higher fee', () => {
  const tx = (txHash: string, outcome: 'pending' | 'replaced' | 'mined' | 'not-mined') => ({
    txHash,
    maxFeePerGas: '3000000000',
    maxPriorityFeePerGas: '1000000000',
    signedAt: 1,
    outcome,
  });

  it('says how often it was replaced, and names the transactions that no longer count', () => {
    const waiting = progress(1, {
      state: 'sent',
      speedUps: 2,
      transactions: [tx('0x1', 'replaced'), tx('0x2', 'replaced'), tx('0x3', 'pending')],
    });
    expect(speedUpSummary(waiting)).toMatch(/^Replaced with a higher fee twice/);
    expect(supersededTransactions(waiting)).toEqual([
      { txHash: '0x1', label: 'replaced' },
      { txHash: '0x2', label: 'replaced' },
    ]);
    const landed = progress(2, {
      state: 'confirmed',
      txHash: '0x4',
      speedUps: 1,
      transactions: [tx('0x4', 'mined'), tx('0x5', 'not-mined')],
    });
    expect(speedUpSummary(landed)).toMatch(/^Replaced with a higher fee once/);
    expect(supersededTransactions(landed)).toEqual([{ txHash: '0x5', label: 'not mined' }]);
  });

  it('says nothing for one never sped up, or from an agent that does not report it', () => {
    expect(speedUpSummary(progress(3, { speedUps: 0, transactions: [tx('0x6', 'pending')] }))).toBeNull();
    expect(speedUpSummary(progress(4))).toBeNull();
    expect(supersededTransactions(progress(4))).toEqual([]);
  });
});
