/**
 * "Earned today" for the tray menu and tooltip, from the agent's earnings
 * view and a clock passed in. A tray line has little room, so amounts are cut
 * (never rounded up: the tray must not promise more than was credited) to a
 * few decimals; the dashboard shows them exactly.
 */
import { creditedToday, type EarningsByDay } from '../agent/earnings/earnings-by-day.ts';
import { nextLocalMidnight } from '../agent/scheduler/wall-clock.ts';
import { formatTokenAmount } from '../network/payment/token-amount.ts';

/** The test network's token; the same unit the dashboard and the CLI print. */
export const TOKEN_SYMBOL = 'tHIVE';
const TOKEN_DECIMALS = 18;
/** Decimals a tray line keeps. */
export const TRAY_DECIMALS = 4;

/** An amount in base units, cut to TRAY_DECIMALS decimals, with its unit: "0.4213 tHIVE", "< 0.0001 tHIVE". */
export function formatTrayTokens(baseUnits: bigint): string {
  const step = 10n ** BigInt(TOKEN_DECIMALS - TRAY_DECIMALS);
  const cut = (baseUnits / step) * step;
  if (cut === 0n && baseUnits > 0n) return `< ${formatTokenAmount(step, TOKEN_DECIMALS)} ${TOKEN_SYMBOL}`;
  return `${formatTokenAmount(cut, TOKEN_DECIMALS)} ${TOKEN_SYMBOL}`;
}

/** Today's credited amount for the tray, or null while the agent has not sent its view. */
export function todayEarningsText(earnings: EarningsByDay | undefined, now: number): string | null {
  return earnings === undefined ? null : formatTrayTokens(creditedToday(earnings, now));
}

/**
 * When "today" next changes for the tray: the next midnight in the earnings' zone.
 * Main redraws the tray then, so yesterday's amount does not stay up overnight.
 */
export function nextEarningsDayStart(earnings: EarningsByDay | undefined, now: number): number | null {
  return earnings === undefined ? null : nextLocalMidnight(now, earnings.timeZone);
}
