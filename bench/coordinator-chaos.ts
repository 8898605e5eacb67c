/**
 * Coordinator crash test: a real coordinator process is killed with SIGKILL
 * at random moments while a requester submits jobs and providers lease and
 * submit results, then restarted on the same data, N times. Afterwards the
 * providers drain the queue and the coordinator's database is checked:
 * every job the requester was told was accepted exists and is verified (or
 * still queued), and no provider was credited more than its valid results
 * earned, nor any lease settled twice. Ends with one line:
 *
 *     crash_rounds=N jobs_lost=0 credits_doubled=0
 *
 * This is the coordinator's half of `chaos:network`; the agent's half kills
 * the agent. Run: npm run chaos:coordinator [-- --rounds N]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Wallet } from 'ethers';
import { ProviderClient } from '../network/client/provider-client.ts';
import { RequesterClient } from '../network/client/requester-client.ts';
import { type CoordinatorProcess, spawnCoordinator } from '../network/coordinator/spawn-coordinator.ts';
import { COORDINATOR_DATABASE_FILE } from '../network/coordinator/store/open-coordinator-database.ts';
import type { InferenceJobSpec } from '../network/jobs/job-spec-view.ts';
import { NetworkError } from '../network/wire/errors.ts';
import { classifierJob, computeOutputs, cpuProfile } from '../test/integration/coordinator-fixtures.ts';

const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1] ?? 20) || 20;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'idlehive-coordinator-chaos-'));
const line = (text: string) => process.stdout.write(`${text}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let coordinator: CoordinatorProcess | null = null;
let port = 0;

async function start(): Promise<string> {
  coordinator = await spawnCoordinator({
    dataDir,
    port,
    settings: { limits: { maxLeaseMs: 1500, noWorkRetryMs: 50 } },
  });
  port = coordinator.port;
  return coordinator.url;
}

async function kill(signal: NodeJS.Signals): Promise<void> {
  await coordinator?.stop(signal);
  coordinator = null;
}

/** Runs `action` until it answers, waiting out a coordinator that is down or restarting. */
async function untilAnswered<T>(action: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await action();
    } catch (error) {
      if (
        error instanceof NetworkError &&
        (error.code === 'coordinator_unreachable' || error.code === 'coordinator_busy')
      ) {
        await sleep(50);
        continue;
      }
      throw error;
    }
  }
}

const url = await start();
const example = classifierJob(77, 1);
const requester = await RequesterClient.register({ baseUrl: url, wallet: Wallet.createRandom() });
await requester.uploadBlobs([example.model]);
const providers = await Promise.all(
  [0, 1, 2].map(() => ProviderClient.register({ baseUrl: url, wallet: Wallet.createRandom(), profile: cpuProfile() })),
);

const accepted = new Set<string>();
let crashing = true;
let submitted = 0;
const expectedOutputs = await computeOutputs(example.spec, example.model);

async function requesterLoop(): Promise<void> {
  while (crashing) {
    const id = `chaos-${submitted}`;
    // The same clientRequestId after a crash returns the job it already created, never a second one.
    const status = await untilAnswered(() =>
      requester.client.call('submitJob', {
        body: {
          spec: example.spec as InferenceJobSpec,
          offer: { unit: 'device-second', maxPricePerUnit: '1000' },
          clientRequestId: id,
        },
      }),
    );
    accepted.add(status.jobId);
    submitted++;
    await sleep(20);
  }
}

async function providerLoop(provider: ProviderClient, until: () => boolean): Promise<void> {
  while (!until()) {
    const { leases, retryAfterMs } = await untilAnswered(() => provider.lease(1));
    if (leases.length === 0) {
      await sleep(retryAfterMs);
      continue;
    }
    for (const lease of leases) {
      try {
        await untilAnswered(() =>
          provider.submit(lease.leaseId, {
            outputs: expectedOutputs,
            appVersion: '0.1.0',
            onnxruntimeVersion: '1.30.0',
            executionProvider: 'cpu',
            deviceMs: 100,
          }),
        );
      } catch (error) {
        // A lease that expired while the coordinator was down went back to the queue: nothing was lost.
        if (!(error instanceof NetworkError && (error.code === 'lease_expired' || error.code === 'lease_closed')))
          throw error;
      }
    }
  }
}

const work = [requesterLoop(), ...providers.map((provider) => providerLoop(provider, () => !crashing))];
for (let round = 0; round < rounds; round++) {
  await sleep(200 + Math.random() * 800);
  await kill('SIGKILL');
  await start();
}
crashing = false;
await Promise.all(work);

// Drain: every accepted job verified, however long the lost leases take to expire.
const deadline = Date.now() + 120_000;
const open = async () => {
  let count = 0;
  for (const jobId of accepted) {
    const status = await untilAnswered(() => requester.status(jobId));
    if (status.state !== 'verified') count++;
  }
  return count;
};
let remaining = await open();
while (remaining > 0 && Date.now() < deadline) {
  const stop = Date.now() + 500;
  await Promise.all(providers.map((provider) => providerLoop(provider, () => Date.now() > stop)));
  remaining = await open();
}
await kill('SIGTERM');

const db = new Database(path.join(dataDir, COORDINATOR_DATABASE_FILE), { readonly: true });
const jobsInStore = new Set(
  (db.prepare("SELECT job_id FROM jobs WHERE kind = 'inference'").all() as { job_id: string }[]).map(
    (row) => row.job_id,
  ),
);
const jobsLost = [...accepted].filter((jobId) => !jobsInStore.has(jobId)).length;
const unverified = (
  db.prepare("SELECT COUNT(*) AS n FROM jobs WHERE kind = 'inference' AND state != 'verified'").get() as { n: number }
).n;
const duplicateJobs = (
  db
    .prepare(
      'SELECT COUNT(*) AS n FROM (SELECT client_request_id FROM jobs WHERE client_request_id IS NOT NULL GROUP BY requester, client_request_id HAVING COUNT(*) > 1)',
    )
    .get() as { n: number }
).n;
let creditsDoubled = 0;
for (const row of db.prepare('SELECT account, earned, valid FROM providers').all() as {
  account: string;
  earned: string;
  valid: number;
}[]) {
  const replicas = db.prepare("SELECT reward FROM replicas WHERE account = ? AND state = 'valid'").all(row.account) as {
    reward: string;
  }[];
  const owed = replicas.reduce((sum, replica) => sum + BigInt(replica.reward), 0n);
  if (BigInt(row.earned) !== owed || row.valid !== replicas.length) creditsDoubled++;
}
creditsDoubled += (
  db
    .prepare(
      "SELECT COUNT(*) AS n FROM (SELECT lease_id FROM settlements WHERE outcome IN ('valid', 'invalid', 'inconclusive') GROUP BY lease_id HAVING COUNT(*) > 1)",
    )
    .get() as { n: number }
).n;
db.close();
fs.rmSync(dataDir, { recursive: true, force: true });

line(
  `coordinator chaos: ${accepted.size} jobs accepted over ${rounds} SIGKILLs; ${unverified} not verified at the end; ${duplicateJobs} duplicated by a retried submission`,
);
line(`crash_rounds=${rounds} jobs_lost=${jobsLost} credits_doubled=${creditsDoubled}`);
