/**
 * The jobs the local network's demo requester buys: voice-activity detection
 * with a real packaged model (Silero VAD v5, from @ricky0123/vad-web) over
 * batches of generated audio, and the Iris MLP training job
 * (native/jobs/examples/iris-jobs.ts). Each job's audio comes from its own
 * seed, so every job is new work with its own answer.
 */
import fs from 'node:fs';
import path from 'node:path';
import { blobRefOf } from '../../native/jobs/blob-ref.ts';
import { irisTrainingJob } from '../../native/jobs/examples/iris-jobs.ts';
import { type InferenceJobSpec, JOB_SPEC_VERSION, type JobSpec } from '../../native/jobs/job-spec.ts';
import { bytesOf, inlineTensorSpec } from '../../native/jobs/tensor-bytes.ts';
import { type SeededRandom, seededRandom } from '../../native/onnx/seeded-random.ts';
import { packageRoot } from '../../native/package-root.ts';

/** Silero VAD v5 classifies chunks of 512 samples at 16 kHz. */
const CHUNK_SAMPLES = 512;
const SAMPLE_RATE = 16_000;
/** Chunks per run, and runs per job: a job classifies about 2 s of audio per stream. */
const CHUNKS_PER_RUN = 8;
const RUNS_PER_JOB = 64;
const IRIS_STEPS = 300;

export interface DemoJob {
  spec: JobSpec;
  /** The blobs the spec references (the coordinator keeps only one copy of each). */
  blobs: Uint8Array[];
}

export function sileroModelBytes(): Uint8Array {
  const file = path.join(packageRoot('@ricky0123/vad-web', import.meta.filename), 'dist', 'silero_vad_v5.onnx');
  return new Uint8Array(fs.readFileSync(file));
}

/**
 * CHUNKS_PER_RUN streams of audio: a hum with bursts of broadband "speech"
 * at seeded times, so the model has both silence and activity to find.
 */
function audioChunk(random: SeededRandom, run: number): Float32Array {
  const samples = new Float32Array(CHUNKS_PER_RUN * CHUNK_SAMPLES);
  for (let stream = 0; stream < CHUNKS_PER_RUN; stream++) {
    const isVoiced = random.next() < 0.5;
    const pitch = 90 + 160 * random.next();
    for (let i = 0; i < CHUNK_SAMPLES; i++) {
      const t = (run * CHUNK_SAMPLES + i) / SAMPLE_RATE;
      const hum = 0.01 * Math.sin(2 * Math.PI * 50 * t);
      const voice = isVoiced
        ? 0.3 * Math.sin(2 * Math.PI * pitch * t) * (0.6 + 0.4 * Math.sin(2 * Math.PI * 4 * t)) +
          0.05 * (random.next() - 0.5)
        : 0;
      samples[stream * CHUNK_SAMPLES + i] = hum + voice;
    }
  }
  return samples;
}

export function sileroVadJob(model: Uint8Array, seed: number): DemoJob {
  const random = seededRandom(seed);
  // The recurrent state starts at zero for each run: runs are independent, so a batch can be split anywhere.
  const state = new Float32Array(2 * CHUNKS_PER_RUN * 128);
  const feeds = Array.from({ length: RUNS_PER_JOB }, (_, run) => [
    inlineTensorSpec({
      name: 'input',
      dtype: 'float32',
      dims: [CHUNKS_PER_RUN, CHUNK_SAMPLES],
      data: bytesOf(audioChunk(random, run)),
    }),
    inlineTensorSpec({ name: 'state', dtype: 'float32', dims: [2, CHUNKS_PER_RUN, 128], data: bytesOf(state) }),
    inlineTensorSpec({ name: 'sr', dtype: 'int64', dims: [], data: bytesOf(BigInt64Array.of(BigInt(SAMPLE_RATE))) }),
  ]);
  const spec: InferenceJobSpec = {
    specVersion: JOB_SPEC_VERSION,
    kind: 'inference',
    jobId: `demo.silero-vad-${seed}`,
    model: blobRefOf(model),
    feeds,
    outputs: ['output'],
    executionProviders: ['cpu'],
    limits: { maxRunMs: 10_000, maxSessionCreateMs: 30_000, maxMemoryMb: 2048 },
    runsPerBatch: 16,
  };
  return { spec, blobs: [model] };
}

export function irisDemoJob(seed: number): DemoJob {
  const blobs: Uint8Array[] = [];
  const spec = irisTrainingJob(
    (bytes) => {
      blobs.push(bytes);
      return blobRefOf(bytes);
    },
    { steps: IRIS_STEPS, jobId: `demo.iris-training-${seed}` },
  );
  // Same data and model, another order of batches: each job is its own training run.
  return { spec: { ...spec, seed }, blobs };
}
