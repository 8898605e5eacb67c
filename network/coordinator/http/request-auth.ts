/**
 * Who is calling: checks a signed request against the sessions the
 * coordinator knows, and a registration against its wallet-signed
 * delegation. Session public keys are parsed once and cached; nonces live in
 * memory, and requests signed before this process started are refused, so a
 * restart cannot reopen a replay window.
 */
import type { KeyObject } from 'node:crypto';
import { NonceWindow } from '../../auth/nonce-window.ts';
import {
  type ActiveSession,
  readAuthHeaders,
  type VerifiedCaller,
  verifySignedRequest,
} from '../../auth/request-signing.ts';
import { verifyDelegation } from '../../auth/session-delegation.ts';
import { publicKeyObject } from '../../auth/session-keys.ts';
import type { Role } from '../../wire/common.ts';
import { NetworkError } from '../../wire/errors.ts';
import type { Delegation } from '../../wire/sessions.ts';
import type { CoordinatorContext } from '../coordinator-context.ts';

type HeaderBag = Record<string, string | string[] | undefined>;

export interface SignedRequest {
  method: string;
  /** Path and query exactly as on the request line. */
  path: string;
  headers: HeaderBag;
  bodySha256: string;
}

const SESSION_CACHE_LIMIT = 100_000;
const SWEEP_EVERY_MS = 10_000;

export class RequestAuthenticator {
  readonly #ctx: CoordinatorContext;
  readonly #nonces: NonceWindow;
  readonly #keys = new Map<string, KeyObject>();
  readonly #startedAt: number;
  #lastSweep: number;

  constructor(ctx: CoordinatorContext) {
    this.#ctx = ctx;
    this.#startedAt = ctx.now();
    this.#lastSweep = this.#startedAt;
    this.#nonces = new NonceWindow({
      windowMs: ctx.settings.limits.maxClockSkewMs,
      maxPerAccount: ctx.settings.limits.maxNoncesPerAccount,
    });
  }

  #key(publicKey: string): KeyObject {
    let key = this.#keys.get(publicKey);
    if (!key) {
      if (this.#keys.size >= SESSION_CACHE_LIMIT) this.#keys.clear();
      key = publicKeyObject(publicKey);
      this.#keys.set(publicKey, key);
    }
    return key;
  }

  #verify(request: SignedRequest, session: ActiveSession | undefined, roles: readonly Role[]): VerifiedCaller {
    const now = this.#ctx.now();
    if (now - this.#lastSweep > SWEEP_EVERY_MS) {
      this.#nonces.sweep(now);
      this.#lastSweep = now;
    }
    const headers = readAuthHeaders(request.headers);
    return verifySignedRequest(
      headers,
      session,
      {
        method: request.method,
        path: request.path,
        bodySha256: request.bodySha256,
        roles,
        now,
        maxClockSkewMs: this.#ctx.settings.limits.maxClockSkewMs,
        notBefore: this.#startedAt,
      },
      this.#nonces,
    );
  }

  /** A request signed by a registered session of one of these roles. */
  authenticate(request: SignedRequest, roles: readonly Role[]): VerifiedCaller {
    const publicKey = readAuthHeaders(request.headers).session;
    const row = this.#ctx.store.getSession(publicKey);
    const session = row && { ...row, key: this.#key(row.publicKey) };
    return this.#verify(request, session, roles);
  }

  /** A registration: the delegation is the wallet's word, and the request is signed by the key it delegates to. */
  authenticateRegistration(request: SignedRequest, delegation: Delegation, role: Role): VerifiedCaller {
    const { limits } = this.#ctx.settings;
    const account = verifyDelegation(delegation, {
      coordinator: this.#ctx.signer.address,
      chainId: this.#ctx.chain.chainId,
      role,
      now: this.#ctx.now(),
      maxLifetimeMs: limits.maxSessionMs,
      maxClockSkewMs: limits.maxClockSkewMs,
    });
    const headers = readAuthHeaders(request.headers);
    if (headers.session !== delegation.sessionPublicKey) {
      throw new NetworkError('auth_malformed', 'Sign the registration with the session key the delegation names.');
    }
    const session: ActiveSession = {
      publicKey: delegation.sessionPublicKey,
      account,
      role,
      expiresAt: delegation.expiresAt,
      key: this.#key(delegation.sessionPublicKey),
    };
    return this.#verify(request, session, [role]);
  }
}
