import type { ConnectionState } from '../store/dashboard-reducer.ts';

const CONNECTION_LABELS: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  unauthorized: 'Not authorised',
};

/** A small dot and word in the header; the raw value is a hidden test hook (data-testid "connection-state"). */
export function ConnectionIndicator({ connection }: { connection: ConnectionState }) {
  return (
    <p className={`connection-indicator connection-indicator--${connection}`}>
      <span className="connection-indicator__dot" aria-hidden="true" />
      <span>
        <span className="visually-hidden">Agent connection: </span>
        {CONNECTION_LABELS[connection]}
      </span>
      <span className="visually-hidden" data-testid="connection-state" aria-hidden="true">
        {connection}
      </span>
    </p>
  );
}
