/**
 * The whole network under kill -9: a coordinator process (with a payout vault
 * on anvil, so it signs real vouchers), a real agent process (wallet unlocked
 * through its local API, an away owner reported as the shell does), an honest
 * peer provider running the same sandboxed lease path (the local network's),
 * and a requester keeping a few small inference jobs open. Every round kills
 * the agent and the coordinator with SIGKILL at random moments, in random
 * order, while the agent leases, runs and submits, then restarts both on the
 * same data (the agent's wallet unlocked again: the key lives in memory only).
 *
 * Afterwards everything settles and the coordinator's store and the agent's
 * ledger are audited (bench/chaos-network-audit.ts). Ends with one line:
 *
 *     crash_rounds=N jobs_lost=N credits_doubled=N
 *
 * Run: npm run chaos:network [-- --rounds N]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Wallet } from 'ethers';
import { homeLayout } from '../agent/home.ts';
import { RequesterClient } from '../network/client/requester-client.ts';
import { type CoordinatorProcess, spawnCoordinator } from '../network/coordinator/spawn-coordinator.ts';
import { COORDINATOR_DATABASE_FILE } from '../network/coordinator/store/open-coordinator-database.ts';
import { startPeerProvider } from '../network/local-network/peer-provider.ts';
import { LOCAL_COORDINATOR_SETTINGS } from '../network/local-network/start-local-network.ts';
import { NetworkError } from '../network/wire/errors.ts';
import { classifierJob } from '../test/integration/coordinator-fixtures.ts';
import { makeWalletHome, type NetworkAgent, startNetworkAgent } from '../test/support/network-agent.ts';
import { startWalletChain } from '../test/support/wallet-chain.ts';
import { auditNetwork } from './chaos-network-audit.ts';

const roundsArg = process.argv.indexOf('--rounds');
const rounds = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 20;
if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds takes a positive integer');
/** Jobs the requester keeps unfinished, so both providers always have something to lease. */
const OPEN_JOBS = 3;
const SETTLE_TIMEOUT_MS = 240_000;

const line = (text: string) => process.stdout.write(`${text}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const between = (low: number, high: number) => low + Math.random() * (high - low);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'idlehive-chaos-network-'));
const coordinatorDb = path.join(dataDir, COORDINATOR_DATABASE_FILE);
const chain = await startWalletChain();
const chainSettings = {
  chainId: chain.chain.chainId,
  vault: chain.vaultAddress,
  signerPrivateKey: chain.coordinator.privateKey,
};
const running: { coordinator: CoordinatorProcess | null } = { coordinator: null };
let port = 0;

async function startCoordinatorProcess(): Promise<string> {
  const coordinator = await spawnCoordinator({
    dataDir,
    port,
    chain: chainSettings,
    // A lease lost with a killed provider comes back after the job's 5 s limit plus 5 s, not 35 s.
    settings: { ...LOCAL_COORDINATOR_SETTINGS, limits: { leaseGraceMs: 5000, noWorkRetryMs: 250 } },
  });
  running.coordinator = coordinator;
  port = coordinator.port;
  return coordinator.url;
}

/** Runs `action` until it answers, waiting out a coordinator that is down or restarting. */
async function untilAnswered<T>(action: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await action();
    } catch (error) {
      if (error instanceof NetworkError && ['coordinator_unreachable', 'coordinator_busy'].includes(error.code)) {
        await sleep(100);
        continue;
      }
      throw error;
    }
  }
}

const url = await startCoordinatorProcess();
const home = await makeWalletHome('idlehive-chaos-agent-');
const ledgerFile = homeLayout(home).ledgerFile;
let agentStartedAt = 0;
let agentAccount = '';
async function startAgent(): Promise<NetworkAgent> {
  agentStartedAt = Date.now();
  // The machine may be loaded by other work; an agent slow to start is not what this measures.
  const started = await startNetworkAgent(home, url, { startTimeoutMs: 120_000 });
  agentAccount = await started.unlock();
  started.stayAway();
  return started;
}
let agent = await startAgent();
// A failed run must not leave its processes behind (the peer's worker goes with this process).
let stoppedCleanly = false;
process.on('exit', () => {
  if (stoppedCleanly) return;
  for (const pid of [agent.agent.child.pid, running.coordinator?.child.pid, chain.chain.pid]) {
    try {
      if (pid !== undefined) process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
});

const peerWarnings: string[] = [];
const peer = startPeerProvider({
  coordinatorUrl: url,
  wallet: new Wallet(Wallet.createRandom().privateKey),
  workDir: path.join(dataDir, 'peer'),
  log: { notice: line, info: () => {}, warn: (message) => peerWarnings.push(message) },
});

// The requester: small real inference jobs, each submitted with a clientRequestId so a retry after a crash
// returns the job it already created.
const requester = await untilAnswered(() => RequesterClient.register({ baseUrl: url, wallet: Wallet.createRandom() }));
const accepted = new Set<string>();
const openJobs = new Set<string>();
let submitting = true;
async function requesterLoop(): Promise<void> {
  let index = 0;
  while (submitting) {
    for (const jobId of [...openJobs]) {
      const status = await untilAnswered(() => requester.status(jobId));
      if (status.state === 'verified' || status.state === 'failed') openJobs.delete(jobId);
    }
    while (submitting && openJobs.size < OPEN_JOBS) {
      const example = classifierJob(1000 + index);
      const clientRequestId = `chaos-network-${index++}`;
      const spec = { ...example.spec, jobId: clientRequestId };
      const status = await untilAnswered(() =>
        requester.submit({ spec, offer: { unit: 'device-second', maxPricePerUnit: '1000' }, clientRequestId }, [
          example.model,
        ]),
      );
      accepted.add(status.jobId);
      openJobs.add(status.jobId);
    }
    await sleep(200);
  }
}
const requesting = requesterLoop();

/** What the agent had in flight when it was killed, from its ledger (rows of this run of the agent only). */
function agentInFlight(): { leased: number; running: number; outbox: number } {
  const db = new Database(ledgerFile, { readonly: true });
  try {
    const count = (state: string) =>
      (
        db
          .prepare('SELECT COUNT(*) AS n FROM provider_jobs WHERE state = ? AND updated_at >= ?')
          .get(state, agentStartedAt) as { n: number }
      ).n;
    return { leased: count('leased'), running: count('running'), outbox: count('finished') };
  } finally {
    db.close();
  }
}

const landed = { leased: 0, running: 0, outbox: 0, idle: 0 };
const startedAt = Date.now();
type InFlight = ReturnType<typeof agentInFlight>;
const holdsWork = (inFlight: InFlight) => inFlight.leased + inFlight.running + inFlight.outbox > 0;

/** Waits (at most `ms`) until the agent's ledger shows the moment wanted. */
async function untilAgent(wanted: (inFlight: InFlight) => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (wanted(agentInFlight())) return;
    await sleep(50);
  }
}

for (let round = 1; round <= rounds; round++) {
  // Undisturbed work between crashes, so jobs finish and get paid and the checks have money to count.
  await sleep(between(2000, 8000));
  // Most kills land while the agent leases, runs or submits; a few wherever the clock says.
  if (Math.random() < 0.8) await untilAgent(holdsWork, 15_000);
  await sleep(between(0, 1500));
  const agentFirst = Math.random() < 0.5;
  const killAgent = async () => {
    await agent.kill();
    const inFlight = agentInFlight();
    for (const key of ['leased', 'running', 'outbox'] as const) landed[key] += inFlight[key] > 0 ? 1 : 0;
    if (inFlight.leased + inFlight.running + inFlight.outbox === 0) landed.idle++;
    return `agent (leased ${inFlight.leased}, running ${inFlight.running}, in the outbox ${inFlight.outbox})`;
  };
  const killCoordinator = async () => {
    await running.coordinator?.stop('SIGKILL');
    return 'coordinator';
  };
  const first = await (agentFirst ? killAgent() : killCoordinator());
  const killedFirstAt = Date.now();
  await sleep(between(0, 1500));
  // Half the time a job finishing while the coordinator is down leaves its result in the outbox: kill it there.
  if (!agentFirst && Math.random() < 0.5) await untilAgent((inFlight) => inFlight.outbox > 0, 5000);
  const gapMs = Date.now() - killedFirstAt;
  const second = await (agentFirst ? killCoordinator() : killAgent());
  line(`round ${round}: killed ${first}, ${gapMs} ms later ${second}`);
  // Restart in random order too: an agent that comes back before its coordinator must wait it out.
  if (Math.random() < 0.5) {
    await startCoordinatorProcess();
    agent = await startAgent();
  } else {
    agent = await startAgent();
    await sleep(between(0, 1500));
    await startCoordinatorProcess();
  }
}
const chaosSeconds = (Date.now() - startedAt) / 1000;
submitting = false;
await requesting;

/** Settled: every accepted job verified, nothing in flight in the agent's ledger, and its voucher up to date. */
function unsettled(): string | null {
  const store = new Database(coordinatorDb, { readonly: true });
  const ledger = new Database(ledgerFile, { readonly: true });
  try {
    const verified = new Set(
      (store.prepare("SELECT job_id FROM jobs WHERE state = 'verified'").all() as { job_id: string }[]).map(
        (row) => row.job_id,
      ),
    );
    const openCount = [...accepted].filter((jobId) => !verified.has(jobId)).length;
    if (openCount > 0) return `${openCount} accepted jobs not verified`;
    const inFlight = (
      ledger
        .prepare(
          `SELECT COUNT(*) AS n FROM provider_jobs WHERE state IN ('leased', 'running', 'finished', 'submitted')`,
        )
        .get() as { n: number }
    ).n;
    if (inFlight > 0) return `${inFlight} jobs in flight in the agent's ledger`;
    const earned = (
      store.prepare('SELECT earned FROM providers WHERE account = ?').get(agentAccount) as
        | { earned: string }
        | undefined
    )?.earned;
    const voucher = ledger
      .prepare('SELECT voucher_json FROM provider_sync WHERE account = ? AND voucher_json IS NOT NULL')
      .get(agentAccount) as { voucher_json: string } | undefined;
    const cumulative = voucher ? JSON.parse(voucher.voucher_json).cumulativeAmount : '0';
    if (cumulative !== (earned ?? '0')) return `the agent's voucher says ${cumulative} of ${earned} earned`;
    return null;
  } finally {
    store.close();
    ledger.close();
  }
}
const settleStart = Date.now();
let waitingFor = unsettled();
while (waitingFor !== null && Date.now() - settleStart < SETTLE_TIMEOUT_MS) {
  await sleep(1000);
  waitingFor = unsettled();
}
const settleSeconds = (Date.now() - settleStart) / 1000;
if (waitingFor !== null) line(`not settled after ${settleSeconds.toFixed(0)} s: ${waitingFor}`);

await agent.stop();
await peer.stop();
await running.coordinator?.stop('SIGTERM');
await chain.stop();
stoppedCleanly = true;
const audit = auditNetwork({ coordinatorDb, ledgerDb: ledgerFile, accepted, agentAccount });
for (const finding of audit.findings) line(`  ${finding}`);
line(`the agent's ledger: ${audit.ledgerStates}`);
line(
  `network chaos: ${accepted.size} jobs accepted over ${rounds} rounds in ${chaosSeconds.toFixed(0)} s (settled in ${settleSeconds.toFixed(0)} s); ${audit.verified} verified, ${audit.open} still open; the agent was killed with a lease recorded in ${landed.leased} rounds, a job running in ${landed.running}, a result in the outbox in ${landed.outbox}, nothing in flight in ${landed.idle}; ${peerWarnings.length} peer provider retries`,
);
fs.rmSync(dataDir, { recursive: true, force: true });
fs.rmSync(home, { recursive: true, force: true });
line(`crash_rounds=${rounds} jobs_lost=${audit.jobsLost} credits_doubled=${audit.creditsDoubled}`);
