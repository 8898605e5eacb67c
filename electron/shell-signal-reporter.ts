/**
 * Pushes the shell's idle and power readings to the agent, at the cadence the
 * agent asks for in each answer (fast while earning, so the machine is handed
 * back within a quarter second of the owner's return). One timer, one report
 * in flight at a time; knows nothing of Electron (main passes `read` and `send`).
 */
import type { ShellSignals } from '../agent/local-api/contract.ts';
import { FALLBACK_REPORT_EVERY_MS, nextReportDelayMs } from './shell-signals.ts';

export interface ShellSignalReporterOptions {
  read(): ShellSignals;
  /** Sends one report; null when there is no connection to the agent right now. */
  send(signals: ShellSignals): Promise<{ reportEveryMs: number }> | null;
  timers?: { set(callback: () => void, ms: number): unknown; clear(handle: unknown): void };
}

export interface ShellSignalReporter {
  /** Report at once (power source changed, agent connected) and restart the cadence from here. */
  reportNow(): void;
  /** The cadence in a status push; a faster one than the current takes effect at once. */
  followCadence(everyMs: number): void;
  stop(): void;
}

const defaultTimers = {
  set: (callback: () => void, ms: number): unknown => setTimeout(callback, ms),
  clear: (handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export function startShellSignalReporter(options: ShellSignalReporterOptions): ShellSignalReporter {
  const timers = options.timers ?? defaultTimers;
  let timer: unknown = null;
  let delayMs = FALLBACK_REPORT_EVERY_MS;
  let isSending = false;
  let isReportWanted = false;
  let isStopped = false;

  const schedule = (ms: number) => {
    if (isStopped) return;
    delayMs = ms;
    if (timer !== null) timers.clear(timer);
    timer = timers.set(report, ms);
  };

  const settle = (askedEveryMs: number | null) => {
    isSending = false;
    if (isReportWanted) {
      isReportWanted = false;
      report();
      return;
    }
    schedule(nextReportDelayMs(askedEveryMs));
  };

  function report(): void {
    if (isStopped) return;
    if (timer !== null) timers.clear(timer);
    timer = null;
    // A report asked for while one is on the way goes out as soon as that one is answered.
    if (isSending) {
      isReportWanted = true;
      return;
    }
    const sending = options.send(options.read());
    if (sending === null) {
      schedule(FALLBACK_REPORT_EVERY_MS);
      return;
    }
    isSending = true;
    sending.then(
      (answer) => settle(answer.reportEveryMs),
      () => settle(null),
    );
  }

  report();

  return {
    reportNow: report,
    followCadence(everyMs) {
      if (nextReportDelayMs(everyMs) < delayMs) report();
    },
    stop() {
      isStopped = true;
      if (timer !== null) timers.clear(timer);
      timer = null;
    },
  };
}
