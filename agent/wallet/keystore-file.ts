/**
 * The encrypted JSON keystore (the Web3 Secret Storage format ethers reads and
 * writes): the wallet's key, and its mnemonic where it has one, encrypted with
 * the owner's password through scrypt. A file whose scrypt cost is below
 * 2^17 is refused rather than trusted: it would fall to a guessing attack far
 * faster than the owner expects. Reading never writes, so a corrupted or
 * refused file stays exactly as it was.
 */
import fs from 'node:fs';
import { decryptKeystoreJson, encryptKeystoreJson, type KeystoreAccount } from 'ethers';
import { z } from 'zod';
import { IdlehiveError } from '../errors.ts';
import { writeFileAtomically } from './atomic-file.ts';

/** The lowest scrypt cost accepted, as the issue and ethers' default both set it. */
export const MIN_SCRYPT_N = 2 ** 17;
const MIN_SCRYPT_R = 8;

const CryptoSchema = z.object({
  cipher: z.literal('aes-128-ctr'),
  ciphertext: z.string().regex(/^[0-9a-fA-F]+$/),
  kdf: z.literal('scrypt'),
  kdfparams: z.object({
    n: z.number().int().positive(),
    r: z.number().int().positive(),
    p: z.number().int().positive(),
    dklen: z.number().int().positive(),
    salt: z.string(),
  }),
  mac: z.string().regex(/^[0-9a-fA-F]{64}$/),
});

// The format spells the section `crypto`; ethers (like geth before it) writes `Crypto`.
const KeystoreFileSchema = z
  .object({
    version: z.literal(3),
    address: z.string().regex(/^(0x)?[0-9a-fA-F]{40}$/),
    crypto: CryptoSchema.optional(),
    Crypto: CryptoSchema.optional(),
  })
  .transform((file, ctx) => {
    const crypto = file.crypto ?? file.Crypto;
    if (!crypto) {
      ctx.addIssue({ code: 'custom', message: 'no crypto section' });
      return z.NEVER;
    }
    return { version: file.version, address: file.address, crypto };
  });

/** Checks the file's shape and cost; throws a sentence for the owner. Never writes. */
export function readKeystoreFile(file: string): string {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (cause) {
    throw new IdlehiveError(
      'keystore_missing',
      `No wallet keystore at ${file}. Create one with \`idlehive wallet create\` or import one with \`idlehive wallet import\`.`,
      { cause },
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw corrupted(file, 'it is not valid JSON');
  }
  const checked = KeystoreFileSchema.safeParse(parsed);
  if (!checked.success) throw corrupted(file, 'it is not an scrypt-encrypted wallet keystore');
  const params = checked.data.crypto.kdfparams;
  if (params.n < MIN_SCRYPT_N || params.r < MIN_SCRYPT_R) {
    throw new IdlehiveError(
      'keystore_too_weak',
      `The keystore at ${file} is encrypted too weakly (scrypt N=${params.n}, r=${params.r}; Idlehive needs N of at least ${MIN_SCRYPT_N} and r of at least ${MIN_SCRYPT_R}). Import the wallet again from its mnemonic or private key to re-encrypt it. The file was not changed.`,
    );
  }
  return text;
}

function corrupted(file: string, why: string): IdlehiveError {
  return new IdlehiveError(
    'keystore_corrupted',
    `The wallet keystore at ${file} is damaged (${why}). Restore it from a backup or import the wallet again from its mnemonic. The file was not changed.`,
  );
}

/** Decrypts with the owner's password; a wrong password is a sentence, not a stack trace. */
export async function decryptKeystore(file: string, password: string): Promise<KeystoreAccount> {
  const text = readKeystoreFile(file);
  try {
    return await decryptKeystoreJson(text, password);
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : '';
    if (/incorrect password/i.test(message)) {
      throw new IdlehiveError('wrong_password', 'Wrong wallet password. Nothing was changed; try again.');
    }
    throw new IdlehiveError(
      'keystore_corrupted',
      `The wallet keystore at ${file} could not be decrypted (${message || 'unknown format'}). The file was not changed.`,
      { cause },
    );
  }
}

/** Encrypts at N = 2^17 and writes owner-only, atomically (a crash leaves the old file or the new one). */
export async function writeKeystore(file: string, account: KeystoreAccount, password: string): Promise<void> {
  const json = await encryptKeystoreJson(account, password, { scrypt: { N: MIN_SCRYPT_N, r: MIN_SCRYPT_R, p: 1 } });
  writeFileAtomically(file, json);
}
