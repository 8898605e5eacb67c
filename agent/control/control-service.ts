/**
 * Owns the agent's status: combines what the machine would do with the owner's
 * pause, persists every change to the ledger, and tells listeners. A pause with
 * an end re-evaluates itself at that end, so nothing polls.
 */

import type { ControlRepository } from '../ledger/control-repository.ts';
import type { PauseOverride, Status } from '../local-api/contract.ts';
import { applyPause, isPauseInForce, type StateAndReason } from './pause-status.ts';

export interface ControlServiceOptions {
  repository: ControlRepository;
  clock: () => number;
  timeZone?: string;
  agentInfo: Status['agent'];
  /** What the machine does when the owner has not paused it. */
  underlying: () => StateAndReason;
}

type StatusListener = (status: Status) => void;

export class ControlService {
  private readonly options: ControlServiceOptions;
  private readonly listeners = new Set<StatusListener>();
  private current: Status;
  private expiryTimer: NodeJS.Timeout | undefined;

  constructor(options: ControlServiceOptions) {
    this.options = options;
    this.current = this.compute(options.repository.readOverride(), undefined);
    this.recordIfChanged(undefined);
    this.armExpiry();
  }

  status(): Status {
    return this.current;
  }

  onChange(listener: StatusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  pause(durationSeconds: number | undefined): Status {
    const now = this.options.clock();
    const override: PauseOverride = {
      kind: 'pause',
      until: durationSeconds === undefined ? null : now + durationSeconds * 1000,
      setAt: now,
    };
    this.options.repository.writeOverride(override);
    return this.reevaluate();
  }

  resume(): Status {
    this.options.repository.writeOverride(null);
    return this.reevaluate();
  }

  /** Re-reads every input; call when anything the status depends on changed. */
  reevaluate(): Status {
    const previous = this.current;
    const override = this.options.repository.readOverride();
    if (override && !isPauseInForce(override, this.options.clock())) {
      // An expired pause is removed, so a restart long after does not resurrect it.
      this.options.repository.writeOverride(null);
    }
    this.current = this.compute(this.options.repository.readOverride(), previous);
    this.recordIfChanged(previous);
    this.armExpiry();
    return this.current;
  }

  stop(): void {
    clearTimeout(this.expiryTimer);
    this.listeners.clear();
  }

  private compute(override: PauseOverride | null, previous: Status | undefined): Status {
    const now = this.options.clock();
    const inForce = isPauseInForce(override, now) ? override : null;
    const { state, reason } = applyPause(this.options.underlying(), inForce, now, this.options.timeZone);
    const unchanged = previous && previous.state === state && previous.reason === reason;
    return {
      state,
      reason,
      since: unchanged ? previous.since : now,
      override: inForce,
      agent: this.options.agentInfo,
    };
  }

  private recordIfChanged(previous: Status | undefined): void {
    const next = this.current;
    const same =
      previous !== undefined &&
      previous.state === next.state &&
      previous.reason === next.reason &&
      JSON.stringify(previous.override) === JSON.stringify(next.override);
    if (same) return;
    if (previous === undefined || previous.state !== next.state || previous.reason !== next.reason) {
      this.options.repository.appendTimeline({ at: next.since, state: next.state, reason: next.reason });
    }
    for (const listener of this.listeners) listener(next);
  }

  private armExpiry(): void {
    clearTimeout(this.expiryTimer);
    const until = this.current.override?.until;
    if (until === undefined || until === null) return;
    // setTimeout caps at ~24.8 days; a longer pause re-arms when the shorter wait ends.
    const wait = Math.min(Math.max(0, until - this.options.clock()), 2 ** 31 - 1);
    this.expiryTimer = setTimeout(() => this.reevaluate(), wait);
    this.expiryTimer.unref();
  }
}
