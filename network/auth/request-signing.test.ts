import { describe, expect, it } from 'vitest';
import { NetworkError } from '../wire/errors.ts';
import { sha256Hex } from './canonical-request.ts';
import { NonceWindow } from './nonce-window.ts';
import { type ActiveSession, readAuthHeaders, signRequestHeaders, verifySignedRequest } from './request-signing.ts';
import {
  exportSessionPrivateKey,
  generateSessionKey,
  importSessionPrivateKey,
  publicKeyObject,
} from './session-keys.ts';

const account = '0x1111111111111111111111111111111111111111';
const now = 1_767_225_600_000;

function setup() {
  const pair = generateSessionKey();
  const session: ActiveSession = {
    publicKey: pair.publicKey,
    account,
    role: 'provider',
    expiresAt: now + 3_600_000,
    key: publicKeyObject(pair.publicKey),
  };
  const credentials = { account, sessionPublicKey: pair.publicKey, privateKey: pair.privateKey };
  const nonces = new NonceWindow({ windowMs: 60_000, maxPerAccount: 3 });
  const body = Buffer.from('{"max":1}');
  const check = {
    method: 'POST',
    path: '/v1/leases',
    bodySha256: sha256Hex(body),
    roles: ['provider'] as const,
    now,
    maxClockSkewMs: 60_000,
    notBefore: now - 120_000,
  };
  const sign = (overrides: { timestamp?: number; nonce?: string } = {}) =>
    readAuthHeaders(
      signRequestHeaders(credentials, {
        method: 'POST',
        path: '/v1/leases',
        body,
        timestamp: overrides.timestamp ?? now,
        nonce: overrides.nonce,
      }),
    );
  return { pair, session, nonces, check, sign };
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof NetworkError) return error.code;
    throw error;
  }
  return 'accepted';
}

describe('request signing', () => {
  it('accepts a correctly signed request once and refuses its replay', () => {
    const { session, nonces, check, sign } = setup();
    const headers = sign();
    expect(verifySignedRequest(headers, session, check, nonces)).toMatchObject({ account, role: 'provider' });
    expect(codeOf(() => verifySignedRequest(headers, session, check, nonces))).toBe('nonce_reused');
  });

  it('refuses a changed body, path or method', () => {
    const { session, nonces, check, sign } = setup();
    expect(
      codeOf(() => verifySignedRequest(sign(), session, { ...check, bodySha256: sha256Hex('{"max":16}') }, nonces)),
    ).toBe('signature_invalid');
    expect(codeOf(() => verifySignedRequest(sign(), session, { ...check, path: '/v1/leases?x=1' }, nonces))).toBe(
      'signature_invalid',
    );
    expect(codeOf(() => verifySignedRequest(sign(), session, { ...check, method: 'PUT' }, nonces))).toBe(
      'signature_invalid',
    );
  });

  it('refuses stale, future and pre-restart timestamps', () => {
    const { session, nonces, check, sign } = setup();
    expect(codeOf(() => verifySignedRequest(sign({ timestamp: now - 61_000 }), session, check, nonces))).toBe(
      'timestamp_out_of_range',
    );
    expect(codeOf(() => verifySignedRequest(sign({ timestamp: now + 61_000 }), session, check, nonces))).toBe(
      'timestamp_out_of_range',
    );
    expect(codeOf(() => verifySignedRequest(sign(), session, { ...check, notBefore: now + 1 }, nonces))).toBe(
      'timestamp_before_restart',
    );
  });

  it('refuses unknown, expired, foreign and wrong-role sessions', () => {
    const { session, nonces, check, sign } = setup();
    expect(codeOf(() => verifySignedRequest(sign(), undefined, check, nonces))).toBe('session_unknown');
    expect(codeOf(() => verifySignedRequest(sign(), { ...session, expiresAt: now }, check, nonces))).toBe(
      'session_expired',
    );
    expect(
      codeOf(() =>
        verifySignedRequest(
          sign(),
          { ...session, account: '0x2222222222222222222222222222222222222222' },
          check,
          nonces,
        ),
      ),
    ).toBe('session_account_mismatch');
    expect(codeOf(() => verifySignedRequest(sign(), session, { ...check, roles: ['requester'] }, nonces))).toBe(
      'session_role_mismatch',
    );
  });

  it('a forged signature spends no nonce', () => {
    const { session, nonces, check, sign } = setup();
    const forged = { ...sign({ nonce: 'AAAAAAAAAAAAAAAAAAAAAA' }), signature: 'A'.repeat(86) };
    expect(codeOf(() => verifySignedRequest(forged, session, check, nonces))).toBe('signature_invalid');
    expect(nonces.size()).toBe(0);
  });

  it('bounds the nonces remembered per account', () => {
    const { session, nonces, check, sign } = setup();
    for (let i = 0; i < 3; i++) verifySignedRequest(sign(), session, check, nonces);
    expect(codeOf(() => verifySignedRequest(sign(), session, check, nonces))).toBe('nonce_window_full');
    expect(nonces.sweep(now + 120_001)).toBe(3);
  });

  it('names missing and malformed headers', () => {
    expect(codeOf(() => readAuthHeaders({}))).toBe('auth_missing');
    expect(codeOf(() => readAuthHeaders({ 'x-idlehive-account': account }))).toBe('auth_malformed');
  });

  it('round-trips a session key through its exported seed', () => {
    const { pair } = setup();
    expect(importSessionPrivateKey(exportSessionPrivateKey(pair)).publicKey).toBe(pair.publicKey);
  });
});
