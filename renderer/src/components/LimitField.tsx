import { useEffect, useState } from 'react';

interface LimitFieldProps {
  id: string;
  label: string;
  hint: string;
  /** The stored limit as the field shows it ('' for none). */
  stored: string;
  placeholder: string;
  testId: string;
  saveTestId: string;
  statusTestId: string;
  canAct: boolean;
  isSaving: boolean;
  /** Sends the text as typed; resolves to whether the agent saved it. */
  onSave(text: string): Promise<boolean>;
}

/** One numeric limit of a device: typed, sent as typed, and "Saved." once the agent answered with it. */
export function LimitField(props: LimitFieldProps) {
  const [text, setText] = useState(props.stored);
  const [isSaved, setSaved] = useState(false);

  useEffect(() => setText(props.stored), [props.stored]);

  return (
    <form
      className="field"
      onSubmit={(event) => {
        event.preventDefault();
        setSaved(false);
        void props.onSave(text).then(setSaved);
      }}
    >
      <label htmlFor={props.id}>{props.label}</label>
      <div className="field--inline">
        <input
          id={props.id}
          className="input input--short"
          inputMode="numeric"
          data-testid={props.testId}
          placeholder={props.placeholder}
          aria-describedby={`${props.id}-hint`}
          value={text}
          onChange={(event) => {
            setSaved(false);
            setText(event.target.value);
          }}
        />
        <button
          type="submit"
          className="button"
          data-testid={props.saveTestId}
          disabled={!props.canAct || text === props.stored}
          aria-busy={props.isSaving}
        >
          {props.isSaving ? 'Saving…' : 'Save limit'}
        </button>
      </div>
      <p className="field__hint" id={`${props.id}-hint`}>
        {props.hint}
      </p>
      <p className="form-actions__status" role="status" data-testid={props.statusTestId}>
        {isSaved && text === props.stored ? 'Saved.' : ''}
      </p>
    </form>
  );
}
