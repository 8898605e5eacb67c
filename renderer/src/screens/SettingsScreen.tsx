import { useEffect, useId, useState } from 'react';
import type { DiagnosticsBundle, Settings } from '../../../agent/local-api/contract.ts';
import type { DesktopFacts } from '../../../electron/ipc-contract.ts';
import { DiagnosticsCard } from '../components/DiagnosticsCard.tsx';
import { LoadingCard } from '../components/LoadingCard.tsx';
import { ThemeSwitch } from '../components/ThemeSwitch.tsx';
import { type EndpointForm, endpointFormFrom, endpointPatch } from '../settings/endpoint-form.ts';
import type { DashboardAction } from '../store/dashboard-reducer.ts';

interface SettingsScreenProps {
  settings: Settings | null;
  canAct: boolean;
  pendingAction: DashboardAction | null;
  /** The agent's sentence when the last settings change was refused. */
  saveError: string | null;
  isDesktop: boolean;
  desktopFacts: DesktopFacts | null;
  onTheme(theme: Settings['theme']): void;
  onSave(patch: Partial<Settings>): Promise<Settings | null>;
  onOpenLogFolder(): void;
  diagnosticsError: string | null;
  onExportDiagnostics(): Promise<DiagnosticsBundle | null>;
}

/** Appearance, start at login, the network's addresses and where the logs are. */
export function SettingsScreen(props: SettingsScreenProps) {
  const { settings } = props;
  if (settings === null) {
    return <LoadingCard hint="Loading settings from the Idlehive agent…" />;
  }
  return <SettingsForm {...props} settings={settings} />;
}

function SettingsForm({
  settings,
  canAct,
  pendingAction,
  saveError,
  isDesktop,
  desktopFacts,
  onTheme,
  onSave,
  onOpenLogFolder,
  diagnosticsError,
  onExportDiagnostics,
}: SettingsScreenProps & { settings: Settings }) {
  const ids = useId();
  const [form, setForm] = useState<EndpointForm>(() => endpointFormFrom(settings));
  const [isEdited, setEdited] = useState(false);
  const [isJustSaved, setJustSaved] = useState(false);
  const patch = endpointPatch(form, settings);
  const hasChanges = Object.keys(patch).length > 0;

  useEffect(() => {
    // Another client changed the endpoints: show theirs unless the owner is typing here.
    if (!isEdited) setForm(endpointFormFrom(settings));
  }, [settings, isEdited]);

  const field = (key: keyof EndpointForm) => ({
    value: form[key],
    onChange: (event: { target: { value: string } }) => {
      setEdited(true);
      setJustSaved(false);
      setForm({ ...form, [key]: event.target.value });
    },
  });

  const save = async () => {
    const saved = await onSave(patch);
    if (saved !== null) {
      setForm(endpointFormFrom(saved));
      setEdited(false);
      setJustSaved(true);
    }
  };

  return (
    <div className="settings">
      <section className="card form-card" aria-labelledby={`${ids}-look`}>
        <h2 id={`${ids}-look`} className="card__heading">
          Appearance
        </h2>
        <ThemeSwitch theme={settings.theme} disabled={!canAct} onChange={onTheme} />
      </section>

      <section className="card form-card" aria-labelledby={`${ids}-login`}>
        <h2 id={`${ids}-login`} className="card__heading">
          Start at login
        </h2>
        <label className="check">
          <input
            type="checkbox"
            data-testid="start-at-login"
            checked={settings.startAtLogin}
            disabled={!canAct || !isDesktop}
            aria-describedby={`${ids}-login-hint`}
            onChange={(event) => void onSave({ startAtLogin: event.target.checked })}
          />
          <span>Start Idlehive in the tray when I log in</span>
        </label>
        <p className="field__hint" id={`${ids}-login-hint`} data-testid="start-at-login-hint">
          {isDesktop
            ? 'Idlehive starts hidden, in the tray, and follows your schedule.'
            : 'Available in the Idlehive desktop app. On a computer without a desktop, run the agent as a service instead (idlehive agent).'}
        </p>
      </section>

      <section className="card form-card" aria-labelledby={`${ids}-notify`}>
        <h2 id={`${ids}-notify`} className="card__heading">
          Notifications
        </h2>
        <label className="check">
          <input
            type="checkbox"
            data-testid="notifications"
            checked={settings.notifications}
            disabled={!canAct}
            aria-describedby={`${ids}-notify-hint`}
            onChange={(event) => void onSave({ notifications: event.target.checked })}
          />
          <span>Tell me when Idlehive cannot earn because of a problem</span>
        </label>
        <p className="field__hint" id={`${ids}-notify-hint`}>
          {isDesktop
            ? 'A desktop notification with the reason, once per problem.'
            : 'The desktop app shows these notifications; this page changes the setting for it.'}
        </p>
      </section>

      <form
        className="card form-card"
        aria-labelledby={`${ids}-network`}
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <h2 id={`${ids}-network`} className="card__heading">
          Network
        </h2>
        <p className="card__hint">Leave both empty to use the network built into Idlehive on this computer.</p>
        <div className="field">
          <label htmlFor={`${ids}-coordinator`}>Compute network address (coordinator URL)</label>
          <input
            id={`${ids}-coordinator`}
            className="input"
            type="url"
            inputMode="url"
            spellCheck={false}
            placeholder="Built-in local network"
            data-testid="coordinator-url"
            {...field('coordinatorUrl')}
          />
        </div>
        <div className="field">
          <label htmlFor={`${ids}-chain`}>Payout chain address (JSON-RPC URL)</label>
          <input
            id={`${ids}-chain`}
            className="input"
            type="url"
            inputMode="url"
            spellCheck={false}
            placeholder="Built-in local chain"
            data-testid="chain-rpc-url"
            {...field('chainRpcUrl')}
          />
        </div>
        <div className="form-actions">
          <button
            type="submit"
            className="button button--primary"
            data-testid="save-endpoints"
            disabled={!canAct || !hasChanges}
            aria-busy={pendingAction === 'save-settings'}
          >
            {pendingAction === 'save-settings' ? 'Saving…' : 'Save addresses'}
          </button>
          <p className="form-actions__status" role="status">
            {isJustSaved && !hasChanges ? 'Saved.' : ''}
          </p>
        </div>
        {saveError !== null && (
          <p className="action-error" role="alert" data-testid="settings-error">
            {saveError}
          </p>
        )}
      </form>

      <section className="card form-card" aria-labelledby={`${ids}-logs`}>
        <h2 id={`${ids}-logs`} className="card__heading">
          Logs
        </h2>
        {isDesktop && desktopFacts !== null ? (
          <>
            <p className="card__hint">The agent writes its log here (no keys or tokens are ever logged):</p>
            <pre className="command" data-testid="log-folder">
              <code>{desktopFacts.logFolder}</code>
            </pre>
            <div className="form-actions">
              <button type="button" className="button" onClick={onOpenLogFolder}>
                Open log folder
              </button>
            </div>
          </>
        ) : (
          <p className="card__hint" data-testid="log-folder">
            The agent writes its log to <code>logs/agent.log</code> in the Idlehive data folder:{' '}
            <code>~/.local/share/idlehive</code> on Linux, <code>~/Library/Application Support/idlehive</code> on macOS,{' '}
            <code>%LOCALAPPDATA%\idlehive\Data</code> on Windows, unless <code>--home</code> or{' '}
            <code>IDLEHIVE_HOME</code> chose another folder.
          </p>
        )}
      </section>

      <DiagnosticsCard
        canAct={canAct}
        isExporting={pendingAction === 'export-diagnostics'}
        error={diagnosticsError}
        onExport={onExportDiagnostics}
      />
    </div>
  );
}
