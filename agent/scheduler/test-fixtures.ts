/**
 * Builders and fast-check arbitraries shared by the scheduler's tests: a
 * baseline where the machine would earn (owner away, on mains, cool, work
 * waiting), so each table row changes only the one thing it is about.
 */
import fc from 'fast-check';
import { type DecideInput, type DecideResult, decide } from './decide.ts';
import type { SchedulerDecision } from './decision.ts';
import { MAX_EARN_NOW_SECONDS, type OwnerOverride } from './owner-override.ts';
import { parseSchedulerPolicy, type SchedulerPolicy, type SchedulerPolicyInput, WEEKDAYS } from './policy.ts';
import { INITIAL_SCHEDULER_MEMORY, type SchedulerMemory } from './scheduler-memory.ts';
import type { CpuSample, DeviceSignal, SchedulerSignals } from './signals.ts';

/** Wednesday 25 November 2026, 12:00:00 UTC. */
export const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const CPU: DeviceSignal = {
  id: 'cpu',
  kind: 'cpu',
  name: 'CPU',
  threads: 8,
  reportsTemperature: true,
  temperatureC: 55,
};
export const GPU: DeviceSignal = {
  id: 'gpu:0',
  kind: 'gpu',
  name: 'RTX 4090',
  threads: null,
  reportsTemperature: true,
  temperatureC: 60,
};

export function policyWith(input: SchedulerPolicyInput = {}): SchedulerPolicy {
  return parseSchedulerPolicy({ timeZone: 'UTC', ...input });
}

/** The owner has been away 10 minutes; nothing else stands in the way. */
export function signalsWith(patch: Partial<SchedulerSignals> = {}): SchedulerSignals {
  return {
    hasInputSource: true,
    idleSeconds: 600,
    isOnBattery: false,
    devices: [CPU, GPU],
    runningProcessNames: ['systemd', 'code'],
    cpuSamples: [],
    isJobRunning: false,
    isNetworkReachable: true,
    isBenchmarking: false,
    isWorkAvailable: true,
    wallet: 'ready',
    ...patch,
  };
}

export function decideWith(input: Partial<DecideInput> = {}): DecideResult {
  return decide({
    policy: input.policy ?? policyWith(),
    override: input.override ?? null,
    signals: input.signals ?? signalsWith(),
    memory: input.memory ?? INITIAL_SCHEDULER_MEMORY,
    now: input.now ?? T0,
  });
}

export interface Step {
  now: number;
  signals: SchedulerSignals;
}

/** Replays steps, passing each call's memory to the next, as the agent does. */
export function replay(
  policy: SchedulerPolicy,
  override: OwnerOverride | null,
  steps: readonly Step[],
  memory: SchedulerMemory = INITIAL_SCHEDULER_MEMORY,
): SchedulerDecision[] {
  const decisions: SchedulerDecision[] = [];
  let current = memory;
  for (const step of steps) {
    const result = decide({ policy, override, signals: step.signals, memory: current, now: step.now });
    decisions.push(result.decision);
    current = result.memory;
  }
  return decisions;
}

/** How often a sequence of values changes from one to the next. */
export function countChanges<T>(values: readonly T[]): number {
  let changes = 0;
  for (let index = 1; index < values.length; index++) if (values[index] !== values[index - 1]) changes++;
  return changes;
}

/** Zones with the awkward cases: DST at midnight (Santiago, Havana), half-hour DST (Lord Howe), odd offsets. */
export const TIME_ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'America/Santiago',
  'America/Havana',
  'Australia/Lord_Howe',
  'Australia/Adelaide',
  'Asia/Kathmandu',
  'Pacific/Chatham',
  'Asia/Tokyo',
] as const;

export const arbTimeZone = fc.constantFrom(...TIME_ZONES);
export const arbInstant = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2032, 0, 1) });

/** An owner's request for an override with a stated end (pause for, pause until tomorrow, earn now for). */
export const arbTimedOverrideRequest = fc.oneof(
  fc.record({
    kind: fc.constant('pause-for' as const),
    durationSeconds: fc.integer({ min: 1, max: 30 * 24 * 3600 }),
  }),
  fc.record({ kind: fc.constant('pause-until-tomorrow' as const) }),
  fc.record({
    kind: fc.constant('earn-now' as const),
    durationSeconds: fc.integer({ min: 1, max: MAX_EARN_NOW_SECONDS }),
  }),
);

export const arbWindow = fc
  .record({
    days: fc.subarray([...WEEKDAYS], { minLength: 1 }),
    startMinute: fc.integer({ min: 0, max: 1439 }),
    endMinute: fc.integer({ min: 0, max: 1440 }),
  })
  .filter((window) => window.startMinute !== window.endMinute);

export const arbSchedule = fc.record({
  enabled: fc.constant(true),
  windows: fc.array(arbWindow, { minLength: 1, maxLength: 4 }),
});

type ScheduleWindowInput = { days: (typeof WEEKDAYS)[number][]; startMinute: number; endMinute: number };

export const arbPolicyInput: fc.Arbitrary<SchedulerPolicyInput> = fc.record({
  timeZone: arbTimeZone,
  idleMinutes: fc.integer({ min: 1, max: 30 }),
  lightMode: fc.record({ enabled: fc.boolean(), cpuThreads: fc.integer({ min: 1, max: 16 }) }),
  schedule: fc.oneof(
    fc.record({ enabled: fc.constant(false), windows: fc.constant([] as ScheduleWindowInput[]) }),
    arbSchedule,
  ),
  pauseOnBattery: fc.boolean(),
  excludedApps: fc.subarray(['blender', 'Steam', 'obs64.exe']),
  cpuBusyPercent: fc.oneof(fc.constant(null), fc.integer({ min: 1, max: 100 })),
  gpuTemperatureLimitC: fc.integer({ min: 60, max: 100 }),
  devices: fc.record(
    {
      cpu: fc.record({
        enabled: fc.boolean(),
        maxThreads: fc.oneof(fc.constant(null), fc.integer({ min: 1, max: 32 })),
        temperatureLimitC: fc.oneof(fc.constant(null), fc.integer({ min: 60, max: 100 })),
      }),
      'gpu:0': fc.record({
        enabled: fc.boolean(),
        maxThreads: fc.constant(null),
        temperatureLimitC: fc.oneof(fc.constant(null), fc.integer({ min: 60, max: 100 })),
      }),
    },
    { requiredKeys: [] },
  ),
});

export const arbPolicy = arbPolicyInput.map((input) => parseSchedulerPolicy(input));

const arbTemperature = fc.oneof(
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 6, arbitrary: fc.integer({ min: 20, max: 110 }) },
);

export const arbDevices: fc.Arbitrary<DeviceSignal[]> = fc
  .record({
    cpuTemperature: arbTemperature,
    cpuReports: fc.boolean(),
    gpuTemperature: arbTemperature,
    gpuReports: fc.boolean(),
    hasGpu: fc.boolean(),
  })
  .map(({ cpuTemperature, cpuReports, gpuTemperature, gpuReports, hasGpu }) => {
    const cpu = { ...CPU, reportsTemperature: cpuReports, temperatureC: cpuReports ? cpuTemperature : null };
    const gpu = { ...GPU, reportsTemperature: gpuReports, temperatureC: gpuReports ? gpuTemperature : null };
    return hasGpu ? [cpu, gpu] : [cpu];
  });

/** Signals at `now`; CPU samples are placed in the 10 s before it. */
export function arbSignalsAt(now: number): fc.Arbitrary<SchedulerSignals> {
  return fc.record({
    hasInputSource: fc.boolean(),
    idleSeconds: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 3600 })),
    isOnBattery: fc.oneof(fc.constant(null), fc.boolean()),
    devices: arbDevices,
    runningProcessNames: fc.oneof(
      { weight: 1, arbitrary: fc.constant(null) },
      { weight: 5, arbitrary: fc.subarray(['systemd', 'code', 'blender', 'steam.exe', 'OBS64.EXE']) },
    ),
    cpuSamples: fc.array(
      fc.record({
        at: fc.integer({ min: now - 10 * SECOND, max: now }),
        otherProgramsPercent: fc.integer({ min: 0, max: 100 }),
      }),
      { maxLength: 5 },
    ) as fc.Arbitrary<CpuSample[]>,
    isJobRunning: fc.boolean(),
    isNetworkReachable: fc.boolean(),
    isBenchmarking: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    isWorkAvailable: fc.boolean(),
    wallet: fc.constantFrom('ready', 'missing', 'locked'),
  });
}

/** An override set up to a day before `now`, possibly already expired. */
export function arbOverrideAround(now: number): fc.Arbitrary<OwnerOverride | null> {
  const setAt = fc.integer({ min: now - DAY, max: now });
  return fc.oneof(
    fc.constant(null),
    fc.record({
      kind: fc.constant('pause' as const),
      setAt,
      until: fc.oneof(fc.constant(null), fc.integer({ min: now - HOUR, max: now + DAY })),
    }),
    fc.record({
      kind: fc.constant('earn-now' as const),
      setAt,
      until: fc.integer({ min: now - HOUR, max: now + DAY }),
    }),
    fc.record({ kind: fc.constant('finish-then-pause' as const), setAt, until: fc.constant(null) }),
  );
}

/** A random state of the world with a random history behind it: memory from a few earlier decisions. */
export const arbWorld = arbInstant.chain((now) =>
  fc.record({
    now: fc.constant(now),
    policy: arbPolicy,
    override: arbOverrideAround(now),
    history: fc.array(
      fc.record({ ago: fc.integer({ min: 1, max: 60 * SECOND }), signals: arbSignalsAt(now - 60 * SECOND) }),
      { maxLength: 4 },
    ),
    signals: arbSignalsAt(now),
  }),
);

export type World = typeof arbWorld extends fc.Arbitrary<infer W> ? W : never;

/** Decides for `world` after replaying its history (oldest first), so latches are in play. */
export function decideWorld(world: World): DecideResult {
  const history = [...world.history].sort((a, b) => b.ago - a.ago);
  let memory = INITIAL_SCHEDULER_MEMORY;
  for (const entry of history) {
    memory = decide({
      policy: world.policy,
      override: world.override,
      signals: entry.signals,
      memory,
      now: world.now - entry.ago,
    }).memory;
  }
  return decide({ policy: world.policy, override: world.override, signals: world.signals, memory, now: world.now });
}
