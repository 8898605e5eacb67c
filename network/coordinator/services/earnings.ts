/**
 * What a provider has earned and the voucher that pays it: the coordinator
 * signs (account, cumulative earned) for the PayoutVault, and the vault pays
 * whatever of it was not claimed yet. A voucher is signed again only when the
 * total grew, and always names exactly the stored total.
 */
import { signVoucherSync, voucherDomain } from '../../payment/voucher.ts';
import { trustProbability } from '../../verification/adaptive-replication.ts';
import { isSuspended, reliabilityScore } from '../../verification/reliability-score.ts';
import type { Earnings, Voucher } from '../../wire/earnings.ts';
import { NetworkError } from '../../wire/errors.ts';
import type { CoordinatorContext } from '../coordinator-context.ts';
import { requireProvider } from './leasing.ts';

export function earnings(ctx: CoordinatorContext, account: string): Earnings {
  const provider = requireProvider(ctx, account);
  return {
    account,
    cumulativeEarned: provider.earned.toString(),
    results: {
      pending: ctx.store.countPending(account),
      valid: provider.valid,
      invalid: provider.invalid,
      inconclusive: provider.inconclusive,
    },
    score: reliabilityScore(provider),
    suspended: isSuspended(provider, ctx.settings.suspension),
    reliability: ctx.store.listRuns(account).map((run) => ({
      ...run,
      trustProbability: trustProbability(run.run, ctx.settings.replication),
    })),
  };
}

export function newestVoucher(ctx: CoordinatorContext, account: string): Voucher | null {
  const { vault, chainId } = ctx.chain;
  if (vault === null) {
    throw new NetworkError(
      'voucher_unavailable',
      'This coordinator runs without a payout vault, so it signs no vouchers; start it with chain settings (chain id, vault address, signer key).',
    );
  }
  const provider = requireProvider(ctx, account);
  if (provider.earned === 0n) return null;
  const signer = ctx.signer.address;
  const stored = ctx.store.getVoucher(account);
  const current =
    stored &&
    stored.cumulative === provider.earned &&
    stored.chainId === chainId &&
    stored.vault.toLowerCase() === vault.toLowerCase() &&
    stored.signer === signer
      ? stored
      : null;
  const row = current ?? {
    account,
    cumulative: provider.earned,
    signature: signVoucherSync(ctx.signer.signingKey, voucherDomain(chainId, vault), {
      account,
      cumulativeAmount: provider.earned,
    }),
    signer,
    chainId,
    vault,
    signedAt: ctx.now(),
  };
  if (!current) ctx.store.putVoucher(row);
  return {
    account,
    cumulativeAmount: row.cumulative.toString(),
    signature: row.signature,
    signer: row.signer,
    chainId: row.chainId,
    vault: row.vault,
    signedAt: row.signedAt,
  };
}
