/**
 * A coordinator's voucher as the wallet takes it: the network's wire shape
 * (network/wire/earnings.ts), checked at this boundary, from the coordinator
 * or from a file the owner saved.
 */
import fs from 'node:fs';
import { type Voucher, VoucherSchema } from '../../network/wire/earnings.ts';
import { IdlehiveError } from '../errors.ts';
import type { ProviderJobsRepository } from '../ledger/provider-jobs-repository.ts';
import { describeSchemaIssues } from '../schema-issues.ts';
import type { ClaimVoucher } from './withdrawal-service.ts';

export function claimVoucherFrom(voucher: Voucher): ClaimVoucher {
  return {
    account: voucher.account,
    cumulativeAmount: BigInt(voucher.cumulativeAmount),
    signature: voucher.signature,
    chainId: voucher.chainId,
    vault: voucher.vault,
  };
}

/** The newest voucher the provider loop stored in the ledger for this account, or null before anything was earned. */
export function storedVoucher(jobs: ProviderJobsRepository, account: string): ClaimVoucher | null {
  const json = jobs.voucherJson(account);
  if (json === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    parsed = undefined;
  }
  const checked = VoucherSchema.safeParse(parsed);
  if (!checked.success) {
    throw new IdlehiveError(
      'invalid_voucher',
      'The voucher stored in the ledger is damaged; it is fetched again when the agent next reaches the coordinator.',
    );
  }
  return claimVoucherFrom(checked.data);
}

export function readVoucherFile(file: string): ClaimVoucher {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new IdlehiveError('voucher_unreadable', `Could not read a voucher from ${file}: ${String(cause)}.`, {
      cause,
    });
  }
  const checked = VoucherSchema.safeParse(parsed);
  if (!checked.success) {
    throw new IdlehiveError('invalid_voucher', `${file} is not a voucher: ${describeSchemaIssues(checked.error)}.`);
  }
  return claimVoucherFrom(checked.data);
}
