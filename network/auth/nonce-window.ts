/**
 * Remembers each account's recent nonces so a captured request cannot be sent
 * twice. A nonce only needs remembering until its timestamp leaves the accepted
 * clock window: after that the timestamp check rejects the replay by itself.
 * Memory is bounded per account; an account that fills its window is told to
 * slow down rather than letting the window grow without limit.
 *
 * Pure: the caller passes the clock in, so tests step through time exactly.
 */

export interface NonceWindowOptions {
  /** How far a timestamp may be from the server's clock (either way), in ms. */
  windowMs: number;
  /** The most nonces remembered per account; more within one window is refused. */
  maxPerAccount: number;
}

export type NonceCheck = 'accepted' | 'reused' | 'full';

export class NonceWindow {
  readonly options: NonceWindowOptions;
  /** account -> (nonce -> the time after which it can be forgotten). */
  private readonly accounts = new Map<string, Map<string, number>>();

  constructor(options: NonceWindowOptions) {
    if (!(options.windowMs > 0) || !(options.maxPerAccount > 0)) {
      throw new RangeError('NonceWindow needs a positive windowMs and maxPerAccount');
    }
    this.options = options;
  }

  /**
   * Records `nonce` for `account` if it is new. The caller has already checked
   * that `timestamp` is within the window of `now`.
   */
  check(account: string, nonce: string, timestamp: number, now: number): NonceCheck {
    let nonces = this.accounts.get(account);
    if (!nonces) {
      nonces = new Map();
      this.accounts.set(account, nonces);
    }
    const forgetAt = nonces.get(nonce);
    if (forgetAt !== undefined && forgetAt >= now) return 'reused';
    if (forgetAt === undefined && nonces.size >= this.options.maxPerAccount) {
      sweepAccount(nonces, now);
      if (nonces.size >= this.options.maxPerAccount) return 'full';
    }
    nonces.set(nonce, timestamp + this.options.windowMs);
    return 'accepted';
  }

  /** Forgets every nonce whose timestamp has left the window; returns how many. */
  sweep(now: number): number {
    let removed = 0;
    for (const [account, nonces] of this.accounts) {
      removed += sweepAccount(nonces, now);
      if (nonces.size === 0) this.accounts.delete(account);
    }
    return removed;
  }

  /** Nonces remembered for one account, or for all. */
  size(account?: string): number {
    if (account !== undefined) return this.accounts.get(account)?.size ?? 0;
    let total = 0;
    for (const nonces of this.accounts.values()) total += nonces.size;
    return total;
  }
}

function sweepAccount(nonces: Map<string, number>, now: number): number {
  let removed = 0;
  for (const [nonce, forgetAt] of nonces) {
    if (forgetAt < now) {
      nonces.delete(nonce);
      removed++;
    }
  }
  return removed;
}
