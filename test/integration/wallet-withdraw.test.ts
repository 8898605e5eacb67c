/**
 * Withdrawals through the real `idlehive` CLI, on a real anvil chain with
 * the real PayoutVault, into real ledger files: claim, claim forwarded to
 * another address, nothing to claim, wrong password, damaged keystore. Each
 * unlock costs a second of scrypt, so the provider's wallet is imported once.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { homeLayout } from '../../agent/home.ts';
import { openLedger } from '../../agent/ledger/open-ledger.ts';
import { ProviderJobsRepository } from '../../agent/ledger/provider-jobs-repository.ts';
import { walletPaths } from '../../agent/wallet/wallet-files.ts';
import { makeTempHome } from '../support/agent-process.ts';
import { fundGas, runCli, startWalletChain, tHIVE, type WalletChain } from '../support/wallet-chain.ts';

const PASSWORD = 'provider password';
const provider = new Wallet(Wallet.createRandom().privateKey);
let walletChain: WalletChain;
let home: string;

function withdrawals(): { state: string; kind: string; tx_hash: string | null; sends: number }[] {
  const db = new Database(homeLayout(home).ledgerFile, { readonly: true });
  try {
    return db.prepare('SELECT state, kind, tx_hash, sends FROM withdrawals ORDER BY id').all() as never;
  } finally {
    db.close();
  }
}

const rpc = () => ['--rpc', walletChain.chain.rpcUrl];

beforeAll(async () => {
  walletChain = await startWalletChain();
  home = makeTempHome('idlehive-withdraw-');
  await fundGas(walletChain, provider.address, tHIVE('1'));
  const imported = await runCli(home, ['wallet', 'import', '--json'], `${provider.privateKey}\n${PASSWORD}\n`);
  expect(imported.code, imported.stderr).toBe(0);
  expect(JSON.parse(imported.stdout)).toMatchObject({ address: provider.address, keychain: false });
});

afterAll(async () => {
  await walletChain?.stop();
});

describe('idlehive withdraw on anvil', () => {
  it('says there is nothing to claim, asks for no password and sends nothing', async () => {
    const voucher = await walletChain.voucherFile(home, provider.address, 0n);
    const nonceBefore = await walletChain.provider.getTransactionCount(provider.address);
    const run = await runCli(home, ['withdraw', '--voucher', voucher, '--yes', ...rpc()]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Nothing to claim');
    expect(await walletChain.provider.getTransactionCount(provider.address)).toBe(nonceBefore);
    expect(withdrawals()).toEqual([]);
  });

  it('refuses a wrong password before writing or sending anything', async () => {
    const voucher = await walletChain.voucherFile(home, provider.address, tHIVE('10'));
    const run = await runCli(home, ['withdraw', '--voucher', voucher, '--yes', ...rpc()], 'not the password\n');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Wrong wallet password');
    expect(withdrawals()).toEqual([]);
    expect(await walletChain.tokenBalance(provider.address)).toBe(0n);
  });

  it('claims the newest voucher to the wallet, stating the fee first', async () => {
    const voucher = await walletChain.voucherFile(home, provider.address, tHIVE('10'));
    const run = await runCli(home, ['withdraw', '--voucher', voucher, '--yes', '--json', ...rpc()], `${PASSWORD}\n`);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/Fee: at most [\d.]+ ETH of gas/);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ state: 'confirmed', kind: 'claim', paidAmount: tHIVE('10').toString() });
    expect(result.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(await walletChain.tokenBalance(provider.address)).toBe(tHIVE('10'));

    const again = await runCli(home, ['withdraw', '--voucher', voucher, '--yes', ...rpc()]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('Nothing to claim');
  });

  it('forwards a claim to a checksummed external address, warning that it was never used', async () => {
    const external = Wallet.createRandom().address;
    const voucher = await walletChain.voucherFile(home, provider.address, tHIVE('15'));
    const refused = await runCli(home, [
      'withdraw',
      '--to',
      external.toLowerCase(),
      '--voucher',
      voucher,
      '--yes',
      ...rpc(),
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('no checksum');

    const run = await runCli(
      home,
      ['withdraw', '--to', external, '--voucher', voucher, '--yes', '--json', ...rpc()],
      `${PASSWORD}\n`,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('has never been used on this chain');
    expect(JSON.parse(run.stdout)).toMatchObject({ state: 'confirmed', kind: 'claim-to', recipient: external });
    expect(await walletChain.tokenBalance(external)).toBe(tHIVE('5'));
    expect(await walletChain.tokenBalance(provider.address)).toBe(tHIVE('10'));
  });

  it('shows balances: wallet tokens, claimable, lifetime and gas', async () => {
    const voucher = await walletChain.voucherFile(home, provider.address, tHIVE('18'));
    const run = await runCli(home, ['wallet', 'balance', '--voucher', voucher, '--json', ...rpc()]);
    expect(run.code, run.stderr).toBe(0);
    const balance = JSON.parse(run.stdout);
    expect(balance).toMatchObject({
      address: provider.address,
      walletTokens: tHIVE('10').toString(),
      claimable: tHIVE('3').toString(),
      lifetimeEarned: tHIVE('18').toString(),
      unavailable: null,
    });
    expect(BigInt(balance.nativeGas)).toBeGreaterThan(0n);
  });

  it('without --voucher, claims with the newest voucher the agent stored in the ledger', async () => {
    const file = await walletChain.voucherFile(home, provider.address, tHIVE('18'));
    const db = openLedger(homeLayout(home).ledgerFile);
    try {
      new ProviderJobsRepository(db, Date.now).saveVoucher(
        'http://127.0.0.1:1',
        provider.address,
        fs.readFileSync(file, 'utf8'),
      );
    } finally {
      db.close();
    }
    const balance = await runCli(home, ['wallet', 'balance', '--json', ...rpc()]);
    expect(balance.code, balance.stderr).toBe(0);
    expect(JSON.parse(balance.stdout)).toMatchObject({ claimable: tHIVE('3').toString(), pendingResults: 0 });

    const run = await runCli(home, ['withdraw', '--yes', '--json', ...rpc()], `${PASSWORD}\n`);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ state: 'confirmed', paidAmount: tHIVE('3').toString() });
    expect(await walletChain.tokenBalance(provider.address)).toBe(tHIVE('13'));
  });

  it('names a damaged keystore and leaves the file exactly as it was', async () => {
    const other = makeTempHome('idlehive-withdraw-damaged-');
    const imported = await runCli(other, ['wallet', 'import'], `${Wallet.createRandom().privateKey}\n${PASSWORD}\n`);
    expect(imported.code, imported.stderr).toBe(0);
    const { keystoreFile } = walletPaths(other);
    const damaged = fs.readFileSync(keystoreFile, 'utf8').replace(/"mac":"[0-9a-f]+"/, '"mac":"zz"');
    fs.writeFileSync(keystoreFile, damaged);
    const address = JSON.parse(fs.readFileSync(walletPaths(other).walletFile, 'utf8')).address as string;
    await fundGas(walletChain, address, tHIVE('1'));
    const voucher = await walletChain.voucherFile(path.dirname(keystoreFile), address, tHIVE('1'));
    const run = await runCli(other, ['withdraw', '--voucher', voucher, '--yes', ...rpc()], `${PASSWORD}\n`);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('is damaged');
    expect(run.stderr).toContain('The file was not changed');
    expect(fs.readFileSync(keystoreFile, 'utf8')).toBe(damaged);
  });
});
