/**
 * The coordinator in this process, on a real port with a real SQLite file,
 * driven over HTTP by the typed clients: replication across providers,
 * dishonest results caught, leases that expire and requeue, canaries,
 * vouchers, and state that survives a restart.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Wallet } from 'ethers';
import { afterEach, describe, expect, it } from 'vitest';
import { blobRefOf } from '../../native/jobs/blob-ref.ts';
import { irisTrainingJob } from '../../native/jobs/examples/iris-jobs.ts';
import { ProviderClient } from '../../network/client/provider-client.ts';
import { RequesterClient } from '../../network/client/requester-client.ts';
import type { CoordinatorSettingsInput } from '../../network/coordinator/coordinator-config.ts';
import { type RunningCoordinator, startCoordinator } from '../../network/coordinator/start-coordinator.ts';
import { recoverVoucherSigner, voucherDomain } from '../../network/payment/voucher.ts';
import { NetworkError } from '../../network/wire/errors.ts';
import type { Lease } from '../../network/wire/leases.ts';
import { classifierJob, computeOutputs, cpuProfile, type ExampleJob, tampered } from './coordinator-fixtures.ts';
import { runLease } from './coordinator-test-provider.ts';

const VAULT = '0x00000000000000000000000000000000000000aa';
const offer = { unit: 'device-second' as const, maxPricePerUnit: '1000' };
const running: RunningCoordinator[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const coordinator of running.splice(0)) await coordinator.stop();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

async function start(settings: CoordinatorSettingsInput = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idlehive-coordinator-'));
  dirs.push(dir);
  const key = Wallet.createRandom().privateKey;
  const coordinator = await startCoordinator({
    dataDir: dir,
    port: 0,
    settings,
    chain: { chainId: 31337, vault: VAULT, signerPrivateKey: key },
  });
  running.push(coordinator);
  return { coordinator, dir, key };
}

async function provider(url: string) {
  return ProviderClient.register({ baseUrl: url, wallet: Wallet.createRandom(), profile: cpuProfile() });
}

async function requester(url: string) {
  return RequesterClient.register({ baseUrl: url, wallet: Wallet.createRandom() });
}

async function submitExample(client: RequesterClient, example: ExampleJob) {
  return client.submit({ spec: example.spec, offer }, [example.model]);
}

/** Runs a lease the way an honest provider does: fetch the model (hash-checked) and compute. */
async function honestRun(client: ProviderClient, lease: Lease, deviceMs = 1500) {
  if (lease.spec.kind !== 'inference') throw new Error('expected an inference lease');
  const model = await client.fetchBlob(lease.spec.model);
  const outputs = await computeOutputs(lease.spec, model);
  return client.submit(lease.leaseId, {
    outputs,
    appVersion: '0.1.0',
    onnxruntimeVersion: '1.30.0',
    executionProvider: 'cpu',
    deviceMs,
  });
}

async function dishonestRun(client: ProviderClient, lease: Lease) {
  if (lease.spec.kind !== 'inference') throw new Error('expected an inference lease');
  const outputs = tampered(await computeOutputs(lease.spec, await client.fetchBlob(lease.spec.model)));
  return client.submit(lease.leaseId, {
    outputs,
    appVersion: '0.1.0',
    onnxruntimeVersion: '1.30.0',
    executionProvider: 'cpu',
    deviceMs: 1500,
  });
}

async function leaseOne(client: ProviderClient): Promise<Lease> {
  const { leases } = await client.lease(1);
  expect(leases).toHaveLength(1);
  return leases[0] as Lease;
}

async function errorCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'no error';
  } catch (error) {
    if (error instanceof NetworkError) return error.code;
    throw error;
  }
}

describe('coordinator verification over HTTP', () => {
  it('replicates a new provider result, pays both agreeing providers and returns the verified result', async () => {
    const { coordinator } = await start();
    const buyer = await requester(coordinator.url);
    const [a, b] = [await provider(coordinator.url), await provider(coordinator.url)];
    const example = classifierJob(11);
    const submitted = await submitExample(buyer, example);
    expect(submitted).toMatchObject({ state: 'queued', copies: { total: 1 } });

    const leaseA = await leaseOne(a);
    // A is new, so a second copy was queued at once, and A may not take it.
    expect((await a.lease(1)).leases).toHaveLength(0);
    const leaseB = await leaseOne(b);
    expect(leaseB.spec.jobId).toBe(submitted.jobId);

    expect(await honestRun(a, leaseA)).toMatchObject({ outcome: 'pending' });
    expect(await honestRun(b, leaseB)).toMatchObject({ outcome: 'valid', reward: '1500' });
    // A's result was settled by B's: its own settlement says so.
    const settled = await a.settlements();
    expect(settled.settlements.map((s) => [s.outcome, s.reward])).toEqual([['valid', '1500']]);

    const result = await buyer.result(submitted.jobId);
    expect(result.verification).toEqual({ method: 'quorum', agreeingResults: 2 });
    expect(result.cost).toBe('3000');
    expect(result.outputs).toEqual(await computeOutputs(example.spec, example.model));
    expect((await a.earnings()).cumulativeEarned).toBe('1500');
  });

  it('catches a dishonest provider: it earns nothing, loses its run, and a third copy settles the job', async () => {
    const { coordinator } = await start();
    const buyer = await requester(coordinator.url);
    const [honest, cheat, tieBreaker] = [
      await provider(coordinator.url),
      await provider(coordinator.url),
      await provider(coordinator.url),
    ];
    const { jobId } = await submitExample(buyer, classifierJob(12));
    const leaseH = await leaseOne(honest);
    const leaseC = await leaseOne(cheat);
    await honestRun(honest, leaseH);
    expect(await dishonestRun(cheat, leaseC)).toMatchObject({ outcome: 'pending' });
    expect((await buyer.status(jobId)).state).toBe('verifying');

    const leaseT = await leaseOne(tieBreaker);
    expect(await honestRun(tieBreaker, leaseT)).toMatchObject({ outcome: 'valid' });
    const cheatEarnings = await cheat.earnings();
    expect(cheatEarnings).toMatchObject({ cumulativeEarned: '0', results: { invalid: 1, valid: 0 } });
    expect((await cheat.settlements()).settlements[0]).toMatchObject({ outcome: 'invalid', reward: null });
    expect(await cheat.voucher()).toBeNull();
    expect((await honest.earnings()).results.valid).toBe(1);
    expect(await buyer.status(jobId)).toMatchObject({ state: 'verified', copies: { valid: 2, invalid: 1 } });
  });

  it('requeues a copy whose lease expired, and refuses the late result', async () => {
    const { coordinator } = await start({ limits: { maxLeaseMs: 300 } });
    const buyer = await requester(coordinator.url);
    const [slow, fast, late] = [
      await provider(coordinator.url),
      await provider(coordinator.url),
      await provider(coordinator.url),
    ];
    const { jobId } = await submitExample(buyer, classifierJob(13));
    const lost = await leaseOne(slow);
    if (lost.spec.kind !== 'inference') throw new Error('expected inference');
    const outputs = await computeOutputs(lost.spec, await slow.fetchBlob(lost.spec.model));
    await leaseOne(fast);
    expect((await late.lease(1)).leases).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const requeued = await leaseOne(late);
    expect(requeued.spec.jobId).toBe(jobId);
    const lateResult = {
      outputs,
      appVersion: '0.1.0',
      onnxruntimeVersion: '1.30.0',
      executionProvider: 'cpu' as const,
      deviceMs: 10,
    };
    expect(await errorCode(slow.submit(lost.leaseId, lateResult))).toBe('lease_expired');
    expect((await slow.settlements()).settlements[0]).toMatchObject({ outcome: 'expired' });
  });

  it('refuses a result whose hash does not match its outputs, and keeps the lease open', async () => {
    const { coordinator } = await start();
    const buyer = await requester(coordinator.url);
    const worker = await provider(coordinator.url);
    const example = classifierJob(14);
    await submitExample(buyer, example);
    const lease = await leaseOne(worker);
    const outputs = await computeOutputs(example.spec, example.model);
    const body = {
      outputs,
      outputSha256: '0'.repeat(64),
      appVersion: '0.1.0',
      onnxruntimeVersion: '1.30.0',
      executionProvider: 'cpu' as const,
      deviceMs: 10,
      checkpoints: [],
    };
    expect(await errorCode(worker.client.call('submitResult', { params: { leaseId: lease.leaseId }, body }))).toBe(
      'result_invalid',
    );
    const result = {
      outputs,
      appVersion: '0.1.0',
      onnxruntimeVersion: '1.30.0',
      executionProvider: 'cpu' as const,
      deviceMs: 10,
    };
    const first = await worker.submit(lease.leaseId, result);
    expect(first.outcome).toBe('pending');
    // The same result again is answered the same way; another one is refused.
    expect(await worker.submit(lease.leaseId, result)).toEqual(first);
    expect(await errorCode(worker.submit(lease.leaseId, { ...result, outputs: tampered(outputs) }))).toBe(
      'result_conflict',
    );
  });

  it('refuses a replayed signed request', async () => {
    const { coordinator } = await start();
    const worker = await provider(coordinator.url);
    const { signRequestHeaders } = await import('../../network/auth/request-signing.ts');
    const body = Buffer.from(JSON.stringify({ max: 1 }));
    const headers = {
      ...signRequestHeaders(worker.client.credentials as never, {
        method: 'POST',
        path: '/v1/leases',
        body,
        timestamp: Date.now(),
      }),
      'content-type': 'application/json',
    };
    const send = () => fetch(`${coordinator.url}/v1/leases`, { method: 'POST', headers, body });
    expect((await send()).status).toBe(200);
    const replay = await send();
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({ error: { code: 'nonce_reused' } });
  });

  it('serves canaries to trusted providers and judges them against the verified answer', async () => {
    const { coordinator } = await start({
      replication: {
        trustThreshold: 1,
        quorum: 2,
        maxReplicas: 5,
        canaryRate: 1,
        calibrationRate: 0,
        maxTrustedErrorRate: 0.02,
      },
    });
    const buyer = await requester(coordinator.url);
    const [a, b, c] = [
      await provider(coordinator.url),
      await provider(coordinator.url),
      await provider(coordinator.url),
    ];
    // A and B verify a first job; A and C a second, so each of B and C has a job it never saw.
    const first = await submitExample(buyer, classifierJob(21));
    await honestRun(a, await leaseOne(a));
    await honestRun(b, await leaseOne(b));
    expect((await buyer.status(first.jobId)).state).toBe('verified');
    await submitExample(buyer, classifierJob(22));
    await honestRun(a, await leaseOne(a));
    await honestRun(c, await leaseOne(c));

    // C (run 1, trusted) leases: canaryRate 1 gives it a replay of the first job under a new id.
    const canary = await leaseOne(c);
    expect(canary.spec.jobId).not.toBe(first.jobId);
    expect(await dishonestRun(c, canary)).toMatchObject({ outcome: 'invalid' });
    expect((await c.earnings()).reliability[0]?.run).toBe(0);
    const canaryB = await leaseOne(b);
    expect(await honestRun(b, canaryB)).toMatchObject({ outcome: 'valid' });
    // Nobody charged the requester for the canaries.
    expect((await buyer.status(first.jobId)).cost).toBe('3000');
  });

  it('signs a voucher for the cumulative earnings that recovers to the coordinator, and keeps everything across a restart', async () => {
    const first = await start();
    const buyer = await requester(first.coordinator.url);
    const [a, b] = [await provider(first.coordinator.url), await provider(first.coordinator.url)];
    const { jobId } = await submitExample(buyer, classifierJob(31));
    await honestRun(a, await leaseOne(a));
    await honestRun(b, await leaseOne(b));
    const voucher = await a.voucher();
    expect(voucher).toMatchObject({ account: a.account, cumulativeAmount: '1500', chainId: 31337 });
    const domain = voucherDomain(31337, VAULT);
    expect(
      recoverVoucherSigner(domain, { account: a.account, cumulativeAmount: 1500n }, voucher?.signature as string),
    ).toBe(first.coordinator.address);

    await first.coordinator.stop();
    running.splice(running.indexOf(first.coordinator), 1);
    // Same data, same key, same port: the registered sessions and every credit are still there.
    const port = Number(new URL(first.coordinator.url).port);
    const second = await startCoordinator({
      dataDir: first.dir,
      port,
      chain: { chainId: 31337, vault: VAULT, signerPrivateKey: first.key },
    });
    running.push(second);
    expect(await buyer.status(jobId)).toMatchObject({ state: 'verified', cost: '3000' });
    expect((await a.earnings()).cumulativeEarned).toBe('1500');
    expect((await a.voucher())?.signature).toBe(voucher?.signature);
  });

  it('renews and releases leases; a released copy goes to another provider at once', async () => {
    const { coordinator } = await start();
    const buyer = await requester(coordinator.url);
    const [a, b] = [await provider(coordinator.url), await provider(coordinator.url)];
    const { jobId } = await submitExample(buyer, classifierJob(41));
    const lease = await leaseOne(a);
    const renewed = await a.renew(lease.leaseId);
    expect(renewed.expiresAt).toBeGreaterThanOrEqual(lease.expiresAt);
    await a.release(lease.leaseId);
    expect(await errorCode(a.renew(lease.leaseId))).toBe('lease_closed');
    expect((await a.settlements()).settlements[0]).toMatchObject({ outcome: 'released', reward: null });
    const [first, second] = (await b.lease(2)).leases;
    expect(first?.spec.jobId).toBe(jobId);
    expect(second).toBeUndefined();
  });

  it('audits training by a checkpoint segment: a false claim is refuted by two re-runs, a true one upheld', {
    timeout: 120_000,
  }, async () => {
    const { coordinator } = await start();
    const buyer = await requester(coordinator.url);
    const [cheat, b, c] = [
      await provider(coordinator.url),
      await provider(coordinator.url),
      await provider(coordinator.url),
    ];
    const blobs: Uint8Array[] = [];
    const spec = irisTrainingJob(
      (bytes) => {
        blobs.push(bytes);
        return blobRefOf(bytes);
      },
      { steps: 4 },
    );
    const { jobId } = await buyer.submit({ spec, offer }, blobs);

    expect(await runLease(cheat, await leaseOne(cheat), { dishonest: true })).toMatchObject({ outcome: 'pending' });
    const auditB = await leaseOne(b);
    expect(auditB.segment).not.toBeNull();
    // The cheater is never asked to audit itself.
    expect((await cheat.lease(1)).leases).toHaveLength(0);
    expect(await runLease(b, auditB)).toMatchObject({ outcome: 'pending' });
    const auditC = await leaseOne(c);
    expect(auditC.segment).toEqual(auditB.segment);
    expect(await runLease(c, auditC)).toMatchObject({ outcome: 'valid' });
    expect((await cheat.settlements()).settlements[0]).toMatchObject({ outcome: 'invalid', reward: null });

    // A new full run by an honest provider, audited by another, verifies the job.
    const rerun = await leaseOne(b);
    expect(rerun.segment).toBeNull();
    expect(await runLease(b, rerun)).toMatchObject({ outcome: 'pending' });
    expect(await runLease(c, await leaseOne(c))).toMatchObject({ outcome: 'valid' });
    const result = await buyer.result(jobId);
    expect(result.verification.method).toBe('segment-audit');
    expect((await b.earnings()).results.valid).toBe(2);
    expect((await cheat.earnings()).cumulativeEarned).toBe('0');
  });
});
