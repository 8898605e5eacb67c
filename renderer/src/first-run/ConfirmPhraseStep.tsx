import { useId, useState } from 'react';
import { answersMatch, phraseWords, pickConfirmPositions } from './confirm-words.ts';

/** Shows the recovery phrase once, then asks for two of its words back before going on. */
export function ConfirmPhraseStep({ phrase, onConfirmed }: { phrase: string; onConfirmed(): void }) {
  const ids = useId();
  const words = phraseWords(phrase);
  const [positions] = useState(() => pickConfirmPositions(words.length));
  const [isChecking, setChecking] = useState(false);
  const [answers, setAnswers] = useState(['', '']);
  const [isWrong, setWrong] = useState(false);

  if (!isChecking) {
    return (
      <section className="form-card" aria-labelledby={`${ids}-heading`}>
        <h2 id={`${ids}-heading`} className="card__heading">
          2. Write down your recovery phrase
        </h2>
        <p className="card__hint">
          These {words.length} words are the only way to get your earnings back if this computer is lost. Write them on
          paper, in order, and keep them private. Idlehive shows them only now.
        </p>
        <ol className="phrase" data-testid="recovery-phrase">
          {words.map((word, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a phrase may repeat a word; the position is its identity.
            <li key={index} data-testid="recovery-word">
              {word}
            </li>
          ))}
        </ol>
        <div className="form-actions">
          <button
            type="button"
            className="button button--primary"
            data-testid="phrase-written"
            onClick={() => setChecking(true)}
          >
            I wrote it down
          </button>
        </div>
      </section>
    );
  }
  return (
    <form
      className="form-card"
      aria-labelledby={`${ids}-check`}
      onSubmit={(event) => {
        event.preventDefault();
        if (answersMatch(words, positions, answers)) onConfirmed();
        else setWrong(true);
      }}
    >
      <h2 id={`${ids}-check`} className="card__heading">
        2. Check your recovery phrase
      </h2>
      {positions.map((position, index) => (
        <div className="field" key={position}>
          <label htmlFor={`${ids}-word-${position}`}>Word {position + 1}</label>
          <input
            id={`${ids}-word-${position}`}
            className="input"
            autoComplete="off"
            spellCheck={false}
            data-testid={`confirm-word-${position + 1}`}
            value={answers[index]}
            onChange={(event) => {
              setWrong(false);
              setAnswers(answers.map((answer, at) => (at === index ? event.target.value : answer)));
            }}
          />
        </div>
      ))}
      <div className="button-row">
        <button type="submit" className="button button--primary" data-testid="confirm-words">
          Continue
        </button>
        <button type="button" className="button" onClick={() => setChecking(false)}>
          Show the words again
        </button>
      </div>
      {isWrong && (
        <p className="action-error" role="alert" data-testid="confirm-error">
          Those words do not match the phrase. Check what you wrote down, or show the words again.
        </p>
      )}
    </form>
  );
}
