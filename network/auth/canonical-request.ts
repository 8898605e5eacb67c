/**
 * The string every signed request signs. One line per part, in this order:
 *
 *     idlehive-v1
 *     METHOD                       upper case, e.g. POST
 *     /v1/path?query               exactly as sent on the request line
 *     1767225600000                the x-idlehive-timestamp header (ms since epoch)
 *     nonce                        the x-idlehive-nonce header
 *     sha256hex(body)              of the raw body bytes (of no bytes when there is no body)
 *
 * The client and the server both build it with this function, so they cannot
 * drift apart.
 */
import { createHash } from 'node:crypto';

export const SIGNATURE_SCHEME = 'idlehive-v1';

export const AUTH_HEADERS = {
  account: 'x-idlehive-account',
  session: 'x-idlehive-session',
  timestamp: 'x-idlehive-timestamp',
  nonce: 'x-idlehive-nonce',
  signature: 'x-idlehive-signature',
} as const;

export const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export interface CanonicalRequestParts {
  method: string;
  /** Path and query exactly as on the request line, e.g. `/v1/jobs/job_x?after=3`. */
  path: string;
  timestamp: number;
  nonce: string;
  bodySha256: string;
}

export function canonicalRequest(parts: CanonicalRequestParts): string {
  return `${SIGNATURE_SCHEME}\n${parts.method.toUpperCase()}\n${parts.path}\n${parts.timestamp}\n${parts.nonce}\n${parts.bodySha256}`;
}
