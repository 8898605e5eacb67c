/**
 * Registration from the client's side: read who the coordinator is, make a
 * fresh Ed25519 session key, have the wallet sign one delegation of it (the
 * only wallet signature a session needs), and register. Every later request
 * is signed by the session key alone.
 */
import { createDelegation, type MessageSigner } from '../auth/session-delegation.ts';
import { generateSessionKey, type SessionKeyPair } from '../auth/session-keys.ts';
import type { Role } from '../wire/common.ts';
import type { NetworkInfo } from '../wire/info.ts';
import type { ProviderProfile, SessionGrant } from '../wire/sessions.ts';
import { CoordinatorClient, type CoordinatorClientOptions } from './coordinator-client.ts';

export const DEFAULT_SESSION_LIFETIME_MS = 12 * 3_600_000;

export interface OpenSessionOptions extends Omit<CoordinatorClientOptions, 'credentials'> {
  wallet: MessageSigner;
  role: Role;
  /** Providers only: devices and versions. */
  profile?: ProviderProfile;
  lifetimeMs?: number;
  /** Reuse a stored session key (the agent keeps it in a 0600 file); a new one is made otherwise. */
  sessionKey?: SessionKeyPair;
}

export interface OpenedSession {
  client: CoordinatorClient;
  grant: SessionGrant;
  info: NetworkInfo;
  sessionKey: SessionKeyPair;
}

export async function openSession(options: OpenSessionOptions): Promise<OpenedSession> {
  const anonymous = new CoordinatorClient(options);
  const info = await anonymous.info();
  const sessionKey = options.sessionKey ?? generateSessionKey();
  const lifetimeMs = Math.min(options.lifetimeMs ?? DEFAULT_SESSION_LIFETIME_MS, info.limits.maxSessionMs);
  const delegation = await createDelegation({
    wallet: options.wallet,
    role: options.role,
    sessionPublicKey: sessionKey.publicKey,
    coordinator: info.coordinator,
    chainId: info.chainId,
    now: Date.now() + anonymous.clockOffsetMs,
    lifetimeMs,
  });
  const client = anonymous.withCredentials({
    account: delegation.account,
    sessionPublicKey: sessionKey.publicKey,
    privateKey: sessionKey.privateKey,
  });
  let grant: SessionGrant;
  if (options.role === 'provider') {
    if (!options.profile) throw new TypeError('a provider session needs a profile of its devices');
    grant = await client.call('registerProvider', { body: { delegation, profile: options.profile } });
  } else {
    grant = await client.call('registerRequester', { body: { delegation } });
  }
  return { client, grant, info, sessionKey };
}
