/**
 * One handler per protocol route, typed from the contract (network/protocol.ts):
 * each receives validated params, query and body plus the authenticated
 * caller, and returns what the response schema accepts. Every write runs in
 * one store transaction.
 */
import type { VerifiedCaller } from '../../auth/request-signing.ts';
import type { RouteName, RouteReply, RouteRequest } from '../../protocol.ts';
import { NetworkError } from '../../wire/errors.ts';
import { PROTOCOL_VERSION } from '../../wire/info.ts';
import type { CoordinatorContext } from '../coordinator-context.ts';
import type { ClaimRelayer } from '../relay/claim-relayer.ts';
import { readBlob, storeBlob } from '../services/blob-access.ts';
import { earnings, newestVoucher } from '../services/earnings.ts';
import { submitJob } from '../services/job-intake.ts';
import { jobStatus, requesterJob, verifiedResult } from '../services/job-status.ts';
import { leaseJobs, releaseLease, renewLease } from '../services/leasing.ts';
import { submitResult } from '../services/result-intake.ts';

export type RouteHandler<N extends RouteName> = (
  request: RouteRequest<N>,
  caller: VerifiedCaller | null,
) => RouteReply<N> | Promise<RouteReply<N>>;
export type RouteHandlers = { [N in RouteName]: RouteHandler<N> };

function requireRelayer(relayer: ClaimRelayer | null): ClaimRelayer {
  if (!relayer) {
    throw new NetworkError(
      'relay_unavailable',
      'This coordinator does not relay claims (it runs without a chain endpoint or a relayer account); claim with your own gas or use another relayer.',
    );
  }
  return relayer;
}

function who(caller: VerifiedCaller | null): VerifiedCaller {
  if (!caller) throw new Error('an authenticated route ran without a caller');
  return caller;
}

export function routeHandlers(ctx: CoordinatorContext): RouteHandlers {
  const { store, settings } = ctx;
  const tx = <T>(fn: () => T): T => store.transaction(fn);
  /** For answers that promise something outside this process: an accepted job, a signed voucher. */
  const durable = <T>(fn: () => T): T => store.transaction(fn, { durable: true });

  const grant = (caller: VerifiedCaller, expiresAt: number) => ({
    account: caller.account,
    role: caller.role,
    sessionPublicKey: caller.sessionPublicKey,
    expiresAt,
    serverTime: ctx.now(),
  });

  return {
    info: () => ({
      protocol: PROTOCOL_VERSION,
      appVersion: ctx.appVersion,
      coordinator: ctx.signer.address,
      chainId: ctx.chain.chainId,
      vault: ctx.chain.vault,
      serverTime: ctx.now(),
      limits: {
        maxClockSkewMs: settings.limits.maxClockSkewMs,
        maxSessionMs: settings.limits.maxSessionMs,
        maxBlobBytes: settings.limits.maxBlobBytes,
        maxJsonBytes: settings.limits.maxJsonBytes,
        leaseMs: settings.limits.maxLeaseMs,
      },
      pricing: {
        minPricePerUnit: {
          gflop: settings.pricing.minPricePerUnit.gflop.toString(),
          'device-second': settings.pricing.minPricePerUnit['device-second'].toString(),
        },
      },
    }),

    registerProvider: ({ body }, caller) =>
      tx(() => {
        const { account } = who(caller);
        store.putSession({
          publicKey: body.delegation.sessionPublicKey,
          account,
          role: 'provider',
          expiresAt: body.delegation.expiresAt,
          createdAt: ctx.now(),
        });
        store.upsertProvider(account, body.profile, ctx.now());
        return grant(who(caller), body.delegation.expiresAt);
      }),

    registerRequester: ({ body }, caller) =>
      tx(() => {
        store.putSession({
          publicKey: body.delegation.sessionPublicKey,
          account: who(caller).account,
          role: 'requester',
          expiresAt: body.delegation.expiresAt,
          createdAt: ctx.now(),
        });
        return grant(who(caller), body.delegation.expiresAt);
      }),

    putBlob: ({ params, body }, caller) => storeBlob(ctx, who(caller).account, params.sha256, body),
    findMissingBlobs: ({ body }) => ({ missing: store.missingBlobs(body.sha256s) }),
    getBlob: ({ params }, caller) => readBlob(ctx, who(caller), params.sha256),

    submitJob: ({ body }, caller) =>
      durable(() => {
        const jobId = submitJob(ctx, who(caller).account, body);
        return jobStatus(ctx, requesterJob(ctx, who(caller).account, jobId));
      }),
    getJob: ({ params }, caller) => jobStatus(ctx, requesterJob(ctx, who(caller).account, params.jobId)),
    getJobResult: ({ params }, caller) => verifiedResult(ctx, requesterJob(ctx, who(caller).account, params.jobId)),

    // Expired leases are requeued by the sweeper in start-coordinator.ts, once a second, not per request.
    leaseJobs: ({ body }, caller) => tx(() => leaseJobs(ctx, who(caller).account, body.max)),
    renewLease: ({ params }, caller) => tx(() => renewLease(ctx, who(caller).account, params.leaseId)),
    releaseLease: ({ params }, caller) => tx(() => releaseLease(ctx, who(caller).account, params.leaseId)),
    submitResult: ({ params, body }, caller) => tx(() => submitResult(ctx, who(caller).account, params.leaseId, body)),

    getSettlements: ({ query }, caller) => {
      const rows = store.listSettlements(who(caller).account, query.after, query.limit);
      return {
        settlements: rows.map((row) => ({
          seq: row.seq,
          leaseId: row.leaseId,
          outcome: row.outcome,
          reward: row.reward === null ? null : row.reward.toString(),
          reason: row.reason,
          settledAt: row.settledAt,
        })),
        next: rows.at(-1)?.seq ?? query.after,
      };
    },
    getEarnings: (_request, caller) => earnings(ctx, who(caller).account),
    getVoucher: (_request, caller) => durable(() => ({ voucher: newestVoucher(ctx, who(caller).account) })),
    // Chain calls: asynchronous, and outside any store transaction (the relayer writes its own, durably).
    relayQuote: ({ body }) => requireRelayer(ctx.relayer).quote(body),
    relaySubmit: ({ body }) => requireRelayer(ctx.relayer).submit(body),
  };
}
