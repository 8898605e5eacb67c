/**
 * Which status changes deserve a desktop notification. Idlehive mostly lives
 * in the tray, so the owner would not see that it stopped earning because of a
 * problem; everything else (waiting, paused by the owner) is expected and
 * stays quiet. Pure, so every transition is tested without Electron.
 */
import type { Status } from '../agent/local-api/contract.ts';

export interface DesktopNotification {
  title: string;
  /** The agent's reason, verbatim: it says what happened and what to do. */
  body: string;
}

export function notificationForStatus(
  previous: Status | null,
  next: Status,
  areNotificationsOn: boolean,
): DesktopNotification | null {
  if (!areNotificationsOn) return null;
  // Entering the error state, or a different problem while in it: each one once.
  const isNewProblem =
    next.state === 'error' && (previous === null || previous.state !== 'error' || previous.cause !== next.cause);
  if (!isNewProblem) return null;
  return { title: 'Idlehive cannot earn', body: next.reason };
}
