/**
 * Malformed and malicious jobs, each run through the same entry point as a
 * real job (startJob: validation, then a sandboxed worker). Every one must be
 * refused by a named rule before onnxruntime sees it, or end as a contained
 * failed job with a reason; this process (the agent) must survive them all
 * and still run an honest job afterwards.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryBlobStore } from '../../native/jobs/blob-ref.ts';
import { CheckpointStore } from '../../native/jobs/checkpoint-store.ts';
import { irisTrainingJob } from '../../native/jobs/examples/iris-jobs.ts';
import type { JobOutcome } from '../../native/jobs/job-outcome.ts';
import { JOB_SPEC_VERSION, type TensorSpec } from '../../native/jobs/job-spec.ts';
import { startJob } from '../../native/jobs/start-job.ts';
import { bytesOf, inlineTensorSpec } from '../../native/jobs/tensor-bytes.ts';
import {
  attr,
  buildModel,
  floatTensor,
  GraphBuilder,
  int64Tensor,
  tensorProto,
} from '../../native/onnx/graph-builder.ts';
import {
  DataLocation,
  encodeModel,
  type GraphProto,
  type ModelProto,
  TensorDataType,
} from '../../native/onnx/onnx-proto.ts';
import {
  allocateByShapeModel,
  constantFoldingBombModel,
  matMulChainModel,
  seededFloats,
} from './worker-test-models.ts';

const checkpointDir = fs.mkdtempSync(path.join(os.tmpdir(), 'idlehive-hostile-'));
afterAll(() => fs.rmSync(checkpointDir, { recursive: true, force: true }));

const LIMITS = { maxRunMs: 10_000, maxSessionCreateMs: 20_000, maxMemoryMb: 1024 };

/** x [2, 4] -> y = Relu(x W), W an initializer. */
function denseModel(): ModelProto {
  const graph = new GraphBuilder('dense');
  const x = graph.input('x', 'float32', [2, 4]);
  const w = graph.initializer('W', floatTensor([4, 4], seededFloats(16, 1)));
  graph.node('Relu', [graph.node('MatMul', [x, w])], {}, { outputs: ['y'] });
  graph.output('y', 'float32', [2, 4]);
  return buildModel(graph);
}

const xFeed = (): TensorSpec =>
  inlineTensorSpec({ name: 'x', dtype: 'float32', dims: [2, 4], data: bytesOf(seededFloats(8, 2)) });

function graphOf(model: ModelProto): GraphProto {
  return model.graph as GraphProto;
}

interface Case {
  readonly name: string;
  /** The spec (given a blob store to put its blobs in). */
  readonly job: (store: MemoryBlobStore) => unknown;
  /** A rule the job must be refused by, or a failure code pattern a contained run must end with. */
  readonly expect: { rule: string } | { failed: RegExp };
}

function inference(store: MemoryBlobStore, model: Uint8Array | ModelProto, overrides: Record<string, unknown> = {}) {
  const bytes = model instanceof Uint8Array ? model : encodeModel(model);
  return {
    specVersion: JOB_SPEC_VERSION,
    kind: 'inference',
    jobId: 'hostile',
    model: store.put(bytes),
    feeds: [[xFeed()]],
    outputs: ['y'],
    executionProviders: ['cpu'],
    limits: LIMITS,
    runsPerBatch: 1,
    ...overrides,
  };
}

function withModel(edit: (model: ModelProto) => void): (store: MemoryBlobStore) => unknown {
  return (store) => {
    const model = denseModel();
    edit(model);
    return inference(store, model);
  };
}

function externalInitializer(location: string) {
  return withModel((model) => {
    const weight = graphOf(model).initializer?.[0];
    if (!weight) throw new Error('no initializer');
    delete weight.raw_data;
    weight.data_location = DataLocation.EXTERNAL;
    weight.external_data = [
      { key: 'location', value: location },
      { key: 'offset', value: '0' },
      { key: 'length', value: '64' },
    ];
  });
}

/** If(cond) whose branches nest another If, depth times: a few hundred bytes known to take a minute to load. */
function nestedIfModel(depth: number): ModelProto {
  const branch = (level: number): GraphProto => {
    const graph = new GraphBuilder(`branch${level}`, ['cond', 'x']);
    const out =
      level === 0
        ? graph.node('Identity', ['x'])
        : graph.node('If', ['cond'], {
            then_branch: attr.graph(branch(level - 1)),
            else_branch: attr.graph(branch(level - 1)),
          });
    graph.output(out, 'float32', [2, 4]);
    return graph.toGraph();
  };
  const graph = new GraphBuilder('nested_if');
  graph.input('x', 'float32', [2, 4]);
  const cond = graph.constant({ dtype: 'bool', dims: [], data: Uint8Array.of(1) }, 'cond');
  graph.node(
    'If',
    [cond],
    { then_branch: attr.graph(branch(depth)), else_branch: attr.graph(branch(depth)) },
    { outputs: ['y'] },
  );
  graph.output('y', 'float32', [2, 4]);
  return buildModel(graph);
}

const CASES: Case[] = [
  {
    name: 'truncated protobuf',
    job: (s) => inference(s, encodeModel(denseModel()).subarray(0, 40)),
    expect: { rule: 'onnx.parse' },
  },
  {
    name: 'random bytes',
    job: (s) =>
      inference(
        s,
        Uint8Array.from(seededFloats(64, 9), (v) => (v + 1) * 127),
      ),
    expect: { rule: 'onnx.parse' },
  },
  { name: 'empty model', job: (s) => inference(s, new Uint8Array(0)), expect: { rule: 'onnx.model_bytes' } },
  {
    name: 'a singular field written twice',
    job: (s) => inference(s, Uint8Array.from([...encodeModel(denseModel()), 0x08, 0x07])),
    expect: { rule: 'onnx.duplicate_field' },
  },
  {
    name: 'custom op domain',
    job: withModel((model) => {
      const node = graphOf(model).node?.[1];
      if (node) node.domain = 'com.evil';
    }),
    expect: { rule: 'onnx.domain' },
  },
  {
    name: 'custom domain opset import',
    job: withModel((model) => model.opset_import?.push({ domain: 'com.microsoft', version: 1 })),
    expect: { rule: 'onnx.domain' },
  },
  {
    name: 'operator outside the allowlist',
    job: withModel((model) => {
      const node = graphOf(model).node?.[1];
      if (node) node.op_type = 'RandomNormalLike';
    }),
    expect: { rule: 'onnx.op_not_allowed' },
  },
  { name: 'external data ../x', job: externalInitializer('../x'), expect: { rule: 'onnx.external_data' } },
  {
    name: 'external data absolute path',
    job: externalInitializer('/etc/passwd'),
    expect: { rule: 'onnx.external_data' },
  },
  {
    name: 'external data sub/../../x',
    job: externalInitializer('sub/../../x'),
    expect: { rule: 'onnx.external_data' },
  },
  {
    name: 'external data location flag without entries',
    job: withModel((model) => {
      const weight = graphOf(model).initializer?.[0];
      if (weight) weight.data_location = DataLocation.EXTERNAL;
    }),
    expect: { rule: 'onnx.external_data' },
  },
  {
    name: 'external data in a sparse initializer',
    job: withModel((model) => {
      const values = { ...tensorProto('S', floatTensor([1], [1])), raw_data: undefined };
      values.external_data = [{ key: 'location', value: '../secret' }];
      graphOf(model).sparse_initializer = [{ values, indices: tensorProto('', int64Tensor([1], [0])), dims: [4] }];
    }),
    expect: { rule: 'onnx.external_data' },
  },
  {
    name: 'external data in sparse indices',
    job: withModel((model) => {
      const indices = { ...tensorProto('', int64Tensor([1], [0])), raw_data: undefined };
      indices.external_data = [{ key: 'location', value: '/proc/self/mem' }];
      graphOf(model).sparse_initializer = [{ values: tensorProto('S', floatTensor([1], [1])), indices, dims: [4] }];
    }),
    expect: { rule: 'onnx.external_data' },
  },
  {
    name: 'external data in a Constant sparse_value inside a function',
    job: withModel((model) => {
      const values = { ...tensorProto('', floatTensor([1], [1])), raw_data: undefined };
      values.external_data = [{ key: 'location', value: '../../x' }];
      model.functions = [
        {
          name: 'Evil',
          domain: '',
          input: [],
          output: ['c'],
          opset_import: [{ domain: '', version: 17 }],
          node: [
            {
              op_type: 'Constant',
              output: ['c'],
              attribute: [
                {
                  name: 'sparse_value',
                  type: 11,
                  sparse_tensor: { values, indices: tensorProto('', int64Tensor([1], [0])), dims: [4] },
                },
              ],
            },
          ],
        },
      ];
    }),
    expect: { rule: 'onnx.external_data' },
  },
  {
    name: 'external data inside an If subgraph',
    job: withModel((model) => {
      const branch = new GraphBuilder('branch', ['x']);
      const hidden = { ...tensorProto('hidden', floatTensor([4], [0, 0, 0, 0])), raw_data: undefined };
      hidden.external_data = [{ key: 'location', value: '../../etc/shadow' }];
      const body = branch.toGraph();
      body.initializer = [hidden];
      body.output = [{ name: 'hidden', type: { tensor_type: { elem_type: TensorDataType.FLOAT } } }];
      graphOf(model).node?.push({
        op_type: 'If',
        input: ['y'],
        output: ['z'],
        attribute: [
          { name: 'then_branch', type: 5, g: body },
          { name: 'else_branch', type: 5, g: body },
        ],
      });
    }),
    expect: { rule: 'onnx.external_data' },
  },
  {
    name: 'external data in a Constant value',
    job: withModel((model) => {
      const value = { ...tensorProto('', floatTensor([1], [1])), raw_data: undefined };
      value.external_data = [{ key: 'location', value: 'weights.bin' }];
      graphOf(model).node?.unshift({
        op_type: 'Constant',
        output: ['c'],
        attribute: [{ name: 'value', type: 4, t: value }],
      });
    }),
    expect: { rule: 'onnx.external_data' },
  },
  {
    name: 'in-memory address marker as location',
    job: externalInitializer('_ORT_MEM_ADDR_'),
    expect: { rule: 'onnx.memory_address_marker' },
  },
  {
    name: 'in-memory address marker in a name',
    job: withModel((model) => {
      const node = graphOf(model).node?.[0];
      if (node) node.name = '_ORT_MEM_ADDR_0x7fff0000';
    }),
    expect: { rule: 'onnx.memory_address_marker' },
  },
  { name: 'nested-If load bomb', job: (s) => inference(s, nestedIfModel(8)), expect: { rule: 'onnx.subgraph_depth' } },
  {
    name: 'absurd declared shape',
    job: withModel((model) => {
      const input = graphOf(model).input?.[0];
      const dims = input?.type?.tensor_type?.shape?.dim;
      if (dims?.[0]) dims[0].dim_value = 2 ** 40;
    }),
    expect: { rule: 'onnx.tensor_elements' },
  },
  {
    name: 'constant shape that allocates terabytes',
    job: (s) => {
      const graph = new GraphBuilder('bomb');
      graph.input('x', 'float32', [2, 4]);
      const shape = graph.constant(int64Tensor([2], [1_000_000, 1_000_000]));
      graph.node('ConstantOfShape', [shape], {}, { outputs: ['y'] });
      graph.output('y', 'float32', [1_000_000, 1_000_000]);
      return inference(s, buildModel(graph));
    },
    expect: { rule: 'onnx.tensor_elements' },
  },
  {
    name: 'huge attribute tensor',
    job: (s) => {
      const graph = new GraphBuilder('big_constant');
      graph.input('x', 'float32', [2, 4]);
      graph.constant(floatTensor([5 * 1024 * 1024], new Float32Array(5 * 1024 * 1024)), 'y');
      graph.output('y', 'float32', [5 * 1024 * 1024]);
      return inference(s, buildModel(graph));
    },
    expect: { rule: 'onnx.attribute_tensor_bytes' },
  },
  {
    name: 'initializer whose data does not match its shape',
    job: withModel((model) => {
      const weight = graphOf(model).initializer?.[0];
      if (weight) weight.raw_data = new Uint8Array(8);
    }),
    expect: { rule: 'onnx.tensor_data' },
  },
  {
    name: 'string initializer',
    job: withModel((model) => {
      graphOf(model).initializer?.push({
        name: 'text',
        dims: [1],
        data_type: TensorDataType.STRING,
        string_data: [new Uint8Array(3)],
      });
    }),
    expect: { rule: 'onnx.tensor_dtype' },
  },
  {
    name: 'cycle between two nodes',
    job: withModel((model) => {
      const [matmul, relu] = graphOf(model).node ?? [];
      if (matmul && relu) {
        matmul.input = ['y', 'W'];
        relu.input = [matmul.output?.[0] ?? ''];
      }
    }),
    expect: { rule: 'onnx.graph_cycle' },
  },
  {
    name: 'node reading an undefined value',
    job: withModel((model) => {
      const node = graphOf(model).node?.[0];
      if (node) node.input = ['x', 'nowhere'];
    }),
    expect: { rule: 'onnx.undefined_input' },
  },
  {
    name: 'value defined twice',
    job: withModel((model) => {
      const [matmul, relu] = graphOf(model).node ?? [];
      if (matmul && relu) matmul.output = ['y'];
    }),
    expect: { rule: 'onnx.duplicate_value' },
  },
  {
    name: 'IR version from the future',
    job: withModel((model) => {
      model.ir_version = 99;
    }),
    expect: { rule: 'onnx.ir_version' },
  },
  {
    name: 'opset from the future',
    job: withModel((model) => {
      const opset = model.opset_import?.[0];
      if (opset) opset.version = 99;
    }),
    expect: { rule: 'onnx.opset' },
  },
  {
    name: 'input of the wrong dtype',
    job: (s) =>
      inference(s, denseModel(), {
        feeds: [[inlineTensorSpec({ name: 'x', dtype: 'int32', dims: [2, 4], data: new Uint8Array(32) })]],
      }),
    expect: { rule: 'input.dtype_mismatch' },
  },
  {
    name: 'input bytes that do not match its shape',
    job: (s) =>
      inference(s, denseModel(), {
        feeds: [[inlineTensorSpec({ name: 'x', dtype: 'float32', dims: [2, 4], data: new Uint8Array(31) })]],
      }),
    expect: { rule: 'input.byte_length' },
  },
  {
    name: 'input of the wrong shape',
    job: (s) =>
      inference(s, denseModel(), {
        feeds: [[inlineTensorSpec({ name: 'x', dtype: 'float32', dims: [4, 2], data: new Uint8Array(32) })]],
      }),
    expect: { rule: 'input.shape' },
  },
  {
    name: 'model blob whose hash does not match',
    job: (s) => {
      const spec = inference(s, denseModel());
      s.putUnverified(
        spec.model.sha256,
        Uint8Array.from(encodeModel(denseModel()), (byte, i) => (i === 0 ? byte ^ 1 : byte)),
      );
      return spec;
    },
    expect: { rule: 'blob.hash_mismatch' },
  },
  {
    name: 'missing blob',
    job: (s) => ({ ...inference(s, denseModel()), model: { sha256: 'a'.repeat(64), bytes: 10 } }),
    expect: { rule: 'blob.missing' },
  },
  {
    name: 'output the model does not have',
    job: (s) => inference(s, denseModel(), { outputs: ['secret'] }),
    expect: { rule: 'job.unknown_output' },
  },
  {
    name: 'unknown spec field (session options from outside)',
    job: (s) => inference(s, denseModel(), { sessionOptions: { enableProfiling: true } }),
    expect: { rule: 'job.spec' },
  },
  {
    name: 'unknown spec version',
    job: (s) => inference(s, denseModel(), { specVersion: 2 }),
    expect: { rule: 'job.spec' },
  },
  { name: 'not a job at all', job: () => ['rm', '-rf', '/'], expect: { rule: 'job.spec' } },
  {
    name: 'training graph without the outputs the step loop reads',
    job: (s) => ({ ...irisTrainingJob((bytes) => s.put(bytes)), trainStep: s.put(encodeModel(denseModel())) }),
    expect: { rule: 'training.graph_io' },
  },
  {
    name: 'run that allocates far beyond the memory limit',
    job: (s) => {
      const spec = inference(s, allocateByShapeModel(), { outputs: ['y'] });
      return {
        ...spec,
        feeds: [
          [inlineTensorSpec({ name: 'shape', dtype: 'int64', dims: [1], data: bytesOf(BigInt64Array.of(2n ** 30n)) })],
        ],
      };
    },
    expect: { failed: /^worker\.(out_of_memory|run_failed)$/ },
  },
  {
    name: 'output larger than a result may carry',
    job: (s) => {
      const spec = inference(s, allocateByShapeModel(), { outputs: ['y'] });
      const shape = inlineTensorSpec({
        name: 'shape',
        dtype: 'int64',
        dims: [1],
        data: bytesOf(BigInt64Array.of(2n ** 21n)),
      });
      return { ...spec, feeds: [[shape]] };
    },
    expect: { failed: /^job\.output_too_large$/ },
  },
  {
    name: 'run longer than its time limit',
    job: (s) => {
      // About 540 GFLOP, seconds on one thread: far past the 100 ms limit plus the supervisor's slack (0.4 s in
      // all) on any machine. With 256 x 256 matrices (67 GFLOP) a fast core finished in time now and then.
      const x = inlineTensorSpec({
        name: 'x',
        dtype: 'float32',
        dims: [512, 512],
        data: bytesOf(seededFloats(512 * 512, 3)),
      });
      return inference(s, matMulChainModel(512, 2000), { feeds: [[x]], limits: { ...LIMITS, maxRunMs: 100 } });
    },
    expect: { failed: /^worker\.timeout$/ },
  },
];

describe('hostile jobs', () => {
  const checkpoints = new CheckpointStore(checkpointDir);

  it('has at least 25 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(25);
  });

  it.each(CASES)('$name', async (hostile) => {
    const store = new MemoryBlobStore();
    const outcome: JobOutcome = await startJob(hostile.job(store), { blobs: store, checkpoints, threads: 1 }).outcome;
    if ('rule' in hostile.expect) {
      expect(outcome).toMatchObject({ status: 'rejected', rule: hostile.expect.rule });
      if (outcome.status === 'rejected') expect(outcome.message.length).toBeGreaterThan(10);
    } else {
      expect(outcome.status, JSON.stringify(outcome).slice(0, 400)).toBe('failed');
      if (outcome.status === 'failed') {
        expect(outcome.code).toMatch(hostile.expect.failed);
        expect(outcome.message).not.toMatch(/at .*\.ts:\d+/);
      }
    }
  });

  it('ends a load bomb that passes validation as a session-creation timeout, within its limit', async () => {
    // 1000 constant 512x512 MatMuls: about 270 GFLOP of constant folding, far beyond a second on any CPU.
    const model = constantFoldingBombModel(512, 1000);
    const store = new MemoryBlobStore();
    const x = inlineTensorSpec({
      name: 'x',
      dtype: 'float32',
      dims: [512, 512],
      data: bytesOf(seededFloats(512 * 512, 4)),
    });
    const limitMs = 1000;
    const job = inference(store, model, { feeds: [[x]], limits: { ...LIMITS, maxSessionCreateMs: limitMs } });
    let loadingAt: number | null = null;
    const execution = startJob(job, {
      blobs: store,
      checkpoints,
      threads: 1,
      onProgress: (progress) => {
        if (progress.phase === 'loading') loadingAt ??= performance.now();
      },
    });
    const outcome = await execution.outcome;
    const endedAt = performance.now();
    expect(outcome).toMatchObject({
      status: 'failed',
      code: 'worker.session_create_timeout',
      message: expect.stringMatching(/session-creation limit of 1 s/),
    });
    expect(loadingAt).not.toBeNull();
    // The limit, the deadline's slack (250 ms), the model's transfer allowance and the kill, with room for a busy machine.
    expect(endedAt - (loadingAt ?? 0)).toBeLessThan(limitMs + 2000);
  });

  it('still runs an honest job after all of them', async () => {
    const store = new MemoryBlobStore();
    const outcome = await startJob(inference(store, denseModel()), { blobs: store, checkpoints, threads: 1 }).outcome;
    expect(outcome.status).toBe('completed');
  });
});
