import { Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';
import { parseChecksummedAddress } from './payout-address.ts';

const address = Wallet.createRandom().address;

describe('parseChecksummedAddress', () => {
  it('accepts a checksummed address', () => {
    expect(parseChecksummedAddress(` ${address} `)).toBe(address);
  });

  it('refuses an address without a checksum', () => {
    expect(() => parseChecksummedAddress(address.toLowerCase())).toThrow(/no checksum/);
  });

  it('refuses a typo that breaks the checksum', () => {
    const body = address.slice(2);
    const i = [...body].findIndex((c) => /[a-f]/i.test(c));
    const flipped = body[i] === body[i]?.toLowerCase() ? body[i]?.toUpperCase() : body[i]?.toLowerCase();
    const typo = `0x${body.slice(0, i)}${flipped}${body.slice(i + 1)}`;
    expect(() => parseChecksummedAddress(typo)).toThrow(/checksum/);
  });

  it('refuses what is not an address', () => {
    expect(() => parseChecksummedAddress('0x1234')).toThrow(/not an address/);
  });
});
