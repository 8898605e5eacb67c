/**
 * A real anvil chain with tHIVE and a funded PayoutVault, a coordinator key
 * that signs vouchers, and helpers to run the real `idlehive` CLI against it:
 * what the wallet integration tests share.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { type Contract, type JsonRpcProvider, parseUnits, Wallet } from 'ethers';
import { type AnvilChain, anvilAccount, anvilProvider, startAnvil } from '../../network/chain/anvil.ts';
import { deployLocalPayout } from '../../network/chain/deploy.ts';
import { signVoucher, voucherDomain } from '../../network/payment/voucher.ts';
import type { Voucher } from '../../network/wire/earnings.ts';
import { CLI, REPO_ROOT } from './agent-process.ts';

export const tHIVE = (amount: string): bigint => parseUnits(amount, 18);

export interface WalletChain {
  chain: AnvilChain;
  provider: JsonRpcProvider;
  vault: Contract;
  token: Contract;
  vaultAddress: string;
  coordinator: Wallet;
  /** Signs a voucher for `account` and writes it where `--voucher` can read it. */
  voucherFile(dir: string, account: string, cumulative: bigint): Promise<string>;
  tokenBalance(account: string): Promise<bigint>;
  stop(): Promise<void>;
}

export async function startWalletChain(funding = tHIVE('1000')): Promise<WalletChain> {
  const chain = await startAnvil();
  const provider = anvilProvider(chain);
  const coordinator = new Wallet(Wallet.createRandom().privateKey);
  const deployment = await deployLocalPayout(anvilAccount(0, provider), {
    voucherSigner: coordinator.address,
    initialFunding: funding,
  });
  let written = 0;
  return {
    chain,
    provider,
    vault: deployment.vault,
    token: deployment.token,
    vaultAddress: deployment.vaultAddress,
    coordinator,
    async voucherFile(dir, account, cumulative) {
      const signature = await signVoucher(coordinator, voucherDomain(chain.chainId, deployment.vaultAddress), {
        account,
        cumulativeAmount: cumulative,
      });
      const voucher: Voucher = {
        account,
        cumulativeAmount: cumulative.toString(),
        signature,
        signer: coordinator.address,
        chainId: chain.chainId,
        vault: deployment.vaultAddress,
        signedAt: Date.now(),
      };
      const file = path.join(dir, `voucher-${++written}.json`);
      fs.writeFileSync(file, JSON.stringify(voucher));
      return file;
    },
    async tokenBalance(account) {
      return BigInt(await deployment.token.getFunction('balanceOf')(account));
    },
    async stop() {
      provider.destroy();
      await chain.stop();
    },
  };
}

/** Sends native coin for gas from one of anvil's funded accounts. */
export async function fundGas(walletChain: WalletChain, to: string, amount: bigint, from = 1): Promise<void> {
  const sender = anvilAccount(from, walletChain.provider);
  await (await sender.sendTransaction({ to, value: amount })).wait();
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliProcess {
  pid: number;
  stderr(): string;
  kill(): Promise<void>;
  done: Promise<CliRun>;
}

/** Starts `idlehive --home HOME ...args` with `stdinText` piped in (the keychain off, as on a machine without one). */
export function startCli(home: string, args: string[], stdinText = ''): CliProcess {
  const child = spawn(process.execPath, [CLI, '--home', home, ...args], {
    cwd: REPO_ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, IDLEHIVE_HOME: undefined, IDLEHIVE_KEYCHAIN: 'off' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  child.stdin.end(stdinText);
  const done = new Promise<CliRun>((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
  return {
    pid: child.pid ?? -1,
    stderr: () => stderr,
    async kill() {
      child.kill('SIGKILL');
      await done;
    },
    done,
  };
}

export function runCli(home: string, args: string[], stdinText = ''): Promise<CliRun> {
  return startCli(home, args, stdinText).done;
}
