/**
 * `idlehive-requester` as a person runs it: a job folder (spec plus blobs
 * named by SHA-256) submitted to a running coordinator, followed, and its
 * verified result written to a file.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectoryBlobSource } from '../../native/jobs/directory-blob-source.ts';
import { ProviderClient } from '../../network/client/provider-client.ts';
import { type RunningCoordinator, startCoordinator } from '../../network/coordinator/start-coordinator.ts';
import type { Lease } from '../../network/wire/leases.ts';
import { classifierJob, computeOutputs, cpuProfile } from './coordinator-fixtures.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'idlehive-requester-cli-'));
const key = Wallet.createRandom().privateKey;
let coordinator: RunningCoordinator;

beforeAll(async () => {
  coordinator = await startCoordinator({ dataDir: path.join(directory, 'coordinator'), port: 0 });
});

afterAll(async () => {
  await coordinator.stop();
  fs.rmSync(directory, { recursive: true, force: true });
});

async function cli(args: string[], env: Record<string, string> = { IDLEHIVE_REQUESTER_KEY: key }) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/idlehive-requester.js', ...args], {
      cwd: root,
      env: { ...process.env, IDLEHIVE_COORDINATOR_URL: coordinator.url, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('idlehive-requester', () => {
  it('submits a job folder, reports its status, and writes the verified result', async () => {
    const example = classifierJob(51);
    const jobDir = path.join(directory, 'job');
    DirectoryBlobSource.write(jobDir, example.model);
    fs.writeFileSync(path.join(jobDir, 'spec.json'), JSON.stringify(example.spec));

    const submitted = await cli([
      '--json',
      'submit',
      path.join(jobDir, 'spec.json'),
      '--id',
      'first',
      '--price',
      '500',
    ]);
    expect(submitted.code).toBe(0);
    const status = JSON.parse(submitted.stdout) as { jobId: string; state: string };
    expect(status.state).toBe('queued');
    // The same client request id is the same job.
    const again = await cli(['--json', 'submit', path.join(jobDir, 'spec.json'), '--id', 'first', '--price', '500']);
    expect((JSON.parse(again.stdout) as { jobId: string }).jobId).toBe(status.jobId);

    for (let i = 0; i < 2; i++) {
      const provider = await ProviderClient.register({
        baseUrl: coordinator.url,
        wallet: Wallet.createRandom(),
        profile: cpuProfile(),
      });
      const lease = (await provider.lease(1)).leases[0] as Lease;
      if (lease.spec.kind !== 'inference') throw new Error('expected inference');
      const outputs = await computeOutputs(lease.spec, await provider.fetchBlob(lease.spec.model));
      await provider.submit(lease.leaseId, {
        outputs,
        appVersion: '0.1.0',
        onnxruntimeVersion: '1.30.0',
        executionProvider: 'cpu',
        deviceMs: 2000,
      });
    }

    const followed = await cli(['status', status.jobId]);
    expect(followed.stdout).toContain(`${status.jobId}: verified.`);
    expect(followed.stdout).toContain('cost 2000 base units');
    const out = path.join(directory, 'result.json');
    expect((await cli(['results', status.jobId, '--out', out])).code).toBe(0);
    const result = JSON.parse(fs.readFileSync(out, 'utf8')) as { verification: { method: string }; outputs: unknown[] };
    expect(result.verification.method).toBe('quorum');
    expect(result.outputs).toEqual(await computeOutputs(example.spec, example.model));
  });

  it('says what is missing in one line', async () => {
    const noKey = await cli(['status', 'job_aaaaaaaaaaaaaaaaaaaa'], { IDLEHIVE_REQUESTER_KEY: '' });
    expect(noKey.code).toBe(1);
    expect(noKey.stderr.trim().split('\n')).toEqual([
      "idlehive-requester: No requester key: put the wallet's private key in IDLEHIVE_REQUESTER_KEY or in a file passed with --key-file. (requester_key_missing)",
    ]);
    const unknown = await cli(['status', 'job_aaaaaaaaaaaaaaaaaaaa']);
    expect(unknown.stderr).toContain('(job_not_found)');
    const missingBlob = path.join(directory, 'lonely');
    fs.mkdirSync(missingBlob);
    fs.writeFileSync(path.join(missingBlob, 'spec.json'), JSON.stringify(classifierJob(52).spec));
    expect((await cli(['submit', path.join(missingBlob, 'spec.json')])).stderr).toContain('(job_blob_missing)');
  });
});
