/**
 * `idlehive wallet create|import|address|balance|export-mnemonic` and
 * `idlehive withdraw`. Keys never travel: these commands work on the home's
 * wallet files and ledger directly, in this process, so no key, mnemonic or
 * password ever crosses the local API. A withdrawal started here is finished
 * by whichever Idlehive process reconciles next (this command again, or the
 * agent), from the ledger, without the key.
 */
import { randomInt } from 'node:crypto';
import { type Command, InvalidArgumentError } from 'commander';
import { CoordinatorClaimRelay } from '../../network/client/coordinator-claim-relay.ts';
import { formatTokenAmount } from '../../network/payment/token-amount.ts';
import { IdlehiveError } from '../errors.ts';
import { homeLayout } from '../home.ts';
import { openLedger } from '../ledger/open-ledger.ts';
import { ProviderJobsRepository } from '../ledger/provider-jobs-repository.ts';
import { connectToAgent } from '../local-api/connect-to-agent.ts';
import type { ClaimRelay } from '../wallet/claim-relay.ts';
import { formatGwei } from '../wallet/fee-bump.ts';
import { keychainDisabled, osKeychain } from '../wallet/keychain.ts';
import { parseChecksummedAddress } from '../wallet/payout-address.ts';
import { readVoucherFile, storedVoucher } from '../wallet/voucher-input.ts';
import { type BalanceReport, openWalletChainSession, readBalances } from '../wallet/wallet-chain-session.ts';
import { requireWalletRecord, type WalletRecord } from '../wallet/wallet-files.ts';
import {
  createWallet,
  exportMnemonic,
  importWallet,
  needsPassword,
  unlockWallet,
  useWatchOnlyAddress,
} from '../wallet/wallet-keys.ts';
import { balanceView, withdrawalProgress } from '../wallet/wallet-status.ts';
import type { WithdrawalRecord } from '../wallet/withdrawal-repository.ts';
import type { ClaimVoucher, WithdrawalPlan } from '../wallet/withdrawal-service.ts';
import { print } from './cli-output.ts';
import { type SecretInput, secretInput } from './wallet-secret-input.ts';
import { chainRpcUrlFor, coordinatorUrlFor, withdrawalFeeCapFor } from './withdraw-endpoints.ts';

function waitSecondsOption(value: string): number {
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > 86_400) {
    throw new InvalidArgumentError('a whole number of seconds from 0 to 86400.');
  }
  return seconds;
}

const tokens = (amount: bigint | null, unit = 'tHIVE'): string =>
  amount === null ? 'unknown' : `${formatTokenAmount(amount)} ${unit}`;

function describeRecord(record: WalletRecord): string {
  const custody =
    record.mode === 'watch-only'
      ? 'watch-only (this computer holds no key)'
      : record.keychain
        ? 'key in the OS keychain and an encrypted keystore'
        : 'key in an encrypted keystore (password needed to withdraw)';
  return `${record.address}\n${custody}`;
}

/** The JSON form of a withdrawal: amounts as decimal strings, never the signed bytes. */
export function withdrawalJson(record: WithdrawalRecord): Record<string, unknown> {
  return {
    id: record.id,
    state: record.state,
    kind: record.kind,
    account: record.account,
    recipient: record.recipient,
    amount: record.amount.toString(),
    relayFee: record.kind === 'relayed' ? record.maxFee.toString() : null,
    nonce: record.nonce,
    txHash: record.txHash,
    sends: record.sends,
    blockNumber: record.blockNumber,
    paidAmount: record.paidAmount?.toString() ?? null,
    paidFee: record.paidFee?.toString() ?? null,
    waitingReason: record.waitingReason,
    failure: record.failure,
    speedUps: Math.max(0, record.transactions.length - 1),
    // Hashes, fees and what became of each; never the signed bytes.
    transactions: withdrawalProgress(record).transactions,
  };
}

/** ", replaced 2 times with a higher fee (now 3.4 gwei)" for a sped-up claim; empty otherwise. */
function speedUpWords(record: WithdrawalRecord): string {
  const replacements = record.transactions.length - 1;
  if (replacements < 1) return '';
  const newest = record.transactions.at(-1)?.maxFeePerGas;
  const times = replacements === 1 ? 'once' : `${replacements} times`;
  return `, replaced ${times} with a higher fee${newest ? ` (now up to ${formatGwei(newest)} per gas)` : ''}`;
}

function describeWithdrawal(record: WithdrawalRecord): string {
  const base = `Withdrawal ${record.id}: ${record.state}`;
  switch (record.state) {
    case 'prepared':
      return `${base} (${tokens(record.amount)} to ${record.recipient})`;
    case 'signed':
    case 'sent':
      return `${base}${record.txHash ? ` (tx ${record.txHash}${record.nonce !== null && record.kind !== 'relayed' ? `, nonce ${record.nonce}` : ''}${speedUpWords(record)})` : ''}${record.waitingReason ? ` — ${record.waitingReason}` : ''}`;
    case 'confirmed':
      return `${base} in block ${record.blockNumber ?? 'unknown'}: ${tokens(record.paidAmount ?? record.amount)} to ${record.recipient}${record.paidFee ? `, relayer fee ${tokens(record.paidFee)}` : ''} (tx ${record.txHash}${speedUpWords(record)})`;
    case 'failed':
      return `${base}: ${record.failure}`;
  }
}

function describeBalances(report: BalanceReport): string {
  return [
    `Wallet ${report.address}`,
    `In the wallet:   ${tokens(report.walletTokens)}`,
    `Claimable now:   ${tokens(report.claimable)}`,
    ...(report.withdrawing ? [`Withdrawing:     ${tokens(report.withdrawing)}`] : []),
    `Lifetime earned: ${tokens(report.lifetimeEarned)}`,
    `Pending results: ${report.pendingResults ?? 'unknown (not connected to the coordinator)'}`,
    `Gas:             ${tokens(report.nativeGas, 'ETH')}`,
    ...(report.unavailable ? [report.unavailable] : []),
  ].join('\n');
}

function describePlan(plan: WithdrawalPlan): string {
  const fee =
    plan.kind === 'relayed'
      ? `Fee: ${tokens(plan.relayFee)} taken by the relayer (this wallet has no gas)`
      : `Fee: at most ${tokens(plan.maxGasCost, 'ETH')} of gas${plan.maxGasCostWithSpeedUps !== null && plan.maxGasCostWithSpeedUps > (plan.maxGasCost ?? 0n) ? `; if it waits for a block, the fee is raised automatically, up to ${tokens(plan.maxGasCostWithSpeedUps, 'ETH')}` : ''}`;
  return [
    `Withdraw ${tokens(plan.amount)} to ${plan.recipient}`,
    fee,
    `Arrives: ${tokens(plan.received)}`,
    ...plan.warnings.map((warning) => `Warning: ${warning}`),
  ].join('\n');
}

interface ChainOptions {
  rpc?: string;
  voucher?: string;
}

/** The chain endpoint: --rpc, else the chainRpcUrl setting, else the running local network's. */
function resolveRpcUrl(home: string, flag: string | undefined): string {
  const url = chainRpcUrlFor(home, flag);
  if (url) return url;
  throw new IdlehiveError(
    'no_chain',
    'No chain endpoint is configured: pass --rpc URL, or set one with `idlehive settings set chainRpcUrl=URL`.',
  );
}

/** The coordinator relays the claim when the wallet has no gas; without one, only a direct claim is possible. */
function coordinatorRelay(home: string, flag: string | undefined): ClaimRelay | undefined {
  const url = coordinatorUrlFor(home, flag);
  return url === null ? undefined : new CoordinatorClaimRelay(url);
}

/** --voucher FILE, else the newest voucher the agent stored in the ledger. */
function requireVoucher(options: ChainOptions, home: string, account: string): ClaimVoucher {
  if (options.voucher) return readVoucherFile(options.voucher);
  const db = openLedger(homeLayout(home).ledgerFile);
  try {
    const stored = storedVoucher(new ProviderJobsRepository(db, Date.now), account);
    if (stored) return stored;
  } finally {
    db.close();
  }
  throw new IdlehiveError(
    'nothing_to_claim',
    'Nothing to claim yet: the agent has no voucher from the coordinator (nothing verified so far). A saved voucher can be given with --voucher FILE. No transaction was sent.',
  );
}

/** Results submitted and not verified yet, as the agent recorded them. */
function pendingResults(home: string): number {
  const db = openLedger(homeLayout(home).ledgerFile);
  try {
    return new ProviderJobsRepository(db, Date.now).pendingCount();
  } finally {
    db.close();
  }
}

async function withSession<T>(
  home: string,
  voucher: ClaimVoucher,
  rpcUrl: string,
  use: (session: ReturnType<typeof openWalletChainSession>) => Promise<T>,
  onProgress?: (record: WithdrawalRecord) => void,
  relay?: ClaimRelay,
): Promise<T> {
  const db = openLedger(homeLayout(home).ledgerFile);
  try {
    return await use(
      openWalletChainSession(
        db,
        { rpcUrl, chainId: voucher.chainId, vault: voucher.vault },
        { onProgress, relay, feeCapGwei: withdrawalFeeCapFor(home) },
      ),
    );
  } finally {
    db.close();
  }
}

/** Shows the phrase once and asks for two of its words, so a phrase nobody wrote down never guards money. */
async function confirmWrittenDown(phrase: string, input: SecretInput): Promise<void> {
  const words = phrase.split(' ');
  process.stderr.write(
    `\nRecovery phrase (write it down now and keep it offline; it is the only way to recover this wallet and is not shown again):\n\n  ${words.map((w, i) => `${i + 1}. ${w}`).join('  ')}\n\n`,
  );
  const first = randomInt(words.length);
  let second = randomInt(words.length - 1);
  if (second >= first) second++;
  for (const index of [first, second].sort((a, b) => a - b)) {
    const answer = (await input.ask(`Word ${index + 1} of your recovery phrase: `)).trim().toLowerCase();
    if (answer !== words[index]) {
      throw new IdlehiveError(
        'mnemonic_not_confirmed',
        'That word does not match; nothing was created. Run `idlehive wallet create` again and write the phrase down.',
      );
    }
  }
}

export function registerWalletCommands(program: Command, home: () => string): void {
  const wallet = program.command('wallet').description('Your payout wallet: create, import, address, balance.');

  wallet
    .command('create')
    .description('Create a wallet; its recovery phrase is shown once: write it down.')
    .option('--json', 'print machine-readable JSON')
    .action(async (options: { json?: boolean }) => {
      const input = secretInput();
      const password = await input.ask('New wallet password: ');
      if (process.stdin.isTTY && (await input.ask('Repeat the password: ')) !== password) {
        throw new IdlehiveError('password_mismatch', 'The two passwords differ; nothing was created.');
      }
      // At a terminal the phrase is shown before anything is stored, and two of its words must be typed back.
      const atTerminal = process.stdin.isTTY && !options.json;
      const { record, mnemonic } = await createWallet(home(), password, osKeychain, {
        confirmMnemonic: atTerminal ? (phrase) => confirmWrittenDown(phrase, input) : undefined,
      });
      print(
        Boolean(options.json),
        { address: record.address, keychain: record.keychain, mnemonic },
        [
          `Created wallet ${record.address}.`,
          ...(atTerminal
            ? []
            : [
                '',
                'Recovery phrase (shown only now; write it down and keep it offline, it is the only way to recover this wallet):',
                '',
                `  ${mnemonic}`,
              ]),
          '',
          record.keychain
            ? 'The key is also in your OS keychain, so withdrawing needs no password here.'
            : `${keychainDisabled() ? 'The keychain is turned off' : 'This computer has no usable keychain'}; withdrawing will ask for the password.`,
        ].join('\n'),
      );
    });

  wallet
    .command('import')
    .description('Import a wallet from its recovery phrase or private key, or only a payout address with --watch-only.')
    .option('--watch-only <address>', 'only the checksummed payout address; no key on this computer')
    .option('--json', 'print machine-readable JSON')
    .action(async (options: { watchOnly?: string; json?: boolean }) => {
      const record = options.watchOnly
        ? useWatchOnlyAddress(home(), options.watchOnly)
        : await (async () => {
            const input = secretInput();
            const secret = await input.ask('Recovery phrase or private key: ');
            const password = await input.ask('New wallet password: ');
            return importWallet(home(), secret, password);
          })();
      print(
        Boolean(options.json),
        { address: record.address, mode: record.mode, keychain: record.keychain },
        `Imported ${describeRecord(record)}`,
      );
    });

  wallet
    .command('address')
    .description('Print the payout address.')
    .option('--json', 'print machine-readable JSON')
    .action((options: { json?: boolean }) => {
      const record = requireWalletRecord(home());
      print(
        Boolean(options.json),
        { address: record.address, mode: record.mode, keychain: record.keychain },
        describeRecord(record),
      );
    });

  wallet
    .command('unlock')
    .description(
      "Unlock the wallet in the running agent so it can sign in to the network (asks for the password; the key stays in the agent's memory).",
    )
    .action(async () => {
      const record = requireWalletRecord(home());
      if (record.mode === 'watch-only') {
        throw new IdlehiveError('watch_only', 'A watch-only payout address holds no key: there is nothing to unlock.');
      }
      const password = await secretInput().ask('Wallet password: ');
      const { api } = await connectToAgent(home());
      try {
        const { address } = await api.call('wallet.unlock', { password });
        process.stdout.write(`Unlocked ${address} in the agent until it stops; it can now sign in and earn.\n`);
      } finally {
        api.close();
      }
    });

  wallet
    .command('export-mnemonic')
    .description('Print the recovery phrase (asks for the wallet password).')
    .action(async () => {
      const password = await secretInput().ask('Wallet password: ');
      process.stdout.write(`${await exportMnemonic(home(), password)}\n`);
    });

  wallet
    .command('balance')
    .description('Tokens in the wallet, claimable now, being withdrawn, lifetime earned, and gas.')
    .option('--rpc <url>', 'the chain JSON-RPC endpoint (default: the chainRpcUrl setting)')
    .option('--voucher <file>', 'a saved voucher (JSON); default: the newest one the agent received')
    .option('--json', 'print machine-readable JSON')
    .action(async (options: ChainOptions & { json?: boolean }) => {
      const record = requireWalletRecord(home());
      const voucher = requireVoucher(options, home(), record.address);
      const pending = pendingResults(home());
      const report = await withSession(home(), voucher, resolveRpcUrl(home(), options.rpc), async (session) => {
        await session.service.reconcileAll();
        return readBalances(session, record.address, voucher, pending);
      });
      print(Boolean(options.json), balanceView(report), describeBalances(report));
    });

  program
    .command('withdraw')
    .description(
      'Claim everything earned to your wallet, or forward it with --to. The fee is shown before anything is signed.',
    )
    .option('--to <address>', 'a checksummed address to send the tokens to instead of this wallet')
    .option('--rpc <url>', 'the chain JSON-RPC endpoint (default: the chainRpcUrl setting)')
    .option(
      '--coordinator <url>',
      'the coordinator that relays the claim when this wallet has no gas (default: the coordinatorUrl setting, or the running local network)',
    )
    .option('--voucher <file>', 'a saved voucher (JSON); default: the newest one the agent received')
    .option('--yes', 'do not ask for confirmation')
    .option('--wait <seconds>', 'how long to wait for the transaction to be mined', waitSecondsOption, 120)
    .option(
      '--speed-up',
      'replace the withdrawal waiting for a block with the same transaction at a higher fee (asks for the password)',
    )
    .option('--json', 'print machine-readable JSON')
    .action(
      async (
        options: ChainOptions & {
          to?: string;
          coordinator?: string;
          yes?: boolean;
          wait: number;
          json?: boolean;
          speedUp?: boolean;
        },
      ) => {
        const record = requireWalletRecord(home());
        if (record.mode === 'watch-only') {
          throw new IdlehiveError(
            'watch_only',
            `This Idlehive only knows the payout address ${record.address} and holds no key; withdraw from the wallet that owns it.`,
          );
        }
        const to = options.to === undefined ? undefined : parseChecksummedAddress(options.to, 'The --to address');
        const voucher = requireVoucher(options, home(), record.address);
        if (voucher.account.toLowerCase() !== record.address.toLowerCase()) {
          throw new IdlehiveError(
            'voucher_other_account',
            `The voucher is for ${voucher.account}, not this wallet (${record.address}).`,
          );
        }
        const progress = (w: WithdrawalRecord) => process.stderr.write(`${describeWithdrawal(w)}\n`);
        const final = await withSession(
          home(),
          voucher,
          resolveRpcUrl(home(), options.rpc),
          async (session) => {
            // Finish what an earlier run left (it needs no key); a withdrawal is never started twice.
            const input = secretInput();
            const unlock = async () =>
              unlockWallet(home(), {
                password: needsPassword(home()) ? await input.ask('Wallet password: ') : undefined,
              });
            const earlier = await session.service.reconcileAll();
            let open = earlier.find((w) => w.state !== 'confirmed' && w.state !== 'failed');
            if (options.speedUp) {
              // Only an unfinished direct claim can be sped up; one that just finished says so.
              const target = open ?? earlier.at(-1);
              if (!target) {
                throw new IdlehiveError(
                  'nothing_to_speed_up',
                  'No withdrawal is waiting for a block; nothing was sent.',
                );
              }
              const signer = await unlock();
              const sped = await session.service.speedUp(target.id, signer);
              return session.service.waitUntilFinal(sped.id, {
                timeoutMs: options.wait * 1000,
                speedUpSigner: signer,
              });
            }
            // An intent whose process died before signing: sign it here. The ledger lets only one
            // signed transaction be recorded for it, and only a recorded one is ever broadcast.
            if (open?.state === 'prepared') open = await session.service.step(open.id, await unlock());
            if (open) return session.service.waitUntilFinal(open.id, { timeoutMs: options.wait * 1000 });
            // One that finished just now is this withdrawal; one that failed leaves the claim to a new one.
            const finished = earlier.findLast((w) => w.state === 'confirmed');
            if (finished) return finished;

            const plan = await session.service.plan(voucher, { to });
            process.stderr.write(`${describePlan(plan)}\n`);
            if (!options.yes && !(await input.confirm('Withdraw now?'))) {
              throw new IdlehiveError('not_confirmed', 'Nothing was withdrawn (confirm at the prompt, or pass --yes).');
            }
            const signer = await unlock();
            const started = await session.service.start(plan, signer);
            // While it waits here, a stuck claim is sped up within the cap (fee-bump.ts), with the key at hand.
            return session.service.waitUntilFinal(started.id, {
              timeoutMs: options.wait * 1000,
              speedUpSigner: signer,
            });
          },
          progress,
          coordinatorRelay(home(), options.coordinator),
        );
        if (final.state === 'failed') throw new IdlehiveError('withdrawal_failed', describeWithdrawal(final));
        const waiting =
          final.state === 'confirmed'
            ? ''
            : '\nStill waiting to be mined; it is kept in the ledger and finishes on the next `idlehive withdraw` or in the agent.';
        print(Boolean(options.json), withdrawalJson(final), `${describeWithdrawal(final)}${waiting}`);
      },
    );
}
