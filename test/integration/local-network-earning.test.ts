/**
 * The end-to-end check on the local network `npm start` runs: the
 * real anvil, vault and coordinator, the demo requester's real jobs (Silero
 * VAD batches, Iris training) and the honest peer provider, plus
 *  - a fresh agent process with a new wallet (keystore only), unlocked over
 *    the local API, its owner away (the shell's idle report every 250 ms),
 *    pointed at the network with `idlehive agent --network --chain-rpc`;
 *  - a dishonest provider that runs every job it leases and changes the
 *    outputs before submitting.
 * The agent must earn from at least 3 verified jobs, the cheater must be
 * caught and earn nothing, and the agent's voucher, claimed with
 * `idlehive withdraw`, must move exactly that many tokens to its wallet, as
 * the agent itself reads from the chain it was given.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Contract, HDNodeWallet, parseEther, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectLocalApi, type LocalApiConnection } from '../../agent/local-api/client.ts';
import { createWallet } from '../../agent/wallet/wallet-keys.ts';
import type { BalanceView } from '../../agent/wallet/wallet-status.ts';
import { anvilAccount, anvilProvider } from '../../network/chain/anvil.ts';
import { testTokenArtifact } from '../../network/chain/contract-artifacts.ts';
import { ProviderClient } from '../../network/client/provider-client.ts';
import { type LocalNetwork, startLocalNetwork } from '../../network/local-network/start-local-network.ts';
import { NetworkError } from '../../network/wire/errors.ts';
import { type AgentProcess, makeTempHome, startAgentProcess, waitFor } from '../support/agent-process.ts';
import { runCli } from '../support/wallet-chain.ts';
import { cpuProfile } from './coordinator-fixtures.ts';
import { runLease } from './coordinator-test-provider.ts';

const PASSWORD = 'correct horse battery staple';
const NO_KEYCHAIN = { store: () => false, read: () => null, remove: () => {} };
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'idlehive-local-network-'));
const notices: string[] = [];
let network: LocalNetwork;
let agent: AgentProcess;
let api: LocalApiConnection;
let agentWallet: HDNodeWallet;
let awayTimer: NodeJS.Timeout | undefined;
let cheater: ReturnType<typeof startCheater>;

/** Leases and runs whatever it gets, always tampering with the outputs, until it is stopped or suspended. */
function startCheater(coordinatorUrl: string) {
  let stopped = false;
  let submitted = 0;
  let suspended = false;
  const registered = ProviderClient.register({
    baseUrl: coordinatorUrl,
    wallet: Wallet.createRandom(),
    profile: cpuProfile(),
  });
  const loop = (async () => {
    const client = await registered;
    while (!stopped) {
      try {
        const lease = (await client.lease(1)).leases[0];
        if (lease === undefined) {
          await new Promise((resolve) => setTimeout(resolve, 500));
          continue;
        }
        await runLease(client, lease, { dishonest: true });
        submitted += 1;
      } catch (error) {
        if (error instanceof NetworkError && error.code === 'provider_suspended') {
          suspended = true;
          return;
        }
        throw error;
      }
    }
  })();
  return {
    earnings: async () => (await registered).earnings(),
    submitted: () => submitted,
    suspended: () => suspended,
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

beforeAll(async () => {
  network = await startLocalNetwork({
    dataDir,
    log: { notice: (message) => notices.push(message), info: () => {}, warn: () => {} },
  });
  const home = makeTempHome('idlehive-local-network-agent-');
  const created = await createWallet(home, PASSWORD, NO_KEYCHAIN);
  agentWallet = HDNodeWallet.fromPhrase(created.mnemonic);
  expect(agentWallet.address).toBe(created.record.address);
  process.env.IDLEHIVE_KEYCHAIN = 'off';
  agent = await startAgentProcess(home, [
    '--port',
    '0',
    '--network',
    network.coordinatorUrl,
    '--chain-rpc',
    network.chain.rpcUrl,
  ]);
  api = await connectLocalApi({ url: agent.endpoint.apiUrl, token: agent.endpoint.token });
  await api.call('wallet.unlock', { password: PASSWORD });
  // This machine is shared (and runs the peer and the cheater too): other programs' load must not pause the agent here.
  await api.call('scheduler.policy.set', { patch: { cpuBusyPercent: null } });
  // The owner is away, as the desktop shell reports it while earning.
  awayTimer = setInterval(() => {
    void api
      .call('signals.shell.report', { signals: { hasInputSource: true, idleSeconds: 600, isOnBattery: false } })
      .catch(() => {});
  }, 250);
  cheater = startCheater(network.coordinatorUrl);
}, 90_000);

afterAll(async () => {
  clearInterval(awayTimer);
  await cheater?.stop().catch(() => {});
  api?.close();
  await agent?.stop();
  await network?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function waitForBalance(test: (balance: BalanceView) => boolean, what: string): Promise<BalanceView> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const balance = await api.call('wallet.balance', {}).catch(() => null);
    if (balance !== null && test(balance)) return balance;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last balance ${JSON.stringify(balance)}`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

/** An observer session with the agent's own key, to read what the coordinator credited it. */
async function agentEarnings() {
  const observer = await ProviderClient.register({
    baseUrl: network.coordinatorUrl,
    wallet: agentWallet,
    profile: cpuProfile(),
  });
  return { earnings: await observer.earnings(), voucher: await observer.voucher() };
}

describe('the local network, end to end', () => {
  it('starts fresh without a word, on a chain whose vault trusts the coordinator', () => {
    expect(notices).toEqual([]);
    expect(network.chain.chainId).toBe(31337);
  });

  it('pays the agent for at least 3 verified jobs and the cheater for none', async () => {
    let seen = await agentEarnings();
    const deadline = Date.now() + 240_000;
    while (seen.earnings.results.valid < 3) {
      if (Date.now() > deadline) {
        throw new Error(`the agent has ${JSON.stringify(seen.earnings.results)} after 4 minutes:\n${agent.output()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      seen = await agentEarnings();
    }
    expect(BigInt(seen.earnings.cumulativeEarned)).toBeGreaterThan(0n);
    expect(seen.earnings.results.invalid).toBe(0);

    // The cheater's results were compared with honest copies and rejected.
    await waitFor(() => (cheater.submitted() >= 1 ? true : null), 120_000, 'the cheater to submit a result');
    const cheaterEarnings = await (async () => {
      for (let i = 0; ; i++) {
        const earnings = await cheater.earnings();
        if (earnings.results.invalid >= 1 || i > 60) return earnings;
        await new Promise((resolve) => setTimeout(resolve, 2_000));
      }
    })();
    expect(cheaterEarnings.results.invalid).toBeGreaterThanOrEqual(1);
    expect(cheaterEarnings.results.valid).toBe(0);
    expect(cheaterEarnings.cumulativeEarned).toBe('0');
  }, 400_000);

  it("claims the agent's voucher on anvil with `idlehive withdraw`, and the tokens arrive", async () => {
    // The agent's own view, read from the chain it was given with --chain-rpc: something to claim, nothing claimed.
    const balance = await waitForBalance(
      (b) => b.claimable !== null && BigInt(b.claimable) > 0n,
      'something claimable',
    );
    expect(balance).toMatchObject({ token: network.chain.token, walletTokens: '0', unavailable: null });
    const { voucher } = await agentEarnings();
    if (voucher === null) throw new Error('the coordinator signed no voucher for the agent');
    expect(voucher).toMatchObject({ chainId: 31337, vault: network.chain.vault, signer: network.coordinatorAddress });
    const provider = anvilProvider(network.chain);
    try {
      // Gas for the claim, from one of anvil's funded accounts (the deployer used the first).
      await (
        await anvilAccount(2, provider).sendTransaction({ to: agentWallet.address, value: parseEther('1') })
      ).wait();
      const voucherFile = path.join(agent.home, 'voucher.json');
      fs.writeFileSync(voucherFile, JSON.stringify(voucher));
      const withdrawal = await runCli(
        agent.home,
        ['withdraw', '--voucher', voucherFile, '--rpc', network.chain.rpcUrl, '--yes', '--json'],
        `${PASSWORD}\n`,
      );
      expect(withdrawal.code, withdrawal.stderr).toBe(0);
      expect(JSON.parse(withdrawal.stdout)).toMatchObject({ state: 'confirmed', amount: voucher.cumulativeAmount });
      const token = new Contract(network.chain.token, testTokenArtifact.abi, provider);
      expect(BigInt(await token.getFunction('balanceOf')(agentWallet.address))).toBe(BigInt(voucher.cumulativeAmount));
      await waitForBalance((b) => b.walletTokens === voucher.cumulativeAmount, "the agent's wallet to show the tokens");
    } finally {
      provider.destroy();
    }
  }, 120_000);
});
