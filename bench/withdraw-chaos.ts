/**
 * `npm run chaos:withdraw`: withdrawals under kill -9. An agent runs on the
 * same home the whole time, reconciling the same ledger. Each round the
 * coordinator signs a bigger voucher, and `idlehive withdraw` (the process
 * that signs and sends; sometimes forwarding to another address) is SIGKILLed
 * at a random moment, the agent is sometimes SIGKILLed too and restarted, with anvil's automine sometimes off so the claim sits in
 * the mempool, and the mempool sometimes dropped so the node forgets it.
 * While a claim waits unmined, the round sometimes speeds it up (`idlehive
 * withdraw --speed-up`, half the time after a base-fee spike that prices the
 * claim out) and kills that at a random moment too: before, while or after
 * the replacement is recorded and broadcast. Then the command is restarted
 * (and sometimes killed again) until the voucher is paid. At the end every recipient's balance must equal, exactly, what the
 * rounds sent it, and no voucher may have paid twice.
 *
 * Ends with one line: crash_rounds=N money_lost=0 transfers_doubled=0.
 * CHAOS_ROUNDS sets the number of kills (default 30).
 */
import fs from 'node:fs';
import os from 'node:os';
import Database from 'better-sqlite3';
import { Wallet } from 'ethers';
import { homeLayout } from '../agent/home.ts';
import { type AgentProcess, startAgentProcess } from '../test/support/agent-process.ts';
import { fundGas, runCli, startCli, startWalletChain, tHIVE } from '../test/support/wallet-chain.ts';

const ROUNDS = Number(process.env.CHAOS_ROUNDS ?? 30);
const PASSWORD = 'chaos test password';

/** How many transactions the ledger recorded for its withdrawals, and how many of them were fee bumps. */
function transactionsRecorded(home: string): string {
  const db = new Database(homeLayout(home).ledgerFile, { readonly: true });
  try {
    const { total, bumps } = db
      .prepare('SELECT COUNT(*) AS total, SUM(attempt > 1) AS bumps FROM withdrawal_transactions')
      .get() as { total: number; bumps: number | null };
    return `${total} (${bumps ?? 0} fee bumps)`;
  } finally {
    db.close();
  }
}

/** Resolves once `condition` holds, or after `timeoutMs` anyway. */
async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await sleep(20);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const chance = (p: number) => Math.random() < p;

async function main(): Promise<number> {
  const walletChain = await startWalletChain(tHIVE('1000000'));
  const home = fs.mkdtempSync(`${os.tmpdir()}/idlehive-chaos-withdraw-`);
  const rpc = ['--rpc', walletChain.chain.rpcUrl];
  const send = (method: string, params: unknown[] = []) => walletChain.provider.send(method, params);
  // The agent inherits this: never touch a real keychain from a test.
  process.env.IDLEHIVE_KEYCHAIN = 'off';
  let agent: AgentProcess | undefined = await startAgentProcess(home);
  try {
    const configured = await runCli(home, ['settings', 'set', `chainRpcUrl=${walletChain.chain.rpcUrl}`]);
    if (configured.code !== 0) throw new Error(`settings failed: ${configured.stderr}`);
    const provider = new Wallet(Wallet.createRandom().privateKey);
    await fundGas(walletChain, provider.address, tHIVE('10'));
    const imported = await runCli(home, ['wallet', 'import'], `${provider.privateKey}\n${PASSWORD}\n`);
    if (imported.code !== 0) throw new Error(`import failed: ${imported.stderr}`);

    const recipients = [provider.address, ...[1, 2, 3].map(() => Wallet.createRandom().address)];
    const expected = new Map(recipients.map((r) => [r, 0n]));
    let cumulative = 0n;
    let crashes = 0;
    let round = 0;
    let speedUpKills = 0;
    let spikes = 0;

    while (crashes < ROUNDS) {
      round++;
      const increment = tHIVE(String(1 + Math.floor(Math.random() * 5))) + BigInt(Math.floor(Math.random() * 1e9));
      cumulative += increment;
      const recipient = recipients[Math.floor(Math.random() * recipients.length)] as string;
      expected.set(recipient, (expected.get(recipient) ?? 0n) + increment);
      const voucher = await walletChain.voucherFile(home, provider.address, cumulative);
      const args = [
        'withdraw',
        '--voucher',
        voucher,
        '--yes',
        '--json',
        '--wait',
        '60',
        ...(recipient === provider.address ? [] : ['--to', recipient]),
        ...rpc,
      ];

      // Sometimes the agent dies somewhere in this round too, and comes back.
      const agentCrash =
        crashes < ROUNDS && chance(0.4)
          ? sleep(Math.random() * 4_000).then(async () => {
              await agent?.kill();
              agent = undefined;
              crashes++;
              agent = await startAgentProcess(home);
            })
          : Promise.resolve();

      const automineOff = chance(0.5);
      // A fee-bump round: the claim is left waiting in the mempool, then sped up under kills (below).
      const bumpRound = automineOff && chance(0.8);
      if (automineOff) await send('evm_setAutomine', [false]);
      const first = startCli(home, args, `${PASSWORD}\n`);
      const killAfterMs = 200 + Math.random() * 4_000;
      const finishedFirst = await Promise.race([
        first.done.then(() => true),
        bumpRound
          ? waitUntil(() => /: sent/.test(first.stderr()), 60_000)
              .then(() => sleep(Math.random() * 500))
              .then(() => false)
          : sleep(killAfterMs).then(() => false),
      ]);
      if (!finishedFirst) {
        await first.kill();
        crashes++;
      }
      // Fee bumps: with the claim waiting unmined, speed it up, maybe after a base-fee spike, and kill that at random.
      let spiked = false;
      if (bumpRound) {
        if (chance(0.5)) {
          // Above any max fee the claim offers (2 x base + tip): the node drops it and refuses it until fees fall.
          const base = BigInt((await send('eth_getBlockByNumber', ['latest', false])).baseFeePerGas);
          await send('anvil_setNextBlockBaseFeePerGas', [`0x${(base * 4n + 2_000_000_000n).toString(16)}`]);
          await send('evm_mine');
          spiked = true;
          spikes++;
        }
        for (let bump = 0; bump < (chance(0.3) ? 2 : 1) && crashes < ROUNDS; bump++) {
          const speedUp = startCli(home, [...args, '--speed-up'], `${PASSWORD}\n`);
          // Half the kills at any moment (before or while it records and broadcasts), half once it was broadcast.
          const finished = await Promise.race([
            speedUp.done.then(() => true),
            chance(0.5)
              ? sleep(100 + Math.random() * 4_000).then(() => false)
              : waitUntil(() => /with a higher fee/.test(speedUp.stderr()), 60_000)
                  .then(() => sleep(Math.random() * 500))
                  .then(() => false),
          ]);
          if (!finished) {
            await speedUp.kill();
            crashes++;
            speedUpKills++;
          } else {
            // It ended by itself: nothing waiting any more, or why it could not speed up.
            const lines = speedUp.stderr().trim().split('\n');
            process.stderr.write(`round ${round} --speed-up: ${lines.at(-1)}\n`);
          }
        }
      }
      await agentCrash;
      if (spiked) {
        // Fees fall back, so what the restarts re-send can be mined without another speed-up.
        await send('anvil_setNextBlockBaseFeePerGas', ['0x3b9aca00']);
        await send('evm_mine');
      }
      if (automineOff && chance(0.5)) await send('anvil_dropAllTransactions');
      await send('evm_setAutomine', [true]);
      await send('evm_mine');

      // Restart until this round's voucher is paid; a restart may itself be killed.
      for (let attempt = 1; ; attempt++) {
        if (attempt > 12)
          throw new Error(`round ${round}: the voucher was still not paid after ${attempt - 1} restarts`);
        const restart = startCli(home, args, `${PASSWORD}\n`);
        if (crashes < ROUNDS && chance(0.25)) {
          const finished = await Promise.race([
            restart.done.then(() => true),
            sleep(200 + Math.random() * 3_000).then(() => false),
          ]);
          if (!finished) {
            await restart.kill();
            crashes++;
            await send('evm_mine');
            continue;
          }
        }
        const result = await restart.done;
        const claimed = BigInt(await walletChain.vault.getFunction('claimed')(provider.address));
        if (claimed === cumulative) break;
        if (result.code !== 0 && !/Nothing to claim/.test(result.stderr)) {
          // Not a failure by itself (the next restart continues), but worth reading.
          const lines = result.stderr.trim().split('\n');
          const tail = lines.some((line) => line.startsWith('Node.js v')) ? lines.slice(-25) : lines.slice(-1);
          process.stderr.write(`round ${round} attempt ${attempt}:\n${tail.join('\n')}\n`);
        }
        await send('evm_mine');
      }
      process.stderr.write(`round ${round}: paid through ${cumulative} (${crashes}/${ROUNDS} kills)\n`);
    }

    let moneyLost = 0n;
    let transfersDoubled = 0;
    for (const [recipient, amount] of expected) {
      const actual = await walletChain.tokenBalance(recipient);
      if (actual < amount) moneyLost += amount - actual;
      if (actual > amount) transfersDoubled++;
    }
    const claimedTotal = BigInt(await walletChain.vault.getFunction('claimed')(provider.address));
    if (claimedTotal !== cumulative) moneyLost += cumulative - claimedTotal;
    // Each voucher (cumulative amount) may pay once: a repeated one is a doubled transfer.
    const filter = walletChain.vault.filters.Claimed?.(provider.address);
    if (!filter) throw new Error('the vault ABI has no Claimed event');
    const paid = (await walletChain.vault.queryFilter(filter, 0, 'latest')).map((event) =>
      String((event as unknown as { args: { cumulativeAmount: bigint } }).args.cumulativeAmount),
    );
    transfersDoubled += paid.length - new Set(paid).size;

    process.stderr.write(
      `${round} withdrawals; ${speedUpKills} kills during --speed-up, ${spikes} base-fee spikes; claim transactions recorded: ${transactionsRecorded(home)}\n`,
    );
    process.stdout.write(`crash_rounds=${crashes} money_lost=${moneyLost} transfers_doubled=${transfersDoubled}\n`);
    return moneyLost === 0n && transfersDoubled === 0 ? 0 : 1;
  } finally {
    await agent?.stop();
    await walletChain.stop();
    fs.rmSync(home, { recursive: true, force: true });
  }
}

process.exitCode = await main();
