/**
 * The delegation a wallet signs at registration: "this Ed25519 key may sign
 * Idlehive requests for my account, as this role, on this coordinator, until
 * then". It is plain EIP-191 text so a wallet shows the owner what they sign.
 * Binding the coordinator address and chain id means a delegation captured on
 * one network is worthless on another.
 */
import { getAddress, verifyMessage } from 'ethers';
import type { Role } from '../wire/common.ts';
import { NetworkError } from '../wire/errors.ts';
import type { Delegation } from '../wire/sessions.ts';

export type DelegationFields = Omit<Delegation, 'signature'>;

/** Anything that can personal_sign: an ethers Wallet or Signer, or the agent's wallet. */
export interface MessageSigner {
  getAddress(): Promise<string>;
  signMessage(message: string): Promise<string>;
}

export function delegationMessage(fields: DelegationFields): string {
  return [
    'Idlehive session key delegation',
    'This lets the session key below sign Idlehive network requests for this account until it expires. It cannot move funds.',
    `Role: ${fields.role}`,
    `Account: ${getAddress(fields.account)}`,
    `Session key: ed25519:${fields.sessionPublicKey}`,
    `Coordinator: ${getAddress(fields.coordinator)}`,
    `Chain ID: ${fields.chainId}`,
    `Issued at: ${new Date(fields.issuedAt).toISOString()}`,
    `Expires at: ${new Date(fields.expiresAt).toISOString()}`,
  ].join('\n');
}

export interface CreateDelegationOptions {
  wallet: MessageSigner;
  role: Role;
  sessionPublicKey: string;
  coordinator: string;
  chainId: number;
  now: number;
  lifetimeMs: number;
}

export async function createDelegation(options: CreateDelegationOptions): Promise<Delegation> {
  const fields: DelegationFields = {
    role: options.role,
    account: getAddress(await options.wallet.getAddress()),
    sessionPublicKey: options.sessionPublicKey,
    coordinator: getAddress(options.coordinator),
    chainId: options.chainId,
    issuedAt: options.now,
    expiresAt: options.now + options.lifetimeMs,
  };
  const signature = await options.wallet.signMessage(delegationMessage(fields));
  return { ...fields, signature };
}

export interface DelegationCheck {
  coordinator: string;
  chainId: number;
  role: Role;
  now: number;
  maxLifetimeMs: number;
  maxClockSkewMs: number;
}

/**
 * Checks a delegation and returns the checksummed account it speaks for.
 * Throws a NetworkError naming what is wrong and what to do.
 */
export function verifyDelegation(delegation: Delegation, check: DelegationCheck): string {
  if (delegation.role !== check.role) {
    throw new NetworkError(
      'delegation_invalid',
      `The delegation is for the ${delegation.role} role but this route registers a ${check.role}; sign a delegation with role "${check.role}".`,
    );
  }
  if (
    delegation.chainId !== check.chainId ||
    delegation.coordinator.toLowerCase() !== check.coordinator.toLowerCase()
  ) {
    throw new NetworkError(
      'delegation_wrong_network',
      `The delegation names coordinator ${delegation.coordinator} on chain ${delegation.chainId}, but this is coordinator ${getAddress(check.coordinator)} on chain ${check.chainId}; read GET /v1/info and sign a new delegation.`,
    );
  }
  if (delegation.issuedAt > check.now + check.maxClockSkewMs) {
    throw new NetworkError(
      'delegation_invalid',
      `The delegation was issued in the future (${new Date(delegation.issuedAt).toISOString()}; the coordinator's clock says ${new Date(check.now).toISOString()}); check this computer's clock.`,
    );
  }
  if (delegation.expiresAt <= delegation.issuedAt) {
    throw new NetworkError('delegation_invalid', 'The delegation expires before it is issued; sign a new one.');
  }
  if (delegation.expiresAt - delegation.issuedAt > check.maxLifetimeMs) {
    throw new NetworkError(
      'delegation_too_long',
      `A session may last at most ${Math.round(check.maxLifetimeMs / 3_600_000)} hours; sign a delegation that expires sooner.`,
    );
  }
  if (delegation.expiresAt <= check.now) {
    throw new NetworkError(
      'delegation_expired',
      `The delegation expired at ${new Date(delegation.expiresAt).toISOString()}; sign a new one.`,
    );
  }
  const { signature, ...fields } = delegation;
  let recovered: string;
  try {
    recovered = verifyMessage(delegationMessage(fields), signature);
  } catch {
    throw new NetworkError('delegation_invalid', 'The delegation signature is malformed; sign the delegation again.');
  }
  if (recovered.toLowerCase() !== delegation.account.toLowerCase()) {
    throw new NetworkError(
      'delegation_invalid',
      `The delegation was not signed by ${getAddress(delegation.account)}; sign it with that account's wallet key.`,
    );
  }
  return getAddress(delegation.account);
}
