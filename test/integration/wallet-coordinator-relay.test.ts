/**
 * Withdrawing with no native gas through the coordinator as the relayer, on a
 * real anvil with a real coordinator process relaying from its own funded
 * account: the agent's one-click path and `idlehive withdraw` both quote the
 * fee first, the fee taken is exactly the one shown, the tokens arrive, and
 * the provider's gas balance and nonce stay 0. A fee above the signed maximum
 * or a passed deadline is refused before any transaction, the same signed
 * withdrawal submitted twice gets the same transaction, and a coordinator
 * without a chain, or whose relaying account has no gas, says it does not relay.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { homeLayout } from '../../agent/home.ts';
import { openLedger } from '../../agent/ledger/open-ledger.ts';
import { ProviderJobsRepository } from '../../agent/ledger/provider-jobs-repository.ts';
import { connectLocalApi } from '../../agent/local-api/client.ts';
import { createFileLogger } from '../../agent/logger.ts';
import { readVoucherFile } from '../../agent/wallet/voucher-input.ts';
import { WalletAgentService } from '../../agent/wallet/wallet-agent-service.ts';
import { openWalletChainSession } from '../../agent/wallet/wallet-chain-session.ts';
import { useWatchOnlyAddress } from '../../agent/wallet/wallet-keys.ts';
import type { WithdrawalProgress } from '../../agent/wallet/wallet-status.ts';
import { CoordinatorClaimRelay } from '../../network/client/coordinator-claim-relay.ts';
import { type CoordinatorProcess, spawnCoordinator } from '../../network/coordinator/spawn-coordinator.ts';
import { startCoordinator } from '../../network/coordinator/start-coordinator.ts';
import { LOCAL_RELAY_TOKEN_UNITS_PER_ETH } from '../../network/local-network/local-relayer.ts';
import { voucherDomain } from '../../network/payment/voucher.ts';
import { signWithdrawal, type WithdrawalValue } from '../../network/payment/withdrawal.ts';
import { makeTempHome, startAgentProcess, waitFor } from '../support/agent-process.ts';
import { fundGas, runCli, startWalletChain, tHIVE, type WalletChain } from '../support/wallet-chain.ts';

const PASSWORD = 'the owner of a wallet without gas';
let walletChain: WalletChain;
let coordinator: CoordinatorProcess;
let relayer: Wallet;
let dir: string;
const savedKeychain = process.env.IDLEHIVE_KEYCHAIN;

beforeAll(async () => {
  // The agent process inherits this: its key stays in the keystore, unlocked with the password.
  process.env.IDLEHIVE_KEYCHAIN = 'off';
  walletChain = await startWalletChain();
  dir = makeTempHome('idlehive-coordinator-relay-');
  relayer = new Wallet(Wallet.createRandom().privateKey);
  await fundGas(walletChain, relayer.address, tHIVE('10'));
  coordinator = await spawnCoordinator({
    dataDir: path.join(dir, 'coordinator'),
    chain: {
      chainId: walletChain.chain.chainId,
      vault: walletChain.vaultAddress,
      signerPrivateKey: walletChain.coordinator.privateKey,
      relay: {
        rpcUrl: walletChain.chain.rpcUrl,
        privateKey: relayer.privateKey,
        tokenUnitsPerNativeCoin: LOCAL_RELAY_TOKEN_UNITS_PER_ETH,
      },
    },
  });
});

afterAll(async () => {
  await coordinator?.stop();
  await walletChain?.stop();
  process.env.IDLEHIVE_KEYCHAIN = savedKeychain;
});

async function gasAndNonce(account: string): Promise<[bigint, number]> {
  return [await walletChain.provider.getBalance(account), await walletChain.provider.getTransactionCount(account)];
}

describe("the agent's one-click withdrawal with no gas", () => {
  it('quotes the fee, takes exactly that fee, pays the rest, and the provider never spends gas', async () => {
    const provider = new Wallet(Wallet.createRandom().privateKey);
    const voucherFile = await walletChain.voucherFile(dir, provider.address, tHIVE('5'));
    const home = makeTempHome('idlehive-relay-agent-');
    useWatchOnlyAddress(home, provider.address);
    const db = openLedger(path.join(home, 'ledger.sqlite'));
    const events: WithdrawalProgress[] = [];
    const service = new WalletAgentService({
      home,
      db,
      logger: createFileLogger(path.join(home, 'logs', 'agent.log')),
      rpcUrl: () => walletChain.chain.rpcUrl,
      onProgress: (progress) => events.push(progress),
      newestVoucher: async () => readVoucherFile(voucherFile),
      signer: async () => provider,
      relay: () => new CoordinatorClaimRelay(coordinator.url),
      reconcileEveryMs: 200,
    });
    service.start();
    try {
      expect(await gasAndNonce(provider.address)).toEqual([0n, 0]);
      const relayerTokensBefore = await walletChain.tokenBalance(relayer.address);
      const relayerNonceBefore = await walletChain.provider.getTransactionCount(relayer.address);

      const plan = await service.planWithdrawal();
      expect(plan).toMatchObject({ kind: 'relayed', amount: tHIVE('5').toString(), maxGasCost: null });
      const fee = BigInt(plan.relayFee as string);
      // 200k gas at anvil's ~2 gwei, 1000 tHIVE per ETH: a fraction of a tHIVE, never nothing.
      expect(fee).toBeGreaterThan(0n);
      expect(fee).toBeLessThan(tHIVE('1'));
      expect(BigInt(plan.received)).toBe(tHIVE('5') - fee);
      await expect(service.withdraw(undefined, fee - 1n)).rejects.toMatchObject({ code: 'fee_changed' });

      const started = await service.withdraw(undefined, fee);
      const confirmed = await waitFor(
        () => events.find((e) => e.id === started.id && e.state === 'confirmed'),
        30_000,
        'the relayed claim to be confirmed',
      );
      expect(confirmed).toMatchObject({ kind: 'relayed', paidFee: fee.toString() });
      expect(await walletChain.tokenBalance(provider.address)).toBe(tHIVE('5') - fee);
      expect((await walletChain.tokenBalance(relayer.address)) - relayerTokensBefore).toBe(fee);
      expect(await walletChain.provider.getTransactionCount(relayer.address)).toBe(relayerNonceBefore + 1);
      expect(await gasAndNonce(provider.address)).toEqual([0n, 0]);
    } finally {
      await service.stop();
      db.close();
    }
  });
});

describe('the agent process, wired to its coordinator', () => {
  it('withdraws over the local API with no gas, relayed by the coordinator in its settings', async () => {
    const home = makeTempHome('idlehive-relay-agent-process-');
    const created = await runCli(home, ['wallet', 'create', '--json'], `${PASSWORD}\n`);
    expect(created.code, created.stderr).toBe(0);
    const { address } = JSON.parse(created.stdout) as { address: string };
    // The voucher as the provider loop stores it after a sync with the coordinator.
    const voucherFile = await walletChain.voucherFile(dir, address, tHIVE('4'));
    const db = openLedger(homeLayout(home).ledgerFile);
    try {
      new ProviderJobsRepository(db, Date.now).saveVoucher(
        coordinator.url,
        address,
        fs.readFileSync(voucherFile, 'utf8'),
      );
    } finally {
      db.close();
    }
    const agent = await startAgentProcess(home);
    const api = await connectLocalApi({ url: agent.endpoint.apiUrl, token: agent.endpoint.token });
    try {
      await api.call('settings.set', {
        patch: { coordinatorUrl: coordinator.url, chainRpcUrl: walletChain.chain.rpcUrl },
      });
      await api.call('wallet.unlock', { password: PASSWORD });
      const events: WithdrawalProgress[] = [];
      api.on('wallet.withdrawal', (progress) => {
        events.push(progress);
      });
      const plan = await api.call('wallet.withdraw.plan', {});
      expect(plan).toMatchObject({ kind: 'relayed', amount: tHIVE('4').toString() });
      const fee = plan.relayFee as string;
      const started = await api.call('wallet.withdraw', { maxFee: fee });
      const confirmed = await waitFor(
        () => events.find((e) => e.id === started.id && e.state === 'confirmed'),
        30_000,
        'the relayed claim to be confirmed',
      );
      expect(confirmed).toMatchObject({ kind: 'relayed', paidFee: fee });
      expect(await walletChain.tokenBalance(address)).toBe(tHIVE('4') - BigInt(fee));
      expect(await gasAndNonce(address)).toEqual([0n, 0]);
    } finally {
      api.close();
      await agent.stop();
    }
  });
});

describe('two Idlehive processes on one ledger (the CLI and the agent)', () => {
  it("keeps the relayer's hash and payment when the other confirms the claim while the coordinator answers", async () => {
    const provider = new Wallet(Wallet.createRandom().privateKey);
    const voucher = readVoucherFile(await walletChain.voucherFile(dir, provider.address, tHIVE('2')));
    const ledger = path.join(makeTempHome('idlehive-relay-two-'), 'ledger.sqlite');
    const chainConfig = { rpcUrl: walletChain.chain.rpcUrl, chainId: voucher.chainId, vault: voucher.vault };
    const agentDb = openLedger(ledger);
    const cliDb = openLedger(ledger);
    try {
      // The agent's reconcile pass, with no relayer of its own, runs right when the claim has landed
      // and the coordinator's answer is on its way back: it can only confirm from the vault's nonce.
      const agentSide = openWalletChainSession(agentDb, chainConfig);
      const coordinatorRelay = new CoordinatorClaimRelay(coordinator.url);
      let id = 0;
      const cliSide = openWalletChainSession(cliDb, chainConfig, {
        relay: {
          quote: (request) => coordinatorRelay.quote(request),
          submit: async (claim) => {
            const txHash = await coordinatorRelay.submit(claim);
            await walletChain.provider.waitForTransaction(txHash, 1, 20_000);
            expect((await agentSide.service.step(id)).state).toBe('confirmed');
            return txHash;
          },
        },
      });
      const plan = await cliSide.service.plan(voucher);
      expect(plan.kind).toBe('relayed');
      id = cliSide.withdrawals.list().length + 1;
      const started = await cliSide.service.start(plan, provider);
      expect(started.id).toBe(id);
      expect(started).toMatchObject({ state: 'confirmed', paidFee: plan.relayFee, paidAmount: plan.received });
      expect(started.txHash).toMatch(/^0x[0-9a-f]{64}$/);
      const receipt = await walletChain.provider.getTransactionReceipt(started.txHash as string);
      expect(receipt?.status).toBe(1);
      expect(await gasAndNonce(provider.address)).toEqual([0n, 0]);
    } finally {
      agentDb.close();
      cliDb.close();
    }
  });
});

describe('idlehive withdraw with no gas', () => {
  it('shows the fee before confirming and the coordinator takes exactly that fee', async () => {
    const home = makeTempHome('idlehive-relay-cli-');
    const provider = new Wallet(Wallet.createRandom().privateKey);
    const imported = await runCli(home, ['wallet', 'import', '--json'], `${provider.privateKey}\n${PASSWORD}\n`);
    expect(imported.code, imported.stderr).toBe(0);
    const voucher = await walletChain.voucherFile(home, provider.address, tHIVE('3'));
    const run = await runCli(
      home,
      [
        'withdraw',
        '--voucher',
        voucher,
        '--yes',
        '--json',
        '--rpc',
        walletChain.chain.rpcUrl,
        '--coordinator',
        coordinator.url,
      ],
      `${PASSWORD}\n`,
    );
    expect(run.code, run.stderr).toBe(0);
    const shown = /Fee: ([0-9.]+) tHIVE taken by the relayer/.exec(run.stderr);
    expect(shown, run.stderr).not.toBeNull();
    const result = JSON.parse(run.stdout) as { state: string; kind: string; relayFee: string; paidFee: string };
    expect(result).toMatchObject({ state: 'confirmed', kind: 'relayed' });
    expect(result.paidFee).toBe(result.relayFee);
    expect(await walletChain.tokenBalance(provider.address)).toBe(tHIVE('3') - BigInt(result.paidFee));
    expect(await gasAndNonce(provider.address)).toEqual([0n, 0]);
  });
});

describe('what the coordinator refuses before any transaction', () => {
  async function signed(provider: Wallet, overrides: Partial<WithdrawalValue> = {}) {
    const voucher = readVoucherFile(await walletChain.voucherFile(dir, provider.address, tHIVE('2')));
    const block = await walletChain.provider.getBlock('latest');
    const withdrawal: WithdrawalValue = {
      account: provider.address,
      recipient: provider.address,
      cumulativeAmount: tHIVE('2'),
      maxFee: tHIVE('0.5'),
      deadline: BigInt((block?.timestamp ?? 0) + 3600),
      nonce: 0n,
      ...overrides,
    };
    const domain = voucherDomain(walletChain.chain.chainId, walletChain.vaultAddress);
    return {
      chainId: walletChain.chain.chainId,
      vault: walletChain.vaultAddress,
      withdrawal,
      fee: withdrawal.maxFee,
      voucherSignature: voucher.signature,
      withdrawalSignature: await signWithdrawal(provider, domain, withdrawal),
    };
  }

  it('refuses a fee above the signed maximum and a passed deadline, and answers a repeat with the same transaction', async () => {
    const relay = new CoordinatorClaimRelay(coordinator.url);
    const provider = new Wallet(Wallet.createRandom().privateKey);
    const nonceBefore = await walletChain.provider.getTransactionCount(relayer.address);

    const claim = await signed(provider);
    await expect(relay.submit({ ...claim, fee: claim.withdrawal.maxFee + 1n })).rejects.toMatchObject({
      code: 'relay_fee_above_max',
    });
    const block = await walletChain.provider.getBlock('latest');
    const expired = await signed(provider, { deadline: BigInt((block?.timestamp ?? 0) - 1) });
    await expect(relay.submit(expired)).rejects.toMatchObject({
      code: 'relay_deadline_passed',
      message: expect.stringContaining('sign a new withdrawal'),
    });
    const tooCheap = await signed(provider, { maxFee: 0n });
    await expect(relay.submit(tooCheap)).rejects.toMatchObject({ code: 'relay_fee_too_low' });
    expect(await walletChain.provider.getTransactionCount(relayer.address)).toBe(nonceBefore);
    expect(await walletChain.tokenBalance(provider.address)).toBe(0n);

    const txHash = await relay.submit(claim);
    expect(await relay.submit(claim)).toBe(txHash);
    const receipt = await walletChain.provider.waitForTransaction(txHash, 1, 20_000);
    expect(receipt?.status).toBe(1);
    expect(await relay.submit(claim)).toBe(txHash);
    expect(await walletChain.provider.getTransactionCount(relayer.address)).toBe(nonceBefore + 1);
    expect(await walletChain.tokenBalance(provider.address)).toBe(tHIVE('1.5'));
    expect(await gasAndNonce(provider.address)).toEqual([0n, 0]);
  });

  /** A quote for a fresh account's claim of one base unit, from the coordinator at url. */
  const quoteForAnyAccount = (url: string) =>
    new CoordinatorClaimRelay(url).quote({
      chainId: walletChain.chain.chainId,
      vault: walletChain.vaultAddress,
      account: Wallet.createRandom().address,
      cumulativeAmount: 1n,
    });

  it('a coordinator without a chain endpoint or relayer says it does not relay', async () => {
    const dataDir = fs.mkdtempSync(path.join(dir, 'plain-'));
    const plain = await startCoordinator({ dataDir, port: 0 });
    try {
      await expect(quoteForAnyAccount(plain.url)).rejects.toMatchObject({
        code: 'relay_unavailable',
        message: expect.stringContaining('does not relay'),
      });
    } finally {
      await plain.stop();
    }
  });

  it('a coordinator whose relaying account has no gas says so instead of quoting', async () => {
    const dataDir = fs.mkdtempSync(path.join(dir, 'broke-'));
    const broke = await startCoordinator({
      dataDir,
      port: 0,
      chain: {
        chainId: walletChain.chain.chainId,
        vault: walletChain.vaultAddress,
        signerPrivateKey: walletChain.coordinator.privateKey,
        relay: {
          rpcUrl: walletChain.chain.rpcUrl,
          privateKey: Wallet.createRandom().privateKey,
          tokenUnitsPerNativeCoin: LOCAL_RELAY_TOKEN_UNITS_PER_ETH,
        },
      },
    });
    try {
      await expect(quoteForAnyAccount(broke.url)).rejects.toMatchObject({
        code: 'relay_unavailable',
        message: expect.stringContaining('too little gas'),
      });
    } finally {
      await broke.stop();
    }
  });
});

// Last: it leaves the chain's base fee high.
describe('gas that rose between the quote and the hand-over', () => {
  it("leaves the signed withdrawal waiting with the coordinator's reason, and nothing is sent", async () => {
    const provider = new Wallet(Wallet.createRandom().privateKey);
    const voucher = readVoucherFile(await walletChain.voucherFile(dir, provider.address, tHIVE('2')));
    const db = openLedger(path.join(makeTempHome('idlehive-relay-spike-'), 'ledger.sqlite'));
    try {
      const session = openWalletChainSession(
        db,
        { rpcUrl: walletChain.chain.rpcUrl, chainId: voucher.chainId, vault: voucher.vault },
        { relay: new CoordinatorClaimRelay(coordinator.url) },
      );
      const plan = await session.service.plan(voucher);
      const relayerNonce = await walletChain.provider.getTransactionCount(relayer.address);
      await walletChain.provider.send('anvil_setNextBlockBaseFeePerGas', ['0x174876e800']); // 100 gwei
      await walletChain.provider.send('evm_mine', []);
      const started = await session.service.start(plan, provider);
      expect(started).toMatchObject({ state: 'signed', txHash: null });
      expect(started.waitingReason).toMatch(
        /^The relayer did not take the signed withdrawal yet: The fee .* no longer covers the gas/,
      );
      expect(await walletChain.provider.getTransactionCount(relayer.address)).toBe(relayerNonce);
      expect(await walletChain.tokenBalance(provider.address)).toBe(0n);
    } finally {
      db.close();
    }
  });
});
