/**
 * The network protocol: every route between agents, requesters and the
 * coordinator, declared once. The Fastify server registers its routes from
 * this object (coordinator/http/coordinator-server.ts) and the typed client builds its
 * calls from it (client/coordinator-client.ts); both validate every body
 * against these schemas at runtime, so no path or shape is written twice.
 *
 * Auth kinds:
 * - `none`: public.
 * - `delegation`: registration. The body carries a wallet-signed delegation of
 *   a session key, and the request itself is signed with that session key.
 * - `provider` / `requester`: signed with a registered session of that role.
 * - `session`: signed with a registered session of either role.
 */
import { z } from 'zod';
import { Sha256HexSchema } from './wire/common.ts';
import { EarningsSchema, VoucherResponseSchema } from './wire/earnings.ts';
import { NetworkInfoSchema } from './wire/info.ts';
import { JobIdParamsSchema, JobStatusSchema, SubmitJobRequestSchema, VerifiedResultSchema } from './wire/jobs.ts';
import {
  LeaseIdParamsSchema,
  LeaseRequestSchema,
  LeaseResponseSchema,
  ReleaseLeaseResponseSchema,
  RenewLeaseResponseSchema,
  ResultSubmissionSchema,
  SettlementsQuerySchema,
  SettlementsResponseSchema,
  SubmitResultResponseSchema,
} from './wire/leases.ts';
import {
  RelayQuoteRequestSchema,
  RelayQuoteSchema,
  RelaySubmitRequestSchema,
  RelaySubmitResponseSchema,
} from './wire/relay.ts';
import { RegisterProviderRequestSchema, RegisterRequesterRequestSchema, SessionGrantSchema } from './wire/sessions.ts';

export const PROTOCOL_PREFIX = '/v1';

export type AuthKind = 'none' | 'delegation' | 'provider' | 'requester' | 'session';
export type HttpMethod = 'GET' | 'POST' | 'PUT';

/** Marks a raw `application/octet-stream` body or response instead of JSON. */
export const BINARY = Object.freeze({ binary: true as const });
export type Binary = typeof BINARY;

export interface RouteDefinition {
  method: HttpMethod;
  /** Fastify-style path with `:param` placeholders, starting with PROTOCOL_PREFIX. */
  path: string;
  auth: AuthKind;
  /** For `delegation` routes: the role being registered. */
  registers?: 'provider' | 'requester';
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType | Binary;
  response: z.ZodType | Binary;
  summary: string;
}

function route<const R extends RouteDefinition>(definition: R): R {
  return definition;
}

export const BlobParamsSchema = z.object({ sha256: Sha256HexSchema }).strict();
export const BlobStoredSchema = z
  .object({ sha256: Sha256HexSchema, bytes: z.number().int().nonnegative(), created: z.boolean() })
  .strict();
export const MissingBlobsRequestSchema = z.object({ sha256s: z.array(Sha256HexSchema).min(1).max(1024) }).strict();
export const MissingBlobsResponseSchema = z.object({ missing: z.array(Sha256HexSchema) }).strict();

export const protocolRoutes = {
  info: route({
    method: 'GET',
    path: '/v1/info',
    auth: 'none',
    response: NetworkInfoSchema,
    summary: 'Who the coordinator is (address, chain, vault), its clock and its limits.',
  }),

  registerProvider: route({
    method: 'POST',
    path: '/v1/providers/register',
    auth: 'delegation',
    registers: 'provider',
    body: RegisterProviderRequestSchema,
    response: SessionGrantSchema,
    summary: 'Register a provider: its devices and a wallet-signed delegation of its session key.',
  }),
  registerRequester: route({
    method: 'POST',
    path: '/v1/requesters/register',
    auth: 'delegation',
    registers: 'requester',
    body: RegisterRequesterRequestSchema,
    response: SessionGrantSchema,
    summary: 'Register a requester session with a wallet-signed delegation.',
  }),

  putBlob: route({
    method: 'PUT',
    path: '/v1/blobs/:sha256',
    auth: 'session',
    params: BlobParamsSchema,
    body: BINARY,
    response: BlobStoredSchema,
    summary: 'Store a blob under its sha256 (models, data shards, checkpoint states); the hash is checked.',
  }),
  findMissingBlobs: route({
    method: 'POST',
    path: '/v1/blobs/missing',
    auth: 'session',
    body: MissingBlobsRequestSchema,
    response: MissingBlobsResponseSchema,
    summary: 'Which of these blobs the coordinator does not hold yet, so only those are uploaded.',
  }),
  getBlob: route({
    method: 'GET',
    path: '/v1/blobs/:sha256',
    auth: 'session',
    params: BlobParamsSchema,
    response: BINARY,
    summary: "A blob's bytes: for a provider holding a lease that needs it, or the requester whose job holds it.",
  }),

  submitJob: route({
    method: 'POST',
    path: '/v1/jobs',
    auth: 'requester',
    body: SubmitJobRequestSchema,
    response: JobStatusSchema,
    summary: 'Submit a job whose blobs are already stored; it is validated, priced and queued.',
  }),
  getJob: route({
    method: 'GET',
    path: '/v1/jobs/:jobId',
    auth: 'requester',
    params: JobIdParamsSchema,
    response: JobStatusSchema,
    summary: "A job's state, copies and cost.",
  }),
  getJobResult: route({
    method: 'GET',
    path: '/v1/jobs/:jobId/result',
    auth: 'requester',
    params: JobIdParamsSchema,
    response: VerifiedResultSchema,
    summary: "A verified job's outputs and how they were verified.",
  }),

  leaseJobs: route({
    method: 'POST',
    path: '/v1/leases',
    auth: 'provider',
    body: LeaseRequestSchema,
    response: LeaseResponseSchema,
    summary: "Take up to `max` copies of jobs this provider's devices can run.",
  }),
  renewLease: route({
    method: 'POST',
    path: '/v1/leases/:leaseId/renew',
    auth: 'provider',
    params: LeaseIdParamsSchema,
    response: RenewLeaseResponseSchema,
    summary: 'Extend a lease that is still running (long training runs).',
  }),
  releaseLease: route({
    method: 'POST',
    path: '/v1/leases/:leaseId/release',
    auth: 'provider',
    params: LeaseIdParamsSchema,
    response: ReleaseLeaseResponseSchema,
    summary: 'Give a lease back at once (the owner came back), so another provider can run it.',
  }),
  submitResult: route({
    method: 'POST',
    path: '/v1/leases/:leaseId/result',
    auth: 'provider',
    params: LeaseIdParamsSchema,
    body: ResultSubmissionSchema,
    response: SubmitResultResponseSchema,
    summary: 'Submit the result of a lease; resubmitting the same result is answered the same way.',
  }),

  getSettlements: route({
    method: 'GET',
    path: '/v1/providers/me/settlements',
    auth: 'provider',
    query: SettlementsQuerySchema,
    response: SettlementsResponseSchema,
    summary: "What became of this provider's leases (valid with reward, invalid with reason, expired...), in order.",
  }),
  getEarnings: route({
    method: 'GET',
    path: '/v1/providers/me/earnings',
    auth: 'provider',
    response: EarningsSchema,
    summary: "This provider's cumulative earnings, result counts and reliability.",
  }),
  getVoucher: route({
    method: 'GET',
    path: '/v1/providers/me/voucher',
    auth: 'provider',
    response: VoucherResponseSchema,
    summary: 'The newest EIP-712 voucher for everything earned, signed for the payout vault.',
  }),

  // Public: a provider without gas may hold no session (the CLI withdraws without registering), and the
  // signed withdrawal is its own authentication, checked by the vault before the coordinator sends anything.
  relayQuote: route({
    method: 'POST',
    path: '/v1/relay/quote',
    auth: 'none',
    body: RelayQuoteRequestSchema,
    response: RelayQuoteSchema,
    summary: 'The fee in tokens the coordinator takes now to submit a relayed claim from its own gas-funded account.',
  }),
  relaySubmit: route({
    method: 'POST',
    path: '/v1/relay/claims',
    auth: 'none',
    body: RelaySubmitRequestSchema,
    response: RelaySubmitResponseSchema,
    summary:
      "Submit a provider's signed withdrawal and voucher to the vault's relayedClaim; the same one again gets the same transaction.",
  }),
} as const;

export type ProtocolRoutes = typeof protocolRoutes;
export type RouteName = keyof ProtocolRoutes;
export const ROUTE_NAMES = Object.keys(protocolRoutes) as RouteName[];

type SchemaInput<S> = S extends z.ZodType ? z.input<S> : never;
type SchemaOutput<S> = S extends z.ZodType ? z.output<S> : never;

/** What a caller passes for a route: params, query and body where the route has them. */
export type RouteInput<N extends RouteName> = (ProtocolRoutes[N] extends { params: infer P }
  ? { params: SchemaInput<P> }
  : { params?: undefined }) &
  (ProtocolRoutes[N] extends { query: infer Q } ? { query?: SchemaInput<Q> } : { query?: undefined }) &
  (ProtocolRoutes[N] extends { body: infer B }
    ? B extends Binary
      ? { body: Uint8Array }
      : { body: SchemaInput<B> }
    : { body?: undefined });

/** What a route answers with: parsed JSON, or raw bytes for binary routes. */
export type RouteOutput<N extends RouteName> = ProtocolRoutes[N]['response'] extends Binary
  ? Uint8Array
  : SchemaOutput<ProtocolRoutes[N]['response']>;

/** The validated inputs a server handler receives. */
export type RouteRequest<N extends RouteName> = {
  params: ProtocolRoutes[N] extends { params: infer P } ? SchemaOutput<P> : undefined;
  query: ProtocolRoutes[N] extends { query: infer Q } ? SchemaOutput<Q> : undefined;
  body: ProtocolRoutes[N] extends { body: infer B } ? (B extends Binary ? Buffer : SchemaOutput<B>) : undefined;
};

/** What a server handler returns (validated against the response schema before it is sent). */
export type RouteReply<N extends RouteName> = ProtocolRoutes[N]['response'] extends Binary
  ? Uint8Array
  : SchemaInput<ProtocolRoutes[N]['response']>;

export function isBinary(value: unknown): value is Binary {
  return typeof value === 'object' && value !== null && (value as { binary?: unknown }).binary === true;
}

/** Fills `:name` placeholders; every value is URL-encoded. */
export function buildPath(path: string, params: Record<string, string> | undefined): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined) throw new Error(`missing path parameter "${name}" for ${path}`);
    return encodeURIComponent(value);
  });
}

/** The `:name` placeholders of a path, in order. */
export function pathParameterNames(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((match) => match[1] as string);
}
