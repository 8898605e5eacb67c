/**
 * The reason sentences, one builder per cause. The UI shows them verbatim, so
 * each says what is happening and what ends it, in the owner's words and
 * clock. Times come in already formatted (see formatClockTime).
 */
import type { HeldBackDevice } from './allowed-devices.ts';
import { CPU_BUSY_SUSTAIN_MS } from './cpu-busy.ts';
import { describeDuration } from './describe-duration.ts';
import { EXCLUDED_APP_LINGER_MS } from './excluded-apps.ts';

const HEADLESS = 'this computer has no keyboard or mouse to watch';

function celsius(value: number): string {
  return `${Number(value.toFixed(1))} °C`;
}

function threadCount(threads: number): string {
  return threads === 1 ? '1 CPU thread' : `${threads} CPU threads`;
}

export const reasons = {
  benchmarking: () => 'Benchmarking this computer: earning starts when the benchmark is done',
  ownerPaused: (until: string | null) =>
    until === null ? 'Paused until you resume (you paused it)' : `Paused until ${until} (you paused it)`,
  pausedAfterJob: () => 'Paused until you resume: the last job finished, as you asked',
  noDevices: () => 'Cannot earn: no CPU or GPU was found on this computer',
  onBattery: () => 'Paused on battery: earning resumes when you plug in',
  excludedAppRunning: (name: string) =>
    `Paused while ${name} is running: earning can resume ${describeDuration(EXCLUDED_APP_LINGER_MS)} after it closes`,
  excludedAppClosedRecently: (name: string, closedForMs: number, resumesInMs: number) =>
    `Paused: ${name} closed ${describeDuration(closedForMs)} ago; earning can resume in ${describeDuration(resumesInMs, 'up')}`,
  processListUnknown: () => 'Paused: cannot see which programs are running, so cannot check for the apps you listed',
  cpuBusy: (thresholdPercent: number) =>
    `Paused: other programs are keeping the CPU above ${thresholdPercent} %; earning resumes after ${describeDuration(CPU_BUSY_SUSTAIN_MS)} below it`,
  outsideSchedule: (startsAt: string | null, hasInputSource: boolean) => {
    if (!hasInputSource) {
      return startsAt === null
        ? `Following your schedule: ${HEADLESS}; no window starts within a week`
        : `Following your schedule: ${HEADLESS}; earning starts at ${startsAt}`;
    }
    return startsAt === null
      ? 'Waiting: outside your schedule; no window starts within a week'
      : `Waiting: outside your schedule; earning can start at ${startsAt}`;
  },
  ownerActive: (idleMs: number, thresholdMs: number) =>
    idleMs < 1000
      ? `Waiting: you are using the computer; earning starts after ${describeDuration(thresholdMs)} idle`
      : `Waiting: you used the computer ${describeDuration(idleMs)} ago; earning starts after ${describeDuration(thresholdMs)} idle`,
  idleUnknown: () =>
    'Waiting: cannot tell whether you are using the computer (its idle time is unknown); choose Earn now to earn anyway',
  devicesTurnedOff: () => 'Paused: every device is turned off in your settings',
  tooHot: (held: readonly HeldBackDevice[]) => {
    const isOnlyCooling = held.every((entry) => entry.heat.kind === 'cooling');
    return `${isOnlyCooling ? 'Paused to cool down' : 'Paused for heat safety'}: ${held.map(heatPhrase).join('; ')}`;
  },
  walletMissing: () => 'No work: create or import a wallet so the network can pay this computer',
  walletLocked: () => 'No work: unlock your wallet with its password so this computer can sign in to the network',
  networkUnreachable: () => 'No work: the compute network cannot be reached; earning starts when it answers',
  noJobs: () => 'No work: the network has no jobs for this computer right now',
  idle: (idleMs: number, scheduleEndsAt: string | null) =>
    scheduleEndsAt === null
      ? `Earning: this computer has been idle for ${describeDuration(idleMs)}`
      : `Earning: this computer has been idle for ${describeDuration(idleMs)}; your schedule allows it until ${scheduleEndsAt}`,
  noInputSource: (isScheduleOn: boolean, scheduleEndsAt: string | null) => {
    if (!isScheduleOn) return `Earning at any time: ${HEADLESS}`;
    return scheduleEndsAt === null
      ? `Following your schedule: ${HEADLESS}; it allows earning all week`
      : `Following your schedule: ${HEADLESS}; earning until ${scheduleEndsAt}`;
  },
  lightMode: (threads: number, isIdleKnown: boolean, thresholdMs: number) =>
    isIdleKnown
      ? `Earning lightly while you use the computer: at most ${threadCount(threads)}, no GPU; full earning after ${describeDuration(thresholdMs)} idle`
      : `Earning lightly: cannot tell whether you are using the computer, so at most ${threadCount(threads)} and no GPU`,
  earnNow: (until: string) => `Earning now until ${until} (you asked)`,
  finishingJob: () => 'Finishing the current job, then pausing (you asked)',
  /** Appended to an earning reason when some devices rest for heat while others work. */
  heatNote: (held: readonly HeldBackDevice[]) => (held.length === 0 ? '' : `; ${held.map(heatPhrase).join('; ')}`),
} as const;

function heatPhrase({ device, heat }: HeldBackDevice): string {
  if (heat.kind === 'unreadable') return `${device.name} gives no temperature reading, so it stays off`;
  return heat.temperatureC === null
    ? `${device.name} is cooling down (no reading now) and resumes at ${celsius(heat.resumeAtC)}`
    : `${device.name} is at ${celsius(heat.temperatureC)} and resumes at ${celsius(heat.resumeAtC)}`;
}
