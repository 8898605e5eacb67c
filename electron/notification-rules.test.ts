import { describe, expect, it } from 'vitest';
import { AgentStateSchema } from '../agent/local-api/contract.ts';
import { statusFixture } from '../renderer/src/test-support/fixtures.ts';
import { notificationForStatus } from './notification-rules.ts';

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
