/** How each agent state reads to a person: the words on the pill. Colours and icons follow the same keys. */
import type { AgentState } from '../../../agent/local-api/contract.ts';

export const STATE_LABELS: Record<AgentState, string> = {
  earning: 'Earning',
  waiting: 'Waiting',
  paused: 'Paused',
  benchmarking: 'Benchmarking',
  'no-work': 'No work right now',
  error: 'Needs attention',
};
