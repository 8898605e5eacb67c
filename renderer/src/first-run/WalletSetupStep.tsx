import { useId, useState } from 'react';

interface WalletSetupStepProps {
  canAct: boolean;
  isWorking: boolean;
  error: string | null;
  onCreate(password: string): void;
  onImport(secret: string, password: string): void;
}

/** Create a new wallet or bring an existing one; either way a password protects the key on this computer. */
export function WalletSetupStep({ canAct, isWorking, error, onCreate, onImport }: WalletSetupStepProps) {
  const ids = useId();
  const [choice, setChoice] = useState<'create' | 'import'>('create');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [secret, setSecret] = useState('');
  const mismatch = repeat !== '' && repeat !== password;
  return (
    <form
      className="form-card"
      aria-labelledby={`${ids}-heading`}
      onSubmit={(event) => {
        event.preventDefault();
        if (mismatch) return;
        if (choice === 'create') onCreate(password);
        else onImport(secret, password);
      }}
    >
      <h2 id={`${ids}-heading`} className="card__heading">
        1. Your wallet
      </h2>
      <p className="card__hint">
        Earnings are paid to a wallet that only you control. Idlehive keeps its key on this computer, encrypted with a
        password you choose.
      </p>
      <fieldset className="choice-group">
        <legend className="choice-group__legend">Wallet</legend>
        <label className="check">
          <input
            type="radio"
            name={`${ids}-choice`}
            data-testid="first-run-create"
            checked={choice === 'create'}
            onChange={() => setChoice('create')}
          />
          <span>Create a new wallet</span>
        </label>
        <label className="check">
          <input
            type="radio"
            name={`${ids}-choice`}
            data-testid="first-run-import"
            checked={choice === 'import'}
            onChange={() => setChoice('import')}
          />
          <span>Use a wallet I already have (recovery phrase or private key)</span>
        </label>
      </fieldset>
      {choice === 'import' && (
        <div className="field">
          <label htmlFor={`${ids}-secret`}>Recovery phrase or private key</label>
          <textarea
            id={`${ids}-secret`}
            className="input input--area"
            data-testid="first-run-secret"
            autoComplete="off"
            spellCheck={false}
            required
            value={secret}
            onChange={(event) => setSecret(event.target.value)}
          />
        </div>
      )}
      <div className="field">
        <label htmlFor={`${ids}-password`}>Wallet password (at least 8 characters)</label>
        <input
          id={`${ids}-password`}
          className="input"
          type="password"
          autoComplete="new-password"
          data-testid="first-run-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${ids}-repeat`}>The same password again</label>
        <input
          id={`${ids}-repeat`}
          className="input"
          type="password"
          autoComplete="new-password"
          data-testid="first-run-password-repeat"
          required
          aria-invalid={mismatch}
          aria-describedby={`${ids}-repeat-hint`}
          value={repeat}
          onChange={(event) => setRepeat(event.target.value)}
        />
        <p className="field__hint" id={`${ids}-repeat-hint`}>
          {mismatch ? 'The two passwords differ; type the same one twice.' : 'Idlehive cannot recover it for you.'}
        </p>
      </div>
      <div className="form-actions">
        <button
          type="submit"
          className="button button--primary"
          data-testid="first-run-wallet-submit"
          disabled={!canAct || mismatch || password === '' || repeat === ''}
          aria-busy={isWorking}
        >
          {isWorking ? 'Encrypting the key…' : choice === 'create' ? 'Create wallet' : 'Import wallet'}
        </button>
      </div>
      {error !== null && (
        <p className="action-error" role="alert" data-testid="first-run-wallet-error">
          {error}
        </p>
      )}
    </form>
  );
}
