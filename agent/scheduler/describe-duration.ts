/**
 * Durations as people read them in a status line: "40 s", "5 min",
 * "1 h 20 min", "2 d 3 h". Two units at most, because a reason sentence is
 * read at a glance and "1 h 20 min 13 s" is noise.
 */

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/**
 * `rounding` says which way a part unit goes: 'down' for time that has passed
 * ("used 40 s ago" must not overstate it), 'up' for a countdown ("resumes in
 * 10 s" must not promise it sooner than it comes).
 */
export function describeDuration(ms: number, rounding: 'down' | 'up' = 'down'): string {
  const round = rounding === 'down' ? Math.floor : Math.ceil;
  const safeMs = Math.max(0, ms);
  if (safeMs < MINUTE_MS) {
    const seconds = round(safeMs / SECOND_MS);
    // A countdown of 59.5 s rounds up to a whole minute, which reads better as "1 min".
    if (seconds < 60) return `${seconds} s`;
  }
  if (safeMs < HOUR_MS) {
    const minutes = round(safeMs / MINUTE_MS);
    if (minutes < 60) return `${minutes} min`;
  }
  if (safeMs < DAY_MS) {
    const totalMinutes = round(safeMs / MINUTE_MS);
    if (totalMinutes < 24 * 60) return joinUnits(Math.floor(totalMinutes / 60), 'h', totalMinutes % 60, 'min');
  }
  const totalHours = round(safeMs / HOUR_MS);
  return joinUnits(Math.floor(totalHours / 24), 'd', totalHours % 24, 'h');
}

function joinUnits(major: number, majorUnit: string, minor: number, minorUnit: string): string {
  return minor === 0 ? `${major} ${majorUnit}` : `${major} ${majorUnit} ${minor} ${minorUnit}`;
}
