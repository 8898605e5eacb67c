import type { Status } from '../local-api/contract.ts';

const HEADLINES: Record<Status['state'], string> = {
  earning: 'Idlehive is earning',
  waiting: 'Idlehive is waiting',
  paused: 'Idlehive is paused',
  benchmarking: 'Idlehive is benchmarking this computer',
  'no-work': 'Idlehive has no work',
  error: 'Idlehive needs your attention',
};

/** Two lines for people: the state, then the scheduler's reason verbatim. */
export function formatStatus(status: Status): string {
  return `${HEADLINES[status.state]}\n${status.reason}`;
}
