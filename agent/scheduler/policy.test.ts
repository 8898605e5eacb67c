import { describe, expect, it } from 'vitest';
import { IdlehiveError } from '../errors.ts';
import {
  DEFAULT_CPU_TEMPERATURE_LIMIT_C,
  DEFAULT_GPU_TEMPERATURE_LIMIT_C,
  defaultSchedulerPolicy,
  deviceSettingsFor,
  kindTemperatureLimitFor,
  parseSchedulerPolicy,
  SchedulerPolicySchema,
  temperatureLimitFor,
} from './policy.ts';
import { hostTimeZone } from './wall-clock.ts';

/** The sentence a bad policy is rejected with. */
function rejection(input: unknown): string {
  try {
    parseSchedulerPolicy(input);
  } catch (error) {
    expect(error).toBeInstanceOf(IdlehiveError);
    expect((error as IdlehiveError).code).toBe('invalid-scheduler-policy');
    return (error as IdlehiveError).message;
  }
  throw new Error('the policy was accepted');
}

describe('SchedulerPolicySchema defaults', () => {
  it('fills every default from an empty object', () => {
    expect(parseSchedulerPolicy({ timeZone: 'Europe/Berlin' })).toEqual({
      timeZone: 'Europe/Berlin',
      idleMinutes: 5,
      lightMode: { enabled: false, cpuThreads: 2 },
      schedule: { enabled: false, windows: [] },
      pauseOnBattery: true,
      excludedApps: [],
      cpuBusyPercent: 50,
      gpuTemperatureLimitC: DEFAULT_GPU_TEMPERATURE_LIMIT_C,
      devices: {},
    });
  });

  it("takes the computer's own time zone when none is given", () => {
    expect(parseSchedulerPolicy({}).timeZone).toBe(hostTimeZone());
    expect(defaultSchedulerPolicy('Asia/Tokyo').timeZone).toBe('Asia/Tokyo');
  });

  it('fills nested defaults inside a partly given object', () => {
    const policy = parseSchedulerPolicy({ lightMode: { enabled: true }, devices: { 'gpu:0': { enabled: false } } });
    expect(policy.lightMode).toEqual({ enabled: true, cpuThreads: 2 });
    expect(policy.devices['gpu:0']).toEqual({ enabled: false, maxThreads: null, temperatureLimitC: null });
  });

  it('keeps a full valid policy as it is', () => {
    const full = {
      timeZone: 'America/New_York',
      idleMinutes: 15,
      lightMode: { enabled: true, cpuThreads: 4 },
      schedule: {
        enabled: true,
        windows: [
          { days: ['mon', 'tue', 'wed', 'thu', 'fri'], startMinute: 1320, endMinute: 420 },
          { days: ['sat', 'sun'], startMinute: 0, endMinute: 1440 },
        ],
      },
      pauseOnBattery: false,
      excludedApps: ['blender', 'Steam'],
      cpuBusyPercent: null,
      gpuTemperatureLimitC: 78,
      devices: { cpu: { enabled: true, maxThreads: 6, temperatureLimitC: 85 } },
    };
    expect(parseSchedulerPolicy(full)).toEqual(full);
  });
});

describe('SchedulerPolicySchema validation messages', () => {
  it.each([
    [{ idleMinutes: 0 }, 'idleMinutes: idleMinutes must be at least 1'],
    [{ idleMinutes: 2.5 }, 'idleMinutes: idleMinutes must be a whole number of minutes'],
    [{ idleMinutes: 2000 }, 'idleMinutes: idleMinutes can be at most 1440 (one day)'],
    [{ idleMinutes: '5' }, 'idleMinutes: idleMinutes must be a number'],
    [{ lightMode: { cpuThreads: 0 } }, 'lightMode.cpuThreads: lightMode.cpuThreads must be at least 1'],
    [{ pauseOnBattery: 'yes' }, 'pauseOnBattery: pauseOnBattery must be true or false'],
    [{ cpuBusyPercent: 0 }, 'cpuBusyPercent: cpuBusyPercent must be between 1 and 100'],
    [{ cpuBusyPercent: 150 }, 'cpuBusyPercent: cpuBusyPercent must be between 1 and 100'],
    [
      { timeZone: 'Mars/Olympus_Mons' },
      'timeZone: timeZone "Mars/Olympus_Mons" is not a time zone this computer knows; use a name such as Europe/Berlin',
    ],
    [
      { timeZone: '+02:00' },
      'timeZone: timeZone must be a name such as Europe/Berlin, not a fixed offset (an offset ignores daylight saving)',
    ],
    [
      { schedule: { enabled: true } },
      'schedule.windows: the schedule is on but has no windows, so this computer would never earn; add a window or turn the schedule off',
    ],
    [
      { schedule: { windows: [{ days: ['mon'], startMinute: 600, endMinute: 600 }] } },
      'schedule.windows.0.endMinute: a schedule window cannot start and end at the same minute; for a whole day use startMinute 0 and endMinute 1440',
    ],
    [
      { schedule: { windows: [{ days: [], startMinute: 0, endMinute: 60 }] } },
      'schedule.windows.0.days: a schedule window needs at least one day',
    ],
    [
      { schedule: { windows: [{ days: ['mon', 'mon'], startMinute: 0, endMinute: 60 }] } },
      'schedule.windows.0.days: a schedule window lists a day twice',
    ],
    [
      { schedule: { windows: [{ days: ['monday'], startMinute: 0, endMinute: 60 }] } },
      'schedule.windows.0.days.0: days must be among mon, tue, wed, thu, fri, sat, sun',
    ],
    [
      { schedule: { windows: [{ days: ['mon'], startMinute: 1440, endMinute: 60 }] } },
      'schedule.windows.0.startMinute: startMinute must be between 0 (00:00) and 1439',
    ],
    [
      { schedule: { windows: [{ days: ['mon'], startMinute: 0, endMinute: 1441 }] } },
      'schedule.windows.0.endMinute: endMinute must be between 0 (00:00) and 1440',
    ],
    [
      { schedule: { windows: [{ days: ['mon'], startMinute: 0.5, endMinute: 60 }] } },
      'schedule.windows.0.startMinute: startMinute must be a whole number of minutes',
    ],
    [
      { excludedApps: ['/usr/bin/blender'] },
      'excludedApps.0: excluded app "/usr/bin/blender" looks like a path; use the program\'s name, such as blender',
    ],
    [{ excludedApps: ['  '] }, 'excludedApps.0: an excluded app needs a name'],
    [{ excludedApps: ['.exe'] }, 'excludedApps.0: an excluded app needs a name, not just an ending'],
    [{ devices: { cpu: { maxThreads: 0 } } }, 'devices.cpu.maxThreads: maxThreads must be at least 1'],
    [
      { devices: { 'gpu:0': { temperatureLimitC: 130 } } },
      'devices.gpu:0.temperatureLimitC: temperatureLimitC must be between 40 and 110 °C',
    ],
    [
      { devices: { 'gpu:0': { temperatureLimitC: 'hot' } } },
      'devices.gpu:0.temperatureLimitC: temperatureLimitC must be a number of °C or null',
    ],
    [{ gpuTemperatureLimitC: 39 }, 'gpuTemperatureLimitC: gpuTemperatureLimitC must be between 40 and 110 °C'],
    [{ gpuTemperatureLimitC: 111 }, 'gpuTemperatureLimitC: gpuTemperatureLimitC must be between 40 and 110 °C'],
    [{ gpuTemperatureLimitC: '80' }, 'gpuTemperatureLimitC: gpuTemperatureLimitC must be a number of °C'],
    [{ gpuTemperatureLimitC: null }, 'gpuTemperatureLimitC: gpuTemperatureLimitC must be a number of °C'],
    [{ devices: { cpu: { enabled: 1 } } }, 'devices.cpu.enabled: enabled must be true or false'],
    [{ idleMinute: 5 }, 'unknown field "idleMinute"'],
    [{ lightMode: { threads: 2 } }, 'unknown field "threads" in lightMode'],
  ])('rejects %j with "%s"', (input, sentence) => {
    expect(rejection(input)).toBe(`The scheduling settings are not valid: ${sentence}.`);
  });

  it('names every problem at once', () => {
    expect(rejection({ idleMinutes: 0, cpuBusyPercent: 0 })).toBe(
      'The scheduling settings are not valid: idleMinutes: idleMinutes must be at least 1; cpuBusyPercent: cpuBusyPercent must be between 1 and 100.',
    );
  });
});

describe('SchedulerPolicySchema clean-up', () => {
  it('canonicalises the time zone spelling', () => {
    expect(parseSchedulerPolicy({ timeZone: ' europe/berlin ' }).timeZone).toBe('Europe/Berlin');
  });

  it('lists the same program once, keeping the first spelling', () => {
    expect(
      parseSchedulerPolicy({ excludedApps: ['Blender', 'blender.exe', ' steam ', 'BLENDER'] }).excludedApps,
    ).toEqual(['Blender', 'steam']);
  });

  it('accepts a window crossing midnight and a whole day', () => {
    const result = SchedulerPolicySchema.safeParse({
      schedule: {
        enabled: true,
        windows: [
          { days: ['fri'], startMinute: 1320, endMinute: 420 },
          { days: ['sun'], startMinute: 0, endMinute: 1440 },
        ],
      },
    });
    expect(result.success).toBe(true);
  });
});

describe('per-device settings', () => {
  const policy = parseSchedulerPolicy({
    timeZone: 'UTC',
    devices: { cpu: { maxThreads: 4 }, 'gpu:1': { temperatureLimitC: 75 } },
  });

  it('uses the stored settings, and the defaults for devices not listed', () => {
    expect(deviceSettingsFor(policy, 'cpu')).toEqual({ enabled: true, maxThreads: 4, temperatureLimitC: null });
    expect(deviceSettingsFor(policy, 'gpu:7')).toEqual({ enabled: true, maxThreads: null, temperatureLimitC: null });
  });

  it('does not mistake inherited object keys for device ids', () => {
    expect(deviceSettingsFor(policy, 'constructor')).toEqual({
      enabled: true,
      maxThreads: null,
      temperatureLimitC: null,
    });
  });

  it('gives each kind its default temperature limit unless one is set', () => {
    expect(temperatureLimitFor(policy, 'cpu', 'cpu')).toBe(DEFAULT_CPU_TEMPERATURE_LIMIT_C);
    expect(temperatureLimitFor(policy, 'gpu:0', 'gpu')).toBe(DEFAULT_GPU_TEMPERATURE_LIMIT_C);
    expect(temperatureLimitFor(policy, 'gpu:1', 'gpu')).toBe(75);
  });
});

describe('the policy-wide GPU temperature limit', () => {
  const policy = parseSchedulerPolicy({
    timeZone: 'UTC',
    gpuTemperatureLimitC: 70,
    devices: { 'gpu:1': { temperatureLimitC: 88 }, 'gpu:2': { enabled: false }, cpu: { maxThreads: 2 } },
  });

  it.each([
    ['a GPU not listed takes the policy-wide limit', 'gpu:0', 'gpu', 70],
    ['a GPU with its own limit keeps it, even above the policy-wide one', 'gpu:1', 'gpu', 88],
    ['a GPU listed without a limit of its own takes the policy-wide limit', 'gpu:2', 'gpu', 70],
    ['the CPU keeps its built-in limit', 'cpu', 'cpu', DEFAULT_CPU_TEMPERATURE_LIMIT_C],
  ] as const)('%s', (_, id, kind, limit) => {
    expect(temperatureLimitFor(policy, id, kind)).toBe(limit);
  });

  it('is what a device without a limit of its own falls back to', () => {
    expect(kindTemperatureLimitFor(policy, 'gpu')).toBe(70);
    expect(kindTemperatureLimitFor(policy, 'cpu')).toBe(DEFAULT_CPU_TEMPERATURE_LIMIT_C);
  });
});
