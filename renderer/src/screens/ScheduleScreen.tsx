import { useEffect, useId, useMemo, useReducer, useState } from 'react';
import type { SchedulerPolicy, SchedulerPolicyInput } from '../../../agent/local-api/contract.ts';
import { HEAT_RESUME_MARGIN_C } from '../../../agent/scheduler/heat-latch.ts';
import {
  DEFAULT_GPU_TEMPERATURE_LIMIT_C,
  MAX_TEMPERATURE_LIMIT_C,
  MIN_TEMPERATURE_LIMIT_C,
} from '../../../agent/scheduler/policy.ts';
import { LoadingCard } from '../components/LoadingCard.tsx';
import { WeekGridEditor } from '../components/WeekGridEditor.tsx';
import {
  draftFromPolicy,
  type PolicyDraft,
  policyPatchFromDraft,
  reducePolicyDraft,
} from '../schedule/policy-draft.ts';
import { countPainted, SLOT_MINUTES } from '../schedule/week-grid.ts';

interface ScheduleScreenProps {
  policy: SchedulerPolicy | null;
  canSave: boolean;
  isSaving: boolean;
  /** The agent's sentence when the last save was refused. */
  saveError: string | null;
  onSave(patch: Partial<SchedulerPolicyInput>): Promise<SchedulerPolicy | null>;
}

/** When this computer may earn: the weekly grid and the rules around it, saved to the agent as one change. */
export function ScheduleScreen(props: ScheduleScreenProps) {
  if (props.policy === null) {
    return <LoadingCard hint="Loading your schedule from the Idlehive agent…" />;
  }
  return <ScheduleEditor {...props} policy={props.policy} />;
}

function knownTimeZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
}

function ScheduleEditor({
  policy,
  canSave,
  isSaving,
  saveError,
  onSave,
}: ScheduleScreenProps & { policy: SchedulerPolicy }) {
  const [draft, dispatch] = useReducer(reducePolicyDraft, policy, draftFromPolicy);
  const [isJustSaved, setJustSaved] = useState(false);
  const ids = useId();
  const zones = useMemo(knownTimeZones, []);
  const patch = useMemo(() => policyPatchFromDraft(draft), [draft]);
  const hasChanges = Object.keys(patch).length > 0;

  useEffect(() => {
    dispatch({ type: 'policy-arrived', policy });
  }, [policy]);

  const edit = (event: Parameters<typeof dispatch>[0]) => {
    setJustSaved(false);
    dispatch(event);
  };
  const text = (field: Extract<Parameters<typeof dispatch>[0], { type: 'set-text' }>['field']) => ({
    value: draft[field],
    onChange: (event: { target: { value: string } }) => edit({ type: 'set-text', field, value: event.target.value }),
  });
  const toggle = (field: Extract<Parameters<typeof dispatch>[0], { type: 'set-toggle' }>['field']) => ({
    checked: draft[field],
    onChange: (event: { target: { checked: boolean } }) =>
      edit({ type: 'set-toggle', field, value: event.target.checked }),
  });

  const save = async () => {
    const saved = await onSave(patch);
    if (saved !== null) {
      dispatch({ type: 'reset', policy: saved });
      setJustSaved(true);
    }
  };

  return (
    <form
      className="schedule-form"
      aria-labelledby="screen-heading"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <section className="card" aria-labelledby={`${ids}-week`}>
        <h2 id={`${ids}-week`} className="card__heading">
          Weekly schedule
        </h2>
        <label className="check">
          <input type="checkbox" data-testid="schedule-enabled" {...toggle('scheduleEnabled')} />
          <span>Earn only in the painted half hours</span>
        </label>
        <p className="card__hint" id={`${ids}-grid-help`}>
          {draft.scheduleEnabled
            ? `Drag across the grid to paint or erase. Keyboard: arrows move, Space paints or erases, Shift+arrow paints as it moves. ${paintedHours(draft)} a week painted.`
            : 'Off: Idlehive may earn at any time of the week, whenever the computer is idle. Turn it on to choose hours.'}
        </p>
        {!draft.isGridExact && !draft.isGridTouched && (
          <p className="note" data-testid="grid-rounded-note">
            Some of your windows start or end between half hours; the grid shows them rounded out. They stay exactly as
            they are unless you paint the grid.
          </p>
        )}
        <WeekGridEditor
          grid={draft.grid}
          disabled={!draft.scheduleEnabled}
          describedBy={`${ids}-grid-help`}
          onPaint={(day, slot, value) => edit({ type: 'paint', day, slot, value })}
        />
      </section>

      <section className="card form-card" aria-labelledby={`${ids}-rules`}>
        <h2 id={`${ids}-rules`} className="card__heading">
          When to hold back
        </h2>
        <div className="field">
          <label htmlFor={`${ids}-idle`}>Start earning after the computer has been idle for (minutes)</label>
          <input
            id={`${ids}-idle`}
            className="input input--short"
            inputMode="numeric"
            data-testid="idle-minutes"
            {...text('idleMinutes')}
          />
        </div>
        <label className="check">
          <input type="checkbox" data-testid="pause-on-battery" {...toggle('pauseOnBattery')} />
          <span>Pause while the computer runs on battery</span>
        </label>
        <div className="field field--inline">
          <label className="check">
            <input type="checkbox" data-testid="cpu-busy-on" {...toggle('isCpuBusyCheckOn')} />
            <span>Pause while other programs keep the CPU busy</span>
          </label>
          <label className="field__sub" htmlFor={`${ids}-cpu`}>
            above (%)
          </label>
          <input
            id={`${ids}-cpu`}
            className="input input--short"
            inputMode="decimal"
            disabled={!draft.isCpuBusyCheckOn}
            data-testid="cpu-busy-percent"
            {...text('cpuBusyPercent')}
          />
        </div>
        <div className="field">
          <label htmlFor={`${ids}-apps`}>Pause while any of these programs runs (one per line)</label>
          <textarea
            id={`${ids}-apps`}
            className="input input--area"
            rows={3}
            spellCheck={false}
            placeholder="blender"
            aria-describedby={`${ids}-apps-hint`}
            data-testid="excluded-apps"
            {...text('excludedApps')}
          />
          <p className="field__hint" id={`${ids}-apps-hint`}>
            Program names as your system lists them, such as blender or obs. Earning resumes 15 s after the last one
            closes.
          </p>
        </div>
      </section>

      <section className="card form-card" aria-labelledby={`${ids}-heat`}>
        <h2 id={`${ids}-heat`} className="card__heading">
          Heat
        </h2>
        <div className="field">
          <label htmlFor={`${ids}-gpu-heat`}>Rest graphics cards hotter than (°C)</label>
          <input
            id={`${ids}-gpu-heat`}
            className="input input--short"
            inputMode="numeric"
            aria-describedby={`${ids}-gpu-heat-hint`}
            data-testid="gpu-temperature-limit"
            {...text('gpuTemperatureLimit')}
          />
          <p className="field__hint" id={`${ids}-gpu-heat-hint`}>
            Jobs stop on a graphics card above this and start again once it is {HEAT_RESUME_MARGIN_C} °C cooler. It
            applies only to NVIDIA cards, whose temperature Idlehive reads; a limit set for a card on the Devices screen
            overrides it. Between {MIN_TEMPERATURE_LIMIT_C} and {MAX_TEMPERATURE_LIMIT_C} °C; the default is{' '}
            {DEFAULT_GPU_TEMPERATURE_LIMIT_C} °C.
          </p>
        </div>
      </section>

      <section className="card form-card" aria-labelledby={`${ids}-light`}>
        <h2 id={`${ids}-light`} className="card__heading">
          Light mode
        </h2>
        <label className="check">
          <input type="checkbox" data-testid="light-mode" {...toggle('lightModeEnabled')} />
          <span>Earn a little on the CPU while I use the computer (never the GPU)</span>
        </label>
        <div className="field">
          <label htmlFor={`${ids}-threads`}>CPU threads it may use</label>
          <input
            id={`${ids}-threads`}
            className="input input--short"
            inputMode="numeric"
            disabled={!draft.lightModeEnabled}
            data-testid="light-mode-threads"
            {...text('lightModeThreads')}
          />
        </div>
      </section>

      <section className="card form-card" aria-labelledby={`${ids}-zone-heading`}>
        <h2 id={`${ids}-zone-heading`} className="card__heading">
          Time zone
        </h2>
        <div className="field">
          <label htmlFor={`${ids}-zone`}>The schedule’s hours and “until tomorrow” follow this zone</label>
          <input
            id={`${ids}-zone`}
            className="input"
            list={`${ids}-zones`}
            spellCheck={false}
            autoComplete="off"
            data-testid="time-zone"
            {...text('timeZone')}
          />
          <datalist id={`${ids}-zones`}>
            {zones.map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
        </div>
      </section>

      <div className="form-actions">
        <button
          type="submit"
          className="button button--primary"
          data-testid="save-schedule"
          disabled={!canSave || !hasChanges}
          aria-busy={isSaving}
        >
          {isSaving ? 'Saving…' : 'Save schedule'}
        </button>
        <button
          type="button"
          className="button"
          disabled={!draft.isDirty || isSaving}
          onClick={() => edit({ type: 'reset', policy })}
        >
          Discard changes
        </button>
        <p className="form-actions__status" role="status" data-testid="schedule-save-status">
          {isJustSaved && !draft.isDirty ? 'Saved. The agent uses the new schedule now.' : ''}
        </p>
      </div>
      {saveError !== null && (
        <p className="action-error" role="alert" data-testid="schedule-error">
          {saveError}
        </p>
      )}
    </form>
  );
}

function paintedHours(draft: PolicyDraft): string {
  const hours = (countPainted(draft.grid) * SLOT_MINUTES) / 60;
  return hours === 1 ? '1 hour' : `${hours} hours`;
}
