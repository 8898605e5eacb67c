/**
 * Everything a coordinator service needs, passed explicitly: the store, the
 * settings, who the coordinator is on which chain, and the clock, randomness
 * and id source (injected so tests and the bench drive them exactly).
 */
import { randomBytes } from 'node:crypto';
import type { Wallet } from 'ethers';
import type { CoordinatorSettings } from './coordinator-config.ts';
import type { ClaimRelayer } from './relay/claim-relayer.ts';
import type { CoordinatorStore } from './store/coordinator-store.ts';

export interface ChainIdentity {
  chainId: number;
  /** The PayoutVault vouchers are signed for; null when the coordinator runs without one. */
  vault: string | null;
}

export interface CoordinatorContext {
  store: CoordinatorStore;
  settings: CoordinatorSettings;
  chain: ChainIdentity;
  /** The coordinator's key: delegations name its address, vouchers carry its signature. */
  signer: Wallet;
  /** Submits relayed claims from a gas-funded account; null when the coordinator has no chain endpoint or relayer key. */
  relayer: ClaimRelayer | null;
  appVersion: string;
  now: () => number;
  random: () => number;
  newId: (prefix: 'job' | 'lease' | 'replica') => string;
}

const ID_BYTES = 15;
/** Random bytes drawn 256 ids at a time: one randomBytes call per id cost more than the rest of making a lease id. */
let idPool = Buffer.alloc(0);
let idOffset = 0;

/** `prefix_` and 20 random base64url characters (120 bits), the shape the protocol's id schemas accept. */
export function randomId(prefix: string): string {
  if (idOffset + ID_BYTES > idPool.length) {
    idPool = randomBytes(ID_BYTES * 256);
    idOffset = 0;
  }
  const id = idPool.toString('base64url', idOffset, idOffset + ID_BYTES);
  idOffset += ID_BYTES;
  return `${prefix}_${id}`;
}
