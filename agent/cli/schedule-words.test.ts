import { describe, expect, it } from 'vitest';
import { isIdlehiveError } from '../errors.ts';
import { describeScheduleWindow, parseClockMinute, parseDays, parseScheduleWindow } from './schedule-words.ts';

describe('parseDays', () => {
  it('reads ranges, lists and wrapping ranges in week order', () => {
    expect(parseDays('mon-fri')).toEqual(['mon', 'tue', 'wed', 'thu', 'fri']);
    expect(parseDays('sun,sat')).toEqual(['sat', 'sun']);
    expect(parseDays('fri-mon')).toEqual(['mon', 'fri', 'sat', 'sun']);
    expect(parseDays('Monday,wed-wed')).toEqual(['mon', 'wed']);
    expect(parseDays('all')).toHaveLength(7);
  });

  it.each(['', 'funday', 'mon-', 'mon-tue-wed', ','])('refuses %j with a sentence', (text) => {
    try {
      parseDays(text);
      expect.unreachable();
    } catch (error) {
      expect(isIdlehiveError(error) && error.code).toBe('invalid_days');
    }
  });
});

describe('parseClockMinute', () => {
  it('reads 24-hour times', () => {
    expect(parseClockMinute('00:00')).toBe(0);
    expect(parseClockMinute('7:05')).toBe(425);
    expect(parseClockMinute('24:00')).toBe(1440);
  });

  it.each(['24:01', '12:60', '1200', 'noon', '-1:00'])('refuses %j', (text) => {
    expect(() => parseClockMinute(text)).toThrow(/24-hour HH:MM/);
  });
});

describe('schedule windows', () => {
  it('builds a window that crosses midnight and describes it', () => {
    const window = parseScheduleWindow('mon-fri', '22:00', '07:00');
    expect(window).toEqual({ days: ['mon', 'tue', 'wed', 'thu', 'fri'], startMinute: 1320, endMinute: 420 });
    expect(describeScheduleWindow(window)).toBe('mon,tue,wed,thu,fri 22:00-07:00 (ends the next day)');
  });

  it('refuses a window starting at 24:00', () => {
    expect(() => parseScheduleWindow('sat', '24:00', '01:00')).toThrow(/00:00/);
  });
});
