import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdlehiveError } from '../errors.ts';
import { StatusSchema } from '../local-api/contract.ts';
import {
  createOwnerOverride,
  isOverrideInForce,
  MAX_EARN_NOW_SECONDS,
  OwnerOverrideSchema,
  parseOwnerOverrideRequest,
} from './owner-override.ts';
import { arbInstant, arbTimedOverrideRequest, arbTimeZone, T0 } from './test-fixtures.ts';
import { nextLocalMidnight } from './wall-clock.ts';

describe('createOwnerOverride', () => {
  it('pauses for a duration', () => {
    expect(createOwnerOverride({ kind: 'pause-for', durationSeconds: 5400 }, 'UTC', T0)).toEqual({
      kind: 'pause',
      setAt: T0,
      until: T0 + 5_400_000,
    });
  });

  it('pauses until the next local midnight in the owner zone', () => {
    // 12:00 UTC is 13:00 in Berlin; its midnight is 23:00 UTC.
    expect(createOwnerOverride({ kind: 'pause-until-tomorrow' }, 'Europe/Berlin', T0)).toEqual({
      kind: 'pause',
      setAt: T0,
      until: Date.UTC(2026, 10, 25, 23, 0),
    });
    // The same moment is already 21:00 in Tokyo; its midnight is 15:00 UTC.
    expect(createOwnerOverride({ kind: 'pause-until-tomorrow' }, 'Asia/Tokyo', T0).until).toBe(
      Date.UTC(2026, 10, 25, 15, 0),
    );
  });

  it('pauses until resumed', () => {
    expect(createOwnerOverride({ kind: 'pause-until-resumed' }, 'UTC', T0)).toEqual({
      kind: 'pause',
      setAt: T0,
      until: null,
    });
  });

  it('earns now for a duration', () => {
    expect(createOwnerOverride({ kind: 'earn-now', durationSeconds: 3600 }, 'UTC', T0)).toEqual({
      kind: 'earn-now',
      setAt: T0,
      until: T0 + 3_600_000,
    });
  });

  it('finishes the current job then pauses, until resumed', () => {
    expect(createOwnerOverride({ kind: 'finish-then-pause' }, 'UTC', T0)).toEqual({
      kind: 'finish-then-pause',
      setAt: T0,
      until: null,
    });
  });

  it('creates overrides the local API status carries unchanged', () => {
    const override = StatusSchema.shape.override;
    for (const request of [
      { kind: 'pause-for', durationSeconds: 60 },
      { kind: 'earn-now', durationSeconds: 60 },
      { kind: 'finish-then-pause' },
    ] as const) {
      const created = createOwnerOverride(request, 'UTC', T0);
      expect(override.parse(created)).toEqual(created);
      expect(OwnerOverrideSchema.parse(created)).toEqual(created);
    }
  });
});

describe('parseOwnerOverrideRequest', () => {
  function rejection(input: unknown): string {
    try {
      parseOwnerOverrideRequest(input);
    } catch (error) {
      expect(error).toBeInstanceOf(IdlehiveError);
      expect((error as IdlehiveError).code).toBe('invalid-override');
      return (error as IdlehiveError).message;
    }
    throw new Error('the request was accepted');
  }

  it('accepts each kind', () => {
    for (const request of [
      { kind: 'pause-for', durationSeconds: 60 },
      { kind: 'pause-until-tomorrow' },
      { kind: 'pause-until-resumed' },
      { kind: 'earn-now', durationSeconds: MAX_EARN_NOW_SECONDS },
      { kind: 'finish-then-pause' },
    ]) {
      expect(parseOwnerOverrideRequest(request)).toEqual(request);
    }
  });

  it.each([
    [{ kind: 'pause-for', durationSeconds: 0 }, 'durationSeconds: durationSeconds must be more than 0'],
    [{ kind: 'pause-for', durationSeconds: 1.5 }, 'durationSeconds: durationSeconds must be a whole number of seconds'],
    [{ kind: 'pause-for' }, 'durationSeconds: durationSeconds must be a number of seconds'],
    [
      { kind: 'pause-for', durationSeconds: 31 * 24 * 3600 },
      'durationSeconds: durationSeconds can be at most 2592000 (30 days)',
    ],
    [
      { kind: 'earn-now', durationSeconds: MAX_EARN_NOW_SECONDS + 1 },
      'durationSeconds: durationSeconds can be at most 86400 (24 hours)',
    ],
    [{ kind: 'pause-until-resumed', durationSeconds: 60 }, 'unknown field "durationSeconds"'],
    [
      { kind: 'snooze' },
      'kind: request kind must be pause-for, pause-until-tomorrow, pause-until-resumed, earn-now or finish-then-pause',
    ],
  ])('rejects %j with "%s"', (input, sentence) => {
    expect(rejection(input)).toBe(`That override is not valid: ${sentence}.`);
  });
});

describe('isOverrideInForce', () => {
  it('is false without an override', () => {
    expect(isOverrideInForce(null, T0)).toBe(false);
  });

  it('holds an override without an end until it is removed', () => {
    expect(isOverrideInForce({ kind: 'pause', setAt: T0, until: null }, T0 + 10 ** 10)).toBe(true);
    expect(isOverrideInForce({ kind: 'finish-then-pause', setAt: T0, until: null }, T0 + 10 ** 10)).toBe(true);
  });

  it('every timed override is in force before its stated end and not from it on', () => {
    fc.assert(
      fc.property(
        arbTimedOverrideRequest,
        arbTimeZone,
        arbInstant,
        fc.double({ min: 0, max: 1, noNaN: true }),
        (request, zone, setAt, fraction) => {
          const override = createOwnerOverride(request, zone, setAt);
          const until = override.until;
          expect(until).not.toBeNull();
          if (until === null) return;
          expect(until).toBeGreaterThan(setAt);
          const during = setAt + Math.floor((until - setAt) * fraction);
          expect(isOverrideInForce(override, Math.min(during, until - 1))).toBe(true);
          expect(isOverrideInForce(override, until - 1)).toBe(true);
          expect(isOverrideInForce(override, until)).toBe(false);
          expect(isOverrideInForce(override, until + 1 + Math.floor(fraction * 1e9))).toBe(false);
          if (request.kind === 'pause-until-tomorrow') expect(until).toBe(nextLocalMidnight(setAt, zone));
          else expect(until - setAt).toBe(request.durationSeconds * 1000);
        },
      ),
    );
  });
});
