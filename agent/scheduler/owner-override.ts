/**
 * The owner's manual overrides. Each one is stored with a concrete expiry
 * computed when it is set, so the UI can always say when it ends and an
 * override can never linger by accident: a pause for a duration, until
 * tomorrow (the next local midnight) or until resumed; earn now for a
 * duration; finish the current job, then pause until resumed.
 */
import { z } from 'zod';
import { IdlehiveError } from '../errors.ts';
import { describeSchemaIssues } from '../schema-issues.ts';
import { nextLocalMidnight } from './wall-clock.ts';

/** The longest pause the owner can ask for with a duration (30 days); longer means "until resumed". */
export const MAX_PAUSE_SECONDS = 30 * 24 * 3600;

/** Earning while the owner uses the computer is a deliberate, bounded choice. */
export const MAX_EARN_NOW_SECONDS = 24 * 3600;

const epochMs = z.number().int().nonnegative();

export const OwnerOverrideSchema = z.discriminatedUnion(
  'kind',
  [
    // The same shape as the local API's PauseOverride, so a stored pause reads as either.
    z.object({
      kind: z.literal('pause'),
      setAt: epochMs,
      /** When the pause ends by itself; null means "until resumed". */
      until: epochMs.nullable(),
    }),
    /** Earn regardless of idle time and schedule until `until`; battery, heat and other work still stop it. */
    z.object({ kind: z.literal('earn-now'), setAt: epochMs, until: epochMs }),
    /** Let the running job finish, take no new one, then stay paused until resumed. */
    z.object({ kind: z.literal('finish-then-pause'), setAt: epochMs, until: z.null() }),
  ],
  { error: 'override kind must be pause, earn-now or finish-then-pause' },
);
export type OwnerOverride = z.infer<typeof OwnerOverrideSchema>;

function durationSeconds(max: number, maxInWords: string) {
  return z
    .number({ error: 'durationSeconds must be a number of seconds' })
    .int('durationSeconds must be a whole number of seconds')
    .positive('durationSeconds must be more than 0')
    .max(max, `durationSeconds can be at most ${max} (${maxInWords})`);
}

/** What the owner asks for; `createOwnerOverride` turns it into an override with its expiry. */
export const OwnerOverrideRequestSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('pause-for'), durationSeconds: durationSeconds(MAX_PAUSE_SECONDS, '30 days') }),
    z.strictObject({ kind: z.literal('pause-until-tomorrow') }),
    z.strictObject({ kind: z.literal('pause-until-resumed') }),
    z.strictObject({ kind: z.literal('earn-now'), durationSeconds: durationSeconds(MAX_EARN_NOW_SECONDS, '24 hours') }),
    z.strictObject({ kind: z.literal('finish-then-pause') }),
  ],
  {
    error: 'request kind must be pause-for, pause-until-tomorrow, pause-until-resumed, earn-now or finish-then-pause',
  },
);
export type OwnerOverrideRequest = z.infer<typeof OwnerOverrideRequestSchema>;

export function parseOwnerOverrideRequest(input: unknown): OwnerOverrideRequest {
  const result = OwnerOverrideRequestSchema.safeParse(input);
  if (!result.success) {
    throw new IdlehiveError('invalid-override', `That override is not valid: ${describeSchemaIssues(result.error)}.`);
  }
  return result.data;
}

/** "Until tomorrow" is fixed to the next local midnight in the owner's zone at the moment it is set. */
export function createOwnerOverride(request: OwnerOverrideRequest, timeZone: string, now: number): OwnerOverride {
  switch (request.kind) {
    case 'pause-for':
      return { kind: 'pause', setAt: now, until: now + request.durationSeconds * 1000 };
    case 'pause-until-tomorrow':
      return { kind: 'pause', setAt: now, until: nextLocalMidnight(now, timeZone) };
    case 'pause-until-resumed':
      return { kind: 'pause', setAt: now, until: null };
    case 'earn-now':
      return { kind: 'earn-now', setAt: now, until: now + request.durationSeconds * 1000 };
    case 'finish-then-pause':
      return { kind: 'finish-then-pause', setAt: now, until: null };
  }
}

/** In force up to the millisecond before `until` and gone from `until` on; no `until` means until resumed. */
export function isOverrideInForce(override: OwnerOverride | null, now: number): override is OwnerOverride {
  return override !== null && (override.until === null || now < override.until);
}
