/**
 * Small shapes every part of the network protocol shares: hashes, addresses,
 * token amounts, ids, blob references. Money is always an integer number of
 * token base units written as a decimal string, never a float.
 */
import { z } from 'zod';
import { describeSchemaIssues } from '../../agent/schema-issues.ts';
import { type BlobRef, BlobRefSchema, Sha256HexSchema } from '../../native/jobs/blob-ref.ts';
import {
  EXECUTION_PROVIDERS,
  type ExecutionProvider,
  ExecutionProviderSchema,
} from '../../native/worker/session-options.ts';

export type { BlobRef, ExecutionProvider };
// Hashes, blob references and execution providers are the compute contract's own.
export { BlobRefSchema, EXECUTION_PROVIDERS, ExecutionProviderSchema, Sha256HexSchema };
export type Sha256Hex = z.infer<typeof Sha256HexSchema>;

export const AddressSchema = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, 'must be an Ethereum address: 0x followed by 40 hex characters');

export const EpochMsSchema = z.number().int().nonnegative();

export const MAX_UINT256 = (1n << 256n) - 1n;

/** An integer amount of token base units, as a decimal string without leading zeros (fits uint256). */
export const TokenAmountSchema = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,77})$/, 'must be a whole number of token base units written in decimal, e.g. "1500"')
  .refine((value) => BigInt(value) <= MAX_UINT256, 'must fit in uint256');
export type TokenAmount = z.infer<typeof TokenAmountSchema>;

/** Ids are a kind prefix and 20 random base64url characters: `job_...`, `lease_...`. */
export function idSchema(prefix: string) {
  return z
    .string()
    .regex(new RegExp(`^${prefix}_[A-Za-z0-9_-]{20}$`), `must be an id like ${prefix}_ followed by 20 characters`);
}
export const JobIdSchema = idSchema('job');
export const LeaseIdSchema = idSchema('lease');

/** Ed25519 public key (32 bytes) as unpadded base64url. */
export const SessionPublicKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{43}$/, 'must be a 32-byte Ed25519 public key in unpadded base64url (43 characters)');

export const RoleSchema = z.enum(['provider', 'requester']);
export type Role = z.infer<typeof RoleSchema>;

export const VersionStringSchema = z.string().min(1).max(64);

export const ApiErrorSchema = z
  .object({
    error: z.object({ code: z.string(), message: z.string() }).strict(),
  })
  .strict();
export type ApiErrorBody = z.infer<typeof ApiErrorSchema>;

/** One sentence a person can act on, from the first five schema issues (a huge bad body gives a short answer). */
export function describeIssues(error: z.ZodError): string {
  return describeSchemaIssues(new z.ZodError(error.issues.slice(0, 5)));
}
