/**
 * Registration: a wallet delegates request signing to an Ed25519 session key,
 * and a provider describes its devices.
 */
import { z } from 'zod';
import {
  AddressSchema,
  EpochMsSchema,
  ExecutionProviderSchema,
  RoleSchema,
  SessionPublicKeySchema,
  VersionStringSchema,
} from './common.ts';

/** The fields the wallet signs (as the EIP-191 text in auth/session-delegation.ts) plus that signature. */
export const DelegationSchema = z
  .object({
    role: RoleSchema,
    account: AddressSchema,
    sessionPublicKey: SessionPublicKeySchema,
    /** The coordinator's own address (from GET /v1/info): a delegation is good for one coordinator. */
    coordinator: AddressSchema,
    chainId: z.number().int().positive(),
    issuedAt: EpochMsSchema,
    expiresAt: EpochMsSchema,
    /** The wallet's EIP-191 personal_sign signature over the delegation text, 0x + 130 hex. */
    signature: z.string().regex(/^0x[0-9a-fA-F]{130}$/, 'must be a 65-byte signature as 0x + 130 hex characters'),
  })
  .strict();
export type Delegation = z.infer<typeof DelegationSchema>;

export const DeviceSchema = z
  .object({
    id: z.string().min(1).max(64),
    kind: z.enum(['cpu', 'gpu']),
    name: z.string().min(1).max(200),
    executionProviders: z.array(ExecutionProviderSchema).min(1).max(8),
    /** Memory a job may use on this device. */
    memoryBytes: z.number().int().positive(),
    /** Measured throughput from the benchmark suite, if it ran. */
    benchmarkGflops: z.number().nonnegative().nullable(),
  })
  .strict();
export type Device = z.infer<typeof DeviceSchema>;

export const ProviderProfileSchema = z
  .object({
    appVersion: VersionStringSchema,
    onnxruntimeVersion: VersionStringSchema,
    /** e.g. linux-x64, darwin-arm64, win32-x64 */
    platform: z.string().min(1).max(64),
    devices: z.array(DeviceSchema).min(1).max(16),
  })
  .strict();
export type ProviderProfile = z.infer<typeof ProviderProfileSchema>;

export const RegisterProviderRequestSchema = z
  .object({ delegation: DelegationSchema, profile: ProviderProfileSchema })
  .strict();

export const RegisterRequesterRequestSchema = z.object({ delegation: DelegationSchema }).strict();

export const SessionGrantSchema = z
  .object({
    account: AddressSchema,
    role: RoleSchema,
    sessionPublicKey: SessionPublicKeySchema,
    expiresAt: EpochMsSchema,
    serverTime: EpochMsSchema,
  })
  .strict();
export type SessionGrant = z.infer<typeof SessionGrantSchema>;
