/**
 * The scheduler through a real agent process: the shell's idle reports, the
 * owner's overrides and policy from the local API and the CLI, the timeline,
 * and what survives a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectLocalApi, type LocalApiConnection } from '../../agent/local-api/client.ts';
import type { SchedulerPolicy, Status } from '../../agent/local-api/contract.ts';
import { type AgentProcess, makeTempHome, runCliSync, startAgentProcess, waitFor } from '../support/agent-process.ts';

let agent: AgentProcess;
let api: LocalApiConnection;

beforeAll(async () => {
  agent = await startAgentProcess(makeTempHome());
  api = await connectLocalApi({ url: agent.endpoint.apiUrl, token: agent.endpoint.token });
});

afterAll(async () => {
  api.close();
  await agent.stop();
});

describe('idle reports from the desktop shell', () => {
  it('waits while the owner is active and is allowed to earn once away, answering how often to report', async () => {
    await api.call('control.resume', {});
    const active = await api.call('signals.shell.report', {
      signals: { hasInputSource: true, idleSeconds: 3, isOnBattery: false },
    });
    expect(active.reportEveryMs).toBe(2000);
    const waiting = await api.call('status.get', {});
    expect(waiting).toMatchObject({ state: 'waiting', cause: 'owner-active', devices: [] });
    expect(waiting.reason).toMatch(/^Waiting: you used the computer 3 s ago; earning starts after 5 min idle/);

    await api.call('signals.shell.report', { signals: { hasInputSource: true, idleSeconds: 600, isOnBattery: false } });
    const away = await api.call('status.get', {});
    // Allowed to use the CPU; without a wallet the network could not pay, so no work is taken.
    expect(away).toMatchObject({ state: 'no-work', cause: 'wallet-missing' });
    expect(away.devices.map((d) => d.kind)).toContain('cpu');
  });

  it('pauses on battery by default and says so', async () => {
    await api.call('signals.shell.report', { signals: { hasInputSource: true, idleSeconds: 600, isOnBattery: true } });
    expect(await api.call('status.get', {})).toMatchObject({ state: 'paused', cause: 'on-battery' });
    await api.call('signals.shell.report', { signals: { hasInputSource: true, idleSeconds: 600, isOnBattery: false } });
  });

  it('refuses a malformed report with the field named, and the connection stays usable', async () => {
    await expect(
      api.call('signals.shell.report', { signals: { hasInputSource: true, idleSeconds: -1, isOnBattery: false } }),
    ).rejects.toMatchObject({ code: 'invalid_params', message: expect.stringContaining('idleSeconds') });
    expect((await api.call('status.get', {})).state).toBeDefined();
  });
});

describe('owner overrides', () => {
  it('earns now for a duration even while the owner is active, with the expiry in the status', async () => {
    await api.call('signals.shell.report', { signals: { hasInputSource: true, idleSeconds: 0, isOnBattery: false } });
    const status = await api.call('control.override', { request: { kind: 'earn-now', durationSeconds: 1800 } });
    expect(status.override).toMatchObject({ kind: 'earn-now' });
    expect(status.override?.until).toBeGreaterThan(Date.now() + 1_790_000);
    expect(status.cause).not.toBe('owner-active');
    await api.call('control.resume', {});
  });

  it('pauses until tomorrow: the expiry is the next midnight in the owner zone', async () => {
    await api.call('scheduler.policy.set', { patch: { timeZone: 'Asia/Tokyo' } });
    const status = await api.call('control.override', { request: { kind: 'pause-until-tomorrow' } });
    const until = status.override?.until ?? 0;
    const tokyo = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit' });
    expect(tokyo.format(until)).toBe('00:00');
    expect(until - Date.now()).toBeLessThanOrEqual(24 * 3600 * 1000);
    await api.call('control.resume', {});
  });

  it('refuses an earn-now longer than a day', async () => {
    await expect(
      api.call('control.override', { request: { kind: 'earn-now', durationSeconds: 2 * 86_400 } }),
    ).rejects.toMatchObject({ code: 'invalid_params', message: expect.stringContaining('24 hours') });
  });
});

describe('the policy', () => {
  it('changes through the CLI, is pushed to clients, and validates with a sentence', async () => {
    const pushed: SchedulerPolicy[] = [];
    api.on('policy', (policy) => pushed.push(policy));
    const set = runCliSync(agent.home, ['schedule', 'set', 'idleMinutes=12', 'excludedApps=["blender"]']);
    expect(set.status).toBe(0);
    expect(set.stdout).toContain('Earn after 12 min');
    expect(set.stdout).toContain('Excluded apps: blender');
    await waitFor(() => pushed.find((p) => p.idleMinutes === 12), 5000, 'the policy event');

    const bad = runCliSync(agent.home, ['schedule', 'set', 'idleMinutes=0']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/idleMinutes must be at least 1/);
    expect((await api.call('scheduler.policy.get', {})).idleMinutes).toBe(12);

    const unknown = runCliSync(agent.home, ['schedule', 'set', 'idleMinuets=3']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/idleMinuets/);
  });

  it('sets the policy-wide GPU temperature limit from the CLI, shows it, and words a bad one', async () => {
    const set = runCliSync(agent.home, ['schedule', 'set', '--gpu-temperature-limit', '78']);
    expect(set.status).toBe(0);
    expect(set.stdout).toContain('GPU temperature: rest graphics cards above 78 °C');
    expect((await api.call('scheduler.policy.get', {})).gpuTemperatureLimitC).toBe(78);

    const bad = runCliSync(agent.home, ['schedule', 'set', '--gpu-temperature-limit', '150']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/gpuTemperatureLimitC must be between 40 and 110 °C/);
    expect((await api.call('scheduler.policy.get', {})).gpuTemperatureLimitC).toBe(78);

    const nothing = runCliSync(agent.home, ['schedule', 'set']);
    expect(nothing.status).toBe(1);
    expect(nothing.stderr).toMatch(/Name a change/);
  });

  it('adds a window that crosses midnight from the CLI and shows it', () => {
    const add = runCliSync(agent.home, [
      'schedule',
      'add-window',
      '--days',
      'mon-fri',
      '--from',
      '22:00',
      '--to',
      '07:00',
    ]);
    expect(add.status).toBe(0);
    expect(add.stdout).toContain('mon,tue,wed,thu,fri 22:00-07:00 (ends the next day)');
    const bad = runCliSync(agent.home, [
      'schedule',
      'add-window',
      '--days',
      'someday',
      '--from',
      '22:00',
      '--to',
      '07:00',
    ]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/not a weekday/);
    expect(runCliSync(agent.home, ['schedule', 'clear']).stdout).toContain('Schedule: any time');
  });

  it('pushes the new status when a policy change alters the decision', async () => {
    const statuses: Status[] = [];
    api.on('status', (status) => statuses.push(status));
    await api.call('signals.shell.report', { signals: { hasInputSource: true, idleSeconds: 600, isOnBattery: true } });
    await api.call('scheduler.policy.set', { patch: { pauseOnBattery: false } });
    await waitFor(() => statuses.find((s) => s.cause !== 'on-battery'), 5000, 'a status after the policy change');
    await api.call('scheduler.policy.set', { patch: { pauseOnBattery: true } });
  });
});

describe('the timeline and a restart', () => {
  it('lists state changes with their reasons, from the API and the CLI', async () => {
    const entries = await api.call('timeline.list', { sinceMs: 0 });
    expect(entries.length).toBeGreaterThan(2);
    expect(entries.map((e) => e.cause)).toContain('owner-active');
    for (const [a, b] of entries.slice(1).map((e, i) => [entries[i], e] as const)) {
      expect(b.at).toBeGreaterThanOrEqual(a?.at ?? 0);
      expect(`${b.state}/${b.cause}`).not.toBe(`${a?.state}/${a?.cause}`);
    }
    const cli = runCliSync(agent.home, ['timeline', '--since', '1h']);
    expect(cli.status).toBe(0);
    expect(cli.stdout).toMatch(/waiting\s+Waiting: you used the computer/);
  });

  it('keeps the policy and a finish-then-pause across a restart', { timeout: 120_000 }, async () => {
    const home = makeTempHome();
    const first = await startAgentProcess(home);
    expect(runCliSync(home, ['schedule', 'set', 'idleMinutes=7']).status).toBe(0);
    const paused = runCliSync(home, ['pause', '--after-job', '--json']);
    expect(paused.status).toBe(0);
    // No job runs, so "finish the job, then pause" is a pause at once.
    expect(JSON.parse(paused.stdout)).toMatchObject({ state: 'paused', cause: 'paused-after-job' });
    expect(await first.stop()).toBe(0);

    const second = await startAgentProcess(home);
    const status = JSON.parse(runCliSync(home, ['status', '--json']).stdout) as Status;
    expect(status).toMatchObject({ state: 'paused', override: { kind: 'finish-then-pause' } });
    expect(JSON.parse(runCliSync(home, ['schedule', 'show', '--json']).stdout)).toMatchObject({ idleMinutes: 7 });
    expect(runCliSync(home, ['resume']).status).toBe(0);
    await second.stop();
  });

  it('refuses conflicting pause options before contacting the agent', () => {
    const result = runCliSync(agent.home, ['pause', '--for', '1h', '--until-tomorrow']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Choose one of --for, --until-tomorrow and --after-job');
  });
});
