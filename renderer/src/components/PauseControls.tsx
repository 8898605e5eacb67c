import type { Status } from '../../../agent/local-api/contract.ts';
import type { PauseAction } from '../agent-actions.ts';
import type { ConnectionState, DashboardAction } from '../store/dashboard-reducer.ts';

interface PauseControlsProps {
  status: Status | null;
  connection: ConnectionState;
  pendingAction: DashboardAction | null;
  actionError: string | null;
  onPause(action: PauseAction): void;
  onResume(): void;
}

const PAUSE_CHOICES: { action: PauseAction; label: string }[] = [
  { action: 'pause-15m', label: '15 minutes' },
  { action: 'pause-1h', label: '1 hour' },
  { action: 'pause-until-resumed', label: 'Until I resume' },
];

/** Pause for a while or until resumed, or resume: the owner's override, sent to the agent. */
export function PauseControls({
  status,
  connection,
  pendingAction,
  actionError,
  onPause,
  onResume,
}: PauseControlsProps) {
  const canAct = connection === 'connected' && status !== null && pendingAction === null;
  const overrideKind = status?.override?.kind ?? null;
  const isPausedByOwner = overrideKind !== null;
  return (
    <section className="card controls-card" aria-labelledby="controls-heading">
      <h2 id="controls-heading" className="card__heading">
        {overrideKind === 'earn-now'
          ? 'Earning on your request'
          : overrideKind === 'finish-then-pause'
            ? 'Pausing after this job'
            : isPausedByOwner
              ? 'Earning is paused'
              : 'Pause earning'}
      </h2>
      {isPausedByOwner ? (
        <>
          <p className="card__hint">
            {overrideKind === 'earn-now'
              ? 'Idlehive earns even while you use the computer, until the time above.'
              : overrideKind === 'finish-then-pause'
                ? 'The running job finishes; no new one starts.'
                : 'Idlehive runs no jobs until the pause ends.'}
          </p>
          <button
            type="button"
            className="button button--primary"
            data-testid="resume"
            disabled={!canAct}
            aria-busy={pendingAction === 'resume'}
            onClick={onResume}
          >
            {pendingAction === 'resume'
              ? 'Resuming…'
              : overrideKind === 'earn-now'
                ? 'Back to my schedule'
                : 'Resume earning'}
          </button>
        </>
      ) : (
        <>
          <p className="card__hint" id="pause-hint">
            Stops any running job now and frees the computer.
          </p>
          <fieldset className="button-row" aria-describedby="pause-hint">
            <legend className="visually-hidden">Pause for</legend>
            {PAUSE_CHOICES.map(({ action, label }) => (
              <button
                key={action}
                type="button"
                className="button"
                data-testid={action}
                disabled={!canAct}
                aria-busy={pendingAction === action}
                onClick={() => onPause(action)}
              >
                {pendingAction === action ? 'Pausing…' : label}
              </button>
            ))}
          </fieldset>
        </>
      )}
      {actionError !== null && (
        <p className="action-error" role="alert">
          {actionError}
        </p>
      )}
    </section>
  );
}
