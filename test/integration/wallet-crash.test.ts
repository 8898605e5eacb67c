/**
 * The withdrawal that must never be lost or doubled: on anvil with automine
 * off, the real CLI broadcasts a claim and is killed with SIGKILL while the
 * claim waits for a block. The restarted command gets no password, so it
 * cannot sign anything: it must finish the withdrawal from the ledger alone,
 * re-sending the very same raw transaction when the node forgot it, and
 * exactly one claim lands.
 */
import Database from 'better-sqlite3';
import { Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { homeLayout } from '../../agent/home.ts';
import { makeTempHome, waitFor } from '../support/agent-process.ts';
import { fundGas, runCli, startCli, startWalletChain, tHIVE, type WalletChain } from '../support/wallet-chain.ts';

const PASSWORD = 'provider password';
const provider = new Wallet(Wallet.createRandom().privateKey);
let walletChain: WalletChain;
let home: string;

interface Row {
  id: number;
  state: string;
  nonce: number | null;
  raw_tx: string | null;
  tx_hash: string | null;
  sends: number;
}

function rows(): Row[] {
  const db = new Database(homeLayout(home).ledgerFile, { readonly: true });
  try {
    return db.prepare('SELECT id, state, nonce, raw_tx, tx_hash, sends FROM withdrawals ORDER BY id').all() as Row[];
  } finally {
    db.close();
  }
}

async function claimedEvents(): Promise<number> {
  const filter = walletChain.vault.filters.Claimed?.(provider.address);
  if (!filter) throw new Error('the vault ABI has no Claimed event');
  return (await walletChain.vault.queryFilter(filter, 0, 'latest')).length;
}

const rpc = () => ['--rpc', walletChain.chain.rpcUrl];
const send = (method: string, params: unknown[] = []) => walletChain.provider.send(method, params);

beforeAll(async () => {
  walletChain = await startWalletChain();
  home = makeTempHome('idlehive-withdraw-crash-');
  await fundGas(walletChain, provider.address, tHIVE('1'));
  const imported = await runCli(home, ['wallet', 'import'], `${provider.privateKey}\n${PASSWORD}\n`);
  expect(imported.code, imported.stderr).toBe(0);
});

afterAll(async () => {
  await walletChain?.stop();
});

/** Starts a withdrawal with automine off and SIGKILLs the CLI once its claim is broadcast. */
async function broadcastThenKill(voucher: string): Promise<Row> {
  await send('evm_setAutomine', [false]);
  const cli = startCli(home, ['withdraw', '--voucher', voucher, '--yes', ...rpc()], `${PASSWORD}\n`);
  await waitFor(() => (/: sent/.test(cli.stderr()) ? true : null), 60_000, 'the claim to be broadcast');
  await cli.kill();
  const open = rows().filter((row) => row.state === 'sent');
  expect(open).toHaveLength(1);
  return open[0] as Row;
}

/** Restarts without a password, mines once the transaction is in the mempool, and returns the CLI's result. */
async function restartAndMine(voucher: string, expectedHash: string) {
  const restarted = startCli(home, ['withdraw', '--voucher', voucher, '--json', ...rpc()]);
  const deadline = Date.now() + 60_000;
  while ((await send('eth_getTransactionByHash', [expectedHash])) === null) {
    if (Date.now() > deadline)
      throw new Error(`the restarted CLI never re-sent ${expectedHash}:\n${restarted.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await send('evm_mine');
  await send('evm_setAutomine', [true]);
  return restarted.done;
}

describe('kill -9 during a withdrawal (automine off)', () => {
  it('re-sends the same raw transaction after the node dropped it, and exactly one claim lands', async () => {
    const voucher = await walletChain.voucherFile(home, provider.address, tHIVE('20'));
    const nonceBefore = await walletChain.provider.getTransactionCount(provider.address);
    const sent = await broadcastThenKill(voucher);
    expect(sent.raw_tx).toMatch(/^0x02/);
    expect(sent.nonce).toBe(nonceBefore);
    expect(await send('eth_getTransactionByHash', [sent.tx_hash])).not.toBeNull();

    // The node forgets the pending claim, as a restarted or congested node would.
    await send('anvil_dropAllTransactions');
    expect(await send('eth_getTransactionByHash', [sent.tx_hash])).toBeNull();

    const run = await restartAndMine(voucher, sent.tx_hash as string);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ state: 'confirmed', txHash: sent.tx_hash, nonce: nonceBefore });

    const [after] = rows();
    expect(after).toMatchObject({ state: 'confirmed', raw_tx: sent.raw_tx, tx_hash: sent.tx_hash, sends: 2 });
    expect(rows()).toHaveLength(1);
    expect(await walletChain.provider.getTransactionCount(provider.address)).toBe(nonceBefore + 1);
    expect(await walletChain.tokenBalance(provider.address)).toBe(tHIVE('20'));
    expect(await claimedEvents()).toBe(1);
  });

  it('waits for the same transaction when it is still pending, and never starts a second withdrawal', async () => {
    const voucher = await walletChain.voucherFile(home, provider.address, tHIVE('26'));
    const nonceBefore = await walletChain.provider.getTransactionCount(provider.address);
    const sent = await broadcastThenKill(voucher);

    const run = await restartAndMine(voucher, sent.tx_hash as string);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ state: 'confirmed', txHash: sent.tx_hash });
    expect(rows()).toHaveLength(2);
    expect(rows()[1]).toMatchObject({ state: 'confirmed', tx_hash: sent.tx_hash, sends: 1 });
    expect(await walletChain.provider.getTransactionCount(provider.address)).toBe(nonceBefore + 1);
    expect(await walletChain.tokenBalance(provider.address)).toBe(tHIVE('26'));
    expect(await claimedEvents()).toBe(2);
  });
});
