import { describe, expect, it, vi } from 'vitest';
import { earningsByDay } from '../agent/earnings/earnings-by-day.ts';
import type { EarningsByDay, Settings, Status, WithdrawalProgress } from '../agent/local-api/contract.ts';
import { fakeConnection } from '../renderer/src/test-support/fake-connection.ts';
import { settingsFixture, statusFixture } from '../renderer/src/test-support/fixtures.ts';
import type { AgentEndpoint } from './agent-endpoint-file.ts';
import { isAgentAnswering, startAgentLink } from './agent-link.ts';
import { withdrawalFixture } from './test-support/withdrawal-fixture.ts';

const endpoint: AgentEndpoint = { apiUrl: 'ws://127.0.0.1:4317/api', token: 'tok', pid: 9 };
const waiting = statusFixture({ state: 'waiting' });

describe('startAgentLink', () => {
  it('forwards the status it asks for and every pushed one, and null when the link drops', async () => {
    const first = fakeConnection(async () => waiting);
    const second = fakeConnection(async () => waiting);
    const queue = [first, second];
    const statuses: (Status | null)[] = [];
    const link = startAgentLink({
      readEndpoint: async () => endpoint,
      connect: async () => queue.shift() ?? new Promise(() => {}),
      onStatus: (status) => statuses.push(status),
      sleep: async () => {},
    });
    await vi.waitFor(() => expect(statuses).toEqual([waiting]));
    const earning = statusFixture({ state: 'earning' });
    first.push('status', earning);
    expect(statuses.at(-1)).toBe(earning);
    first.drop();
    await vi.waitFor(() => expect(link.current()).toBe(second));
    expect(statuses.slice(2)).toEqual([null, waiting]);
    link.stop();
    expect(second.isClosed()).toBe(true);
  });

  it('forwards the settings it asks for and every pushed one, when asked to', async () => {
    const settings = settingsFixture({ startAtLogin: true });
    const connection = fakeConnection(async (method) => (method === 'settings.get' ? settings : waiting));
    const received: Settings[] = [];
    const link = startAgentLink({
      readEndpoint: async () => endpoint,
      connect: async () => connection,
      onStatus: () => {},
      onSettings: (next) => received.push(next),
      sleep: async () => {},
    });
    await vi.waitFor(() => expect(received).toEqual([settings]));
    const off = settingsFixture({ startAtLogin: false });
    connection.push('settings', off);
    expect(received.at(-1)).toBe(off);
    link.stop();
  });

  it('forwards the earnings it asks for and every pushed one, and each withdrawal pushed', async () => {
    const today = Date.UTC(2026, 2, 4, 12, 0);
    const asked = earningsByDay([{ at: today - 1, reward: '5' }], today, 'UTC');
    const connection = fakeConnection(async (method) => (method === 'earnings.days' ? asked : waiting));
    const earnings: EarningsByDay[] = [];
    const withdrawals: WithdrawalProgress[] = [];
    const link = startAgentLink({
      readEndpoint: async () => endpoint,
      connect: async () => connection,
      onStatus: () => {},
      onEarnings: (next) => earnings.push(next),
      onWithdrawal: (progress) => withdrawals.push(progress),
      sleep: async () => {},
    });
    await vi.waitFor(() => expect(earnings).toEqual([asked]));
    const credited = earningsByDay([{ at: today, reward: '7' }], today, 'UTC');
    connection.push('earnings', credited);
    expect(earnings.at(-1)).toBe(credited);
    const confirmed = withdrawalFixture({ state: 'confirmed' });
    connection.push('wallet.withdrawal', confirmed);
    expect(withdrawals).toEqual([confirmed]);
    link.stop();
  });

  it('does not ask for settings when nobody listens', async () => {
    const connection = fakeConnection(async () => waiting);
    const link = startAgentLink({
      readEndpoint: async () => endpoint,
      connect: async () => connection,
      onStatus: () => {},
      sleep: async () => {},
    });
    await vi.waitFor(() => expect(connection.calls.map((c) => c.method)).toEqual(['status.get']));
    link.stop();
  });

  it('re-reads the endpoint file on every attempt and reports consecutive failures', async () => {
    const reads: number[] = [];
    const failures: number[] = [];
    const sleeps: number[] = [];
    const connection = fakeConnection(async () => waiting);
    const link = startAgentLink({
      readEndpoint: async () => {
        reads.push(reads.length);
        return reads.length < 3 ? null : endpoint;
      },
      connect: async ({ url, token }) => {
        expect({ url, token }).toEqual({ url: endpoint.apiUrl, token: endpoint.token });
        if (reads.length < 4) throw new Error('refused');
        return connection;
      },
      onStatus: () => {},
      onFailure: (count) => failures.push(count),
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 0.5,
    });
    await vi.waitFor(() => expect(link.current()).toBe(connection));
    expect(failures).toEqual([1, 2, 3]);
    expect(sleeps).toEqual([500, 1000, 2000]);
    link.stop();
  });

  it('treats an unreadable endpoint file as a failed attempt', async () => {
    const failures: number[] = [];
    const link = startAgentLink({
      readEndpoint: async () => {
        throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
      },
      connect: async () => {
        throw new Error('not reached');
      },
      onStatus: () => {},
      onFailure: (count) => failures.push(count),
      sleep: () => new Promise((resolve) => setTimeout(resolve, 1)),
    });
    await vi.waitFor(() => expect(failures.length).toBeGreaterThan(2));
    link.stop();
  });
});

describe('isAgentAnswering', () => {
  it('is true when a connection opens, and closes it again', async () => {
    const connection = fakeConnection(async () => waiting);
    const connect = vi.fn(async () => connection);
    expect(await isAgentAnswering(async () => endpoint, connect)).toBe(true);
    expect(connect).toHaveBeenCalledWith({ url: endpoint.apiUrl, token: 'tok', timeoutMs: 1500 });
    expect(connection.isClosed()).toBe(true);
  });

  it('is false without an endpoint file or when the connection fails', async () => {
    expect(await isAgentAnswering(async () => null, vi.fn())).toBe(false);
    expect(
      await isAgentAnswering(
        async () => endpoint,
        async () => {
          throw new Error('refused');
        },
      ),
    ).toBe(false);
  });
});
