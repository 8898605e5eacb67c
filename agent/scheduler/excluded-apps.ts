/**
 * "Pause while any of these programs runs, and for 15 s after it exits."
 * The 15 s matter: a game that restarts itself, or an editor that closes one
 * window and opens another, must not get a job started in the gap.
 */

export const EXCLUDED_APP_LINGER_MS = 15_000;

/** Linux reports a process name (comm) cut to 15 characters. */
const LINUX_COMM_LENGTH = 15;

export interface ExcludedAppSighting {
  /** The name as the owner listed it, for the reason sentence. */
  name: string;
  lastSeenAt: number;
}

export type ExcludedAppStatus =
  | { kind: 'clear' }
  | { kind: 'running'; name: string }
  | { kind: 'closed-recently'; name: string; lastSeenAt: number; resumesAt: number }
  /** The process list cannot be read, so a listed app may be running. */
  | { kind: 'unknown' };

/**
 * Names compare without case, folder or the .exe/.app ending, so "Blender",
 * "blender.exe" and "/Applications/Blender.app" are one program.
 */
export function normalizeProcessName(name: string): string {
  const base = name.trim().split(/[/\\]/).pop() ?? '';
  return base.toLowerCase().replace(/\.(exe|app)$/, '');
}

function isRunning(wanted: string, running: ReadonlySet<string>): boolean {
  if (running.has(wanted)) return true;
  // A 15-character name may be a longer program's name cut short by Linux.
  for (const name of running) {
    if (name.length === LINUX_COMM_LENGTH && wanted.startsWith(name)) return true;
  }
  return false;
}

export function checkExcludedApps(
  sighting: ExcludedAppSighting | null,
  excludedApps: readonly string[],
  runningProcessNames: readonly string[] | null,
  now: number,
): { status: ExcludedAppStatus; sighting: ExcludedAppSighting | null } {
  if (excludedApps.length === 0) return { status: { kind: 'clear' }, sighting: null };
  if (runningProcessNames === null) return { status: { kind: 'unknown' }, sighting };

  const running = new Set(runningProcessNames.map(normalizeProcessName));
  const runningApp = excludedApps.find((app) => isRunning(normalizeProcessName(app), running));
  if (runningApp !== undefined) {
    return { status: { kind: 'running', name: runningApp }, sighting: { name: runningApp, lastSeenAt: now } };
  }

  // An app the owner has since removed from the list no longer holds earning back.
  const isStillListed =
    sighting !== null && excludedApps.some((app) => normalizeProcessName(app) === normalizeProcessName(sighting.name));
  if (sighting !== null && isStillListed && now < sighting.lastSeenAt + EXCLUDED_APP_LINGER_MS) {
    return {
      status: {
        kind: 'closed-recently',
        name: sighting.name,
        lastSeenAt: sighting.lastSeenAt,
        resumesAt: sighting.lastSeenAt + EXCLUDED_APP_LINGER_MS,
      },
      sighting,
    };
  }
  return { status: { kind: 'clear' }, sighting: null };
}
