import type { AgentState } from '../../../agent/local-api/contract.ts';
import { StateIcon } from './StateIcon.tsx';
import { STATE_LABELS } from './state-presentation.ts';

/**
 * The state as colour, icon and words together, so none of them is needed
 * alone. The raw state value sits in a hidden test hook (data-testid
 * "agent-state") that assistive technology skips, since the label says it.
 */
export function StatePill({ state }: { state: AgentState }) {
  return (
    <p className={`state-pill state-pill--${state}`}>
      <StateIcon state={state} />
      <span className="state-pill__label">{STATE_LABELS[state]}</span>
      <span className="visually-hidden" data-testid="agent-state" aria-hidden="true">
        {state}
      </span>
    </p>
  );
}
