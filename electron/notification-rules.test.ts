import { describe, expect, it } from 'vitest';
import { AgentStateSchema } from '../agent/local-api/contract.ts';
import { statusFixture } from '../renderer/src/test-support/fixtures.ts';
import {
  isFinishedWithdrawal,
  notificationForStatus,
  notificationForUpdate,
  notificationForWithdrawal,
} from './notification-rules.ts';
import { withdrawalFixture } from './test-support/withdrawal-fixture.ts';

const noDevices = statusFixture({
  state: 'error',
  cause: 'no-devices',
  reason: 'Cannot earn: no CPU or GPU was found on this computer',
});

describe('notificationForStatus', () => {
  it('tells the owner once when earning stops because of a problem, in the agent’s words', () => {
    expect(notificationForStatus(statusFixture({ state: 'earning', cause: 'idle' }), noDevices, true)).toEqual({
      title: 'Idlehive cannot earn',
      body: 'Cannot earn: no CPU or GPU was found on this computer',
    });
    expect(notificationForStatus(noDevices, { ...noDevices, since: noDevices.since + 1 }, true)).toBeNull();
  });

  it('tells about a problem found at start, and about a different problem', () => {
    expect(notificationForStatus(null, noDevices, true)).not.toBeNull();
    const other = statusFixture({ state: 'error', cause: 'too-hot', reason: 'Paused for heat safety: x' });
    expect(notificationForStatus(noDevices, other, true)?.body).toBe('Paused for heat safety: x');
  });

  it.each(AgentStateSchema.options.filter((state) => state !== 'error'))('stays quiet on %s', (state) => {
    expect(notificationForStatus(noDevices, statusFixture({ state }), true)).toBeNull();
    expect(notificationForStatus(null, statusFixture({ state }), true)).toBeNull();
  });

  it('stays quiet when the owner turned notifications off', () => {
    expect(notificationForStatus(null, noDevices, false)).toBeNull();
  });
});

describe('notificationForWithdrawal', () => {
  const none = new Set<number>();

  it.each([
    [
      'a direct claim confirmed: what was paid, to whom',
      withdrawalFixture({ state: 'confirmed', paidAmount: '2500000000000000000', blockNumber: 12 }),
      { title: 'Withdrawal confirmed', body: '2.5 tHIVE sent to 0x1111…1111.' },
    ],
    [
      'a relayed claim confirmed: with the relayer’s fee',
      withdrawalFixture({
        state: 'confirmed',
        kind: 'relayed',
        recipient: '0xAbCdEf0123456789abcdef0123456789ABCDEF01',
        paidAmount: '2500000000000000000',
        paidFee: '10000000000000000',
      }),
      { title: 'Withdrawal confirmed', body: '2.5 tHIVE sent to 0xAbCd…EF01 (relayer fee 0.01 tHIVE).' },
    ],
    [
      'confirmed before the paid amount was read: the amount asked for',
      withdrawalFixture({ state: 'confirmed', paidAmount: null }),
      { title: 'Withdrawal confirmed', body: '2.5 tHIVE sent to 0x1111…1111.' },
    ],
    [
      'failed: the agent’s reason',
      withdrawalFixture({
        state: 'failed',
        failure: 'The vault refused the claim: the voucher is older than the last claim.',
      }),
      { title: 'Withdrawal failed', body: 'The vault refused the claim: the voucher is older than the last claim.' },
    ],
    [
      'failed without a reason',
      withdrawalFixture({ state: 'failed', failure: null }),
      {
        title: 'Withdrawal failed',
        body: 'The withdrawal did not go through. Open the Wallet screen to try again.',
      },
    ],
  ])('%s', (_name, progress, notification) => {
    expect(notificationForWithdrawal(progress, none, true)).toEqual(notification);
    expect(isFinishedWithdrawal(progress)).toBe(true);
  });

  it.each(['prepared', 'signed', 'sent'] as const)('stays quiet while %s', (state) => {
    const progress = withdrawalFixture({ state, waitingReason: 'Waiting for the next block.' });
    expect(notificationForWithdrawal(progress, none, true)).toBeNull();
    expect(isFinishedWithdrawal(progress)).toBe(false);
  });

  it('tells about each withdrawal once, and nothing when notifications are off', () => {
    const confirmed = withdrawalFixture({ id: 3, state: 'confirmed' });
    expect(notificationForWithdrawal(confirmed, new Set([3]), true)).toBeNull();
    expect(notificationForWithdrawal(confirmed, new Set([4]), true)).not.toBeNull();
    expect(notificationForWithdrawal(confirmed, none, false)).toBeNull();
  });
});

describe('notificationForUpdate', () => {
  it('says once per version that an update waits for a restart', () => {
    expect(notificationForUpdate('0.2.0', null, true)).toEqual({
      title: 'Update ready — restart to install',
      body: 'Idlehive 0.2.0 is downloaded. Choose “Restart to install” in the tray menu, or it installs when you quit.',
    });
    expect(notificationForUpdate('0.2.0', '0.2.0', true)).toBeNull();
    expect(notificationForUpdate('0.2.1', '0.2.0', true)).not.toBeNull();
    expect(notificationForUpdate('0.2.0', null, false)).toBeNull();
  });
});
