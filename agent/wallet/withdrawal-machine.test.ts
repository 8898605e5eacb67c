import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ChainObservation,
  canMove,
  isFinal,
  reconcile,
  stateAfter,
  WITHDRAWAL_KINDS,
  WITHDRAWAL_STATES,
  type WithdrawalFacts,
} from './withdrawal-machine.ts';

const direct = (over: Partial<WithdrawalFacts> = {}): WithdrawalFacts => ({
  kind: 'claim',
  state: 'sent',
  cumulativeAmount: 100n,
  nonce: 5,
  hasRawTransaction: true,
  txHash: '0xabc',
  deadlineSeconds: null,
  ...over,
});

const relayed = (over: Partial<WithdrawalFacts> = {}): WithdrawalFacts => ({
  kind: 'relayed',
  state: 'signed',
  cumulativeAmount: 100n,
  nonce: 2,
  hasRawTransaction: false,
  txHash: null,
  deadlineSeconds: 1_000,
  ...over,
});

const seen = (over: Partial<Extract<ChainObservation, { kind: 'observed' }>> = {}): ChainObservation => ({
  kind: 'observed',
  receipt: null,
  pendingInNode: false,
  minedNonce: 5,
  vaultClaimed: 40n,
  vaultWithdrawalNonce: 2,
  chainTimeSeconds: 500,
  ...over,
});

describe('state transitions', () => {
  it('allows only the forward moves', () => {
    expect(canMove('prepared', 'signed')).toBe(true);
    expect(canMove('prepared', 'sent')).toBe(false);
    expect(canMove('signed', 'prepared')).toBe(false);
    expect(canMove('sent', 'sent')).toBe(true);
    expect(canMove('sent', 'signed')).toBe(false);
    for (const to of WITHDRAWAL_STATES) {
      expect(canMove('confirmed', to)).toBe(false);
      expect(canMove('failed', to)).toBe(false);
    }
  });
});

describe('reconcile: direct claims', () => {
  it('signs a prepared withdrawal only while the voucher still pays', () => {
    expect(
      reconcile(direct({ state: 'prepared', nonce: null, hasRawTransaction: false, txHash: null }), seen()),
    ).toEqual({
      action: 'sign',
    });
    expect(
      reconcile(
        direct({ state: 'prepared', nonce: null, hasRawTransaction: false, txHash: null }),
        seen({ vaultClaimed: 100n }),
      ).action,
    ).toBe('fail');
  });

  it('confirms a mined success and fails a mined revert', () => {
    const mined = { txHash: '0xabc', status: 'success' as const, blockNumber: 9, revertReason: null };
    expect(reconcile(direct(), seen({ receipt: mined }))).toEqual({
      action: 'confirm',
      blockNumber: 9,
      txHash: '0xabc',
    });
    expect(reconcile(direct(), seen({ receipt: { ...mined, status: 'reverted' } })).action).toBe('fail');
  });

  it('waits while the node holds it', () => {
    expect(reconcile(direct(), seen({ pendingInNode: true })).action).toBe('wait');
  });

  it('re-sends the stored bytes when the node forgot them and the nonce is free', () => {
    expect(reconcile(direct(), seen({ minedNonce: 5 }))).toEqual({ action: 'broadcast' });
    expect(reconcile(direct({ state: 'signed' }), seen({ minedNonce: 3 }))).toEqual({ action: 'broadcast' });
  });

  it('confirms with whichever transaction was mined: an earlier one, after a fee bump was recorded', () => {
    const earlier = { txHash: '0xearlier', status: 'success' as const, blockNumber: 11, revertReason: null };
    expect(reconcile(direct({ txHash: '0xbumped' }), seen({ receipt: earlier, minedNonce: 6 }))).toEqual({
      action: 'confirm',
      blockNumber: 11,
      txHash: '0xearlier',
    });
  });

  it('sends the newest fee bump when the node does not hold it, even while an earlier one waits', () => {
    // pendingInNode is about the newest: an older transaction pending in the node is replaced by it.
    expect(reconcile(direct({ txHash: '0xbumped' }), seen({ pendingInNode: false, minedNonce: 5 }))).toEqual({
      action: 'broadcast',
    });
  });

  it('fails a transaction replaced by another with the same nonce', () => {
    const decision = reconcile(direct(), seen({ minedNonce: 6 }));
    expect(decision.action).toBe('fail');
  });

  it('waits, never fails, when the chain is unreachable', () => {
    for (const state of ['prepared', 'signed', 'sent'] as const) {
      expect(reconcile(direct({ state }), { kind: 'unreachable', reason: 'down' }).action).toBe('wait');
    }
  });
});

describe('reconcile: relayed claims', () => {
  it('hands the signed withdrawal to the relayer before its deadline', () => {
    expect(reconcile(relayed(), seen())).toEqual({ action: 'relay' });
  });

  it('confirms when the signed nonce was used and the voucher is paid', () => {
    expect(reconcile(relayed(), seen({ vaultWithdrawalNonce: 3, vaultClaimed: 100n }))).toEqual({
      action: 'confirm',
      blockNumber: null,
      txHash: null,
    });
  });

  it('fails when the nonce was used without paying, or the deadline passed', () => {
    expect(reconcile(relayed(), seen({ vaultWithdrawalNonce: 3, vaultClaimed: 40n })).action).toBe('fail');
    expect(reconcile(relayed(), seen({ chainTimeSeconds: 1_001 })).action).toBe('fail');
  });

  it('submits again after the relayer transaction reverted', () => {
    const reverted = { txHash: '0xdef', status: 'reverted' as const, blockNumber: 4, revertReason: null };
    expect(reconcile(relayed({ state: 'sent', txHash: '0xdef' }), seen({ receipt: reverted })).action).toBe('relay');
  });
});

const arbitraryFacts = fc.record({
  kind: fc.constantFrom(...WITHDRAWAL_KINDS),
  state: fc.constantFrom(...WITHDRAWAL_STATES),
  cumulativeAmount: fc.bigInt({ min: 0n, max: 1000n }),
  nonce: fc.option(fc.integer({ min: 0, max: 20 })),
  hasRawTransaction: fc.boolean(),
  txHash: fc.option(fc.constant('0x01')),
  deadlineSeconds: fc.option(fc.integer({ min: 0, max: 2000 })),
});

const arbitraryObservation: fc.Arbitrary<ChainObservation> = fc.oneof(
  fc.record({ kind: fc.constant('unreachable' as const), reason: fc.string() }),
  fc.record({
    kind: fc.constant('observed' as const),
    receipt: fc.option(
      fc.record({
        txHash: fc.constantFrom('0x01', '0x02'),
        status: fc.constantFrom('success' as const, 'reverted' as const),
        blockNumber: fc.nat(),
        revertReason: fc.constant(null),
      }),
    ),
    pendingInNode: fc.boolean(),
    minedNonce: fc.integer({ min: 0, max: 20 }),
    vaultClaimed: fc.bigInt({ min: 0n, max: 1000n }),
    vaultWithdrawalNonce: fc.option(fc.integer({ min: 0, max: 20 })),
    chainTimeSeconds: fc.integer({ min: 0, max: 2000 }),
  }),
);

describe('reconcile: properties', () => {
  it('never asks to sign once something is signed', () => {
    fc.assert(
      fc.property(arbitraryFacts, arbitraryObservation, (facts, chain) => {
        if (facts.state !== 'prepared') expect(reconcile(facts, chain).action).not.toBe('sign');
      }),
    );
  });

  it('never changes a finished withdrawal', () => {
    fc.assert(
      fc.property(arbitraryFacts, arbitraryObservation, (facts, chain) => {
        if (isFinal(facts.state)) expect(stateAfter(reconcile(facts, chain))).toBeNull();
      }),
    );
  });

  it('never fails or finishes while the chain is unreachable', () => {
    fc.assert(
      fc.property(arbitraryFacts, fc.string(), (facts, reason) => {
        expect(reconcile(facts, { kind: 'unreachable', reason }).action).toBe('wait');
      }),
    );
  });

  it('always confirms a direct claim mined successfully', () => {
    fc.assert(
      fc.property(arbitraryFacts, arbitraryObservation, (facts, chain) => {
        if (facts.state === 'prepared' || isFinal(facts.state) || facts.kind === 'relayed') return;
        if (chain.kind !== 'observed' || chain.receipt?.status !== 'success') return;
        expect(reconcile(facts, chain).action).toBe('confirm');
      }),
    );
  });

  it('only ever proposes a move the state machine allows', () => {
    fc.assert(
      fc.property(arbitraryFacts, arbitraryObservation, (facts, chain) => {
        const next = stateAfter(reconcile(facts, chain));
        if (next !== null) expect(canMove(facts.state, next)).toBe(true);
      }),
    );
  });

  it('re-sends a direct claim only while its nonce is still free', () => {
    fc.assert(
      fc.property(arbitraryFacts, arbitraryObservation, (facts, chain) => {
        if (facts.kind === 'relayed' || chain.kind !== 'observed') return;
        if (reconcile(facts, chain).action === 'broadcast') {
          expect(facts.hasRawTransaction).toBe(true);
          expect(facts.nonce).not.toBeNull();
          expect(chain.minedNonce).toBeLessThanOrEqual(facts.nonce as number);
        }
      }),
    );
  });
});
