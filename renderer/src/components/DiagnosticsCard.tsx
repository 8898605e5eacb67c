import { useId, useState } from 'react';
import type { DiagnosticsBundle } from '../../../agent/local-api/contract.ts';
import { diagnosticsFileName, downloadTextFile } from '../settings/download-file.ts';

interface DiagnosticsCardProps {
  canAct: boolean;
  isExporting: boolean;
  error: string | null;
  onExport(): Promise<DiagnosticsBundle | null>;
}

/** Builds the agent's diagnostics bundle (secrets removed) and saves it as a file for a support request. */
export function DiagnosticsCard({ canAct, isExporting, error, onExport }: DiagnosticsCardProps) {
  const ids = useId();
  const [savedAs, setSavedAs] = useState<string | null>(null);
  return (
    <section className="card form-card" aria-labelledby={`${ids}-heading`}>
      <h2 id={`${ids}-heading`} className="card__heading">
        Diagnostics
      </h2>
      <p className="card__hint">
        A file to send with a problem report: versions, this computer’s devices, your scheduling settings, the recent
        timeline and the end of the log. Passwords, keys, recovery phrases and tokens are removed before it leaves the
        agent.
      </p>
      <div className="form-actions">
        <button
          type="button"
          className="button"
          data-testid="export-diagnostics"
          disabled={!canAct}
          aria-busy={isExporting}
          onClick={() => {
            setSavedAs(null);
            void onExport().then((bundle) => {
              if (bundle === null) return;
              const name = diagnosticsFileName(bundle.createdAt);
              downloadTextFile(name, `${JSON.stringify(bundle, null, 2)}\n`);
              setSavedAs(name);
            });
          }}
        >
          {isExporting ? 'Collecting…' : 'Export diagnostics'}
        </button>
        <p className="form-actions__status" role="status" data-testid="diagnostics-status">
          {savedAs === null ? '' : `Saved to your downloads as ${savedAs}.`}
        </p>
      </div>
      {error !== null && (
        <p className="action-error" role="alert" data-testid="diagnostics-error">
          {error}
        </p>
      )}
    </section>
  );
}
