import { describe, expect, it } from 'vitest';
import { parseDurationSeconds } from './duration.ts';

describe('parseDurationSeconds', () => {
  it.each([
    ['90s', 90],
    ['15m', 900],
    ['2h', 7200],
    ['1h30m', 5400],
    ['1h 30m', 5400],
    ['1d', 86_400],
    ['2H', 7200],
  ])('%s is %d s', (text, seconds) => {
    expect(parseDurationSeconds(text)).toBe(seconds);
  });
  it.each(['5', '', 'h', '2x', '-2h', '2h banana', '0m', '1.5h'])('refuses %j with a hint', (text) => {
    expect(() => parseDurationSeconds(text)).toThrow(/30m|longer than 0/);
  });
});
