import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isIdlehiveError } from '../errors.ts';
import { ControlRepository } from '../ledger/control-repository.ts';
import { type LedgerDatabase, openLedger } from '../ledger/open-ledger.ts';
import { PolicyRepository } from '../ledger/policy-repository.ts';
import type { Status } from '../local-api/contract.ts';
import { CPU, MINUTE, T0 } from '../scheduler/test-fixtures.ts';
import type { HostSignals } from './host-signal-sampler.ts';
import { SchedulerService, type WorkSignals } from './scheduler-service.ts';
import { EARNING_REPORT_EVERY_MS, SHELL_REPORT_STALE_MS } from './shell-signals.ts';

/** A clock and timer queue the test advances by hand; timers fire in time order. */
function manualTime(start: number) {
  let now = start;
  let nextId = 1;
  const pending = new Map<number, { at: number; callback: () => void }>();
  return {
    clock: () => now,
    timers: {
      set(callback: () => void, ms: number) {
        const id = nextId++;
        pending.set(id, { at: now + ms, callback });
        return id;
      },
      clear(handle: unknown) {
        pending.delete(handle as number);
      },
    },
    pendingCount: () => pending.size,
    nextTimerAt: () => Math.min(...[...pending.values()].map((t) => t.at)),
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const due = [...pending.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        pending.delete(due[0]);
        now = due[1].at;
        due[1].callback();
      }
      now = end;
    },
  };
}

let dir: string;
let db: LedgerDatabase;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idlehive-scheduler-'));
  db = openLedger(path.join(dir, 'ledger.sqlite'));
});

afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function setup(options: { work?: Partial<WorkSignals>; host?: Partial<HostSignals> } = {}) {
  const time = manualTime(T0);
  const host: HostSignals = {
    isOnBattery: false,
    runningProcessNames: [],
    cpuSamples: [],
    devices: [CPU],
    ...options.host,
  };
  const work: WorkSignals = {
    isJobRunning: false,
    isNetworkReachable: true,
    isWorkAvailable: true,
    isBenchmarking: false,
    wallet: 'ready',
    ...options.work,
  };
  const policies = new PolicyRepository(db, time.clock);
  policies.write({ ...policies.read(), timeZone: 'UTC' });
  const control = new ControlRepository(db);
  const service = new SchedulerService({
    policies,
    control,
    clock: time.clock,
    timers: time.timers,
    hostSignals: () => host,
    workSignals: () => work,
    agent: { version: 'test', pid: 1, startedAt: T0 },
  });
  const pushed: Status[] = [];
  service.onStatusChange((status) => pushed.push(status));
  return { time, host, work, service, control, policies, pushed };
}

describe('SchedulerService', () => {
  it('follows the schedule alone on a machine with no shell reporting idle time', () => {
    const { service } = setup();
    expect(service.status()).toMatchObject({ state: 'earning', cause: 'no-input-source' });
    expect(service.status().devices).toEqual([{ id: 'cpu', kind: 'cpu', maxThreads: 8 }]);
  });

  it('waits while the owner is active and earns once the idle threshold passes, by its own timer', () => {
    const { service, time, pushed } = setup();
    const answer = service.reportShellSignals({ hasInputSource: true, idleSeconds: 60, isOnBattery: false });
    expect(answer.reportEveryMs).toBe(2000);
    expect(service.status()).toMatchObject({ state: 'waiting', cause: 'owner-active' });
    expect(service.status().reason).toMatch(/5 min/);
    // The shell keeps reporting growing idle time; four minutes later the threshold is crossed.
    for (let i = 1; i <= 120; i += 1) {
      time.advance(2000);
      service.reportShellSignals({ hasInputSource: true, idleSeconds: 60 + (i * 2000) / 1000, isOnBattery: false });
    }
    expect(service.status()).toMatchObject({ state: 'earning', cause: 'idle' });
    expect(service.status().shellReportEveryMs).toBe(EARNING_REPORT_EVERY_MS);
    expect(pushed.some((s) => s.state === 'earning')).toBe(true);
  });

  it('hands the machine back the moment input returns, and pushes the change', () => {
    const { service, pushed } = setup();
    service.reportShellSignals({ hasInputSource: true, idleSeconds: 600, isOnBattery: false });
    expect(service.status().state).toBe('earning');
    pushed.length = 0;
    service.reportShellSignals({ hasInputSource: true, idleSeconds: 0, isOnBattery: false });
    expect(service.status()).toMatchObject({ state: 'waiting', cause: 'owner-active', devices: [] });
    expect(pushed.at(-1)?.state).toBe('waiting');
  });

  it('does not trust a shell that stopped reporting: stale idle time is unknown', () => {
    const { service, time } = setup();
    service.reportShellSignals({ hasInputSource: true, idleSeconds: 600, isOnBattery: false });
    expect(service.status().state).toBe('earning');
    time.advance(SHELL_REPORT_STALE_MS + 1000);
    expect(service.status()).toMatchObject({ state: 'waiting', cause: 'idle-unknown' });
  });

  it('writes the timeline on changes of state or cause only, and keeps `since` across reason updates', () => {
    const { service, time, control } = setup();
    service.reportShellSignals({ hasInputSource: true, idleSeconds: 10, isOnBattery: false });
    const since = service.status().since;
    time.advance(2000);
    service.reportShellSignals({ hasInputSource: true, idleSeconds: 12, isOnBattery: false });
    expect(service.status().since).toBe(since);
    const timeline = control.timelineSince(0);
    expect(timeline.map((e) => e.cause)).toEqual(['no-input-source', 'owner-active']);
    expect(timeline[1]?.reason).toMatch(/^Waiting/);
  });

  it('pauses for a duration, says until when, and expires the override by itself', () => {
    const { service, time, control } = setup();
    const paused = service.setOverride({ kind: 'pause-for', durationSeconds: 90 });
    expect(paused).toMatchObject({ state: 'paused', cause: 'owner-paused', override: { until: T0 + 90_000 } });
    expect(control.readOverride()).toMatchObject({ kind: 'pause' });
    time.advance(90_000);
    expect(service.status()).toMatchObject({ state: 'earning', override: null });
    expect(control.readOverride()).toBeNull();
  });

  it('keeps an open-ended pause for a restarted service, and resume ends it', () => {
    const first = setup();
    first.service.setOverride({ kind: 'pause-until-resumed' });
    first.service.stop();
    const second = new SchedulerService({
      policies: first.policies,
      control: first.control,
      clock: first.time.clock,
      timers: first.time.timers,
      hostSignals: () => first.host,
      workSignals: () => first.work,
      agent: { version: 'test', pid: 2, startedAt: T0 },
    });
    expect(second.status()).toMatchObject({ state: 'paused', override: { kind: 'pause', until: null } });
    expect(second.resume()).toMatchObject({ state: 'earning', override: null });
    expect(first.control.readOverride()).toBeNull();
  });

  it('earns now while the owner is active, but never on battery', () => {
    const { service, host } = setup();
    service.reportShellSignals({ hasInputSource: true, idleSeconds: 0, isOnBattery: null });
    expect(service.setOverride({ kind: 'earn-now', durationSeconds: 3600 })).toMatchObject({
      state: 'earning',
      cause: 'earn-now',
    });
    host.isOnBattery = true;
    service.signalsChanged();
    expect(service.status()).toMatchObject({ state: 'paused', cause: 'on-battery' });
  });

  it('finishes the running job, then pauses', () => {
    const { service, work } = setup({ work: { isJobRunning: true } });
    expect(service.setOverride({ kind: 'finish-then-pause' })).toMatchObject({
      state: 'earning',
      cause: 'finishing-job',
      acceptsNewJobs: false,
    });
    work.isJobRunning = false;
    service.signalsChanged();
    expect(service.status()).toMatchObject({ state: 'paused', cause: 'paused-after-job' });
  });

  it('stores a valid policy change and refuses an invalid one without changing anything', () => {
    const { service, policies } = setup();
    const next = service.updatePolicy({ idleMinutes: 10, excludedApps: ['blender'] });
    expect(next.idleMinutes).toBe(10);
    expect(policies.read()).toMatchObject({ idleMinutes: 10, excludedApps: ['blender'] });
    try {
      service.updatePolicy({ idleMinutes: 0 });
      expect.unreachable();
    } catch (error) {
      expect(isIdlehiveError(error) && error.code).toBe('invalid-scheduler-policy');
      expect((error as Error).message).toMatch(/idleMinutes must be at least 1/);
    }
    expect(policies.read().idleMinutes).toBe(10);
    expect(service.currentPolicy().idleMinutes).toBe(10);
  });

  it('applies a schedule change at once and wakes up when the window opens', () => {
    const { service, time } = setup();
    // T0 is Wednesday 12:00 UTC; a window from 12:30 to 13:00 every day.
    service.updatePolicy({
      schedule: { enabled: true, windows: [{ days: ['wed'], startMinute: 750, endMinute: 780 }] },
    });
    expect(service.status()).toMatchObject({ state: 'waiting', cause: 'outside-schedule' });
    expect(service.status().reason).toContain('12:30');
    time.advance(30 * MINUTE);
    expect(service.status()).toMatchObject({ state: 'earning' });
  });

  it('never polls faster than every 2 s while waiting', () => {
    const { service, time } = setup();
    service.reportShellSignals({ hasInputSource: true, idleSeconds: 0, isOnBattery: false });
    expect(time.pendingCount()).toBe(1);
    expect(time.nextTimerAt() - time.clock()).toBeGreaterThanOrEqual(2000);
    service.stop();
    expect(time.pendingCount()).toBe(0);
  });
});
