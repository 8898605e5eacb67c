/** A contract-valid withdrawal's progress for electron tests; each test overrides what it is about. */
import type { WithdrawalProgress } from '../../agent/local-api/contract.ts';

export function withdrawalFixture(overrides: Partial<WithdrawalProgress> = {}): WithdrawalProgress {
  return {
    id: 7,
    state: 'sent',
    kind: 'claim',
    account: '0x1111111111111111111111111111111111111111',
    recipient: '0x1111111111111111111111111111111111111111',
    amount: '2500000000000000000',
    relayFee: null,
    txHash: '0x'.padEnd(66, 'a'),
    nonce: 3,
    sends: 1,
    blockNumber: null,
    paidAmount: null,
    paidFee: null,
    waitingReason: null,
    failure: null,
    createdAt: Date.UTC(2026, 2, 4, 9, 0),
    updatedAt: Date.UTC(2026, 2, 4, 9, 1),
    ...overrides,
  };
}
