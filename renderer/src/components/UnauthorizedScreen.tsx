import type { UnauthorizedReason } from '../store/dashboard-reducer.ts';

const EXPLANATIONS: Record<UnauthorizedReason, string> = {
  'missing-token':
    'This page was opened without its key. Only the link Idlehive makes for you carries the key, so that other websites cannot reach the agent.',
  'rejected-token':
    'The Idlehive agent did not accept this page’s key. The agent makes a new key each time it starts, so older dashboard links stop working.',
};

/** Shown instead of the dashboard when the agent will not talk to this page: how to open it properly. */
export function UnauthorizedScreen({ reason }: { reason: UnauthorizedReason }) {
  return (
    <main className="unauthorized" aria-labelledby="unauthorized-heading">
      <span className="visually-hidden" data-testid="connection-state" aria-hidden="true">
        unauthorized
      </span>
      <div className="card unauthorized__card">
        <svg
          className="unauthorized__icon"
          viewBox="0 0 24 24"
          width="40"
          height="40"
          aria-hidden="true"
          focusable="false"
        >
          <rect x="4.5" y="10.5" width="15" height="10" rx="2" fill="none" stroke="currentColor" strokeWidth="1.75" />
          <path d="M8 10.5V7.5a4 4 0 0 1 8 0v3" fill="none" stroke="currentColor" strokeWidth="1.75" />
          <circle cx="12" cy="15.5" r="1.5" fill="currentColor" />
        </svg>
        <h1 id="unauthorized-heading">Open the dashboard from Idlehive</h1>
        <p>{EXPLANATIONS[reason]}</p>
        <p>To open it, run this in a terminal on this computer:</p>
        <pre className="command">
          <code>idlehive dashboard</code>
        </pre>
        <p className="card__hint">In the desktop app, choose “Open dashboard” from the Idlehive icon in the tray.</p>
      </div>
    </main>
  );
}
