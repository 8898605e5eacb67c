/**
 * Who is calling: checks a signed request against the sessions the
 * coordinator knows, and a registration against its wallet-signed
 * delegation. The signature itself is checked on the verifier's thread;
 * nonces live in memory and are recorded only once it holds, and requests
 * signed before this process started are refused, so a restart cannot
 * reopen a replay window.
 */
import { NonceWindow } from '../../auth/nonce-window.ts';
import {
  acceptSignature,
  type KnownSession,
  messageToVerify,
  readAuthHeaders,
  type VerifiedCaller,
} from '../../auth/request-signing.ts';
import { verifyDelegation } from '../../auth/session-delegation.ts';
import type { Role } from '../../wire/common.ts';
import { NetworkError } from '../../wire/errors.ts';
import type { Delegation } from '../../wire/sessions.ts';
import type { CoordinatorContext } from '../coordinator-context.ts';
import type { SignatureVerifier } from './signature-verifier.ts';

type HeaderBag = Record<string, string | string[] | undefined>;

export interface SignedRequest {
  method: string;
  /** Path and query exactly as on the request line. */
  path: string;
  headers: HeaderBag;
  bodySha256: string;
}

const SWEEP_EVERY_MS = 10_000;

export class RequestAuthenticator {
  readonly #ctx: CoordinatorContext;
  readonly #verifier: SignatureVerifier;
  readonly #nonces: NonceWindow;
  readonly #startedAt: number;
  #lastSweep: number;

  constructor(ctx: CoordinatorContext, verifier: SignatureVerifier) {
    this.#ctx = ctx;
    this.#verifier = verifier;
    this.#startedAt = ctx.now();
    this.#lastSweep = this.#startedAt;
    this.#nonces = new NonceWindow({
      windowMs: ctx.settings.limits.maxClockSkewMs,
      maxPerAccount: ctx.settings.limits.maxNoncesPerAccount,
    });
  }

  async #verify(request: SignedRequest, session: KnownSession | undefined, roles: readonly Role[]) {
    const now = this.#ctx.now();
    if (now - this.#lastSweep > SWEEP_EVERY_MS) {
      this.#nonces.sweep(now);
      this.#lastSweep = now;
    }
    const headers = readAuthHeaders(request.headers);
    const message = messageToVerify(headers, session, {
      method: request.method,
      path: request.path,
      bodySha256: request.bodySha256,
      roles,
      now,
      maxClockSkewMs: this.#ctx.settings.limits.maxClockSkewMs,
      notBefore: this.#startedAt,
    });
    // messageToVerify refused a missing session, so it is there.
    const known = session as KnownSession;
    const holds = await this.#verifier.verify(known.publicKey, message, headers.signature);
    return acceptSignature(headers, known, holds, now, this.#nonces);
  }

  /** A request signed by a registered session of one of these roles. */
  authenticate(request: SignedRequest, roles: readonly Role[]): Promise<VerifiedCaller> {
    const publicKey = readAuthHeaders(request.headers).session;
    return this.#verify(request, this.#ctx.store.getSession(publicKey), roles);
  }

  /** A registration: the delegation is the wallet's word, and the request is signed by the key it delegates to. */
  authenticateRegistration(request: SignedRequest, delegation: Delegation, role: Role): Promise<VerifiedCaller> {
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
    const session: KnownSession = {
      publicKey: delegation.sessionPublicKey,
      account,
      role,
      expiresAt: delegation.expiresAt,
    };
    return this.#verify(request, session, [role]);
  }
}
