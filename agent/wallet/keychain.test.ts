import { afterEach, describe, expect, it } from 'vitest';
import { keychainDisabled, osKeychain } from './keychain.ts';
import { walletReadiness } from './wallet-status.ts';

const saved = process.env.IDLEHIVE_KEYCHAIN;
afterEach(() => {
  process.env.IDLEHIVE_KEYCHAIN = saved;
});

const record = (keychain: boolean, mode: 'keystore' | 'watch-only' = 'keystore') => ({
  version: 1 as const,
  address: '0x1111111111111111111111111111111111111111',
  mode,
  keychain,
  hasMnemonic: true,
  createdAt: 0,
});

describe('the OS keychain', () => {
  it('is off when IDLEHIVE_KEYCHAIN=off: nothing is stored or read', () => {
    process.env.IDLEHIVE_KEYCHAIN = 'off';
    expect(keychainDisabled()).toBe(true);
    expect(osKeychain.store('0xabc', 'secret')).toBe(false);
    expect(osKeychain.read('0xabc')).toBeNull();
  });

  // Only where there is certainly no Secret Service: elsewhere this would write to a real keychain.
  it.runIf(process.platform === 'linux' && !process.env.DBUS_SESSION_BUS_ADDRESS)(
    'counts a Linux machine without a Secret Service as having no keychain (never the kernel keyring)',
    () => {
      delete process.env.IDLEHIVE_KEYCHAIN;
      expect(osKeychain.store('0x2222222222222222222222222222222222222222', 'probe')).toBe(false);
      expect(osKeychain.read('0x2222222222222222222222222222222222222222')).toBeNull();
    },
  );
});

describe('walletReadiness', () => {
  const holding = { store: () => true, read: () => `0x${'11'.repeat(32)}`, remove: () => {} };
  const empty = { store: () => false, read: () => null, remove: () => {} };

  it('is missing without a key, ready with the key in a readable keychain, locked otherwise', () => {
    expect(walletReadiness(null, holding)).toBe('missing');
    expect(walletReadiness(record(true), holding)).toBe('ready');
    expect(walletReadiness(record(true), empty)).toBe('locked');
    expect(walletReadiness(record(false), holding)).toBe('locked');
    expect(walletReadiness(record(false, 'watch-only'), holding)).toBe('missing');
  });
});
