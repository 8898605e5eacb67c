/**
 * Errors that reach a person carry a stable code (for programs) and a sentence
 * that says what happened and what to do (for people). They are created where
 * the cause is known; boundaries (local API, CLI) turn them into replies.
 */
export class IdlehiveError extends Error {
  readonly code: string;

  constructor(code: string, userMessage: string, options?: { cause?: unknown }) {
    super(userMessage, options);
    this.name = 'IdlehiveError';
    this.code = code;
  }
}

export function isIdlehiveError(value: unknown): value is IdlehiveError {
  return value instanceof IdlehiveError;
}

/** The user-facing text of any thrown value, without leaking stack traces. */
export function describeError(value: unknown): string {
  if (value instanceof Error) return value.message;
  return String(value);
}
