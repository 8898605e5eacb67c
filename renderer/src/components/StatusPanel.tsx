import type { Status } from '../../../agent/local-api/contract.ts';
import { formatClockTime, overrideSummary } from '../format-time.ts';
import type { ConnectionState } from '../store/dashboard-reducer.ts';
import { StatePill } from './StatePill.tsx';

interface StatusPanelProps {
  status: Status | null;
  connection: ConnectionState;
  now: number;
}

/** What the agent is doing and why, in the agent's own words. */
export function StatusPanel({ status, connection, now }: StatusPanelProps) {
  if (status === null) {
    return (
      <section className="card status-card status-card--empty" aria-labelledby="status-heading" aria-busy="true">
        <h2 id="status-heading" className="visually-hidden">
          Status
        </h2>
        <span className="spinner" aria-hidden="true" />
        <p className="status-card__placeholder">Connecting to the Idlehive agent…</p>
      </section>
    );
  }
  const override = overrideSummary(status.override, now);
  const isStale = connection !== 'connected';
  return (
    <section
      className={`card status-card${isStale ? ' status-card--stale' : ''}`}
      aria-labelledby="status-heading"
      aria-describedby={isStale ? 'connection-banner' : undefined}
    >
      <h2 id="status-heading" className="visually-hidden">
        Status
      </h2>
      <div className="status-card__live" aria-live="polite" aria-atomic="true">
        <StatePill state={status.state} />
        <p className="status-card__reason" data-testid="agent-reason">
          {status.reason}
        </p>
      </div>
      <dl className="status-card__facts">
        {override !== null && (
          <div>
            <dt>{override.label}</dt>
            <dd data-testid="override-until">
              {override.epochMs === null ? (
                override.value
              ) : (
                <time dateTime={new Date(override.epochMs).toISOString()}>{override.value}</time>
              )}
            </dd>
          </div>
        )}
        <div>
          <dt>Since</dt>
          <dd>
            <time dateTime={new Date(status.since).toISOString()}>{formatClockTime(status.since, now)}</time>
          </dd>
        </div>
      </dl>
    </section>
  );
}
