/**
 * How this launch should start. Started at login, Idlehive stays in the tray;
 * started by the owner, it shows the dashboard.
 */

/** Passed by the login item (and usable from a terminal) to start in the tray only. */
export const START_HIDDEN_FLAG = '--hidden';

export function shouldStartHidden(argv: readonly string[], wasOpenedAtLogin: boolean): boolean {
  return wasOpenedAtLogin || argv.includes(START_HIDDEN_FLAG);
}
