/**
 * Where the wallet lives in the agent's home: `wallet/wallet.json` says which
 * address and how its key is kept; `wallet/keystore.json` is the encrypted key
 * (absent for a watch-only address). Both owner-only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { IdlehiveError } from '../errors.ts';
import { writeFileAtomically } from './atomic-file.ts';

export interface WalletPaths {
  dir: string;
  walletFile: string;
  keystoreFile: string;
}

export function walletPaths(home: string): WalletPaths {
  const dir = path.join(home, 'wallet');
  return { dir, walletFile: path.join(dir, 'wallet.json'), keystoreFile: path.join(dir, 'keystore.json') };
}

export const WalletRecordSchema = z
  .object({
    version: z.literal(1),
    address: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
    /** `keystore`: this computer holds the key; `watch-only`: only the payout address is known. */
    mode: z.enum(['keystore', 'watch-only']),
    /** Whether the private key is also in the OS keychain (so signing needs no password). */
    keychain: z.boolean(),
    /** Whether the keystore holds a mnemonic that can be exported. */
    hasMnemonic: z.boolean(),
    createdAt: z.number().int(),
  })
  .strict();
export type WalletRecord = z.infer<typeof WalletRecordSchema>;

/** The wallet record, or null when this home has no wallet yet. */
export function readWalletRecord(home: string): WalletRecord | null {
  const { walletFile } = walletPaths(home);
  if (!fs.existsSync(walletFile)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(walletFile, 'utf8'));
  } catch {
    parsed = undefined;
  }
  const checked = WalletRecordSchema.safeParse(parsed);
  if (!checked.success) {
    throw new IdlehiveError(
      'wallet_file_corrupted',
      `The wallet description at ${walletFile} is damaged. Import the wallet again (\`idlehive wallet import\`); the file was not changed.`,
    );
  }
  return checked.data;
}

export function requireWalletRecord(home: string): WalletRecord {
  const record = readWalletRecord(home);
  if (!record) {
    throw new IdlehiveError(
      'no_wallet',
      'There is no wallet yet. Create one with `idlehive wallet create`, import one with `idlehive wallet import`, or set a payout address with `idlehive wallet import --watch-only ADDRESS`.',
    );
  }
  return record;
}

export function writeWalletRecord(home: string, record: WalletRecord): void {
  writeFileAtomically(walletPaths(home).walletFile, `${JSON.stringify(WalletRecordSchema.parse(record), null, 2)}\n`);
}
