/**
 * The scheduler's decision: a pure function of the owner's policy and
 * override, the computer's signals, what the scheduler remembers, and the
 * clock. It returns the state, the devices a job may use, the sentence the UI
 * shows, and when to ask again, plus the memory to pass next time.
 *
 * Rules, first match wins: benchmarking; the owner's pause; no devices;
 * battery; excluded apps; busy CPU; schedule; idle (or light mode); heat and
 * disabled devices; finishing the last job before a pause; wallet, network and work.
 * Earn-now skips the schedule and idle rules only; battery, heat and other
 * work still stop it.
 */
import { allowDevices } from './allowed-devices.ts';
import { cpuBusyFlipAt, updateCpuBusy } from './cpu-busy.ts';
import type { SchedulerDecision } from './decision.ts';
import { checkExcludedApps, type ExcludedAppStatus } from './excluded-apps.ts';
import { updateHotDevices } from './heat-latch.ts';
import { type IdleLatch, updateIdleLatch } from './idle-latch.ts';
import { type CheckCadence, nextCheckAt } from './next-check.ts';
import { isOverrideInForce, type OwnerOverride } from './owner-override.ts';
import type { SchedulerPolicy } from './policy.ts';
import { reasons } from './reasons.ts';
import type { SchedulerMemory } from './scheduler-memory.ts';
import type { SchedulerSignals } from './signals.ts';
import { formatClockTime, MINUTE_MS, wallTimeAt } from './wall-clock.ts';
import { isWithinSchedule, nextScheduleChange } from './weekly-schedule.ts';

export interface DecideInput {
  policy: SchedulerPolicy;
  /** The stored override; one that has expired is ignored (and comes back as null). */
  override: OwnerOverride | null;
  signals: SchedulerSignals;
  /** The previous call's memory, or INITIAL_SCHEDULER_MEMORY. */
  memory: SchedulerMemory;
  /** Epoch ms; the policy's time zone turns it into the owner's wall clock. */
  now: number;
}

export interface DecideResult {
  decision: SchedulerDecision;
  memory: SchedulerMemory;
}

type Verdict = Pick<SchedulerDecision, 'state' | 'cause' | 'reason' | 'devices' | 'acceptsNewJobs'>;

interface VerdictContext {
  policy: SchedulerPolicy;
  signals: SchedulerSignals;
  override: OwnerOverride | null;
  now: number;
  idleLatch: IdleLatch | null;
  hotDeviceIds: readonly string[];
  excludedApps: ExcludedAppStatus;
  isCpuBusy: boolean;
  isJobFinishedForOverride: boolean;
  isInSchedule: boolean;
  scheduleChangeAt: number | null;
}

export function decide(input: DecideInput): DecideResult {
  const { policy, signals, now } = input;
  const override = isOverrideInForce(input.override, now) ? input.override : null;
  const idleThresholdMs = policy.idleMinutes * MINUTE_MS;

  // Every latch follows its signal on every call, whichever rule decides, so
  // hysteresis never depends on which sentence happened to be shown.
  const idleLatch = signals.hasInputSource
    ? updateIdleLatch(input.memory.idleLatch, signals.idleSeconds, idleThresholdMs, now)
    : null;
  const hotDeviceIds = updateHotDevices(input.memory.hotDeviceIds, signals.devices, policy);
  const excludedApps = checkExcludedApps(
    input.memory.excludedAppSighting,
    policy.excludedApps,
    signals.runningProcessNames,
    now,
  );
  const cpuBusy = updateCpuBusy(input.memory.cpuBusy, signals.cpuSamples, policy.cpuBusyPercent);
  const isJobFinishedForOverride =
    override?.kind === 'finish-then-pause' &&
    (input.memory.jobFinishedForOverrideSetAt === override.setAt || !signals.isJobRunning);
  const memory: SchedulerMemory = {
    idleLatch,
    hotDeviceIds,
    excludedAppSighting: excludedApps.sighting,
    cpuBusy,
    jobFinishedForOverrideSetAt: isJobFinishedForOverride ? override.setAt : null,
  };

  const scheduleChangeAt = policy.schedule.enabled ? nextScheduleChange(policy.schedule, policy.timeZone, now) : null;
  const isInSchedule = !policy.schedule.enabled || isWithinSchedule(policy.schedule, wallTimeAt(now, policy.timeZone));
  const verdict = chooseVerdict({
    policy,
    signals,
    override,
    now,
    idleLatch,
    hotDeviceIds,
    excludedApps: excludedApps.status,
    isCpuBusy: cpuBusy.isBusy,
    isJobFinishedForOverride,
    isInSchedule,
    scheduleChangeAt,
  });

  const idleThresholdAt =
    signals.hasInputSource && signals.idleSeconds !== null && idleLatch === null
      ? now + idleThresholdMs - signals.idleSeconds * 1000
      : null;
  const cadence: CheckCadence =
    verdict.state !== 'earning' ? 'waiting' : signals.hasInputSource ? 'watch-input' : 'earning';
  const events = [
    override?.until ?? null,
    scheduleChangeAt,
    idleThresholdAt,
    excludedApps.status.kind === 'closed-recently' ? excludedApps.status.resumesAt : null,
    cpuBusyFlipAt(cpuBusy),
  ];
  return { decision: { ...verdict, override, nextCheckAt: nextCheckAt(now, cadence, events) }, memory };
}

function stopped(state: Verdict['state'], cause: Verdict['cause'], reason: string): Verdict {
  return { state, cause, reason, devices: [], acceptsNewJobs: false };
}

function chooseVerdict(context: VerdictContext): Verdict {
  const { policy, signals, override, now } = context;
  const clock = (epochMs: number) => formatClockTime(epochMs, policy.timeZone, now);

  if (signals.isBenchmarking) return stopped('benchmarking', 'benchmarking', reasons.benchmarking());
  if (override?.kind === 'pause') {
    return stopped(
      'paused',
      'owner-paused',
      reasons.ownerPaused(override.until === null ? null : clock(override.until)),
    );
  }
  if (override?.kind === 'finish-then-pause' && context.isJobFinishedForOverride) {
    return stopped('paused', 'paused-after-job', reasons.pausedAfterJob());
  }
  if (signals.devices.length === 0) return stopped('error', 'no-devices', reasons.noDevices());
  if (policy.pauseOnBattery && signals.isOnBattery === true) {
    return stopped('paused', 'on-battery', reasons.onBattery());
  }

  const apps = context.excludedApps;
  if (apps.kind === 'running') return stopped('paused', 'excluded-app-running', reasons.excludedAppRunning(apps.name));
  if (apps.kind === 'closed-recently') {
    return stopped(
      'paused',
      'excluded-app-closed-recently',
      reasons.excludedAppClosedRecently(apps.name, now - apps.lastSeenAt, apps.resumesAt - now),
    );
  }
  if (apps.kind === 'unknown') return stopped('paused', 'process-list-unknown', reasons.processListUnknown());
  if (context.isCpuBusy && policy.cpuBusyPercent !== null) {
    return stopped('paused', 'cpu-busy', reasons.cpuBusy(policy.cpuBusyPercent));
  }

  const isEarnNow = override?.kind === 'earn-now';
  if (!isEarnNow && !context.isInSchedule) {
    const startsAt = context.scheduleChangeAt === null ? null : clock(context.scheduleChangeAt);
    return stopped('waiting', 'outside-schedule', reasons.outsideSchedule(startsAt, signals.hasInputSource));
  }

  const plan = chooseEarningPlan(context, clock);
  if ('state' in plan) return plan;

  const allowance = allowDevices(plan.mode, policy, signals.devices, context.hotDeviceIds);
  if (allowance.allowed.length === 0) {
    if (plan.mode === 'light') return plan.otherwise;
    return allowance.enabledCount === 0
      ? stopped('paused', 'devices-turned-off', reasons.devicesTurnedOff())
      : stopped('paused', 'too-hot', reasons.tooHot(allowance.heldBackForHeat));
  }
  const devices = allowance.allowed;

  if (override?.kind === 'finish-then-pause') {
    // Reaching here means the job is still running (otherwise it is paused above).
    return { state: 'earning', cause: 'finishing-job', reason: reasons.finishingJob(), devices, acceptsNewJobs: false };
  }
  if (!signals.isJobRunning && signals.wallet !== 'ready') {
    const isMissing = signals.wallet === 'missing';
    return {
      state: 'no-work',
      cause: isMissing ? 'wallet-missing' : 'wallet-locked',
      reason: isMissing ? reasons.walletMissing() : reasons.walletLocked(),
      devices,
      acceptsNewJobs: true,
    };
  }
  if (!signals.isJobRunning && !signals.isNetworkReachable) {
    return {
      state: 'no-work',
      cause: 'network-unreachable',
      reason: reasons.networkUnreachable(),
      devices,
      acceptsNewJobs: true,
    };
  }
  if (!signals.isJobRunning && !signals.isWorkAvailable) {
    return { state: 'no-work', cause: 'no-jobs', reason: reasons.noJobs(), devices, acceptsNewJobs: true };
  }
  const lightThreads = devices[0]?.maxThreads ?? policy.lightMode.cpuThreads;
  const reason =
    plan.mode === 'light'
      ? reasons.lightMode(lightThreads, signals.idleSeconds !== null, policy.idleMinutes * MINUTE_MS)
      : plan.reason + reasons.heatNote(allowance.heldBackForHeat);
  return { state: 'earning', cause: plan.cause, reason, devices, acceptsNewJobs: true };
}

type EarningPlan =
  | { mode: 'full'; cause: 'earn-now' | 'no-input-source' | 'idle'; reason: string }
  /** Light mode, or `otherwise` (waiting) when the CPU cannot be used. */
  | { mode: 'light'; cause: 'light-mode'; otherwise: Verdict };

/** Whether the owner is away (or it does not matter), and so how much of the computer to use; or why to wait. */
function chooseEarningPlan(context: VerdictContext, clock: (epochMs: number) => string): EarningPlan | Verdict {
  const { policy, signals, override, now } = context;
  const scheduleEndsAt =
    policy.schedule.enabled && context.scheduleChangeAt !== null ? clock(context.scheduleChangeAt) : null;
  if (override?.kind === 'earn-now') {
    return { mode: 'full', cause: 'earn-now', reason: reasons.earnNow(clock(override.until)) };
  }
  if (!signals.hasInputSource) {
    return {
      mode: 'full',
      cause: 'no-input-source',
      reason: reasons.noInputSource(policy.schedule.enabled, scheduleEndsAt),
    };
  }
  if (context.idleLatch !== null) {
    const idleMs = signals.idleSeconds === null ? now - context.idleLatch.lastInputAt : signals.idleSeconds * 1000;
    return { mode: 'full', cause: 'idle', reason: reasons.idle(idleMs, scheduleEndsAt) };
  }
  const waiting =
    signals.idleSeconds === null
      ? stopped('waiting', 'idle-unknown', reasons.idleUnknown())
      : stopped(
          'waiting',
          'owner-active',
          reasons.ownerActive(signals.idleSeconds * 1000, policy.idleMinutes * MINUTE_MS),
        );
  return policy.lightMode.enabled ? { mode: 'light', cause: 'light-mode', otherwise: waiting } : waiting;
}
