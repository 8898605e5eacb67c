import { describe, expect, it, vi } from 'vitest';
import { IdlehiveError } from '../errors.ts';
import { defaultSchedulerPolicy } from '../scheduler/policy.ts';
import { DEFAULT_SETTINGS, MAX_MESSAGE_BYTES, type Status } from './contract.ts';
import { dispatchFrame, type MethodHandlers } from './dispatch.ts';

const status: Status = {
  state: 'paused',
  cause: 'owner-paused',
  reason: 'Paused by you.',
  since: 1,
  override: { kind: 'pause', until: null, setAt: 1 },
  devices: [],
  acceptsNewJobs: false,
  shellReportEveryMs: 2000,
  job: null,
  agent: { version: '0.1.0', pid: 1, startedAt: 1 },
};

function handlers(overrides: Partial<MethodHandlers> = {}): MethodHandlers {
  return {
    'status.get': () => status,
    'control.override': () => status,
    'control.resume': () => status,
    'scheduler.policy.get': () => defaultSchedulerPolicy('UTC'),
    'scheduler.policy.set': () => defaultSchedulerPolicy('UTC'),
    'signals.shell.report': () => ({ reportEveryMs: 2000 }),
    'timeline.list': () => [],
    'jobs.list': () => [],
    'earnings.days': () => ({ timeZone: 'UTC', days: [], asOf: 1 }),
    'earnings.series': ({ range }) => ({
      range,
      bucketSize: 'day',
      timeZone: 'UTC',
      now: 1,
      buckets: [],
      total: '0',
      jobs: 0,
    }),
    'earnings.totals': () => ({
      now: 1,
      timeZone: 'UTC',
      credited: { '24h': '0', '7d': '0', '30d': '0', all: '0' },
      verifiedJobs: { '24h': 0, '7d': 0, '30d': 0, all: 0 },
      awaiting: { jobs: 0, maxReward: '0' },
    }),
    'wallet.unlock': () => ({ address: '0x0000000000000000000000000000000000000001' }),
    'wallet.lock': () => ({}),
    'wallet.status': () => ({ wallet: null, readiness: 'missing', withdrawals: [] }),
    'wallet.balance': () => {
      throw new IdlehiveError('not_connected', 'Not connected.');
    },
    'wallet.withdraw.plan': () => {
      throw new IdlehiveError('not_connected', 'Not connected.');
    },
    'wallet.withdraw': () => {
      throw new IdlehiveError('not_connected', 'Not connected.');
    },
    'wallet.withdraw.speedUp': () => {
      throw new IdlehiveError('nothing_to_speed_up', 'No withdrawal is waiting for a block.');
    },
    'settings.get': () => DEFAULT_SETTINGS,
    'settings.set': ({ patch }) => ({ ...DEFAULT_SETTINGS, ...patch }),
    'devices.get': () => {
      throw new IdlehiveError('devices.probe_failed', 'Could not detect the devices.');
    },
    'benchmark.run': ({ mode }) => ({ mode, startedAt: 0 }),
    'benchmark.latest': () => null,
    'benchmark.history': () => [],
    'wallet.create': () => {
      throw new IdlehiveError('wallet_exists', 'This Idlehive already has a wallet.');
    },
    'wallet.import': () => {
      throw new IdlehiveError('wallet_exists', 'This Idlehive already has a wallet.');
    },
    'diagnostics.export': () => {
      throw new IdlehiveError('not_ready', 'Not ready.');
    },
    ...overrides,
  };
}

const hooks = { onUnexpectedError: vi.fn() };
const send = (value: unknown, h = handlers()) => {
  const raw = typeof value === 'string' ? value : JSON.stringify(value);
  return dispatchFrame(raw, Buffer.byteLength(raw), h, hooks);
};

describe('dispatchFrame', () => {
  it('answers a valid call with its result', async () => {
    expect(await send({ id: 1, method: 'status.get' })).toEqual({ id: 1, result: status });
  });
  it('refuses oversized messages before parsing them', async () => {
    const frame = await dispatchFrame('{', MAX_MESSAGE_BYTES + 1, handlers(), hooks);
    expect(frame).toMatchObject({ id: null, error: { code: 'message_too_large' } });
  });
  it('names malformed JSON', async () => {
    expect(await send('{"id":')).toMatchObject({ error: { code: 'malformed_json' } });
  });
  it('keeps the id of a malformed request when it has one', async () => {
    expect(await send({ id: 7, params: {} })).toMatchObject({ id: 7, error: { code: 'malformed_request' } });
    expect(await send([1, 2])).toMatchObject({ id: null, error: { code: 'malformed_request' } });
  });
  it('lists the methods when the method is unknown', async () => {
    const frame = await send({ id: 2, method: 'wallet.drain' });
    expect(frame).toMatchObject({ id: 2, error: { code: 'unknown_method' } });
    expect(JSON.stringify(frame)).toContain('status.get');
  });
  it('explains invalid params', async () => {
    const frame = await send({
      id: 3,
      method: 'control.override',
      params: { request: { kind: 'pause-for', durationSeconds: -5 } },
    });
    expect(frame).toMatchObject({ id: 3, error: { code: 'invalid_params' } });
    expect(JSON.stringify(frame)).toContain('durationSeconds');
    const unknownKey = await send({ id: 4, method: 'settings.set', params: { patch: { colour: 'red' } } });
    expect(unknownKey).toMatchObject({
      error: { code: 'invalid_params', message: 'settings.set: unknown field "colour" in patch.' },
    });
    const badUrl = await send({ id: 5, method: 'settings.set', params: { patch: { coordinatorUrl: 'ftp://x' } } });
    expect(badUrl).toMatchObject({ error: { code: 'invalid_params' } });
  });
  it('passes typed errors through and hides unexpected ones', async () => {
    const typed = await send(
      { id: 5, method: 'status.get' },
      handlers({
        'status.get': () => {
          throw new IdlehiveError('ledger_busy', 'The ledger is busy.');
        },
      }),
    );
    expect(typed).toEqual({ id: 5, error: { code: 'ledger_busy', message: 'The ledger is busy.' } });
    const unexpected = await send(
      { id: 6, method: 'status.get' },
      handlers({
        'status.get': () => {
          throw new TypeError('boom');
        },
      }),
    );
    expect(unexpected).toMatchObject({ id: 6, error: { code: 'internal_error' } });
    expect(hooks.onUnexpectedError).toHaveBeenCalledOnce();
  });
});
