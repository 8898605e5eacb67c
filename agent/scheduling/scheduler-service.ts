/**
 * The scheduler at the agent's edge: it gathers signals, asks the pure
 * `decide` for a decision whenever something changes (and at the moment the
 * decision says it next needs asking), and turns decisions into effects: the
 * status every client sees, one timeline row per change of state or cause,
 * and the removal of an override once it has expired.
 */
import type { ControlRepository } from '../ledger/control-repository.ts';
import type { PolicyRepository } from '../ledger/policy-repository.ts';
import type { RunningJob, ShellSignals, Status, TimelineEntry } from '../local-api/contract.ts';
import { decide } from '../scheduler/decide.ts';
import type { SchedulerDecision } from '../scheduler/decision.ts';
import { createOwnerOverride, type OwnerOverride, type OwnerOverrideRequest } from '../scheduler/owner-override.ts';
import { parseSchedulerPolicy, type SchedulerPolicy, type SchedulerPolicyInput } from '../scheduler/policy.ts';
import { INITIAL_SCHEDULER_MEMORY, type SchedulerMemory } from '../scheduler/scheduler-memory.ts';
import type { SchedulerSignals, WalletReadiness } from '../scheduler/signals.ts';
import type { HostSignals } from './host-signal-sampler.ts';
import { effectiveShellSignals, type ShellReport, shellReportEveryMs } from './shell-signals.ts';

/** What the work side (network client, worker, benchmark) tells the scheduler. */
export interface WorkSignals {
  isJobRunning: boolean;
  isNetworkReachable: boolean;
  isWorkAvailable: boolean;
  isBenchmarking: boolean;
  wallet: WalletReadiness;
}

export interface SchedulerServiceOptions {
  policies: PolicyRepository;
  control: ControlRepository;
  clock: () => number;
  hostSignals: () => HostSignals;
  workSignals: () => WorkSignals;
  agent: Status['agent'];
  /** The job running now, for the status; none when left out. */
  currentJob?: () => RunningJob | null;
  /** Injected so tests can drive time; defaults to setTimeout/clearTimeout. */
  timers?: { set(callback: () => void, ms: number): unknown; clear(handle: unknown): void };
}

type StatusListener = (status: Status) => void;
type DecisionListener = (decision: SchedulerDecision, previous: SchedulerDecision | null) => void;

const defaultTimers = {
  set(callback: () => void, ms: number): unknown {
    const handle = setTimeout(callback, ms);
    handle.unref();
    return handle;
  },
  clear(handle: unknown): void {
    clearTimeout(handle as NodeJS.Timeout);
  },
};

export class SchedulerService {
  private readonly options: SchedulerServiceOptions;
  private readonly timers: NonNullable<SchedulerServiceOptions['timers']>;
  private readonly statusListeners = new Set<StatusListener>();
  private readonly decisionListeners = new Set<DecisionListener>();
  private policy: SchedulerPolicy;
  private override: OwnerOverride | null;
  private memory: SchedulerMemory = INITIAL_SCHEDULER_MEMORY;
  private shellReport: ShellReport | null = null;
  private decision: SchedulerDecision | null = null;
  private current: Status | null = null;
  private timer: unknown = null;
  private stopped = false;

  constructor(options: SchedulerServiceOptions) {
    this.options = options;
    this.timers = options.timers ?? defaultTimers;
    this.policy = options.policies.read();
    this.override = options.control.readOverride();
    this.evaluate();
  }

  status(): Status {
    return this.current ?? this.evaluate();
  }

  currentPolicy(): SchedulerPolicy {
    return this.policy;
  }

  /** The decision in force: the worker side preempts when a running job's device is not in `devices`. */
  currentDecision(): SchedulerDecision {
    this.status();
    return this.decision as SchedulerDecision;
  }

  onStatusChange(listener: StatusListener): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  onDecision(listener: DecisionListener): () => void {
    this.decisionListeners.add(listener);
    return () => this.decisionListeners.delete(listener);
  }

  /** The desktop shell's idle and power readings; the answer says when it should report again. */
  reportShellSignals(signals: ShellSignals): { reportEveryMs: number } {
    this.shellReport = { signals, receivedAt: this.options.clock() };
    const status = this.evaluate();
    return { reportEveryMs: status.shellReportEveryMs };
  }

  setOverride(request: OwnerOverrideRequest): Status {
    const override = createOwnerOverride(request, this.policy.timeZone, this.options.clock());
    this.options.control.writeOverride(override);
    this.override = override;
    return this.evaluate();
  }

  resume(): Status {
    this.options.control.writeOverride(null);
    this.override = null;
    return this.evaluate();
  }

  /** Top-level fields of the patch replace the stored ones; the whole result must validate, or nothing changes. */
  updatePolicy(patch: Partial<SchedulerPolicyInput>): SchedulerPolicy {
    const next = parseSchedulerPolicy({ ...this.policy, ...patch });
    this.options.policies.write(next);
    this.policy = next;
    this.evaluate();
    return next;
  }

  timelineSince(sinceMs: number): TimelineEntry[] {
    return this.options.control.timelineSince(sinceMs);
  }

  /** Something the scheduler reads changed (a host reading, a job starting or ending): decide again. */
  signalsChanged(): void {
    if (!this.stopped) this.evaluate();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = null;
  }

  private gatherSignals(now: number): SchedulerSignals {
    const host = this.options.hostSignals();
    const shell = effectiveShellSignals(this.shellReport, now, host.isOnBattery);
    return {
      ...shell,
      devices: host.devices,
      runningProcessNames: host.runningProcessNames,
      cpuSamples: host.cpuSamples,
      ...this.options.workSignals(),
    };
  }

  private evaluate(): Status {
    const now = this.options.clock();
    const signals = this.gatherSignals(now);
    const { decision, memory } = decide({
      policy: this.policy,
      override: this.override,
      signals,
      memory: this.memory,
      now,
    });
    this.memory = memory;
    // Effects first (a job the owner needs the machine back from is killed here), bookkeeping after:
    // the ledger's writes wait for the disk, and the owner must not.
    const previousDecision = this.decision;
    this.decision = decision;
    for (const listener of this.decisionListeners) listener(decision, previousDecision);

    if (this.override !== null && decision.override === null) {
      // Expired: forget it, so a restart does not bring back a stale pause.
      this.options.control.writeOverride(null);
      this.override = null;
    }

    const previous = this.current;
    const isNewState = previous === null || previous.state !== decision.state || previous.cause !== decision.cause;
    if (isNewState) {
      this.options.control.appendTimeline({
        at: now,
        state: decision.state,
        cause: decision.cause,
        reason: decision.reason,
      });
    }
    const status: Status = {
      state: decision.state,
      cause: decision.cause,
      reason: decision.reason,
      since: isNewState || previous === null ? now : previous.since,
      override: decision.override,
      devices: decision.devices,
      acceptsNewJobs: decision.acceptsNewJobs,
      shellReportEveryMs: shellReportEveryMs(decision.state === 'earning', signals.hasInputSource),
      job: this.options.currentJob?.() ?? null,
      agent: this.options.agent,
    };
    this.current = status;
    this.scheduleNextCheck(decision.nextCheckAt, now);

    if (previous === null || isStatusDifferent(previous, status)) {
      for (const listener of this.statusListeners) listener(status);
    }
    return status;
  }

  private scheduleNextCheck(at: number, now: number): void {
    if (this.stopped) return;
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = this.timers.set(
      () => {
        this.timer = null;
        if (!this.stopped) this.evaluate();
      },
      Math.max(0, at - now),
    );
  }
}

function isStatusDifferent(a: Status, b: Status): boolean {
  return JSON.stringify(a) !== JSON.stringify(b);
}
