import type { ConnectionState } from '../store/dashboard-reducer.ts';

interface ConnectionBannerProps {
  connection: ConnectionState;
  failedAttempts: number;
  isDesktop: boolean;
}

/** After this many failed attempts a browser tab is told how to get a fresh link. */
export const FRESH_LINK_HINT_AFTER = 5;

/** Says the shown status may be out of date while the agent is away, and that it will come back by itself. */
export function ConnectionBanner({ connection, failedAttempts, isDesktop }: ConnectionBannerProps) {
  if (connection !== 'reconnecting') return null;
  return (
    <div className="connection-banner" id="connection-banner" role="status">
      <span className="spinner spinner--small" aria-hidden="true" />
      <div>
        <p className="connection-banner__title">Reconnecting to the Idlehive agent…</p>
        <p className="connection-banner__detail">
          The status below is the last one it sent.
          {!isDesktop && failedAttempts >= FRESH_LINK_HINT_AFTER && (
            <>
              {' '}
              If the agent was restarted, open a fresh dashboard with <code>idlehive dashboard</code>.
            </>
          )}
        </p>
      </div>
    </div>
  );
}
