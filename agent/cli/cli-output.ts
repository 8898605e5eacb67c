import { InvalidArgumentError } from 'commander';
import { describeError, IdlehiveError } from '../errors.ts';
import { parseDurationSeconds } from './duration.ts';

/** One value, as indented JSON for programs or as sentences for people. */
export function print(json: boolean, value: unknown, human: string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human}\n`);
}

/** A commander option parser for durations such as 30m, 2h or 1h30m (in seconds). */
export function durationOption(value: string): number {
  try {
    return parseDurationSeconds(value);
  } catch (error) {
    throw new InvalidArgumentError(describeError(error));
  }
}

/** Turns `key=value` words into an object, parsing values as JSON where they are JSON (plain words stay strings). */
export function parseAssignments(words: string[], code: string, example: string): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq <= 0) throw new IdlehiveError(code, `"${word}" is not key=value (e.g. ${example}).`);
    const raw = word.slice(eq + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // theme=dark: a plain word is a string.
    }
    patch[word.slice(0, eq)] = value;
  }
  return patch;
}
