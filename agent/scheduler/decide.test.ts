import { describe, expect, it } from 'vitest';
import { CPU_BUSY_SUSTAIN_MS } from './cpu-busy.ts';
import type { DecideInput } from './decide.ts';
import type { DecisionCause, SchedulerDecision } from './decision.ts';
import type { OwnerOverride } from './owner-override.ts';
import { INITIAL_SCHEDULER_MEMORY } from './scheduler-memory.ts';
import type { CpuSample, SchedulerSignals } from './signals.ts';
import { CPU, decideWith, GPU, HOUR, MINUTE, policyWith, replay, SECOND, signalsWith, T0 } from './test-fixtures.ts';

const BOTH_DEVICES = [
  { id: 'cpu', kind: 'cpu', maxThreads: 8 },
  { id: 'gpu:0', kind: 'gpu', maxThreads: null },
];
/** Wednesday 09:00-17:00; T0 (Wednesday 12:00 UTC) is inside. */
const OFFICE_HOURS = { enabled: true, windows: [{ days: ['wed' as const], startMinute: 9 * 60, endMinute: 17 * 60 }] };
/** Weeknights 22:00-07:00; T0 is outside. */
const WEEKNIGHTS = {
  enabled: true,
  windows: [
    {
      days: ['mon' as const, 'tue' as const, 'wed' as const, 'thu' as const, 'fri' as const],
      startMinute: 22 * 60,
      endMinute: 7 * 60,
    },
  ],
};
const busySamples: CpuSample[] = Array.from({ length: 21 }, (_, index) => ({
  at: T0 - 20 * SECOND + index * SECOND,
  otherProgramsPercent: 90,
}));
const earnNowForAnHour: OwnerOverride = { kind: 'earn-now', setAt: T0 - HOUR, until: T0 + HOUR };

function pick(decision: SchedulerDecision) {
  return { state: decision.state, cause: decision.cause, reason: decision.reason };
}

describe('decide: the baseline', () => {
  it('earns on every device when the owner is away and nothing stands in the way', () => {
    expect(decideWith().decision).toEqual({
      state: 'earning',
      cause: 'idle',
      reason: 'Earning: this computer has been idle for 10 min',
      devices: BOTH_DEVICES,
      acceptsNewJobs: true,
      override: null,
      nextCheckAt: T0 + 250,
    });
  });
});

describe('decide: one rule per row, with the sentence the owner reads', () => {
  const rows: [string, Partial<DecideInput>, Pick<SchedulerDecision, 'state' | 'cause' | 'reason'>][] = [
    [
      'benchmark running',
      { signals: signalsWith({ isBenchmarking: true }) },
      {
        state: 'benchmarking',
        cause: 'benchmarking',
        reason: 'Benchmarking this computer: earning starts when the benchmark is done',
      },
    ],
    [
      'paused until a time today',
      { override: { kind: 'pause', setAt: T0, until: T0 + 2.5 * HOUR } },
      { state: 'paused', cause: 'owner-paused', reason: 'Paused until 14:30 (you paused it)' },
    ],
    [
      'paused until resumed',
      { override: { kind: 'pause', setAt: T0, until: null } },
      { state: 'paused', cause: 'owner-paused', reason: 'Paused until you resume (you paused it)' },
    ],
    [
      'paused until tomorrow, in the owner zone',
      {
        policy: policyWith({ timeZone: 'Europe/Berlin' }),
        override: { kind: 'pause', setAt: T0, until: Date.UTC(2026, 10, 25, 23, 0) },
      },
      { state: 'paused', cause: 'owner-paused', reason: 'Paused until tomorrow 00:00 (you paused it)' },
    ],
    [
      'no device found',
      { signals: signalsWith({ devices: [] }) },
      { state: 'error', cause: 'no-devices', reason: 'Cannot earn: no CPU or GPU was found on this computer' },
    ],
    [
      'on battery',
      { signals: signalsWith({ isOnBattery: true }) },
      { state: 'paused', cause: 'on-battery', reason: 'Paused on battery: earning resumes when you plug in' },
    ],
    [
      'excluded app running',
      {
        policy: policyWith({ excludedApps: ['Blender'] }),
        signals: signalsWith({ runningProcessNames: ['blender.exe'] }),
      },
      {
        state: 'paused',
        cause: 'excluded-app-running',
        reason: 'Paused while Blender is running: earning can resume 15 s after it closes',
      },
    ],
    [
      'excluded app closed 5 s ago',
      {
        policy: policyWith({ excludedApps: ['Blender'] }),
        memory: { ...INITIAL_SCHEDULER_MEMORY, excludedAppSighting: { name: 'Blender', lastSeenAt: T0 - 5 * SECOND } },
      },
      {
        state: 'paused',
        cause: 'excluded-app-closed-recently',
        reason: 'Paused: Blender closed 5 s ago; earning can resume in 10 s',
      },
    ],
    [
      'process list unreadable with apps listed',
      { policy: policyWith({ excludedApps: ['Blender'] }), signals: signalsWith({ runningProcessNames: null }) },
      {
        state: 'paused',
        cause: 'process-list-unknown',
        reason: 'Paused: cannot see which programs are running, so cannot check for the apps you listed',
      },
    ],
    [
      'other programs keep the CPU busy',
      { signals: signalsWith({ cpuSamples: busySamples }) },
      {
        state: 'paused',
        cause: 'cpu-busy',
        reason: 'Paused: other programs are keeping the CPU above 50 %; earning resumes after 20 s below it',
      },
    ],
    [
      'outside the schedule',
      { policy: policyWith({ schedule: WEEKNIGHTS }) },
      {
        state: 'waiting',
        cause: 'outside-schedule',
        reason: 'Waiting: outside your schedule; earning can start at 22:00',
      },
    ],
    [
      'headless, outside the schedule',
      {
        policy: policyWith({ schedule: WEEKNIGHTS }),
        signals: signalsWith({ hasInputSource: false, idleSeconds: null }),
      },
      {
        state: 'waiting',
        cause: 'outside-schedule',
        reason: 'Following your schedule: this computer has no keyboard or mouse to watch; earning starts at 22:00',
      },
    ],
    [
      'headless, inside the schedule',
      {
        policy: policyWith({ schedule: OFFICE_HOURS }),
        signals: signalsWith({ hasInputSource: false, idleSeconds: null }),
      },
      {
        state: 'earning',
        cause: 'no-input-source',
        reason: 'Following your schedule: this computer has no keyboard or mouse to watch; earning until 17:00',
      },
    ],
    [
      'headless, no schedule',
      { signals: signalsWith({ hasInputSource: false, idleSeconds: 0 }) },
      {
        state: 'earning',
        cause: 'no-input-source',
        reason: 'Earning at any time: this computer has no keyboard or mouse to watch',
      },
    ],
    [
      'owner used the computer 40 s ago',
      { signals: signalsWith({ idleSeconds: 40 }) },
      {
        state: 'waiting',
        cause: 'owner-active',
        reason: 'Waiting: you used the computer 40 s ago; earning starts after 5 min idle',
      },
    ],
    [
      'owner at the keyboard now',
      { signals: signalsWith({ idleSeconds: 0 }), policy: policyWith({ idleMinutes: 15 }) },
      {
        state: 'waiting',
        cause: 'owner-active',
        reason: 'Waiting: you are using the computer; earning starts after 15 min idle',
      },
    ],
    [
      'idle time unknown with a keyboard and mouse present',
      { signals: signalsWith({ idleSeconds: null }) },
      {
        state: 'waiting',
        cause: 'idle-unknown',
        reason:
          'Waiting: cannot tell whether you are using the computer (its idle time is unknown); choose Earn now to earn anyway',
      },
    ],
    [
      'light mode while the owner works',
      { policy: policyWith({ lightMode: { enabled: true } }), signals: signalsWith({ idleSeconds: 3 }) },
      {
        state: 'earning',
        cause: 'light-mode',
        reason:
          'Earning lightly while you use the computer: at most 2 CPU threads, no GPU; full earning after 5 min idle',
      },
    ],
    [
      'light mode with idle unknown',
      {
        policy: policyWith({ lightMode: { enabled: true, cpuThreads: 1 } }),
        signals: signalsWith({ idleSeconds: null }),
      },
      {
        state: 'earning',
        cause: 'light-mode',
        reason: 'Earning lightly: cannot tell whether you are using the computer, so at most 1 CPU thread and no GPU',
      },
    ],
    [
      'light mode with the CPU turned off waits as without it',
      {
        policy: policyWith({ lightMode: { enabled: true }, devices: { cpu: { enabled: false } } }),
        signals: signalsWith({ idleSeconds: 40 }),
      },
      {
        state: 'waiting',
        cause: 'owner-active',
        reason: 'Waiting: you used the computer 40 s ago; earning starts after 5 min idle',
      },
    ],
    [
      'every device turned off',
      { policy: policyWith({ devices: { cpu: { enabled: false }, 'gpu:0': { enabled: false } } }) },
      { state: 'paused', cause: 'devices-turned-off', reason: 'Paused: every device is turned off in your settings' },
    ],
    [
      'the only device too hot',
      {
        policy: policyWith({ devices: { cpu: { enabled: false } } }),
        signals: signalsWith({ devices: [CPU, { ...GPU, temperatureC: 88 }] }),
      },
      { state: 'paused', cause: 'too-hot', reason: 'Paused to cool down: RTX 4090 is at 88 °C and resumes at 73 °C' },
    ],
    [
      'a GPU above the policy-wide limit, with none of its own',
      {
        policy: policyWith({ gpuTemperatureLimitC: 70, devices: { cpu: { enabled: false } } }),
        signals: signalsWith({ devices: [CPU, { ...GPU, temperatureC: 72 }] }),
      },
      { state: 'paused', cause: 'too-hot', reason: 'Paused to cool down: RTX 4090 is at 72 °C and resumes at 60 °C' },
    ],
    [
      'a GPU under its own limit earns although above the policy-wide one',
      {
        policy: policyWith({
          gpuTemperatureLimitC: 70,
          devices: { cpu: { enabled: false }, 'gpu:0': { temperatureLimitC: 80 } },
        }),
        signals: signalsWith({ devices: [CPU, { ...GPU, temperatureC: 72 }] }),
      },
      { state: 'earning', cause: 'idle', reason: 'Earning: this computer has been idle for 10 min' },
    ],
    [
      'every device hot or unreadable',
      {
        signals: signalsWith({
          devices: [
            { ...CPU, temperatureC: 95.4 },
            { ...GPU, temperatureC: null },
          ],
        }),
      },
      {
        state: 'paused',
        cause: 'too-hot',
        reason:
          'Paused for heat safety: CPU is at 95.4 °C and resumes at 80 °C; RTX 4090 gives no temperature reading, so it stays off',
      },
    ],
    [
      'one device hot, the other earns',
      { signals: signalsWith({ devices: [CPU, { ...GPU, temperatureC: 88 }] }) },
      {
        state: 'earning',
        cause: 'idle',
        reason: 'Earning: this computer has been idle for 10 min; RTX 4090 is at 88 °C and resumes at 73 °C',
      },
    ],
    [
      'network unreachable',
      { signals: signalsWith({ isNetworkReachable: false }) },
      {
        state: 'no-work',
        cause: 'network-unreachable',
        reason: 'No work: the compute network cannot be reached; earning starts when it answers',
      },
    ],
    [
      'network unreachable while a job runs (it finishes and submits later)',
      { signals: signalsWith({ isNetworkReachable: false, isJobRunning: true }) },
      { state: 'earning', cause: 'idle', reason: 'Earning: this computer has been idle for 10 min' },
    ],
    [
      'no wallet yet (the network could not pay)',
      { signals: signalsWith({ wallet: 'missing', isNetworkReachable: false }) },
      {
        state: 'no-work',
        cause: 'wallet-missing',
        reason: 'No work: create or import a wallet so the network can pay this computer',
      },
    ],
    [
      'the wallet key is locked behind its password',
      { signals: signalsWith({ wallet: 'locked' }) },
      {
        state: 'no-work',
        cause: 'wallet-locked',
        reason: 'No work: unlock your wallet with its password so this computer can sign in to the network',
      },
    ],
    [
      'a locked wallet does not stop a running job',
      { signals: signalsWith({ wallet: 'locked', isJobRunning: true }) },
      { state: 'earning', cause: 'idle', reason: 'Earning: this computer has been idle for 10 min' },
    ],
    [
      'no jobs offered',
      { signals: signalsWith({ isWorkAvailable: false }) },
      { state: 'no-work', cause: 'no-jobs', reason: 'No work: the network has no jobs for this computer right now' },
    ],
    [
      'inside the schedule and idle',
      { policy: policyWith({ schedule: OFFICE_HOURS }) },
      {
        state: 'earning',
        cause: 'idle',
        reason: 'Earning: this computer has been idle for 10 min; your schedule allows it until 17:00',
      },
    ],
    [
      'earn now while the owner works',
      { override: earnNowForAnHour, signals: signalsWith({ idleSeconds: 0 }) },
      { state: 'earning', cause: 'earn-now', reason: 'Earning now until 13:00 (you asked)' },
    ],
    [
      'earn now outside the schedule with idle unknown',
      {
        override: earnNowForAnHour,
        policy: policyWith({ schedule: WEEKNIGHTS }),
        signals: signalsWith({ idleSeconds: null }),
      },
      { state: 'earning', cause: 'earn-now', reason: 'Earning now until 13:00 (you asked)' },
    ],
    [
      'earn now does not beat the battery',
      { override: earnNowForAnHour, signals: signalsWith({ isOnBattery: true }) },
      { state: 'paused', cause: 'on-battery', reason: 'Paused on battery: earning resumes when you plug in' },
    ],
    [
      'earn now does not beat heat',
      {
        override: earnNowForAnHour,
        policy: policyWith({ devices: { cpu: { enabled: false } } }),
        signals: signalsWith({ devices: [CPU, { ...GPU, temperatureC: 90 }] }),
      },
      { state: 'paused', cause: 'too-hot', reason: 'Paused to cool down: RTX 4090 is at 90 °C and resumes at 73 °C' },
    ],
    [
      'earn now does not beat an excluded app',
      {
        override: earnNowForAnHour,
        policy: policyWith({ excludedApps: ['steam'] }),
        signals: signalsWith({ runningProcessNames: ['Steam.exe'] }),
      },
      {
        state: 'paused',
        cause: 'excluded-app-running',
        reason: 'Paused while steam is running: earning can resume 15 s after it closes',
      },
    ],
    [
      'finish the current job, then pause: the job runs',
      { override: { kind: 'finish-then-pause', setAt: T0, until: null }, signals: signalsWith({ isJobRunning: true }) },
      { state: 'earning', cause: 'finishing-job', reason: 'Finishing the current job, then pausing (you asked)' },
    ],
    [
      'finish the current job, then pause: no job runs',
      { override: { kind: 'finish-then-pause', setAt: T0, until: null } },
      {
        state: 'paused',
        cause: 'paused-after-job',
        reason: 'Paused until you resume: the last job finished, as you asked',
      },
    ],
    [
      'battery unknown counts as mains power',
      { signals: signalsWith({ isOnBattery: null }) },
      { state: 'earning', cause: 'idle', reason: 'Earning: this computer has been idle for 10 min' },
    ],
    [
      'on battery with pause-on-battery off',
      { policy: policyWith({ pauseOnBattery: false }), signals: signalsWith({ isOnBattery: true }) },
      { state: 'earning', cause: 'idle', reason: 'Earning: this computer has been idle for 10 min' },
    ],
    [
      'process list unreadable with no apps listed',
      { signals: signalsWith({ runningProcessNames: null }) },
      { state: 'earning', cause: 'idle', reason: 'Earning: this computer has been idle for 10 min' },
    ],
    [
      'CPU watch turned off',
      { policy: policyWith({ cpuBusyPercent: null }), signals: signalsWith({ cpuSamples: busySamples }) },
      { state: 'earning', cause: 'idle', reason: 'Earning: this computer has been idle for 10 min' },
    ],
  ];

  it.each(rows)('%s', (_label, input, expected) => {
    expect(pick(decideWith(input).decision)).toEqual(expected);
  });
});

describe('decide: which rule wins when several apply', () => {
  const everythingWrong = signalsWith({
    isBenchmarking: true,
    isOnBattery: true,
    runningProcessNames: ['blender'],
    cpuSamples: busySamples,
    idleSeconds: 3,
    devices: [{ ...CPU, temperatureC: 99 }],
    isNetworkReachable: false,
  });
  const strictPolicy = policyWith({ excludedApps: ['blender'], schedule: WEEKNIGHTS });
  const pause: OwnerOverride = { kind: 'pause', setAt: T0, until: null };

  const precedence: [string, Partial<SchedulerSignals>, OwnerOverride | null, DecisionCause][] = [
    ['benchmark', {}, pause, 'benchmarking'],
    ['owner pause', { isBenchmarking: false }, pause, 'owner-paused'],
    ['battery', { isBenchmarking: false }, null, 'on-battery'],
    ['excluded app', { isBenchmarking: false, isOnBattery: false }, null, 'excluded-app-running'],
    ['busy CPU', { isBenchmarking: false, isOnBattery: false, runningProcessNames: [] }, null, 'cpu-busy'],
    [
      'schedule',
      { isBenchmarking: false, isOnBattery: false, runningProcessNames: [], cpuSamples: [] },
      null,
      'outside-schedule',
    ],
  ];

  it.each(precedence)('%s comes first', (_label, patch, override, cause) => {
    const decision = decideWith({ policy: strictPolicy, override, signals: { ...everythingWrong, ...patch } }).decision;
    expect(decision.cause).toBe(cause);
    expect(decision.devices).toEqual([]);
  });

  it('idle comes before heat, and heat before the network', () => {
    const base = { isBenchmarking: false, isOnBattery: false, runningProcessNames: [], cpuSamples: [] };
    expect(decideWith({ signals: { ...everythingWrong, ...base } }).decision.cause).toBe('owner-active');
    expect(decideWith({ signals: { ...everythingWrong, ...base, idleSeconds: 900 } }).decision.cause).toBe('too-hot');
  });
});

describe('decide: devices and limits', () => {
  it('gives light mode the CPU alone, on the light-mode threads', () => {
    const { decision } = decideWith({
      policy: policyWith({ lightMode: { enabled: true, cpuThreads: 3 } }),
      signals: signalsWith({ idleSeconds: 10 }),
    });
    expect(decision.devices).toEqual([{ id: 'cpu', kind: 'cpu', maxThreads: 3 }]);
  });

  it('switches from light to full earning once the owner is away', () => {
    const { decision } = decideWith({ policy: policyWith({ lightMode: { enabled: true, cpuThreads: 3 } }) });
    expect(decision.cause).toBe('idle');
    expect(decision.devices).toEqual(BOTH_DEVICES);
  });

  it('keeps a turned-off GPU out and applies the CPU thread limit', () => {
    const { decision } = decideWith({
      policy: policyWith({ devices: { cpu: { maxThreads: 6 }, 'gpu:0': { enabled: false } } }),
    });
    expect(decision.devices).toEqual([{ id: 'cpu', kind: 'cpu', maxThreads: 6 }]);
  });

  it('lists the allowed devices in no-work, so the network client knows what to ask for', () => {
    const { decision } = decideWith({ signals: signalsWith({ isWorkAvailable: false }) });
    expect(decision.devices).toEqual(BOTH_DEVICES);
    expect(decision.acceptsNewJobs).toBe(true);
  });

  it('takes no new job while finishing the last one before a pause', () => {
    const { decision } = decideWith({
      override: { kind: 'finish-then-pause', setAt: T0, until: null },
      signals: signalsWith({ isJobRunning: true }),
    });
    expect(decision.devices).toEqual(BOTH_DEVICES);
    expect(decision.acceptsNewJobs).toBe(false);
  });
});

describe('decide: overrides and their expiry', () => {
  it('returns the override in force with its expiry, and null once it has expired', () => {
    const pause: OwnerOverride = { kind: 'pause', setAt: T0 - HOUR, until: T0 + MINUTE };
    expect(decideWith({ override: pause }).decision.override).toEqual(pause);
    expect(decideWith({ override: pause, now: T0 + MINUTE - 1 }).decision.state).toBe('paused');
    const after = decideWith({ override: pause, now: T0 + MINUTE }).decision;
    expect(after.override).toBeNull();
    expect(after.state).toBe('earning');
  });

  it('ends earn-now at its time: the idle rule applies again', () => {
    const active = signalsWith({ idleSeconds: 5 });
    expect(decideWith({ override: earnNowForAnHour, signals: active, now: T0 + HOUR - 1 }).decision.state).toBe(
      'earning',
    );
    expect(decideWith({ override: earnNowForAnHour, signals: active, now: T0 + HOUR }).decision.cause).toBe(
      'owner-active',
    );
  });

  it('stays paused after the last job, even if a job shows up again', () => {
    const override: OwnerOverride = { kind: 'finish-then-pause', setAt: T0, until: null };
    const decisions = replay(policyWith(), override, [
      { now: T0, signals: signalsWith({ isJobRunning: true }) },
      { now: T0 + MINUTE, signals: signalsWith({ isJobRunning: true }) },
      { now: T0 + 2 * MINUTE, signals: signalsWith({ isJobRunning: false }) },
      { now: T0 + 3 * MINUTE, signals: signalsWith({ isJobRunning: true }) },
    ]);
    expect(decisions.map((decision) => decision.cause)).toEqual([
      'finishing-job',
      'finishing-job',
      'paused-after-job',
      'paused-after-job',
    ]);
  });

  it('a new finish-then-pause starts fresh', () => {
    const first = decideWith({ override: { kind: 'finish-then-pause', setAt: T0 - HOUR, until: null } });
    const second = decideWith({
      override: { kind: 'finish-then-pause', setAt: T0, until: null },
      signals: signalsWith({ isJobRunning: true }),
      memory: first.memory,
    });
    expect(second.decision.cause).toBe('finishing-job');
  });
});

describe('decide: the owner comes and goes', () => {
  it('stops the moment input returns and starts again only after the idle time', () => {
    const steps = [
      { now: T0, signals: signalsWith({ idleSeconds: 299 }) },
      { now: T0 + SECOND, signals: signalsWith({ idleSeconds: 300 }) },
      { now: T0 + SECOND + 250, signals: signalsWith({ idleSeconds: 300 }) },
      { now: T0 + SECOND + 500, signals: signalsWith({ idleSeconds: 0 }) },
      { now: T0 + 5 * MINUTE, signals: signalsWith({ idleSeconds: 299 }) },
      { now: T0 + 5 * MINUTE + SECOND, signals: signalsWith({ idleSeconds: 300 }) },
    ];
    expect(replay(policyWith(), null, steps).map((decision) => decision.state)).toEqual([
      'waiting',
      'earning',
      'earning',
      'waiting',
      'waiting',
      'earning',
    ]);
  });

  it('keeps earning through a reading that dips below the threshold without input', () => {
    const steps = [
      { now: T0, signals: signalsWith({ idleSeconds: 300 }) },
      { now: T0 + 250, signals: signalsWith({ idleSeconds: 299 }) },
      { now: T0 + 500, signals: signalsWith({ idleSeconds: 300 }) },
    ];
    expect(replay(policyWith(), null, steps).map((decision) => decision.state)).toEqual([
      'earning',
      'earning',
      'earning',
    ]);
  });

  it('resumes a hot device only 10 °C below its limit', () => {
    const gpuOnly = policyWith({ devices: { cpu: { enabled: false } } });
    const temperatures = [80, 84, 82, 75, 74, 73, 80, 84];
    const states = replay(
      gpuOnly,
      null,
      temperatures.map((temperatureC, index) => ({
        now: T0 + index * SECOND,
        signals: signalsWith({ devices: [CPU, { ...GPU, temperatureC }] }),
      })),
    ).map((decision) => decision.state);
    expect(states).toEqual(['earning', 'paused', 'paused', 'paused', 'paused', 'earning', 'earning', 'paused']);
  });

  it('pauses for 15 s after an excluded app exits', () => {
    const policy = policyWith({ excludedApps: ['blender'] });
    const steps = [0, 1, 5, 15.999, 16].map((seconds, index) => ({
      now: T0 + seconds * SECOND,
      signals: signalsWith({ runningProcessNames: index < 2 ? ['blender'] : [] }),
    }));
    expect(replay(policy, null, steps).map((decision) => decision.cause)).toEqual([
      'excluded-app-running',
      'excluded-app-running',
      'excluded-app-closed-recently',
      'excluded-app-closed-recently',
      'idle',
    ]);
  });

  it('pauses after 20 s of a busy CPU and resumes after 20 s of a quiet one', () => {
    const states: string[] = [];
    let memory = INITIAL_SCHEDULER_MEMORY;
    for (let second = 0; second <= 60; second++) {
      const now = T0 + second * SECOND;
      const otherProgramsPercent = second <= 25 ? 95 : 5;
      const result = decideWith({
        signals: signalsWith({ cpuSamples: [{ at: now, otherProgramsPercent }] }),
        memory,
        now,
      });
      memory = result.memory;
      states.push(result.decision.state);
    }
    expect(states.indexOf('paused')).toBe(CPU_BUSY_SUSTAIN_MS / SECOND);
    expect(states.lastIndexOf('paused')).toBe(26 + CPU_BUSY_SUSTAIN_MS / SECOND - 1);
  });
});

describe('decide: when to ask again', () => {
  it.each([
    ['earning with input to watch', {}, T0 + 250],
    ['waiting, the idle threshold far off', { signals: signalsWith({ idleSeconds: 40 }) }, T0 + 10 * SECOND],
    ['waiting, the idle threshold 5 s off', { signals: signalsWith({ idleSeconds: 295 }) }, T0 + 5 * SECOND],
    [
      'waiting, the idle threshold 0.5 s off (2 s floor)',
      { signals: signalsWith({ idleSeconds: 299.5 }) },
      T0 + 2 * SECOND,
    ],
    ['paused until 3 s from now', { override: { kind: 'pause', setAt: T0, until: T0 + 3 * SECOND } }, T0 + 3 * SECOND],
    [
      'an excluded app closed 12 s ago',
      {
        policy: policyWith({ excludedApps: ['blender'] }),
        memory: { ...INITIAL_SCHEDULER_MEMORY, excludedAppSighting: { name: 'blender', lastSeenAt: T0 - 12 * SECOND } },
      },
      T0 + 3 * SECOND,
    ],
    [
      'headless earning, the schedule ends in 3 s',
      {
        policy: policyWith({
          schedule: { enabled: true, windows: [{ days: ['wed'], startMinute: 0, endMinute: 12 * 60 + 1 }] },
        }),
        signals: signalsWith({ hasInputSource: false }),
        now: T0 + 57 * SECOND,
      },
      T0 + MINUTE,
    ],
    [
      'earning, earn-now ends in 100 ms',
      { override: { kind: 'earn-now', setAt: T0 - HOUR, until: T0 + 100 } },
      T0 + 100,
    ],
  ] as const)('%s', (_label, input, expected) => {
    expect(decideWith(input as Partial<DecideInput>).decision.nextCheckAt).toBe(expected);
  });
});

describe('decide: daylight-saving days', () => {
  it('Europe/Berlin spring forward: a Saturday-night window ends at 07:00 CEST on Sunday', () => {
    const policy = policyWith({
      timeZone: 'Europe/Berlin',
      schedule: { enabled: true, windows: [{ days: ['sat'], startMinute: 22 * 60, endMinute: 7 * 60 }] },
    });
    const lastMinute = decideWith({ policy, now: Date.UTC(2026, 2, 29, 4, 59) }).decision;
    expect(pick(lastMinute)).toEqual({
      state: 'earning',
      cause: 'idle',
      reason: 'Earning: this computer has been idle for 10 min; your schedule allows it until 07:00',
    });
    const ended = decideWith({ policy, now: Date.UTC(2026, 2, 29, 5, 0) }).decision;
    expect(pick(ended)).toEqual({
      state: 'waiting',
      cause: 'outside-schedule',
      reason: 'Waiting: outside your schedule; earning can start at Sat 22:00',
    });
  });

  it('Europe/Berlin fall back: the window holds for the repeated hour', () => {
    const policy = policyWith({
      timeZone: 'Europe/Berlin',
      schedule: { enabled: true, windows: [{ days: ['sun'], startMinute: 2 * 60, endMinute: 3 * 60 }] },
    });
    // 02:00-03:00 happens twice: 00:00-01:00 UTC (CEST) and 01:00-02:00 UTC (CET).
    for (const [hour, minute, state] of [
      [23, 59, 'waiting'],
      [0, 0, 'earning'],
      [1, 30, 'earning'],
      [2, 0, 'waiting'],
    ] as const) {
      const now = hour === 23 ? Date.UTC(2026, 9, 24, hour, minute) : Date.UTC(2026, 9, 25, hour, minute);
      expect(decideWith({ policy, now }).decision.state).toBe(state);
    }
  });

  it('America/New_York spring forward: "until tomorrow" set on the short day ends at 00:00 EDT', () => {
    const policy = policyWith({ timeZone: 'America/New_York' });
    const setAt = Date.UTC(2026, 2, 8, 16, 0);
    const override: OwnerOverride = { kind: 'pause', setAt, until: Date.UTC(2026, 2, 9, 4, 0) };
    expect(decideWith({ policy, override, now: setAt }).decision.reason).toBe(
      'Paused until tomorrow 00:00 (you paused it)',
    );
    expect(decideWith({ policy, override, now: Date.UTC(2026, 2, 9, 4, 0) - 1 }).decision.state).toBe('paused');
    expect(decideWith({ policy, override, now: Date.UTC(2026, 2, 9, 4, 0) }).decision.state).toBe('earning');
  });

  it('America/New_York fall back: a 01:00-02:00 window lasts two hours', () => {
    const policy = policyWith({
      timeZone: 'America/New_York',
      schedule: { enabled: true, windows: [{ days: ['sun'], startMinute: 60, endMinute: 120 }] },
    });
    const states = [4, 5, 6, 6.99, 7].map(
      (hour) => decideWith({ policy, now: Date.UTC(2026, 10, 1, 0, 0) + hour * HOUR }).decision.state,
    );
    expect(states).toEqual(['waiting', 'earning', 'earning', 'earning', 'waiting']);
  });
});

describe('decide: purity', () => {
  it('gives the same answer for the same input and does not change its arguments', () => {
    const input = {
      policy: policyWith({ excludedApps: ['blender'] }),
      override: null,
      signals: signalsWith({ runningProcessNames: ['blender'], cpuSamples: busySamples }),
      memory: INITIAL_SCHEDULER_MEMORY,
      now: T0,
    };
    const snapshot = structuredClone(input);
    expect(decideWith(input)).toEqual(decideWith(input));
    expect(input).toEqual(snapshot);
  });
});
