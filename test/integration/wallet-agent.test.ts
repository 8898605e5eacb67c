/**
 * The wallet with a real agent process running: a withdrawal broadcast by
 * the CLI, which is then killed, is finished by the agent on its own (it
 * re-sends the stored transaction and confirms it), the progress reaches
 * local API clients, and nowhere along the way (the agent's log file, every
 * local API frame) does the mnemonic, the private key or the password appear.
 */
import fs from 'node:fs';
import { HDNodeWallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { homeLayout } from '../../agent/home.ts';
import { type AgentProcess, makeTempHome, startAgentProcess, waitFor } from '../support/agent-process.ts';
import { collectFrames, eventFrame, openRaw } from '../support/raw-socket.ts';
import { fundGas, runCli, startCli, startWalletChain, tHIVE, type WalletChain } from '../support/wallet-chain.ts';

const PASSWORD = 'a password only the owner knows';
let walletChain: WalletChain;
let home: string;
let agent: AgentProcess;
let socket: WebSocket;
let frames: unknown[];
let nextId = 1;
const savedKeychain = process.env.IDLEHIVE_KEYCHAIN;

async function call(method: string, params: unknown = {}): Promise<unknown> {
  const id = nextId++;
  socket.send(JSON.stringify({ id, method, params }));
  const reply = await waitFor(
    () => frames.find((f) => (f as { id?: number }).id === id) as { result?: unknown; error?: unknown } | undefined,
    10_000,
    `the reply to ${method}`,
  );
  if (reply.error) throw new Error(JSON.stringify(reply.error));
  return reply.result;
}

beforeAll(async () => {
  process.env.IDLEHIVE_KEYCHAIN = 'off';
  walletChain = await startWalletChain();
  home = makeTempHome('idlehive-wallet-agent-');
  agent = await startAgentProcess(home);
  const opened = await openRaw(agent.endpoint.apiUrl, { token: agent.endpoint.token });
  if (!opened.socket) throw new Error(`could not connect to the agent: ${opened.httpStatus}`);
  socket = opened.socket;
  frames = collectFrames(socket);
  await call('settings.set', { patch: { chainRpcUrl: walletChain.chain.rpcUrl } });
});

afterAll(async () => {
  socket?.close();
  await agent?.stop();
  await walletChain?.stop();
  process.env.IDLEHIVE_KEYCHAIN = savedKeychain;
});

describe('the agent and the wallet', () => {
  it('finishes a withdrawal the killed CLI left, reports its progress, and never shows a secret', async () => {
    const created = await runCli(home, ['wallet', 'create', '--json'], `${PASSWORD}\n`);
    expect(created.code, created.stderr).toBe(0);
    const { address, mnemonic } = JSON.parse(created.stdout) as { address: string; mnemonic: string };
    const privateKey = HDNodeWallet.fromPhrase(mnemonic).privateKey;
    expect(await call('wallet.status')).toMatchObject({
      wallet: { address, mode: 'keystore', keychain: false },
      withdrawals: [],
    });

    // Nothing earned yet, so no voucher: the agent says so and sends nothing.
    await expect(call('wallet.withdraw.plan', {})).rejects.toThrow(/nothing_to_claim/);

    await fundGas(walletChain, address, tHIVE('1'));
    const voucher = await walletChain.voucherFile(home, address, tHIVE('9'));
    await walletChain.provider.send('evm_setAutomine', [false]);
    const cli = startCli(home, ['withdraw', '--voucher', voucher, '--yes'], `${PASSWORD}\n`);
    await waitFor(() => (/: sent/.test(cli.stderr()) ? true : null), 60_000, 'the claim to be broadcast');
    await cli.kill();
    const status = (await call('wallet.status')) as { withdrawals: { txHash: string; state: string }[] };
    const txHash = status.withdrawals[0]?.txHash as string;
    expect(status.withdrawals[0]?.state).toBe('sent');

    // The node forgets the claim; the agent must send the stored bytes again by itself.
    await walletChain.provider.send('anvil_dropAllTransactions', []);
    const deadline = Date.now() + 30_000;
    while ((await walletChain.provider.send('eth_getTransactionByHash', [txHash])) === null) {
      if (Date.now() > deadline) throw new Error(`the agent never re-sent the claim:\n${agent.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await walletChain.provider.send('evm_mine', []);
    await walletChain.provider.send('evm_setAutomine', [true]);

    await waitFor(
      () => eventFrame<{ state: string }>(frames, 'wallet.withdrawal', (data) => data.state === 'confirmed'),
      30_000,
      'the confirmed withdrawal event',
    );
    expect(await call('wallet.status')).toMatchObject({
      withdrawals: [{ state: 'confirmed', txHash, sends: 2, paidAmount: tHIVE('9').toString() }],
    });
    expect(await walletChain.tokenBalance(address)).toBe(tHIVE('9'));

    const traffic = JSON.stringify(frames);
    const log = fs.readFileSync(homeLayout(home).logFile, 'utf8');
    for (const secret of [mnemonic, privateKey, privateKey.slice(2), PASSWORD]) {
      expect(traffic).not.toContain(secret);
      expect(log).not.toContain(secret);
      expect(agent.output()).not.toContain(secret);
    }
    // No two consecutive words of the recovery phrase either.
    const words = mnemonic.split(' ');
    for (let i = 0; i + 1 < words.length; i++) {
      expect(traffic).not.toContain(`${words[i]} ${words[i + 1]}`);
      expect(log).not.toContain(`${words[i]} ${words[i + 1]}`);
    }
  });
});
