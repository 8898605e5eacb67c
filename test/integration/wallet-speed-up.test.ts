/**
 * Fee bumps on a real anvil with automine off: a claim that waits unmined is
 * replaced by the same transaction (same nonce) at a higher fee, by the owner
 * (`idlehive withdraw --speed-up`, `wallet.withdraw.speedUp`) or by the agent
 * on its own when the base fee rises above what the claim offers. Every
 * transaction is recorded in the ledger before it is broadcast; exactly one
 * claim lands, whichever transaction carried it. A process SIGKILLed between
 * recording a replacement and broadcasting it (held there by an RPC gate) is
 * finished by a restart without the password.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Transaction, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { homeLayout } from '../../agent/home.ts';
import { openLedger } from '../../agent/ledger/open-ledger.ts';
import { readVoucherFile } from '../../agent/wallet/voucher-input.ts';
import { openWalletChainSession } from '../../agent/wallet/wallet-chain-session.ts';
import { type AgentProcess, makeTempHome, startAgentProcess, waitFor } from '../support/agent-process.ts';
import { collectFrames, eventFrame, openRaw } from '../support/raw-socket.ts';
import { startRpcGate } from '../support/rpc-gate.ts';
import { fundGas, runCli, startCli, startWalletChain, tHIVE, type WalletChain } from '../support/wallet-chain.ts';

const PASSWORD = 'speed it up password';
let walletChain: WalletChain;
const savedKeychain = process.env.IDLEHIVE_KEYCHAIN;

interface TxRow {
  withdrawal_id: number;
  attempt: number;
  raw_tx: string;
  tx_hash: string;
  max_fee_per_gas: string;
  max_priority_fee_per_gas: string;
}

function ledger<T>(home: string, read: (db: Database.Database) => T): T {
  const db = new Database(homeLayout(home).ledgerFile, { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

const withdrawals = (home: string) =>
  ledger(
    home,
    (db) =>
      db.prepare('SELECT id, state, nonce, tx_hash, raw_tx FROM withdrawals ORDER BY id').all() as {
        id: number;
        state: string;
        nonce: number;
        tx_hash: string;
        raw_tx: string;
      }[],
  );
const transactions = (home: string) =>
  ledger(
    home,
    (db) => db.prepare('SELECT * FROM withdrawal_transactions ORDER BY withdrawal_id, attempt').all() as TxRow[],
  );

/** Like waitFor, for a probe that asks the chain. */
async function until<T>(probe: () => Promise<T | null | undefined>, timeoutMs: number, what: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const TEST_TIMEOUT_MS = 180_000;

const send = (method: string, params: unknown[] = []) => walletChain.provider.send(method, params);
const known = async (hash: string) => (await send('eth_getTransactionByHash', [hash])) !== null;

async function claimedEvents(account: string): Promise<number> {
  const filter = walletChain.vault.filters.Claimed?.(account);
  if (!filter) throw new Error('the vault ABI has no Claimed event');
  return (await walletChain.vault.queryFilter(filter, 0, 'latest')).length;
}

/** A wallet imported in a fresh home, with gas. */
async function providerHome(prefix: string): Promise<{ home: string; provider: Wallet }> {
  const provider = new Wallet(Wallet.createRandom().privateKey);
  const home = makeTempHome(prefix);
  await fundGas(walletChain, provider.address, tHIVE('1'));
  const imported = await runCli(home, ['wallet', 'import'], `${provider.privateKey}\n${PASSWORD}\n`);
  expect(imported.code, imported.stderr).toBe(0);
  return { home, provider };
}

/** With automine off, `idlehive withdraw` broadcasts the claim and is SIGKILLed while it waits for a block. */
async function stuckClaim(home: string, voucher: string): Promise<TxRow> {
  await send('evm_setAutomine', [false]);
  const cli = startCli(
    home,
    ['withdraw', '--voucher', voucher, '--yes', '--rpc', walletChain.chain.rpcUrl],
    `${PASSWORD}\n`,
  );
  await waitFor(() => (/: sent/.test(cli.stderr()) ? true : null), 60_000, 'the claim to be broadcast');
  await cli.kill();
  const [first] = transactions(home).slice(-1);
  if (!first) throw new Error('no transaction recorded');
  expect(await known(first.tx_hash)).toBe(true);
  return first;
}

function expectReplacement(previous: TxRow, next: TxRow): void {
  const a = Transaction.from(previous.raw_tx);
  const b = Transaction.from(next.raw_tx);
  expect(b.nonce).toBe(a.nonce);
  expect(b.data).toBe(a.data);
  expect(b.to).toBe(a.to);
  // At least +12.5 % on both fees, as nodes require of a replacement.
  expect((b.maxFeePerGas as bigint) * 8n >= (a.maxFeePerGas as bigint) * 9n).toBe(true);
  expect((b.maxPriorityFeePerGas as bigint) * 8n >= (a.maxPriorityFeePerGas as bigint) * 9n).toBe(true);
  expect(BigInt(next.max_fee_per_gas)).toBe(b.maxFeePerGas);
}

beforeAll(async () => {
  process.env.IDLEHIVE_KEYCHAIN = 'off';
  walletChain = await startWalletChain();
});

afterAll(async () => {
  await walletChain?.stop();
  process.env.IDLEHIVE_KEYCHAIN = savedKeychain;
});

describe('idlehive withdraw --speed-up (automine off)', { timeout: TEST_TIMEOUT_MS }, () => {
  it('replaces the stuck claim with the same nonce at a higher fee; one claim lands and the ledger keeps both', async () => {
    const { home, provider } = await providerHome('idlehive-speed-up-');
    const voucher = await walletChain.voucherFile(home, provider.address, tHIVE('12'));
    const first = await stuckClaim(home, voucher);

    const sped = startCli(
      home,
      ['withdraw', '--voucher', voucher, '--speed-up', '--json', '--rpc', walletChain.chain.rpcUrl],
      `${PASSWORD}\n`,
    );
    const bumped = await until(
      async () => {
        const row = transactions(home).find((tx) => tx.attempt === 2);
        return row && (await known(row.tx_hash)) ? row : null;
      },
      60_000,
      () => `the replacement to reach the node:\n${sped.stderr()}`,
    );
    expectReplacement(first, bumped);
    // The node holds the replacement only: the first is gone from its mempool, so it can never be mined too.
    expect(await known(first.tx_hash)).toBe(false);
    await waitFor(() => (/replaced once with a higher fee/.test(sped.stderr()) ? true : null), 30_000, 'the status');

    await send('evm_mine');
    await send('evm_setAutomine', [true]);
    const run = await sped.done;
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      state: 'confirmed',
      txHash: bumped.tx_hash,
      speedUps: 1,
      transactions: [
        { txHash: first.tx_hash, outcome: 'not-mined' },
        { txHash: bumped.tx_hash, outcome: 'mined' },
      ],
    });
    expect(withdrawals(home)).toMatchObject([{ state: 'confirmed', tx_hash: bumped.tx_hash, raw_tx: bumped.raw_tx }]);
    // What the command printed names hashes and fees, never the key or the password.
    for (const secret of [provider.privateKey.slice(2), PASSWORD])
      expect(run.stdout + run.stderr).not.toContain(secret);
    expect(transactions(home).map((tx) => tx.tx_hash)).toEqual([first.tx_hash, bumped.tx_hash]);
    expect(await walletChain.tokenBalance(provider.address)).toBe(tHIVE('12'));
    expect(await claimedEvents(provider.address)).toBe(1);
    expect(await walletChain.provider.getTransactionCount(provider.address)).toBe(1);

    // Nothing is waiting now: a second speed-up says so and sends nothing.
    const again = await runCli(
      home,
      ['withdraw', '--voucher', voucher, '--speed-up', '--rpc', walletChain.chain.rpcUrl],
      `${PASSWORD}\n`,
    );
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/No withdrawal is waiting for a block; nothing was sent/);
    expect(transactions(home)).toHaveLength(2);
  });
});

/**
 * `withdraw --speed-up` through an RPC gate that holds every broadcast, killed once the replacement is
 * recorded in the ledger and on its way: the bump exists only in the ledger. Returns its row.
 */
async function killedWithBumpRecorded(home: string, voucher: string, gate: Awaited<ReturnType<typeof startRpcGate>>) {
  gate.hold('eth_sendRawTransaction');
  const sped = startCli(home, ['withdraw', '--voucher', voucher, '--speed-up', '--rpc', gate.url], `${PASSWORD}\n`);
  const bumped = await waitFor(
    () => (gate.held('eth_sendRawTransaction').length > 0 ? transactions(home).find((tx) => tx.attempt === 2) : null),
    60_000,
    `the replacement to be recorded and on its way:\n${sped.stderr()}`,
  );
  await sped.kill();
  return bumped;
}

describe('kill -9 between recording a fee bump and broadcasting it', { timeout: TEST_TIMEOUT_MS }, () => {
  it('the restart, given no password, broadcasts the recorded replacement and exactly one claim lands', async () => {
    const { home, provider } = await providerHome('idlehive-speed-up-kill-');
    const voucher = await walletChain.voucherFile(home, provider.address, tHIVE('7'));
    const first = await stuckClaim(home, voucher);

    const gate = await startRpcGate(walletChain.chain.rpcUrl);
    try {
      const bumped = await killedWithBumpRecorded(home, voucher, gate);
      expect(await known(bumped.tx_hash)).toBe(false);
      expect(await known(first.tx_hash)).toBe(true);
      expectReplacement(first, bumped);

      const restarted = startCli(home, ['withdraw', '--voucher', voucher, '--json', '--rpc', walletChain.chain.rpcUrl]);
      await until(
        async () => ((await known(bumped.tx_hash)) ? true : null),
        60_000,
        () => 'the recorded replacement sent',
      );
      expect(await known(first.tx_hash)).toBe(false);
      await send('evm_mine');
      await send('evm_setAutomine', [true]);
      const run = await restarted.done;
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ state: 'confirmed', txHash: bumped.tx_hash, speedUps: 1 });
      expect(transactions(home).map((tx) => tx.tx_hash)).toEqual([first.tx_hash, bumped.tx_hash]);
      expect(withdrawals(home)).toHaveLength(1);
      expect(await walletChain.tokenBalance(provider.address)).toBe(tHIVE('7'));
      expect(await claimedEvents(provider.address)).toBe(1);
      expect(await walletChain.provider.getTransactionCount(provider.address)).toBe(1);
    } finally {
      await gate.close();
      await send('evm_setAutomine', [true]);
    }
  });

  it('when the first transaction is mined before the replacement was sent, the first confirms it and nothing is re-sent', async () => {
    const { home, provider } = await providerHome('idlehive-speed-up-first-');
    const voucher = await walletChain.voucherFile(home, provider.address, tHIVE('5'));
    const first = await stuckClaim(home, voucher);

    const gate = await startRpcGate(walletChain.chain.rpcUrl);
    try {
      const bumped = await killedWithBumpRecorded(home, voucher, gate);
      await send('evm_mine');
      await send('evm_setAutomine', [true]);

      const run = await runCli(home, ['withdraw', '--voucher', voucher, '--json', '--rpc', walletChain.chain.rpcUrl]);
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({
        state: 'confirmed',
        txHash: first.tx_hash,
        transactions: [
          { txHash: first.tx_hash, outcome: 'mined' },
          { txHash: bumped.tx_hash, outcome: 'not-mined' },
        ],
      });
      expect(await known(bumped.tx_hash)).toBe(false);
      expect(await walletChain.tokenBalance(provider.address)).toBe(tHIVE('5'));
      expect(await claimedEvents(provider.address)).toBe(1);
    } finally {
      await gate.close();
      await send('evm_setAutomine', [true]);
    }
  });
});

describe('the agent speeds a claim up by itself, and on request', { timeout: TEST_TIMEOUT_MS }, () => {
  let agent: AgentProcess | undefined;
  let socket: WebSocket | undefined;

  afterAll(async () => {
    socket?.close();
    await agent?.stop();
  });

  it('after a base-fee spike priced it out, then on wallet.withdraw.speedUp; one claim lands and no secret shows', async () => {
    const { home, provider } = await providerHome('idlehive-speed-up-agent-');
    agent = await startAgentProcess(home);
    const opened = await openRaw(agent.endpoint.apiUrl, { token: agent.endpoint.token });
    if (!opened.socket) throw new Error(`could not connect to the agent: ${opened.httpStatus}`);
    socket = opened.socket;
    const frames = collectFrames(socket);
    let nextId = 1;
    const call = async (method: string, params: unknown = {}) => {
      const id = nextId++;
      socket?.send(JSON.stringify({ id, method, params }));
      const reply = await waitFor(
        () => frames.find((f) => (f as { id?: number }).id === id) as { result?: unknown; error?: unknown } | undefined,
        30_000,
        `the reply to ${method}`,
      );
      if (reply.error) throw new Error(JSON.stringify(reply.error));
      return reply.result;
    };
    await call('settings.set', { patch: { chainRpcUrl: walletChain.chain.rpcUrl } });
    // Locked, the agent cannot sign a replacement: speedUp says so.
    const voucher = await walletChain.voucherFile(home, provider.address, tHIVE('9'));
    const first = await stuckClaim(home, voucher);
    await expect(call('wallet.withdraw.speedUp', {})).rejects.toThrow(/wallet_locked/);
    const unlocked = await runCli(home, ['wallet', 'unlock'], `${PASSWORD}\n`);
    expect(unlocked.code, unlocked.stderr).toBe(0);

    // The base fee jumps above what the claim offers: anvil drops it, and would refuse it again.
    const base = BigInt((await send('eth_getBlockByNumber', ['latest', false])).baseFeePerGas);
    const offered = Transaction.from(first.raw_tx).maxFeePerGas as bigint;
    await send('anvil_setNextBlockBaseFeePerGas', [`0x${(offered + base).toString(16)}`]);
    await send('evm_mine');
    expect(await known(first.tx_hash)).toBe(false);

    const running = agent;
    const auto = await until(
      async () => {
        const row = transactions(home).find((tx) => tx.attempt === 2);
        return row && (await known(row.tx_hash)) ? row : null;
      },
      60_000,
      () => `the agent to speed the claim up:\n${running.output()}`,
    );
    expectReplacement(first, auto);
    expect(BigInt(auto.max_fee_per_gas) > offered + base).toBe(true);
    await waitFor(
      () =>
        eventFrame<{ speedUps: number; txHash: string }>(
          frames,
          'wallet.withdrawal',
          (data) => data.speedUps === 1 && data.txHash === auto.tx_hash,
        ),
      30_000,
      'the sped-up progress event',
    );

    // The owner asks for more: a third transaction, same nonce, higher again.
    const asked = (await call('wallet.withdraw.speedUp', {})) as { speedUps: number; txHash: string };
    expect(asked.speedUps).toBe(2);
    const third = transactions(home).find((tx) => tx.attempt === 3);
    if (!third) throw new Error('the requested speed-up was not recorded');
    expectReplacement(auto, third);
    expect(asked.txHash).toBe(third.tx_hash);

    await send('evm_mine');
    await send('evm_setAutomine', [true]);
    await waitFor(
      () => eventFrame<{ state: string }>(frames, 'wallet.withdrawal', (data) => data.state === 'confirmed'),
      30_000,
      'the confirmed withdrawal event',
    );
    const status = (await call('wallet.status')) as {
      withdrawals: { state: string; txHash: string; speedUps: number; transactions: { outcome: string }[] }[];
    };
    expect(status.withdrawals[0]).toMatchObject({ state: 'confirmed', txHash: third.tx_hash, speedUps: 2 });
    expect(status.withdrawals[0]?.transactions.map((tx) => tx.outcome)).toEqual(['not-mined', 'not-mined', 'mined']);
    expect(await walletChain.tokenBalance(provider.address)).toBe(tHIVE('9'));
    expect(await claimedEvents(provider.address)).toBe(1);

    // No key material and no password in the traffic or the log along the speed-up paths; nor signed bytes.
    const traffic = JSON.stringify(frames);
    const log = fs.readFileSync(homeLayout(home).logFile, 'utf8');
    for (const secret of [provider.privateKey, provider.privateKey.slice(2), PASSWORD, third.raw_tx.slice(2)]) {
      expect(traffic).not.toContain(secret);
      expect(log).not.toContain(secret);
      expect(agent.output()).not.toContain(secret);
    }
  });
});

describe("the owner's fee cap (withdrawalMaxGasPriceGwei)", { timeout: TEST_TIMEOUT_MS }, () => {
  it('shows the cost at the cap before confirming, bumps up to it and no further, and says so', async () => {
    const provider = new Wallet(Wallet.createRandom().privateKey);
    await fundGas(walletChain, provider.address, tHIVE('1'));
    const dir = makeTempHome('idlehive-fee-cap-');
    const db = openLedger(path.join(dir, 'ledger.sqlite'));
    const base = BigInt((await send('eth_getBlockByNumber', ['latest', false])).baseFeePerGas);
    const offered = 2n * base + BigInt(await send('eth_maxPriorityFeePerGas'));
    // A cap 20 % above what the claim offers now: room for one bump of +12.5 %, not for a second.
    const capWei = (offered * 6n) / 5n;
    const capGwei = Number(capWei) / 1e9;
    const open = (feeCapGwei: number | null) =>
      openWalletChainSession(
        db,
        { rpcUrl: walletChain.chain.rpcUrl, chainId: walletChain.chain.chainId, vault: walletChain.vaultAddress },
        { feeCapGwei },
      );
    try {
      const voucher = readVoucherFile(await walletChain.voucherFile(dir, provider.address, tHIVE('4')));
      // A cap below the base fee refuses before anything is written.
      await expect(open(Number(base) / 1e9 / 2).service.plan(voucher)).rejects.toMatchObject({
        code: 'fee_cap_too_low',
      });

      const { service, withdrawals } = open(capGwei);
      const plan = await service.plan(voucher);
      expect(plan.feeCapPerGas).toBe(capWei);
      expect(plan.maxGasCostWithSpeedUps).toBe(((plan.maxGasCost as bigint) * capWei) / offered);

      await send('evm_setAutomine', [false]);
      const started = await service.start(plan, provider);
      expect(started.state).toBe('sent');
      const once = await service.speedUp(started.id, provider);
      const bumped = once.transactions.at(-1)?.maxFeePerGas as bigint;
      expect(bumped * 8n >= offered * 9n && bumped <= capWei).toBe(true);
      await expect(service.speedUp(started.id, provider)).rejects.toThrow(
        /already pays the most allowed .* the withdrawalMaxGasPriceGwei setting/,
      );
      expect(withdrawals.require(started.id).transactions).toHaveLength(2);

      await send('evm_mine');
      const final = await service.waitUntilFinal(started.id, { timeoutMs: 20_000, pollMs: 200 });
      expect(final).toMatchObject({ state: 'confirmed', txHash: once.txHash, paidAmount: tHIVE('4') });
    } finally {
      await send('evm_setAutomine', [true]);
      db.close();
    }
  });
});
