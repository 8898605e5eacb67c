import { describe, expect, it, vi } from 'vitest';
import { totalEarnings } from '../../agent/earnings/earnings-totals.ts';
import type { EarningsRange, EarningsSeries } from '../../agent/local-api/contract.ts';
import { defaultSchedulerPolicy } from '../../agent/scheduler/policy.ts';
import { type AgentEndpoint, abortableSleep, isTokenRefusedByAgent, startAgentSession } from './agent-connection.ts';
import type { DashboardEvent } from './store/dashboard-reducer.ts';
import { type FakeConnection, fakeConnection } from './test-support/fake-connection.ts';
import { settingsFixture, statusFixture } from './test-support/fixtures.ts';

const endpoint: AgentEndpoint = { url: 'ws://127.0.0.1:4317/api', token: 'tok' };

function harness(options: {
  endpoints?: () => Promise<AgentEndpoint | null>;
  connections?: (FakeConnection | Error)[];
  refused?: boolean;
}) {
  const events: DashboardEvent[] = [];
  const sleeps: number[] = [];
  const attempts: AgentEndpoint[] = [];
  const queue = [...(options.connections ?? [])];
  const session = startAgentSession({
    getEndpoint: options.endpoints ?? (async () => endpoint),
    connect: async (target) => {
      attempts.push(target);
      const next = queue.shift();
      if (next === undefined) return new Promise(() => {}); // Hangs: the test is over.
      if (next instanceof Error) throw next;
      return next;
    },
    isTokenRefused: async () => options.refused ?? false,
    dispatch: (event) => events.push(event),
    earningsRange: () => '30d',
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
  });
  const types = () => events.map((event) => event.type);
  return { session, events, sleeps, attempts, types };
}

const policy = defaultSchedulerPolicy('UTC');
const seriesFor = (range: EarningsRange): EarningsSeries => ({
  range,
  bucketSize: 'day',
  timeZone: 'UTC',
  now: 1,
  buckets: [],
  total: '0',
  jobs: 0,
});
const totals = totalEarnings({ credits: [{ at: 1, reward: '5' }], awaitingMaxRewards: [], now: 2, timeZone: 'UTC' });
const answering = () =>
  fakeConnection(async (method, params) => {
    if (method === 'status.get') return statusFixture({ state: 'waiting' });
    if (method === 'settings.get') return settingsFixture({ theme: 'dark' });
    if (method === 'scheduler.policy.get') return policy;
    if (method === 'timeline.list') return [];
    if (method === 'wallet.status') return { wallet: null, readiness: 'missing', withdrawals: [] };
    if (method === 'jobs.list') return [];
    if (method === 'wallet.balance') throw new Error('There is no wallet yet.');
    if (method === 'benchmark.latest') return null;
    if (method === 'benchmark.history') return [];
    if (method === 'earnings.series') return seriesFor((params as { range: EarningsRange }).range);
    if (method === 'earnings.totals') return totals;
    if (method === 'devices.get') throw new Error('Could not detect the devices.');
    throw new Error(`unexpected ${method}`);
  });

describe('startAgentSession', () => {
  it('connects, then fills the store from the initial calls and from pushed events', async () => {
    const connection = answering();
    const { events, types, session } = harness({ connections: [connection] });
    await vi.waitFor(() =>
      expect([...types()].sort()).toEqual(
        [
          'balance-unavailable',
          'benchmark-latest-received',
          'benchmark-history-received',
          'earnings-series-received',
          'earnings-totals-received',
          'connected',
          'devices-unavailable',
          'jobs-received',
          'policy-received',
          'settings-received',
          'status-received',
          'timeline-received',
          'wallet-received',
        ].sort(),
      ),
    );
    expect(events).toContainEqual({ type: 'balance-unavailable', message: 'There is no wallet yet.' });
    expect(events).toContainEqual({ type: 'devices-unavailable', message: 'Could not detect the devices.' });
    expect(session.current()).toBe(connection);
    expect(connection.calls).toContainEqual({ method: 'timeline.list', params: { sinceMs: expect.any(Number) } });

    const paused = statusFixture({ state: 'paused' });
    connection.push('status', paused);
    connection.push('settings', settingsFixture({ theme: 'light' }));
    expect(events.at(-2)).toEqual({ type: 'status-received', status: paused });
    expect(events.at(-1)).toMatchObject({ type: 'settings-received', settings: { theme: 'light' } });
    const progress = {
      id: 1,
      state: 'confirmed' as const,
      kind: 'claim' as const,
      account: '0xa',
      recipient: '0xa',
      amount: '5',
      relayFee: null,
      txHash: '0xf',
      nonce: 0,
      sends: 1,
      blockNumber: 7,
      paidAmount: '5',
      paidFee: null,
      waitingReason: null,
      failure: null,
      createdAt: 1,
      updatedAt: 2,
    };
    const balanceAsks = () => connection.calls.filter((c) => c.method === 'wallet.balance').length;
    const asksBefore = balanceAsks();
    connection.push('wallet.withdrawal', progress);
    expect(events.at(-1)).toEqual({ type: 'withdrawal-progressed', progress });
    // A finished withdrawal moved tokens: the balances are asked for again.
    expect(balanceAsks()).toBe(asksBefore + 1);
    const berlin = defaultSchedulerPolicy('Europe/Berlin');
    connection.push('policy', berlin);
    expect(events.at(-1)).toEqual({ type: 'policy-received', policy: berlin });
    // A new zone means a new "today": the timeline is asked for again.
    await vi.waitFor(() => expect(connection.calls.filter((c) => c.method === 'timeline.list')).toHaveLength(2));
    // The chart's range (the store's) is asked for on connect, and again after each credit.
    expect(connection.calls).toContainEqual({ method: 'earnings.series', params: { range: '30d' } });
    connection.push('earnings', { timeZone: 'UTC', days: [], asOf: 2 });
    await vi.waitFor(() => expect(connection.calls.filter((c) => c.method === 'earnings.series')).toHaveLength(2));
    // The totals too: asked on connect and again after each credit.
    expect(connection.calls.filter((c) => c.method === 'earnings.totals')).toHaveLength(2);
    expect(events).toContainEqual({ type: 'earnings-totals-received', totals });
    // A finished benchmark adds a run to the history.
    connection.push('benchmark.finished', { outcome: 'failed', mode: 'quick', code: 'x', message: 'Stopped.' });
    await vi.waitFor(() => expect(connection.calls.filter((c) => c.method === 'benchmark.history')).toHaveLength(2));
    session.stop();
  });

  it('reconnects with backoff after the agent goes away, asking for the endpoint again', async () => {
    const first = answering();
    const second = answering();
    let asked = 0;
    const { types, sleeps, session, attempts } = harness({
      endpoints: async () => {
        asked += 1;
        return { ...endpoint, token: `tok${asked}` };
      },
      connections: [first, new Error('refused'), new Error('refused'), second],
    });
    await vi.waitFor(() => expect(types()).toContain('connected'));
    first.drop();
    await vi.waitFor(() => expect(session.current()).toBe(second));
    expect(types().filter((t) => t === 'disconnected')).toHaveLength(3);
    expect(types().filter((t) => t === 'connected')).toHaveLength(2);
    // The loss itself waits the first step; each failure after it doubles.
    expect(sleeps).toEqual([500, 1000, 2000]);
    expect(attempts.map((a) => a.token)).toEqual(['tok1', 'tok2', 'tok3', 'tok4']);
    session.stop();
  });

  it('ignores events from a connection that has closed', async () => {
    const first = answering();
    const { events, types, session } = harness({ connections: [first] });
    await vi.waitFor(() => expect(types()).toContain('settings-received'));
    first.drop();
    await vi.waitFor(() => expect(types()).toContain('disconnected'));
    const count = events.length;
    first.push('status', statusFixture({ state: 'earning' }));
    expect(events.length).toBe(count);
    expect(session.current()).toBeNull();
    session.stop();
  });

  it('reports a missing token at once and never connects', async () => {
    const { types, attempts } = harness({ endpoints: async () => null });
    await vi.waitFor(() => expect(types()).toEqual(['unauthorized']));
    expect(attempts).toEqual([]);
  });

  it('reports a refused token when the agent answers but the socket was refused, and stops trying', async () => {
    const { events, attempts } = harness({ connections: [new Error('refused')], refused: true });
    await vi.waitFor(() => expect(events).toEqual([{ type: 'unauthorized', reason: 'rejected-token' }]));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(attempts).toHaveLength(1);
  });

  it('retries when the endpoint is not available yet (desktop agent still starting)', async () => {
    const connection = answering();
    let calls = 0;
    const { types, session } = harness({
      endpoints: async () => {
        calls += 1;
        if (calls < 3) throw new Error('The Idlehive agent has not started yet.');
        return endpoint;
      },
      connections: [connection],
    });
    await vi.waitFor(() => expect(types()).toContain('connected'));
    expect(types().slice(0, 2)).toEqual(['disconnected', 'disconnected']);
    session.stop();
  });

  it('stop() closes the live connection and ends the loop', async () => {
    const connection = answering();
    const { types, session, attempts } = harness({ connections: [connection, answering()] });
    await vi.waitFor(() => expect(types()).toContain('connected'));
    session.stop();
    expect(connection.isClosed()).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(attempts).toHaveLength(1);
    expect(types()).not.toContain('disconnected');
  });
});

describe('abortableSleep', () => {
  it('resolves after the delay', async () => {
    await expect(abortableSleep(1, new AbortController().signal)).resolves.toBeUndefined();
  });

  it('rejects when aborted, before or during the wait', async () => {
    const early = new AbortController();
    early.abort();
    await expect(abortableSleep(10_000, early.signal)).rejects.toBeDefined();
    const late = new AbortController();
    const sleeping = abortableSleep(10_000, late.signal);
    late.abort();
    await expect(sleeping).rejects.toBeDefined();
  });
});

describe('isTokenRefusedByAgent', () => {
  it('asks the token check with the token in its header', async () => {
    const check = vi.fn(async () => Response.json({ ok: true }));
    expect(await isTokenRefusedByAgent('tok', check)).toBe(false);
    expect(check).toHaveBeenCalledWith(
      '/api/token-check',
      expect.objectContaining({ headers: { 'x-idlehive-token': 'tok' }, cache: 'no-store' }),
    );
  });

  it('is true only for a 401 from the agent', async () => {
    const answering = (status: number) => async () => Response.json({ error: { code: 'x', message: 'y' } }, { status });
    expect(await isTokenRefusedByAgent('tok', answering(401))).toBe(true);
    expect(await isTokenRefusedByAgent('tok', answering(403))).toBe(false);
    expect(await isTokenRefusedByAgent('tok', answering(500))).toBe(false);
  });

  it('is false when the agent does not answer', async () => {
    const down = async () => {
      throw new TypeError('Failed to fetch');
    };
    expect(await isTokenRefusedByAgent('tok', down)).toBe(false);
  });
});
