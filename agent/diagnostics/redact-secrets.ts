/**
 * Removes secrets from anything a diagnostics bundle carries: values under a
 * secret-sounding key (the logger's own list), anything that looks like a
 * 32-byte key in hex, and any run of 12 or more lowercase words (a recovery
 * phrase is 12 to 24 of them). Pure, so it is tested on its own.
 */
import { REDACTED_KEYS } from '../logger.ts';

export const REDACTED = '[redacted]';

const SECRET_KEYS = new Set(REDACTED_KEYS.map((key) => key.toLowerCase()));
/** 64 hex digits, with or without 0x, not part of a longer hex run (a 65-digit run is not a key, but is hidden too). */
const HEX_KEY = /(?:0x)?[0-9a-fA-F]{64,}/g;
/** 12 or more words of letters separated by single spaces: the shape of a BIP-39 phrase. */
const WORD_PHRASE = /\b[a-z]{3,8}(?: [a-z]{3,8}){11,}\b/g;

function isSecretKey(key: string): boolean {
  const lower = key.toLowerCase();
  if (SECRET_KEYS.has(lower)) return true;
  return [...SECRET_KEYS].some((secret) => lower.endsWith(secret));
}

export function redactText(text: string): string {
  return text.replace(HEX_KEY, REDACTED).replace(WORD_PHRASE, REDACTED);
}

/** A deep copy with every secret replaced by "[redacted]". */
export function redactSecrets(value: unknown): unknown {
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      copy[key] = isSecretKey(key) ? REDACTED : redactSecrets(inner);
    }
    return copy;
  }
  return value;
}

/** One line of the pino log: parsed and redacted when it is JSON, else redacted as text. */
export function redactLogLine(line: string): unknown {
  try {
    return redactSecrets(JSON.parse(line));
  } catch {
    return redactText(line);
  }
}
