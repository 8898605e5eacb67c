/**
 * A real coordinator process (network/coordinator/main.ts), driven over HTTP
 * by a requester, an operator with calibration jobs, two honest providers
 * and a dishonest one, each running its leases through the real sandboxed
 * worker. Checks that results are verified by replication, by checkpoint
 * audits and by calibration; that the cheater is caught, earns nothing and is
 * suspended; that vouchers recover to the coordinator's key; and that all of
 * it survives kill -9.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Wallet } from 'ethers';
import { afterAll, describe, expect, it } from 'vitest';
import { blobRefOf } from '../../native/jobs/blob-ref.ts';
import { irisTrainingJob } from '../../native/jobs/examples/iris-jobs.ts';
import { ProviderClient } from '../../network/client/provider-client.ts';
import { RequesterClient } from '../../network/client/requester-client.ts';
import { type CoordinatorProcess, spawnCoordinator } from '../../network/coordinator/spawn-coordinator.ts';
import { outputGroupsSha256 } from '../../network/jobs/tensors.ts';
import { recoverVoucherSigner, voucherDomain } from '../../network/payment/voucher.ts';
import type { Lease } from '../../network/wire/leases.ts';
import { classifierJob, computeOutputs, cpuProfile } from './coordinator-fixtures.ts';
import { runLease } from './coordinator-test-provider.ts';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'idlehive-coordinator-process-'));
const VAULT = '0x00000000000000000000000000000000000000bb';
const coordinatorKey = Wallet.createRandom();
const operator = Wallet.createRandom();
const offer = { unit: 'device-second' as const, maxPricePerUnit: '1000' };
let coordinator: CoordinatorProcess | null = null;

async function startProcess(port = 0): Promise<string> {
  coordinator = await spawnCoordinator({
    dataDir,
    port,
    chain: { chainId: 31337, vault: VAULT, signerPrivateKey: coordinatorKey.privateKey },
    settings: {
      calibrators: [operator.address],
      replication: {
        trustThreshold: 10,
        quorum: 2,
        maxReplicas: 5,
        canaryRate: 0.02,
        calibrationRate: 1,
        maxTrustedErrorRate: 0.02,
      },
    },
  });
  expect(coordinator.address).toBe(coordinatorKey.address);
  return coordinator.url;
}

async function killHard(): Promise<void> {
  await coordinator?.stop('SIGKILL');
  coordinator = null;
}

afterAll(async () => {
  await killHard();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function leaseOne(provider: ProviderClient): Promise<Lease> {
  const { leases } = await provider.lease(1);
  expect(leases).toHaveLength(1);
  return leases[0] as Lease;
}

describe('a coordinator process with real providers', () => {
  it('verifies by replication, audit and calibration, catches the cheater, and survives kill -9', {
    timeout: 180_000,
  }, async () => {
    const url = await startProcess();
    const calibrator = await RequesterClient.register({ baseUrl: url, wallet: operator });
    const buyer = await RequesterClient.register({ baseUrl: url, wallet: Wallet.createRandom() });
    const honestA = await ProviderClient.register({
      baseUrl: url,
      wallet: Wallet.createRandom(),
      profile: cpuProfile(),
    });
    const honestB = await ProviderClient.register({
      baseUrl: url,
      wallet: Wallet.createRandom(),
      profile: cpuProfile(),
    });
    const cheat = await ProviderClient.register({ baseUrl: url, wallet: Wallet.createRandom(), profile: cpuProfile() });

    // The operator's calibration jobs, with answers it computed itself.
    for (const seed of [101, 102, 103]) {
      const example = classifierJob(seed);
      const outputs = await computeOutputs(example.spec, example.model);
      const status = await calibrator.submit(
        { spec: example.spec, offer, knownAnswer: { outputs, outputSha256: outputGroupsSha256(outputs) } },
        [example.model],
      );
      expect(status.state).toBe('verified');
    }
    // A requester may not plant answers.
    const planted = classifierJob(104);
    const plantedOutputs = await computeOutputs(planted.spec, planted.model);
    await expect(
      buyer.submit(
        {
          spec: planted.spec,
          offer,
          knownAnswer: { outputs: plantedOutputs, outputSha256: outputGroupsSha256(plantedOutputs) },
        },
        [planted.model],
      ),
    ).rejects.toMatchObject({ code: 'calibration_not_allowed' });

    const inference = await buyer.submit({ spec: classifierJob(7, 3).spec, offer }, [classifierJob(7, 3).model]);
    const trainingBlobs: Uint8Array[] = [];
    const trainingSpec = irisTrainingJob(
      (bytes) => {
        trainingBlobs.push(bytes);
        return blobRefOf(bytes);
      },
      { steps: 4 },
    );
    const training = await buyer.submit({ spec: trainingSpec, offer }, trainingBlobs);

    // New providers prove themselves on calibration jobs first; the cheater fails every one.
    for (let i = 0; i < 3; i++) {
      expect(await runLease(honestA, await leaseOne(honestA))).toMatchObject({ outcome: 'valid' });
      expect(await runLease(honestB, await leaseOne(honestB))).toMatchObject({ outcome: 'valid' });
      expect(await runLease(cheat, await leaseOne(cheat), { dishonest: true })).toMatchObject({ outcome: 'invalid' });
    }
    await expect(cheat.lease(1)).rejects.toMatchObject({ code: 'provider_suspended' });

    // The inference job: two untrusted providers, two copies, one quorum.
    const inferenceA = await leaseOne(honestA);
    const inferenceB = await leaseOne(honestB);
    expect([inferenceA.spec.jobId, inferenceB.spec.jobId]).toEqual([inference.jobId, inference.jobId]);
    expect(await runLease(honestA, inferenceA)).toMatchObject({ outcome: 'pending' });
    expect(await runLease(honestB, inferenceB)).toMatchObject({ outcome: 'valid' });

    // The training job: one full run, then one random checkpoint segment re-run by the other provider.
    const trainingA = await leaseOne(honestA);
    expect(trainingA.spec.jobId).toBe(training.jobId);
    expect(await runLease(honestA, trainingA)).toMatchObject({ outcome: 'pending' });
    const audit = await leaseOne(honestB);
    expect(audit.segment).not.toBeNull();
    expect(await runLease(honestB, audit)).toMatchObject({ outcome: 'valid' });

    // kill -9 in the middle of everything; the restarted process has all of it.
    await killHard();
    await startProcess(Number(new URL(url).port));

    const inferenceResult = await buyer.result(inference.jobId);
    expect(inferenceResult.verification).toEqual({ method: 'quorum', agreeingResults: 2 });
    expect(inferenceResult.outputs).toHaveLength(3);
    const trainingResult = await buyer.result(training.jobId);
    expect(trainingResult.verification.method).toBe('segment-audit');
    expect(trainingResult.checkpoints.map((checkpoint) => checkpoint.step)).toEqual([1, 2, 3, 4]);

    const domain = voucherDomain(31337, VAULT);
    for (const provider of [honestA, honestB]) {
      const earnings = await provider.earnings();
      expect(earnings.results).toMatchObject({ valid: 5, invalid: 0 });
      const voucher = await provider.voucher();
      expect(voucher?.cumulativeAmount).toBe(earnings.cumulativeEarned);
      const amount = BigInt(earnings.cumulativeEarned);
      expect(amount > 0n).toBe(true);
      expect(
        recoverVoucherSigner(
          domain,
          { account: provider.account, cumulativeAmount: amount },
          voucher?.signature as string,
        ),
      ).toBe(coordinatorKey.address);
    }
    const cheated = await cheat.earnings();
    expect(cheated).toMatchObject({ cumulativeEarned: '0', suspended: true, results: { valid: 0, invalid: 3 } });
    expect(await cheat.voucher()).toBeNull();
    const settlements = await cheat.settlements();
    expect(
      settlements.settlements.every((settlement) => settlement.outcome === 'invalid' && settlement.reward === null),
    ).toBe(true);
  });
});
