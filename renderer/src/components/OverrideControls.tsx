import type { Status } from '../../../agent/local-api/contract.ts';
import type { ConnectionState, DashboardAction, OverrideAction } from '../store/dashboard-reducer.ts';

interface OverrideControlsProps {
  status: Status | null;
  connection: ConnectionState;
  pendingAction: DashboardAction | null;
  /** The agent's sentence when an override or resume just failed. */
  actionError: string | null;
  onOverride(action: OverrideAction): void;
  onResume(): void;
}

interface Choice {
  action: OverrideAction;
  label: string;
}

const PAUSE_CHOICES: Choice[] = [
  { action: 'pause-15m', label: '15 minutes' },
  { action: 'pause-1h', label: '1 hour' },
  { action: 'pause-until-tomorrow', label: 'Until tomorrow' },
  { action: 'pause-until-resumed', label: 'Until I resume' },
];

const EARN_CHOICES: Choice[] = [
  { action: 'earn-30m', label: '30 minutes' },
  { action: 'earn-1h', label: '1 hour' },
  { action: 'earn-2h', label: '2 hours' },
];

const OVERRIDE_HEADINGS: Record<NonNullable<Status['override']>['kind'], string> = {
  pause: 'Earning is paused',
  'earn-now': 'Earning on your request',
  'finish-then-pause': 'Pausing after this job',
};

const RESUME_LABELS: Record<NonNullable<Status['override']>['kind'], string> = {
  pause: 'Resume earning',
  'earn-now': 'Back to my schedule',
  'finish-then-pause': 'Keep earning',
};

function ChoiceGroup(props: {
  id: string;
  legend: string;
  hint: string;
  choices: Choice[];
  disabled: boolean;
  pendingAction: DashboardAction | null;
  busyLabel: string;
  onChoose(action: OverrideAction): void;
}) {
  return (
    <fieldset className="choice-group" aria-describedby={`${props.id}-hint`}>
      <legend className="choice-group__legend">{props.legend}</legend>
      <p className="choice-group__hint" id={`${props.id}-hint`}>
        {props.hint}
      </p>
      <div className="button-row">
        {props.choices.map(({ action, label }) => (
          <button
            key={action}
            type="button"
            className="button"
            data-testid={action}
            disabled={props.disabled}
            aria-busy={props.pendingAction === action}
            onClick={() => props.onChoose(action)}
          >
            {props.pendingAction === action ? props.busyLabel : label}
          </button>
        ))}
      </div>
    </fieldset>
  );
}

/**
 * The owner's overrides: pause, earn now, finish the job then pause, and
 * resume. Each is a request to the agent; what is in force shows in the
 * status above, as the agent reports it.
 */
export function OverrideControls({
  status,
  connection,
  pendingAction,
  actionError,
  onOverride,
  onResume,
}: OverrideControlsProps) {
  const canAct = connection === 'connected' && status !== null && pendingAction === null;
  const overrideKind = status?.override?.kind ?? null;
  return (
    <section className="card controls-card" aria-labelledby="controls-heading">
      <h2 id="controls-heading" className="card__heading">
        {overrideKind === null ? 'Pause or earn now' : OVERRIDE_HEADINGS[overrideKind]}
      </h2>
      {overrideKind !== null && (
        <div className="controls-card__resume">
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
            {pendingAction === 'resume' ? 'Resuming…' : RESUME_LABELS[overrideKind]}
          </button>
        </div>
      )}
      <div className="controls-card__groups">
        <ChoiceGroup
          id="pause"
          legend="Pause"
          hint="Stops any running job now and frees the computer."
          choices={PAUSE_CHOICES}
          disabled={!canAct}
          pendingAction={pendingAction}
          busyLabel="Pausing…"
          onChoose={onOverride}
        />
        <ChoiceGroup
          id="earn-now"
          legend="Earn now"
          hint="Earns even while you use the computer; battery and heat limits still apply."
          choices={EARN_CHOICES}
          disabled={!canAct}
          pendingAction={pendingAction}
          busyLabel="Starting…"
          onChoose={onOverride}
        />
        <fieldset className="choice-group" aria-describedby="finish-hint">
          <legend className="choice-group__legend">Finish, then pause</legend>
          <p className="choice-group__hint" id="finish-hint">
            Lets the running job finish (so it is paid), takes no new one, then stays paused until you resume.
          </p>
          <div className="button-row">
            <button
              type="button"
              className="button"
              data-testid="finish-then-pause"
              disabled={!canAct || overrideKind === 'finish-then-pause'}
              aria-busy={pendingAction === 'finish-then-pause'}
              onClick={() => onOverride('finish-then-pause')}
            >
              {pendingAction === 'finish-then-pause' ? 'Asking…' : 'Finish the job, then pause'}
            </button>
          </div>
        </fieldset>
      </div>
      {actionError !== null && (
        <p className="action-error" role="alert">
          {actionError}
        </p>
      )}
    </section>
  );
}
