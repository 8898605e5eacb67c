/**
 * What the first run can honestly say about earnings on this machine: the
 * benchmark's score and the hours the schedule allows. Money needs the
 * network's prices too; the local API does not carry them, so the estimate
 * says that instead of inventing a figure.
 */
import type { BenchmarkReport, SchedulerPolicy } from '../../../agent/local-api/contract.ts';

export interface EarningsEstimate {
  /** The CPU's composite score (100 = the reference laptop), or null when unmeasured or unstable. */
  cpuScore: number | null;
  /** Hours a week the schedule allows; null when there is no schedule (idle time alone decides). */
  scheduledHoursPerWeek: number | null;
  /** One or more sentences, shown as they are. */
  sentences: string[];
}

/** Hours a week covered by the schedule's windows (a window past midnight counts into the next day). */
export function scheduledHoursPerWeek(policy: SchedulerPolicy): number | null {
  if (!policy.schedule.enabled) return null;
  let minutes = 0;
  for (const window of policy.schedule.windows) {
    const length =
      window.endMinute > window.startMinute
        ? window.endMinute - window.startMinute
        : 1440 - window.startMinute + window.endMinute;
    minutes += length * window.days.length;
  }
  return Math.min(minutes, 7 * 1440) / 60;
}

export function estimateEarnings(report: BenchmarkReport | null, policy: SchedulerPolicy | null): EarningsEstimate {
  const cpu = report?.devices.find((device) => device.device === 'cpu') ?? null;
  const cpuScore = cpu?.score ?? null;
  const hours = policy === null ? null : scheduledHoursPerWeek(policy);
  const sentences: string[] = [];
  if (cpuScore === null) {
    sentences.push(
      report === null
        ? 'Run the benchmark to see how fast this computer is.'
        : 'The benchmark could not give this computer a steady score (other programs were busy); run it again when the computer is quiet.',
    );
  } else {
    sentences.push(
      `This computer scored ${Math.round(cpuScore)} (100 is a typical laptop): the network hands faster computers more work.`,
    );
  }
  if (policy !== null) {
    sentences.push(
      hours === null
        ? `With no schedule, Idlehive earns whenever you have left the computer alone for ${policy.idleMinutes} minutes.`
        : `Your schedule allows up to ${formatHours(hours)} a week, when you are not using the computer.`,
    );
  }
  sentences.push(
    'No amount is shown: the network does not tell Idlehive its prices before work arrives, and a made-up figure would mislead you. What each verified job earned appears on the Earnings screen.',
  );
  return { cpuScore, scheduledHoursPerWeek: hours, sentences };
}

function formatHours(hours: number): string {
  const rounded = Math.round(hours * 10) / 10;
  return `${rounded} ${rounded === 1 ? 'hour' : 'hours'}`;
}
