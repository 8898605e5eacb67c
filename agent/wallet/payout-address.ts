/**
 * Addresses the owner types. Tokens sent to a mistyped address are gone, so
 * only the checksummed (mixed-case, EIP-55) form is accepted: a typo then
 * fails the checksum instead of sending money away. All-lowercase or
 * all-uppercase text carries no checksum and is refused for that reason.
 */
import { getAddress, isAddress, ZeroAddress } from 'ethers';
import { IdlehiveError } from '../errors.ts';

export function parseChecksummedAddress(text: string, what = 'The address'): string {
  const trimmed = text.trim();
  if (!/^0x[0-9a-fA-F]{40}$/.test(trimmed)) {
    throw new IdlehiveError('invalid_address', `${what} "${trimmed}" is not an address (0x and 40 hex digits).`);
  }
  const body = trimmed.slice(2);
  if (body === body.toLowerCase() || body === body.toUpperCase()) {
    throw new IdlehiveError(
      'address_not_checksummed',
      `${what} has no checksum (it is all one case). Copy it in its checksummed, mixed-case form from the wallet that owns it, so a typo cannot send your tokens away.`,
    );
  }
  if (!isAddress(trimmed) || getAddress(trimmed) !== trimmed) {
    throw new IdlehiveError(
      'address_checksum_mismatch',
      `${what} fails its checksum: it has a typo. Copy it again from the wallet that owns it.`,
    );
  }
  if (trimmed === ZeroAddress) throw new IdlehiveError('invalid_address', `${what} is the zero address.`);
  return trimmed;
}
