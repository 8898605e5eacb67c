/**
 * Durations the owner types: "90s", "15m", "2h", "1h30m", "1d". A bare number
 * is refused, because "pause 5" could mean seconds or minutes.
 */
import { IdlehiveError } from '../errors.ts';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

export function parseDurationSeconds(text: string): number {
  const trimmed = text.trim().toLowerCase();
  const parts = [...trimmed.matchAll(/(\d+)\s*([smhd])/g)];
  const consumed = parts.map((p) => p[0]).join('');
  if (parts.length === 0 || consumed.replace(/\s/g, '') !== trimmed.replace(/\s/g, '')) {
    throw new IdlehiveError(
      'invalid_duration',
      `"${text}" is not a duration. Write it like 30m, 2h, 1h30m or 1d (s, m, h, d).`,
    );
  }
  const seconds = parts.reduce((sum, p) => sum + Number(p[1]) * (UNIT_SECONDS[p[2] ?? 's'] ?? 0), 0);
  if (seconds <= 0) throw new IdlehiveError('invalid_duration', 'The duration must be longer than 0.');
  return seconds;
}
