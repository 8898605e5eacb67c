/**
 * The owner's controls from a terminal: overrides (pause, earn now, finish
 * then pause, resume), the scheduling policy, and the timeline of states.
 * Every command is a local API client; the agent validates and stores.
 */
import type { Command } from 'commander';
import { IdlehiveError } from '../errors.ts';
import { connectToAgent } from '../local-api/connect-to-agent.ts';
import type { OwnerOverrideRequest, SchedulerPolicy, TimelineEntry } from '../local-api/contract.ts';
import { durationOption, print } from './cli-output.ts';
import { parseDurationSeconds } from './duration.ts';
import { formatStatus } from './format-status.ts';
import { policyPatchFromWords } from './policy-patch-words.ts';
import { describeScheduleWindow, parseScheduleWindow } from './schedule-words.ts';

async function withAgent<T>(home: string, use: (api: Awaited<ReturnType<typeof connectToAgent>>['api']) => Promise<T>) {
  const { api } = await connectToAgent(home);
  try {
    return await use(api);
  } finally {
    api.close();
  }
}

function pauseRequest(options: { for?: number; untilTomorrow?: boolean; afterJob?: boolean }): OwnerOverrideRequest {
  const chosen = [options.for !== undefined, Boolean(options.untilTomorrow), Boolean(options.afterJob)].filter(Boolean);
  if (chosen.length > 1) {
    throw new IdlehiveError('invalid_pause', 'Choose one of --for, --until-tomorrow and --after-job.');
  }
  if (options.for !== undefined) return { kind: 'pause-for', durationSeconds: options.for };
  if (options.untilTomorrow) return { kind: 'pause-until-tomorrow' };
  if (options.afterJob) return { kind: 'finish-then-pause' };
  return { kind: 'pause-until-resumed' };
}

export function describePolicy(policy: SchedulerPolicy): string {
  const lines = [
    `Time zone: ${policy.timeZone}`,
    `Earn after ${policy.idleMinutes} min without keyboard or mouse input`,
    policy.lightMode.enabled
      ? `Light mode: on (CPU only, at most ${policy.lightMode.cpuThreads} threads while you use the computer)`
      : 'Light mode: off',
    policy.schedule.enabled
      ? `Schedule: only within ${policy.schedule.windows.map(describeScheduleWindow).join('; ')}`
      : 'Schedule: any time',
    `On battery: ${policy.pauseOnBattery ? 'pause' : 'keep earning'}`,
    `Busy CPU: ${policy.cpuBusyPercent === null ? 'ignored' : `pause while other programs use more than ${policy.cpuBusyPercent}% for 20 s`}`,
    `Excluded apps: ${policy.excludedApps.length === 0 ? 'none' : policy.excludedApps.join(', ')}`,
    `GPU temperature: rest graphics cards above ${policy.gpuTemperatureLimitC} °C (NVIDIA cards, whose temperature Idlehive reads; a card's own limit wins)`,
  ];
  for (const [id, device] of Object.entries(policy.devices)) {
    const limits = [
      device.enabled ? 'on' : 'off',
      device.maxThreads === null ? null : `at most ${device.maxThreads} threads`,
      device.temperatureLimitC === null ? null : `limit ${device.temperatureLimitC} °C`,
    ].filter((part) => part !== null);
    lines.push(`Device ${id}: ${limits.join(', ')}`);
  }
  return lines.join('\n');
}

function describeTimeline(entries: TimelineEntry[]): string {
  if (entries.length === 0) return 'No state changes in that period.';
  return entries
    .map((entry) => `${new Date(entry.at).toLocaleString()}  ${entry.state.padEnd(12)} ${entry.reason}`)
    .join('\n');
}

export function registerScheduleCommands(program: Command, home: () => string): void {
  program
    .command('pause')
    .description('Pause earning: until you resume, for a while, until tomorrow, or after the running job.')
    .option('--for <duration>', 'how long, e.g. 30m, 2h, 1h30m (at most 30d)', durationOption)
    .option('--until-tomorrow', 'until the next midnight in your time zone')
    .option('--after-job', 'let the running job finish, take no new one, then pause until you resume')
    .option('--json', 'print machine-readable JSON')
    .action(async (options: { for?: number; untilTomorrow?: boolean; afterJob?: boolean; json?: boolean }) => {
      const request = pauseRequest(options);
      const status = await withAgent(home(), (api) => api.call('control.override', { request }));
      print(Boolean(options.json), status, formatStatus(status));
    });

  program
    .command('earn-now')
    .description('Earn for a while even though you are using the computer or it is outside the schedule.')
    .requiredOption('--for <duration>', 'how long, e.g. 30m or 2h (at most 24h)', durationOption)
    .option('--json', 'print machine-readable JSON')
    .action(async (options: { for: number; json?: boolean }) => {
      const request: OwnerOverrideRequest = { kind: 'earn-now', durationSeconds: options.for };
      const status = await withAgent(home(), (api) => api.call('control.override', { request }));
      print(Boolean(options.json), status, formatStatus(status));
    });

  program
    .command('resume')
    .description('End a pause or earn-now override; the schedule decides again.')
    .option('--json', 'print machine-readable JSON')
    .action(async (options: { json?: boolean }) => {
      const status = await withAgent(home(), (api) => api.call('control.resume', {}));
      print(Boolean(options.json), status, formatStatus(status));
    });

  const schedule = program.command('schedule').description('Read or change when this computer may earn.');
  schedule
    .command('show')
    .description('Print the scheduling policy.')
    .option('--json', 'print machine-readable JSON')
    .action(async (options: { json?: boolean }) => {
      const policy = await withAgent(home(), (api) => api.call('scheduler.policy.get', {}));
      print(Boolean(options.json), policy, describePolicy(policy));
    });
  schedule
    .command('set')
    .description(
      'Change policy fields, e.g. `idlehive schedule set idleMinutes=10 pauseOnBattery=false excludedApps=\'["blender"]\'`.',
    )
    .argument('[key=value...]', 'assignments; values are JSON where they parse as JSON')
    .option(
      '--gpu-temperature-limit <C>',
      'rest every graphics card without its own limit above this many °C (NVIDIA cards only; same as gpuTemperatureLimitC=C)',
    )
    .option('--json', 'print machine-readable JSON')
    .action(async (words: string[], options: { gpuTemperatureLimit?: string; json?: boolean }) => {
      const patch = policyPatchFromWords(words, options);
      const policy = await withAgent(home(), (api) => api.call('scheduler.policy.set', { patch }));
      print(Boolean(options.json), policy, describePolicy(policy));
    });
  schedule
    .command('add-window')
    .description('Earn only within these hours on these days (turns the weekly schedule on).')
    .requiredOption('--days <days>', 'e.g. mon-fri, sat,sun or all')
    .requiredOption('--from <time>', 'start, 24-hour HH:MM, e.g. 22:00')
    .requiredOption('--to <time>', 'end, HH:MM; at or before the start means the next day, e.g. 07:00')
    .option('--json', 'print machine-readable JSON')
    .action(async (options: { days: string; from: string; to: string; json?: boolean }) => {
      const window = parseScheduleWindow(options.days, options.from, options.to);
      const policy = await withAgent(home(), async (api) => {
        const current = await api.call('scheduler.policy.get', {});
        return api.call('scheduler.policy.set', {
          patch: { schedule: { enabled: true, windows: [...current.schedule.windows, window] } },
        });
      });
      print(Boolean(options.json), policy, describePolicy(policy));
    });
  schedule
    .command('clear')
    .description('Remove every window: earn at any time of the week.')
    .option('--json', 'print machine-readable JSON')
    .action(async (options: { json?: boolean }) => {
      const policy = await withAgent(home(), (api) =>
        api.call('scheduler.policy.set', { patch: { schedule: { enabled: false, windows: [] } } }),
      );
      print(Boolean(options.json), policy, describePolicy(policy));
    });

  program
    .command('timeline')
    .description('When this computer earned, waited or paused, and why.')
    .option('--since <duration>', 'how far back, e.g. 24h or 7d', '24h')
    .option('--json', 'print machine-readable JSON')
    .action(async (options: { since: string; json?: boolean }) => {
      const sinceMs = Math.max(0, Date.now() - parseDurationSeconds(options.since) * 1000);
      const entries = await withAgent(home(), (api) => api.call('timeline.list', { sinceMs }));
      print(Boolean(options.json), entries, describeTimeline(entries));
    });
}
