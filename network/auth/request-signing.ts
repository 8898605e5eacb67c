/**
 * Both halves of request signing: the client signs the canonical request with
 * its session key into five headers; the server reads those headers and checks
 * them against the session, the clock and the nonce window. Each refusal is a
 * NetworkError whose code names the one check that failed.
 */

import type { KeyObject } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import type { Role } from '../wire/common.ts';
import { NetworkError } from '../wire/errors.ts';
import { AUTH_HEADERS, canonicalRequest, sha256Hex } from './canonical-request.ts';
import type { NonceWindow } from './nonce-window.ts';
import { signWithSessionKey, verifySessionSignature } from './session-keys.ts';

export interface SessionCredentials {
  /** The wallet address the session speaks for (checksummed). */
  account: string;
  sessionPublicKey: string;
  privateKey: KeyObject;
}

/** 122 random bits; randomUUID draws from a batched entropy cache, ten times cheaper than randomBytes per request. */
export function randomNonce(): string {
  return randomUUID();
}

export interface RequestToSign {
  method: string;
  path: string;
  body?: Uint8Array;
  /** The timestamp to send: the client's clock corrected by its known offset to the server's. */
  timestamp: number;
  nonce?: string;
}

export function signRequestHeaders(credentials: SessionCredentials, request: RequestToSign): Record<string, string> {
  const nonce = request.nonce ?? randomNonce();
  const message = canonicalRequest({
    method: request.method,
    path: request.path,
    timestamp: request.timestamp,
    nonce,
    bodySha256: sha256Hex(request.body ?? new Uint8Array(0)),
  });
  return {
    [AUTH_HEADERS.account]: credentials.account,
    [AUTH_HEADERS.session]: credentials.sessionPublicKey,
    [AUTH_HEADERS.timestamp]: String(request.timestamp),
    [AUTH_HEADERS.nonce]: nonce,
    [AUTH_HEADERS.signature]: signWithSessionKey(credentials.privateKey, message),
  };
}

export interface AuthHeaders {
  account: string;
  session: string;
  timestamp: number;
  nonce: string;
  signature: string;
}

type HeaderBag = Record<string, string | string[] | undefined>;

function single(headers: HeaderBag, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? undefined : value;
}

/** Reads the five signing headers; throws auth_missing or auth_malformed. */
export function readAuthHeaders(headers: HeaderBag): AuthHeaders {
  const missing = Object.values(AUTH_HEADERS).filter((name) => single(headers, name) === undefined);
  if (missing.length === Object.keys(AUTH_HEADERS).length) {
    throw new NetworkError(
      'auth_missing',
      'This route needs a signed request: register a session key (POST /v1/providers/register or /v1/requesters/register) and sign each request with it (see ARCHITECTURE.md, "The network protocol").',
    );
  }
  if (missing.length > 0) {
    throw new NetworkError(
      'auth_malformed',
      `The signed request lacks the header${missing.length > 1 ? 's' : ''} ${missing.join(', ')}.`,
    );
  }
  const account = single(headers, AUTH_HEADERS.account) as string;
  const session = single(headers, AUTH_HEADERS.session) as string;
  const timestampText = single(headers, AUTH_HEADERS.timestamp) as string;
  const nonce = single(headers, AUTH_HEADERS.nonce) as string;
  const signature = single(headers, AUTH_HEADERS.signature) as string;
  if (!/^0x[0-9a-fA-F]{40}$/.test(account)) {
    throw new NetworkError('auth_malformed', `${AUTH_HEADERS.account} must be the account's 0x address.`);
  }
  if (!/^[A-Za-z0-9_-]{43}$/.test(session)) {
    throw new NetworkError(
      'auth_malformed',
      `${AUTH_HEADERS.session} must be the session's Ed25519 public key in base64url.`,
    );
  }
  if (!/^[0-9]{1,16}$/.test(timestampText)) {
    throw new NetworkError('auth_malformed', `${AUTH_HEADERS.timestamp} must be milliseconds since the Unix epoch.`);
  }
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(nonce)) {
    throw new NetworkError(
      'auth_malformed',
      `${AUTH_HEADERS.nonce} must be 16 to 64 base64url characters, new for every request.`,
    );
  }
  if (!/^[A-Za-z0-9_-]{86}$/.test(signature)) {
    throw new NetworkError(
      'auth_malformed',
      `${AUTH_HEADERS.signature} must be a 64-byte Ed25519 signature in base64url.`,
    );
  }
  return { account, session, timestamp: Number(timestampText), nonce, signature };
}

/** A session the server knows. */
export interface KnownSession {
  publicKey: string;
  account: string;
  role: Role;
  expiresAt: number;
}

/** A known session with its public key ready for verification in this thread. */
export interface ActiveSession extends KnownSession {
  key: KeyObject;
}

export interface VerifiedCaller {
  account: string;
  role: Role;
  sessionPublicKey: string;
}

export interface SignatureCheck {
  method: string;
  path: string;
  bodySha256: string;
  roles: readonly Role[];
  now: number;
  maxClockSkewMs: number;
  /** Requests signed before this moment are refused: nonces seen before a restart are forgotten. */
  notBefore: number;
}

/**
 * The server's checks, in an order that never lets an unauthenticated caller
 * spend anything shared: the nonce is recorded only after the signature holds.
 */
export function verifySignedRequest(
  headers: AuthHeaders,
  session: ActiveSession | undefined,
  check: SignatureCheck,
  nonces: NonceWindow,
): VerifiedCaller {
  const message = messageToVerify(headers, session, check);
  // messageToVerify refused a missing session, so it is there.
  const known = session as ActiveSession;
  return acceptSignature(
    headers,
    known,
    verifySessionSignature(known.key, message, headers.signature),
    check.now,
    nonces,
  );
}

/**
 * The checks before the signature (a known, unexpired session of the right
 * role for this account; a timestamp in the window and after the restart)
 * and the canonical request the signature must cover. The caller verifies the
 * signature (perhaps on another thread) and hands the verdict to `acceptSignature`.
 */
export function messageToVerify(
  headers: AuthHeaders,
  session: KnownSession | undefined,
  check: SignatureCheck,
): string {
  const rolesText = check.roles.join(' or ');
  if (!session) {
    throw new NetworkError(
      'session_unknown',
      `The coordinator does not know this session key; register again (POST /v1/${check.roles[0] ?? 'provider'}s/register).`,
    );
  }
  if (session.account.toLowerCase() !== headers.account.toLowerCase()) {
    throw new NetworkError(
      'session_account_mismatch',
      `This session key belongs to ${session.account}, not ${headers.account}; sign with the account's own session.`,
    );
  }
  if (session.expiresAt <= check.now) {
    throw new NetworkError(
      'session_expired',
      `The session expired at ${new Date(session.expiresAt).toISOString()}; register again with a new delegation.`,
    );
  }
  if (!check.roles.includes(session.role)) {
    throw new NetworkError(
      'session_role_mismatch',
      `This route is for ${rolesText} sessions, and this session is a ${session.role} session; register as a ${check.roles[0]}.`,
    );
  }
  const skew = headers.timestamp - check.now;
  if (Math.abs(skew) > check.maxClockSkewMs) {
    throw new NetworkError(
      'timestamp_out_of_range',
      `The request is timestamped ${Math.round(skew / 1000)} s from the coordinator's clock (server time ${check.now}); the limit is ${check.maxClockSkewMs / 1000} s. Correct this computer's clock or use the server time.`,
    );
  }
  if (headers.timestamp < check.notBefore) {
    throw new NetworkError(
      'timestamp_before_restart',
      `The request was signed before the coordinator restarted (at ${check.notBefore}); sign it again with a fresh timestamp.`,
    );
  }
  return canonicalRequest({
    method: check.method,
    path: check.path,
    timestamp: headers.timestamp,
    nonce: headers.nonce,
    bodySha256: check.bodySha256,
  });
}

/** The checks after the signature: refuses a bad one, then records the nonce (refusing a replay). */
export function acceptSignature(
  headers: AuthHeaders,
  session: KnownSession,
  signatureHolds: boolean,
  now: number,
  nonces: NonceWindow,
): VerifiedCaller {
  if (!signatureHolds) {
    throw new NetworkError(
      'signature_invalid',
      'The request signature does not match: sign exactly the canonical request (method, path with query, timestamp, nonce, sha256 of the body bytes sent).',
    );
  }
  const nonceCheck = nonces.check(session.account.toLowerCase(), headers.nonce, headers.timestamp, now);
  if (nonceCheck === 'reused') {
    throw new NetworkError('nonce_reused', 'This nonce was already used; every request needs a new random nonce.');
  }
  if (nonceCheck === 'full') {
    throw new NetworkError(
      'nonce_window_full',
      `This account sent more than ${nonces.options.maxPerAccount} requests within ${Math.round((2 * nonces.options.windowMs) / 1000)} s; slow down and retry shortly.`,
    );
  }
  return { account: session.account, role: session.role, sessionPublicKey: session.publicKey };
}
