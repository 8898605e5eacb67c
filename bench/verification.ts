/**
 * Verification benchmark: simulated honest and faulty providers work through
 * the coordinator's real services (leasing, result intake, adaptive
 * replication, canaries, settlement) on a real SQLite store, with real model
 * outputs from onnxruntime; only the clock, the randomness and the network
 * are simulated. It prints how many copies a job costs with honest providers
 * and how many wrong results are caught when some providers cheat or are
 * flaky, and ends with one line per goal:
 *
 *     honest_copies_per_job=   executed copies (incl. canaries) per job; goal < 1.5
 *     wrong_results_caught_ratio=  wrong results that were never accepted / all wrong results; goal >= 0.95
 *
 * Run: npm run bench:verification [-- --jobs N --honest N --cheaters N --flaky N]
 */
import Database from 'better-sqlite3';
import { Wallet } from 'ethers';
import ort from 'onnxruntime-node';
import { bytesOf, inlineTensorSpec } from '../native/jobs/tensor-bytes.ts';
import { TrainStepNames } from '../native/onnx/graphs/train-step-io.ts';
import { normalArray, seededRandom } from '../native/onnx/seeded-random.ts';
import { coordinatorSettings } from '../network/coordinator/coordinator-config.ts';
import { type CoordinatorContext, randomId } from '../network/coordinator/coordinator-context.ts';
import { submitJob } from '../network/coordinator/services/job-intake.ts';
import { leaseJobs } from '../network/coordinator/services/leasing.ts';
import { submitResult } from '../network/coordinator/services/result-intake.ts';
import { migrateCoordinatorDatabase } from '../network/coordinator/store/open-coordinator-database.ts';
import { SqliteCoordinatorStore } from '../network/coordinator/store/sqlite-store.ts';
import type { InferenceJobSpec } from '../network/jobs/job-spec-view.ts';
import { float32Tensor, type InlineTensor, outputGroupsSha256, tensorValues } from '../network/jobs/tensors.ts';
import { isSuspended } from '../network/verification/reliability-score.ts';
import { NetworkError } from '../network/wire/errors.ts';
import type { Lease } from '../network/wire/leases.ts';
import { classifierJob, cpuProfile, LAYERS, tampered } from '../test/integration/coordinator-fixtures.ts';

interface Options {
  jobs: number;
  honest: number;
  cheaters: number;
  flaky: number;
  flakyRate: number;
  seed: number;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { jobs: 2000, honest: 40, cheaters: 5, flaky: 5, flakyRate: 0.1, seed: 2026 };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i]?.replace(/^--/, '') as keyof Options;
    const value = Number(argv[i + 1]);
    if (!(key in options) || !Number.isFinite(value)) throw new Error(`unknown option ${argv[i]} ${argv[i + 1]}`);
    options[key] = value;
  }
  return options;
}

type Behaviour = { kind: 'honest' } | { kind: 'cheater' } | { kind: 'flaky'; rate: number };

interface SimulatedProvider {
  account: string;
  behaviour: Behaviour;
}

interface ScenarioResult {
  jobs: number;
  verified: number;
  failed: number;
  executedCopies: number;
  wrongSubmitted: number;
  wrongAccepted: number;
  wrongCaught: number;
  rounds: number;
  cheatersEarned: bigint;
  cheatersSuspended: number;
  flakySuspended: number;
  /** Wrong answers accepted, by who sent them and how they were accepted. */
  acceptedBy: Record<string, number>;
}

const ROWS = 5;

/** A wrong answer of one's own: the first value moved by an amount no other result shares. */
function perturbed(groups: InlineTensor[][], noise: number): InlineTensor[][] {
  return groups.map((group, g) =>
    group.map((tensor, t) => {
      if (g !== 0 || t !== 0) return tensor;
      const values = Float32Array.from(tensorValues(tensor));
      values[0] = (values[0] as number) + 0.1 + noise;
      return float32Tensor(tensor.name, [...tensor.dims], values);
    }),
  );
}

/** The answers: one onnxruntime session over the shared model, one run per job's feed. */
class AnswerBook {
  readonly #session: ort.InferenceSession;
  readonly #answers = new Map<string, InlineTensor[][]>();

  private constructor(session: ort.InferenceSession) {
    this.#session = session;
  }

  static async open(model: Uint8Array): Promise<AnswerBook> {
    return new AnswerBook(await ort.InferenceSession.create(model, { intraOpNumThreads: 1, interOpNumThreads: 1 }));
  }

  async answer(spec: InferenceJobSpec): Promise<InlineTensor[][]> {
    const key = JSON.stringify(spec.feeds);
    const known = this.#answers.get(key);
    if (known) return known;
    const feed = spec.feeds[0]?.[0];
    if (feed?.data.kind !== 'inline') throw new Error('bench feeds are inline');
    const bytes = Buffer.from(feed.data.base64, 'base64');
    const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const out = await this.#session.run({ [feed.name]: new ort.Tensor('float32', values, feed.dims) });
    const probs = out[spec.outputs[0] as string] as ort.Tensor;
    const groups = [[float32Tensor(spec.outputs[0] as string, [...probs.dims], probs.data as Float32Array)]];
    this.#answers.set(key, groups);
    return groups;
  }
}

async function runScenario(name: string, options: Options, behaviours: Behaviour[]): Promise<ScenarioResult> {
  const random = seededRandom(options.seed);
  let clock = 1_767_225_600_000;
  const store = new SqliteCoordinatorStore(migrateCoordinatorDatabase(new Database(':memory:')));
  const ctx: CoordinatorContext = {
    store,
    settings: coordinatorSettings({}),
    chain: { chainId: 31337, vault: null },
    signer: new Wallet(Wallet.createRandom().privateKey),
    relayer: null,
    appVersion: 'bench',
    now: () => clock,
    random: random.next,
    newId: randomId,
  };
  const base = classifierJob(1);
  const answers = await AnswerBook.open(base.model);
  const requester = Wallet.createRandom().address;
  store.putBlob(base.spec.model.sha256, Buffer.from(base.model), requester, clock);
  const providers: SimulatedProvider[] = behaviours.map((behaviour) => {
    const account = Wallet.createRandom().address;
    store.upsertProvider(account, cpuProfile(), clock);
    return { account, behaviour };
  });

  // Jobs arrive as a stream, a little slower than the providers can run them, as on a live network.
  const arrivalsPerRound = Math.max(1, Math.floor(providers.length * 0.6));
  let submitted = 0;
  const submitArrivals = () => {
    for (let n = 0; n < arrivalsPerRound && submitted < options.jobs; n++, submitted++) {
      const i = submitted;
      const feeds = [
        [
          inlineTensorSpec({
            name: TrainStepNames.features,
            dtype: 'float32',
            dims: [ROWS, LAYERS[0]],
            data: bytesOf(normalArray(seededRandom(options.seed * 7919 + i), ROWS * LAYERS[0], 1)),
          }),
        ],
      ];
      const spec: InferenceJobSpec = { ...base.spec, jobId: `bench.${i}`, feeds };
      open.add(
        store.transaction(() =>
          submitJob(ctx, requester, { spec, offer: { unit: 'device-second', maxPricePerUnit: '1000' } }),
        ),
      );
    }
  };

  const open = new Set<string>();
  const result: ScenarioResult = {
    jobs: options.jobs,
    verified: 0,
    failed: 0,
    executedCopies: 0,
    wrongSubmitted: 0,
    wrongAccepted: 0,
    wrongCaught: 0,
    rounds: 0,
    cheatersEarned: 0n,
    cheatersSuspended: 0,
    flakySuspended: 0,
    acceptedBy: {},
  };
  const wrongLeases = new Map<string, Behaviour['kind']>();
  while (submitted < options.jobs || open.size > 0) {
    result.rounds++;
    clock += 1000;
    submitArrivals();
    const order = random.permutation(providers.length);
    const work: { provider: SimulatedProvider; lease: Lease }[] = [];
    for (const index of order) {
      const provider = providers[index] as SimulatedProvider;
      try {
        const { leases } = store.transaction(() => leaseJobs(ctx, provider.account, 1));
        for (const lease of leases) work.push({ provider, lease });
      } catch (error) {
        if (!(error instanceof NetworkError && error.code === 'provider_suspended')) throw error;
      }
    }
    if (work.length === 0 && submitted >= options.jobs) {
      throw new Error(`${name}: ${open.size} jobs are stuck with nothing to lease`);
    }
    clock += 1000;
    for (const { provider, lease } of work) {
      const correct = await answers.answer(lease.spec as InferenceJobSpec);
      const { behaviour } = provider;
      const wrong = behaviour.kind === 'cheater' || (behaviour.kind === 'flaky' && random.next() < behaviour.rate);
      // Cheaters run the same cheat, so their wrong answers agree (collusion, the worst case); a flaky
      // machine's errors are its own.
      const outputs = !wrong
        ? correct
        : behaviour.kind === 'cheater'
          ? tampered(correct)
          : perturbed(correct, random.next());
      if (wrong) {
        result.wrongSubmitted++;
        wrongLeases.set(lease.leaseId, behaviour.kind);
      }
      result.executedCopies++;
      store.transaction(() =>
        submitResult(ctx, provider.account, lease.leaseId, {
          outputs,
          outputSha256: outputGroupsSha256(outputs),
          appVersion: '0.1.0',
          onnxruntimeVersion: '1.30.0',
          executionProvider: 'cpu',
          deviceMs: 200,
          checkpoints: [],
        }),
      );
    }
    for (const jobId of [...open]) {
      const job = store.getJob(jobId);
      if (job?.state === 'open') continue;
      open.delete(jobId);
      if (job?.state === 'failed') {
        result.failed++;
        continue;
      }
      result.verified++;
      const canonical = job?.canonicalReplica ? store.getReplica(job.canonicalReplica) : undefined;
      const wrongBy = canonical?.leaseId ? wrongLeases.get(canonical.leaseId) : undefined;
      if (wrongBy) {
        result.wrongAccepted++;
        result.acceptedBy[`${wrongBy} ${job?.method}`] = (result.acceptedBy[`${wrongBy} ${job?.method}`] ?? 0) + 1;
      }
    }
  }
  result.wrongCaught = result.wrongSubmitted - result.wrongAccepted;
  for (const provider of providers) {
    if (provider.behaviour.kind === 'honest') continue;
    const row = store.getProvider(provider.account);
    if (!row) continue;
    if (provider.behaviour.kind === 'cheater') result.cheatersEarned += row.earned;
    if (isSuspended(row, ctx.settings.suspension)) {
      if (provider.behaviour.kind === 'cheater') result.cheatersSuspended++;
      else result.flakySuspended++;
    }
  }
  store.close();
  return result;
}

const fixed = (value: number, digits = 3) => value.toFixed(digits);
const line = (text: string) => process.stdout.write(`${text}\n`);

const options = parseOptions(process.argv.slice(2));
const honestOnly = await runScenario(
  'honest',
  options,
  Array.from({ length: options.honest }, () => ({ kind: 'honest' })),
);
const mixed = await runScenario('mixed', options, [
  ...Array.from({ length: options.honest }, (): Behaviour => ({ kind: 'honest' })),
  ...Array.from({ length: options.cheaters }, (): Behaviour => ({ kind: 'cheater' })),
  ...Array.from({ length: options.flaky }, (): Behaviour => ({ kind: 'flaky', rate: options.flakyRate })),
]);

line(
  `verification bench: ${options.jobs} inference jobs; default policy (trust after 10 valid, quorum 2, canaries 2 %)`,
);
line(
  `honest: ${options.honest} providers, ${honestOnly.executedCopies} copies run, ${honestOnly.verified} verified, ${honestOnly.failed} failed, ${honestOnly.rounds} rounds`,
);
line(
  `mixed: ${options.honest} honest + ${options.cheaters} always wrong + ${options.flaky} wrong ${fixed(options.flakyRate * 100, 0)} % of the time: ` +
    `${mixed.executedCopies / mixed.jobs > 0 ? fixed(mixed.executedCopies / mixed.jobs) : '0'} copies per job, ${mixed.verified} verified, ${mixed.failed} failed`,
);
line(
  `mixed: ${mixed.wrongSubmitted} wrong results submitted, ${mixed.wrongCaught} caught, ${mixed.wrongAccepted} accepted; ` +
    `always-wrong providers earned ${mixed.cheatersEarned} base units in all; suspended: ${mixed.cheatersSuspended} of ${options.cheaters} always-wrong, ${mixed.flakySuspended} of ${options.flaky} flaky`,
);
line(`mixed: wrong answers accepted by sender and method: ${JSON.stringify(mixed.acceptedBy)}`);
line(`honest_copies_per_job=${fixed(honestOnly.executedCopies / honestOnly.jobs)}`);
line(`wrong_results_caught_ratio=${fixed(mixed.wrongSubmitted === 0 ? 1 : mixed.wrongCaught / mixed.wrongSubmitted)}`);
