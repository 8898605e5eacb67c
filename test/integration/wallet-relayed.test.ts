/**
 * The withdrawal service against a real anvil and a real ledger file: a
 * provider with zero native gas withdraws through a relayer (fee in tokens,
 * quoted before signing, never above the signed maximum), and a chain that
 * stops answering leaves a sent withdrawal waiting, not failed, until it
 * answers again; the agent's one-click path states the fee, refuses a higher
 * one, and reports progress.
 */
import path from 'node:path';
import { Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLedger } from '../../agent/ledger/open-ledger.ts';
import { createFileLogger } from '../../agent/logger.ts';
import { ChainRelay } from '../../agent/wallet/chain-relay.ts';
import { jsonRpc } from '../../agent/wallet/json-rpc.ts';
import { readVoucherFile } from '../../agent/wallet/voucher-input.ts';
import { WalletAgentService } from '../../agent/wallet/wallet-agent-service.ts';
import { openWalletChainSession } from '../../agent/wallet/wallet-chain-session.ts';
import { useWatchOnlyAddress } from '../../agent/wallet/wallet-keys.ts';
import type { WithdrawalProgress } from '../../agent/wallet/wallet-status.ts';
import type { WithdrawalRecord } from '../../agent/wallet/withdrawal-repository.ts';
import { anvilAccount } from '../../network/chain/anvil.ts';
import { makeTempHome } from '../support/agent-process.ts';
import { freePort } from '../support/free-port.ts';
import { fundGas, startWalletChain, tHIVE, type WalletChain } from '../support/wallet-chain.ts';

let walletChain: WalletChain;
let home: string;

beforeAll(async () => {
  walletChain = await startWalletChain();
  home = makeTempHome('idlehive-relayed-');
});

afterAll(async () => {
  await walletChain?.stop();
});

function session(rpcUrl: string, relay?: ChainRelay, progress?: WithdrawalRecord[]) {
  const db = openLedger(path.join(home, 'ledger.sqlite'));
  const opened = openWalletChainSession(
    db,
    {
      rpcUrl,
      chainId: walletChain.chain.chainId,
      vault: walletChain.vaultAddress,
      rpc: { timeoutMs: 1_000, attempts: 2, backoffMs: 50 },
    },
    { relay, onProgress: (record) => progress?.push(record) },
  );
  return { ...opened, close: () => db.close() };
}

describe('relayed claim with zero gas', () => {
  it('pays the recipient the claim less the stated fee, and the provider spends no gas', async () => {
    const provider = new Wallet(Wallet.createRandom().privateKey);
    const relayerKey = anvilAccount(2, walletChain.provider);
    const relayer = new Wallet(relayerKey.privateKey);
    const fee = tHIVE('0.5');
    const relay = new ChainRelay({ rpc: jsonRpc(walletChain.chain.rpcUrl), signer: relayer, feeTokens: fee });
    const relayerTokensBefore = await walletChain.tokenBalance(relayer.address);
    const progress: WithdrawalRecord[] = [];
    const s = session(walletChain.chain.rpcUrl, relay, progress);
    try {
      const voucher = readVoucherFile(await walletChain.voucherFile(home, provider.address, tHIVE('12')));
      expect(await walletChain.provider.getBalance(provider.address)).toBe(0n);

      const plan = await s.service.plan(voucher);
      expect(plan).toMatchObject({
        kind: 'relayed',
        amount: tHIVE('12'),
        relayFee: fee,
        received: tHIVE('11.5'),
        maxGasCost: null,
      });

      const started = await s.service.start(plan, provider);
      const final = await s.service.waitUntilFinal(started.id, { timeoutMs: 30_000, pollMs: 200 });
      expect(final).toMatchObject({ state: 'confirmed', kind: 'relayed', paidAmount: tHIVE('11.5'), paidFee: fee });
      expect(progress.map((record) => record.state)).toEqual(['prepared', 'sent', 'confirmed']);

      expect(await walletChain.tokenBalance(provider.address)).toBe(tHIVE('11.5'));
      expect((await walletChain.tokenBalance(relayer.address)) - relayerTokensBefore).toBe(fee);
      expect(await walletChain.provider.getBalance(provider.address)).toBe(0n);
      expect(await walletChain.provider.getTransactionCount(provider.address)).toBe(0);
    } finally {
      s.close();
    }
  });

  it('refuses when there is no gas and no relayer, before writing anything', async () => {
    const provider = new Wallet(Wallet.createRandom().privateKey);
    const s = session(walletChain.chain.rpcUrl);
    try {
      const voucher = readVoucherFile(await walletChain.voucherFile(home, provider.address, tHIVE('1')));
      await expect(s.service.plan(voucher)).rejects.toMatchObject({ code: 'no_gas' });
      expect(s.withdrawals.list().filter((w) => w.account === provider.address)).toEqual([]);
    } finally {
      s.close();
    }
  });
});

describe('a chain that stops answering', () => {
  it('leaves a sent withdrawal waiting with the reason, then confirms it once the chain answers', async () => {
    const provider = new Wallet(Wallet.createRandom().privateKey);
    await fundGas(walletChain, provider.address, tHIVE('1'));
    const live = session(walletChain.chain.rpcUrl);
    const deadUrl = `http://127.0.0.1:${await freePort()}`;
    const dead = session(deadUrl);
    try {
      const voucher = readVoucherFile(await walletChain.voucherFile(home, provider.address, tHIVE('4')));
      await walletChain.provider.send('evm_setAutomine', [false]);
      const started = await live.service.start(await live.service.plan(voucher), provider);
      expect(started.state).toBe('sent');

      const waiting = await dead.service.step(started.id);
      expect(waiting.state).toBe('sent');
      expect(waiting.waitingReason).toContain('did not answer');

      await walletChain.provider.send('evm_mine', []);
      const final = await live.service.waitUntilFinal(started.id, { timeoutMs: 20_000, pollMs: 200 });
      expect(final).toMatchObject({ state: 'confirmed', waitingReason: null, paidAmount: tHIVE('4'), sends: 1 });
      expect(await walletChain.tokenBalance(provider.address)).toBe(tHIVE('4'));
    } finally {
      await walletChain.provider.send('evm_setAutomine', [true]);
      live.close();
      dead.close();
    }
  });
});

describe('one-click withdrawal in the agent', () => {
  it('plans with the fee first, refuses a fee above the confirmed one, then withdraws and reports progress', async () => {
    const provider = new Wallet(Wallet.createRandom().privateKey);
    await fundGas(walletChain, provider.address, tHIVE('1'));
    const voucherFile = await walletChain.voucherFile(home, provider.address, tHIVE('7'));
    // Its own home: the balance reads the wallet file there.
    const agentHome = makeTempHome('idlehive-agent-wallet-');
    const db = openLedger(path.join(agentHome, 'ledger.sqlite'));
    const events: WithdrawalProgress[] = [];
    const service = new WalletAgentService({
      home: agentHome,
      db,
      logger: createFileLogger(path.join(agentHome, 'logs', 'agent.log')),
      rpcUrl: () => walletChain.chain.rpcUrl,
      onProgress: (progress) => events.push(progress),
      newestVoucher: async () => readVoucherFile(voucherFile),
      signer: async () => provider,
      reconcileEveryMs: 200,
    });
    service.start();
    try {
      await expect(service.balance()).rejects.toMatchObject({ code: 'no_wallet' });
      useWatchOnlyAddress(agentHome, provider.address);
      expect(await service.balance()).toMatchObject({
        claimable: tHIVE('7').toString(),
        walletTokens: '0',
        withdrawing: '0',
      });
      const plan = await service.planWithdrawal();
      expect(plan).toMatchObject({ kind: 'claim', recipient: provider.address, amount: tHIVE('7').toString() });
      const fee = BigInt(plan.maxGasCost as string);
      expect(fee).toBeGreaterThan(0n);
      await expect(service.withdraw(undefined, fee / 2n)).rejects.toMatchObject({ code: 'fee_changed' });

      const started = await service.withdraw(undefined, fee);
      expect(['sent', 'confirmed']).toContain(started.state);
      const deadline = Date.now() + 20_000;
      while (!events.some((e) => e.id === started.id && e.state === 'confirmed')) {
        if (Date.now() > deadline) throw new Error(`never confirmed: ${JSON.stringify(events)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(await walletChain.tokenBalance(provider.address)).toBe(tHIVE('7'));
      await expect(service.planWithdrawal()).rejects.toMatchObject({ code: 'nothing_to_claim' });
      expect(await service.balance()).toMatchObject({
        claimable: '0',
        walletTokens: tHIVE('7').toString(),
        lifetimeEarned: tHIVE('7').toString(),
      });
      expect(JSON.stringify(events)).not.toContain(provider.privateKey.slice(2));
    } finally {
      await service.stop();
      db.close();
    }
  });
});

describe('a claim replaced by another transaction with the same nonce', () => {
  it('is failed as replaced, pays nothing, and a new withdrawal then pays in full', async () => {
    const provider = new Wallet(Wallet.createRandom().privateKey);
    await fundGas(walletChain, provider.address, tHIVE('1'));
    const s = session(walletChain.chain.rpcUrl);
    try {
      const voucher = readVoucherFile(await walletChain.voucherFile(home, provider.address, tHIVE('3')));
      await walletChain.provider.send('evm_setAutomine', [false]);
      const started = await s.service.start(await s.service.plan(voucher), provider);
      expect(started).toMatchObject({ state: 'sent', nonce: 0 });

      // The same key, elsewhere, spends nonce 0 on something else before the claim is mined.
      await walletChain.provider.send('anvil_dropAllTransactions', []);
      const other = provider.connect(walletChain.provider);
      await other.sendTransaction({ to: provider.address, value: 0n, nonce: 0, gasLimit: 21_000n });
      await walletChain.provider.send('evm_mine', []);

      const replaced = await s.service.step(started.id);
      expect(replaced.state).toBe('failed');
      expect(replaced.failure).toContain('Replaced by another transaction');
      expect(await walletChain.tokenBalance(provider.address)).toBe(0n);

      await walletChain.provider.send('evm_setAutomine', [true]);
      const again = await s.service.start(await s.service.plan(voucher), provider);
      const final = await s.service.waitUntilFinal(again.id, { timeoutMs: 20_000, pollMs: 200 });
      expect(final).toMatchObject({ state: 'confirmed', nonce: 1, paidAmount: tHIVE('3') });
      expect(await walletChain.tokenBalance(provider.address)).toBe(tHIVE('3'));
    } finally {
      await walletChain.provider.send('evm_setAutomine', [true]);
      s.close();
    }
  });
});
