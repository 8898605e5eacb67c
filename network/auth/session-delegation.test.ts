import { Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';
import { NetworkError } from '../wire/errors.ts';
import { createDelegation, verifyDelegation } from './session-delegation.ts';
import { generateSessionKey } from './session-keys.ts';

const coordinator = '0x3333333333333333333333333333333333333333';
const now = 1_767_225_600_000;
const check = {
  coordinator,
  chainId: 31337,
  role: 'provider' as const,
  now,
  maxLifetimeMs: 86_400_000,
  maxClockSkewMs: 60_000,
};

async function delegation(lifetimeMs = 3_600_000) {
  const wallet = Wallet.createRandom();
  const signed = await createDelegation({
    wallet,
    role: 'provider',
    sessionPublicKey: generateSessionKey().publicKey,
    coordinator,
    chainId: 31337,
    now,
    lifetimeMs,
  });
  return { wallet, signed };
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
    return 'accepted';
  } catch (error) {
    return error instanceof NetworkError ? error.code : 'other';
  }
}

describe('session delegation', () => {
  it('returns the wallet account for a delegation it signed', async () => {
    const { wallet, signed } = await delegation();
    expect(verifyDelegation(signed, check)).toBe(wallet.address);
  });

  it('refuses a delegation for another session key, coordinator, chain or role', async () => {
    const { signed } = await delegation();
    expect(codeOf(() => verifyDelegation({ ...signed, sessionPublicKey: generateSessionKey().publicKey }, check))).toBe(
      'delegation_invalid',
    );
    expect(codeOf(() => verifyDelegation(signed, { ...check, chainId: 1 }))).toBe('delegation_wrong_network');
    expect(
      codeOf(() => verifyDelegation(signed, { ...check, coordinator: '0x4444444444444444444444444444444444444444' })),
    ).toBe('delegation_wrong_network');
    expect(codeOf(() => verifyDelegation(signed, { ...check, role: 'requester' }))).toBe('delegation_invalid');
  });

  it('refuses expired and over-long delegations', async () => {
    const { signed } = await delegation();
    expect(codeOf(() => verifyDelegation(signed, { ...check, now: now + 3_600_000 }))).toBe('delegation_expired');
    const long = await delegation(2 * 86_400_000);
    expect(codeOf(() => verifyDelegation(long.signed, check))).toBe('delegation_too_long');
  });
});
