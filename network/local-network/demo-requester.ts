/**
 * The local network's buyer: keeps a few real jobs (Silero VAD batches, Iris
 * training) waiting at the coordinator at all times, through the same
 * RequesterClient the requester CLI uses. At most `maxOutstanding` jobs are
 * unfinished at once, so a network with no provider working (the owner is at
 * the computer) is never flooded; a new job follows each one that finishes.
 */
import fs from 'node:fs';
import type { Wallet } from 'ethers';
import { z } from 'zod';
import { describeError } from '../../agent/errors.ts';
import { writeFileAtomically } from '../../agent/wallet/atomic-file.ts';
import { RequesterClient } from '../client/requester-client.ts';
import type { Offer } from '../payment/pricing.ts';
import { JobIdSchema } from '../wire/common.ts';
import { NetworkError } from '../wire/errors.ts';
import { type DemoJob, irisDemoJob, sileroModelBytes, sileroVadJob } from './demo-jobs.ts';
import type { LocalNetworkLog } from './local-network-log.ts';

export interface DemoRequesterOptions {
  coordinatorUrl: string;
  /** Remembers the unfinished jobs across restarts, so a restart does not add more. */
  stateFile: string;
  wallet: Wallet;
  log: LocalNetworkLog;
  maxOutstanding?: number;
  checkEveryMs?: number;
}

export interface DemoRequester {
  /** Jobs submitted since start. */
  readonly submitted: number;
  stop(): Promise<void>;
}

/** 1 tHIVE per device-second: a Silero batch or an Iris run earns a fraction of a token per copy. */
const OFFER: Offer = { unit: 'device-second', maxPricePerUnit: (10n ** 18n).toString() };
/** One Iris training job to every three Silero batches. */
const IRIS_EVERY = 4;

const DemoRequesterStateSchema = z.object({ outstanding: z.array(JobIdSchema) }).strict();
type DemoRequesterState = z.infer<typeof DemoRequesterStateSchema>;

/** The jobs still unfinished at the last stop; a missing or unreadable file means none (at worst a few extra jobs). */
function readOutstanding(file: string): string[] {
  try {
    return DemoRequesterStateSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8'))).outstanding;
  } catch {
    return [];
  }
}

export function startDemoRequester(options: DemoRequesterOptions): DemoRequester {
  const maxOutstanding = options.maxOutstanding ?? 3;
  const model = sileroModelBytes();
  const outstanding = new Set<string>(readOutstanding(options.stateFile));
  const remember = () =>
    writeFileAtomically(
      options.stateFile,
      `${JSON.stringify({ outstanding: [...outstanding] } satisfies DemoRequesterState)}\n`,
    );
  let client: RequesterClient | null = null;
  let submitted = 0;
  // Seeds continue from the clock so a restarted network does not resubmit the same audio.
  let seed = Date.now() % 1_000_000_000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let tick: Promise<void> = Promise.resolve();

  const nextJob = (): DemoJob => {
    seed += 1;
    return seed % IRIS_EVERY === 0 ? irisDemoJob(seed) : sileroVadJob(model, seed);
  };

  const once = async (): Promise<void> => {
    client ??= await RequesterClient.register({ baseUrl: options.coordinatorUrl, wallet: options.wallet });
    for (const jobId of [...outstanding]) {
      const status = await client.status(jobId).catch((error: unknown) => {
        // A coordinator that never heard of it (its data was set aside): stop waiting for it.
        if (error instanceof NetworkError && error.code === 'job_not_found') return null;
        throw error;
      });
      if (status === null) {
        outstanding.delete(jobId);
        remember();
      } else if (status.state === 'verified' || status.state === 'failed') {
        outstanding.delete(jobId);
        remember();
        options.log.info(`demo job ${jobId} ${status.state} (cost ${status.cost} base units)`);
      }
    }
    while (outstanding.size < maxOutstanding && !stopped) {
      const job = nextJob();
      const status = await client.submit({ spec: job.spec, offer: OFFER, clientRequestId: job.spec.jobId }, job.blobs);
      outstanding.add(status.jobId);
      remember();
      submitted += 1;
      options.log.info(`demo job ${status.jobId} submitted (${job.spec.kind}, ${job.spec.jobId})`);
    }
  };

  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      tick = once()
        .catch((error: unknown) => {
          // A new session next time: the old one may have expired with the coordinator's restart.
          client = null;
          options.log.warn(`demo requester: ${describeError(error)}; trying again`);
        })
        .finally(schedule);
    }, options.checkEveryMs ?? 2_000);
  };
  tick = once().catch((error: unknown) => {
    client = null;
    options.log.warn(`demo requester: ${describeError(error)}; trying again`);
  });
  void tick.finally(schedule);

  return {
    get submitted() {
      return submitted;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await tick;
      clearTimeout(timer);
    },
  };
}
