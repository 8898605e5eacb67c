/**
 * Which agent events deserve a desktop notification. Idlehive mostly lives in
 * the tray, so the owner would not see that it stopped earning because of a
 * problem, that a withdrawal arrived or failed, or that an update waits;
 * everything else (waiting, paused by the owner, a withdrawal on its way) is
 * expected and stays quiet. Pure, so every transition is tested without
 * Electron; the `notifications` setting turns them all off.
 */
import type { Status, WithdrawalProgress } from '../agent/local-api/contract.ts';
import { formatTrayTokens } from './tray-earnings.ts';

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

/** What main remembers to announce each withdrawal's end once (ids already told about). */
export type AnnouncedWithdrawals = ReadonlySet<number>;

/** Confirmed or failed: nothing will happen to it any more, so it is told about at most once. */
export function isFinishedWithdrawal(progress: WithdrawalProgress): boolean {
  return progress.state === 'confirmed' || progress.state === 'failed';
}

/** An address as people compare them: the start and the end. */
function shortAddress(address: string): string {
  return address.length > 14 ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;
}

/**
 * A withdrawal that reached its end: confirmed on the chain (what was paid, to
 * whom) or failed (the agent's reason). Each once, by id, since the agent may
 * push the same final progress again (a reconnect, another process confirming it).
 */
export function notificationForWithdrawal(
  progress: WithdrawalProgress,
  announced: AnnouncedWithdrawals,
  areNotificationsOn: boolean,
): DesktopNotification | null {
  if (!areNotificationsOn || announced.has(progress.id)) return null;
  if (progress.state === 'confirmed') {
    const paid = formatTrayTokens(BigInt(progress.paidAmount ?? progress.amount));
    const fee =
      progress.paidFee === null || progress.kind !== 'relayed'
        ? ''
        : ` (relayer fee ${formatTrayTokens(BigInt(progress.paidFee))})`;
    return { title: 'Withdrawal confirmed', body: `${paid} sent to ${shortAddress(progress.recipient)}${fee}.` };
  }
  if (progress.state === 'failed') {
    return {
      title: 'Withdrawal failed',
      body: progress.failure ?? 'The withdrawal did not go through. Open the Wallet screen to try again.',
    };
  }
  return null;
}

/** An update downloaded and waiting: said once per version. */
export function notificationForUpdate(
  version: string,
  announcedVersion: string | null,
  areNotificationsOn: boolean,
): DesktopNotification | null {
  if (!areNotificationsOn || version === announcedVersion) return null;
  return {
    title: 'Update ready — restart to install',
    body: `Idlehive ${version} is downloaded. Choose “Restart to install” in the tray menu, or it installs when you quit.`,
  };
}
