/**
 * The owner's scheduling policy: when this computer may earn and with what.
 * Stored in the ledger, edited through the local API and the CLI, and parsed
 * here so every editor gets the same defaults and the same error sentences.
 */
import { z } from 'zod';
import { IdlehiveError } from '../errors.ts';
import { describeSchemaIssues } from '../schema-issues.ts';
import { normalizeProcessName } from './excluded-apps.ts';
import { canonicalTimeZone, hostTimeZone, isKnownTimeZone } from './wall-clock.ts';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const WeekdaySchema = z.enum(WEEKDAYS, { error: 'days must be among mon, tue, wed, thu, fri, sat, sun' });
export type Weekday = z.infer<typeof WeekdaySchema>;

export const DEFAULT_IDLE_MINUTES = 5;
export const DEFAULT_LIGHT_MODE_CPU_THREADS = 2;
export const DEFAULT_CPU_BUSY_PERCENT = 50;
/** CPUs are built to run hot and throttle near 100 °C; stop well before that. */
export const DEFAULT_CPU_TEMPERATURE_LIMIT_C = 90;
/** Consumer GPUs start to throttle around 83-87 °C. */
export const DEFAULT_GPU_TEMPERATURE_LIMIT_C = 83;
export const MIN_TEMPERATURE_LIMIT_C = 40;
export const MAX_TEMPERATURE_LIMIT_C = 110;
const MAX_WINDOWS = 100;
const MAX_EXCLUDED_APPS = 100;

export const TimeZoneSchema = z
  .string({ error: 'timeZone must be a time zone name such as Europe/Berlin' })
  .trim()
  .refine((zone) => !/^[+-]/.test(zone), {
    error: 'timeZone must be a name such as Europe/Berlin, not a fixed offset (an offset ignores daylight saving)',
  })
  .refine(isKnownTimeZone, {
    error: (issue) =>
      `timeZone "${String(issue.input)}" is not a time zone this computer knows; use a name such as Europe/Berlin`,
  })
  .transform(canonicalTimeZone);

function minuteOfDay(field: string, max: number) {
  return z
    .number({ error: `${field} must be a number of minutes after midnight` })
    .int(`${field} must be a whole number of minutes`)
    .min(0, `${field} must be between 0 (00:00) and ${max}`)
    .max(max, `${field} must be between 0 (00:00) and ${max}`);
}

/**
 * A weekly window in local wall time, for each of `days`: from `startMinute`
 * up to (not including) `endMinute`. An end at or before the start crosses
 * midnight into the next day (22:00-07:00 is startMinute 1320, endMinute 420);
 * a whole day is 0 to 1440.
 */
export const ScheduleWindowSchema = z
  .strictObject({
    days: z
      .array(WeekdaySchema, { error: 'days must be a list such as ["mon", "tue"]' })
      .min(1, 'a schedule window needs at least one day')
      .refine((days) => new Set(days).size === days.length, { error: 'a schedule window lists a day twice' }),
    startMinute: minuteOfDay('startMinute', 1439),
    endMinute: minuteOfDay('endMinute', 1440),
  })
  .refine((window) => window.startMinute !== window.endMinute, {
    error:
      'a schedule window cannot start and end at the same minute; for a whole day use startMinute 0 and endMinute 1440',
    path: ['endMinute'],
  });
export type ScheduleWindow = z.infer<typeof ScheduleWindowSchema>;

export const WeeklyScheduleSchema = z
  .strictObject({
    /** Off means any time of the week. */
    enabled: z.boolean({ error: 'schedule.enabled must be true or false' }).default(false),
    windows: z
      .array(ScheduleWindowSchema, { error: 'schedule.windows must be a list of windows' })
      .max(MAX_WINDOWS, `a schedule can have at most ${MAX_WINDOWS} windows`)
      .default([]),
  })
  .refine((schedule) => !schedule.enabled || schedule.windows.length > 0, {
    error:
      'the schedule is on but has no windows, so this computer would never earn; add a window or turn the schedule off',
    path: ['windows'],
  });
export type WeeklySchedule = z.infer<typeof WeeklyScheduleSchema>;

export const LightModeSchema = z.strictObject({
  /** Earn on the CPU alone while the owner uses the computer. */
  enabled: z.boolean({ error: 'lightMode.enabled must be true or false' }).default(false),
  cpuThreads: z
    .number({ error: 'lightMode.cpuThreads must be a number' })
    .int('lightMode.cpuThreads must be a whole number')
    .min(1, 'lightMode.cpuThreads must be at least 1')
    .max(256, 'lightMode.cpuThreads can be at most 256')
    .default(DEFAULT_LIGHT_MODE_CPU_THREADS),
});
export type LightMode = z.infer<typeof LightModeSchema>;

/** A temperature limit in °C, named `field` in its sentences so each editor's message points at its own field. */
function temperatureLimit(field: string) {
  const range = `${field} must be between ${MIN_TEMPERATURE_LIMIT_C} and ${MAX_TEMPERATURE_LIMIT_C} °C`;
  return z
    .number({ error: `${field} must be a number of °C` })
    .min(MIN_TEMPERATURE_LIMIT_C, range)
    .max(MAX_TEMPERATURE_LIMIT_C, range);
}

export const DeviceSettingsSchema = z.strictObject({
  /** Off keeps the device out of every job (for a GPU: "GPU off"). */
  enabled: z.boolean({ error: 'enabled must be true or false' }).default(true),
  /** CPU only: the most threads a job may use; null means all of them. Ignored for GPUs. */
  maxThreads: z
    .number({ error: 'maxThreads must be a number or null' })
    .int('maxThreads must be a whole number')
    .min(1, 'maxThreads must be at least 1')
    .max(1024, 'maxThreads can be at most 1024')
    .nullable()
    .default(null),
  /**
   * Above this the device rests until it is 10 °C cooler; null means the
   * policy's limit for its kind (GPU: gpuTemperatureLimitC; CPU: 90).
   */
  temperatureLimitC: z
    .union([temperatureLimit('temperatureLimitC'), z.null()], {
      error: 'temperatureLimitC must be a number of °C or null',
    })
    .default(null),
});
export type DeviceSettings = z.infer<typeof DeviceSettingsSchema>;

const DEFAULT_DEVICE_SETTINGS: DeviceSettings = { enabled: true, maxThreads: null, temperatureLimitC: null };

const ExcludedAppSchema = z
  .string({ error: 'excludedApps must be a list of program names' })
  .trim()
  .min(1, { error: 'an excluded app needs a name', abort: true })
  .max(255, 'an excluded app name can be at most 255 characters')
  .refine((name) => !/[/\\]/.test(name), {
    error: (issue) =>
      `excluded app "${String(issue.input)}" looks like a path; use the program's name, such as blender`,
  })
  .refine((name) => normalizeProcessName(name) !== '', { error: 'an excluded app needs a name, not just an ending' });

export const SchedulerPolicySchema = z.strictObject({
  /** The owner's zone: the schedule, "until tomorrow" and every time in a reason use it. */
  timeZone: TimeZoneSchema.default(hostTimeZone),
  idleMinutes: z
    .number({ error: 'idleMinutes must be a number' })
    .int('idleMinutes must be a whole number of minutes')
    .min(1, 'idleMinutes must be at least 1')
    .max(1440, 'idleMinutes can be at most 1440 (one day)')
    .default(DEFAULT_IDLE_MINUTES),
  lightMode: LightModeSchema.prefault({}),
  schedule: WeeklyScheduleSchema.prefault({}),
  pauseOnBattery: z.boolean({ error: 'pauseOnBattery must be true or false' }).default(true),
  /** Program names; earning pauses while any runs and for 15 s after it exits. */
  excludedApps: z
    .array(ExcludedAppSchema, { error: 'excludedApps must be a list of program names' })
    .max(MAX_EXCLUDED_APPS, `at most ${MAX_EXCLUDED_APPS} excluded apps`)
    // The same program listed twice ("Blender", "blender.exe") is one entry; keep the first spelling.
    .transform((names) => {
      const keys = names.map(normalizeProcessName);
      return names.filter((_, index) => keys.indexOf(keys[index] ?? '') === index);
    })
    .default([]),
  /** Pause while other programs keep the CPU above this for 20 s; null turns the check off. */
  cpuBusyPercent: z
    .number({ error: 'cpuBusyPercent must be a number or null' })
    .min(1, 'cpuBusyPercent must be between 1 and 100')
    .max(100, 'cpuBusyPercent must be between 1 and 100')
    .nullable()
    .default(DEFAULT_CPU_BUSY_PERCENT),
  /**
   * Every GPU without its own temperatureLimitC rests above this until it is
   * 10 °C cooler. Only GPUs whose temperature the agent reads (NVIDIA, through
   * nvidia-smi) are held to it. A policy stored before this field existed
   * parses with the built-in 83 °C.
   */
  gpuTemperatureLimitC: temperatureLimit('gpuTemperatureLimitC').default(DEFAULT_GPU_TEMPERATURE_LIMIT_C),
  /** Per device id (as the device probe names them); a device not listed uses the defaults. */
  devices: z
    .record(
      z.string().min(1, 'a device id cannot be empty').max(128, 'a device id can be at most 128 characters'),
      DeviceSettingsSchema,
      {
        error: 'devices must map device ids to settings',
      },
    )
    .default({}),
});
export type SchedulerPolicy = z.output<typeof SchedulerPolicySchema>;
export type SchedulerPolicyInput = z.input<typeof SchedulerPolicySchema>;

/** Parses a stored or submitted policy, filling defaults; throws an IdlehiveError naming every problem. */
export function parseSchedulerPolicy(input: unknown): SchedulerPolicy {
  const result = SchedulerPolicySchema.safeParse(input);
  if (!result.success) {
    throw new IdlehiveError(
      'invalid-scheduler-policy',
      `The scheduling settings are not valid: ${describeSchemaIssues(result.error)}.`,
    );
  }
  return result.data;
}

/** Every default, in the given zone (a fresh install passes the computer's own). */
export function defaultSchedulerPolicy(timeZone: string = hostTimeZone()): SchedulerPolicy {
  return parseSchedulerPolicy({ timeZone });
}

export function deviceSettingsFor(policy: SchedulerPolicy, deviceId: string): DeviceSettings {
  return Object.hasOwn(policy.devices, deviceId)
    ? (policy.devices[deviceId] ?? DEFAULT_DEVICE_SETTINGS)
    : DEFAULT_DEVICE_SETTINGS;
}

/** The limit a device of this kind is held to when it has none of its own: the policy's for GPUs, the built-in one for CPUs. */
export function kindTemperatureLimitFor(policy: SchedulerPolicy, kind: 'cpu' | 'gpu'): number {
  return kind === 'cpu' ? DEFAULT_CPU_TEMPERATURE_LIMIT_C : policy.gpuTemperatureLimitC;
}

/** The device's own limit where it has one, else the limit for its kind. */
export function temperatureLimitFor(policy: SchedulerPolicy, deviceId: string, kind: 'cpu' | 'gpu'): number {
  return deviceSettingsFor(policy, deviceId).temperatureLimitC ?? kindTemperatureLimitFor(policy, kind);
}
