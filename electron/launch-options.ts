/**
 * How a launch should start. Started at login, Idlehive stays in the tray;
 * started by the owner, it shows the dashboard. A second launch while one
 * runs exits at once (the single-instance lock) and the first one decides
 * here, from the second one's arguments, whether to come to the front.
 */

/** Passed by the login item (and usable from a terminal) to start in the tray only. */
export const START_HIDDEN_FLAG = '--hidden';

export function shouldStartHidden(argv: readonly string[], wasOpenedAtLogin: boolean): boolean {
  return wasOpenedAtLogin || argv.includes(START_HIDDEN_FLAG);
}

/**
 * The running app was launched again (the owner clicked the icon once more):
 * show and focus the dashboard, unless that launch came from the login item
 * (--hidden), which must not pop a window over whatever the owner is doing.
 */
export function shouldShowOnSecondLaunch(secondLaunchArgv: readonly string[]): boolean {
  return !secondLaunchArgv.includes(START_HIDDEN_FLAG);
}

/** What closing the dashboard window does: hide it into the tray, unless the app is quitting. */
export function windowCloseOutcome(isQuitting: boolean): 'hide-to-tray' | 'close' {
  return isQuitting ? 'close' : 'hide-to-tray';
}
