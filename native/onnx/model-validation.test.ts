/**
 * Model validation on what we generate and ship (all of it must pass, with a
 * summary that matches what the generators claim) and on the rules the
 * hostile-job suite does not reach, with limits shrunk so the models stay small.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../package-root.ts';
import { buildModel, buildModelBytes, floatTensor, GraphBuilder } from './graph-builder.ts';
import { buildConvBlock } from './graphs/conv-block.ts';
import { buildGemmChain } from './graphs/gemm-chain.ts';
import { buildMlpInference } from './graphs/mlp-inference.ts';
import { buildMlpTrainStep } from './graphs/mlp-train-step.ts';
import { buildTransformerEncoder } from './graphs/transformer-encoder.ts';
import { DEFAULT_MODEL_LIMITS } from './model-limits.ts';
import { validateModel } from './model-validation.ts';
import { encodeModel } from './onnx-proto.ts';

function tinyModel(): GraphBuilder {
  const graph = new GraphBuilder('tiny');
  const x = graph.input('x', 'float32', ['batch', 4]);
  graph.node(
    'Relu',
    [graph.node('Add', [x, graph.initializer('b', floatTensor([4], [1, 2, 3, 4]))])],
    {},
    { outputs: ['y'] },
  );
  graph.output('y', 'float32', ['batch', 4]);
  return graph;
}

describe('model validation of our own models', () => {
  it.each([
    buildGemmChain({ size: 64, depth: 3 }),
    buildConvBlock({ batch: 1, channels: 8, height: 16, width: 16, layers: 2 }),
    buildTransformerEncoder({ batch: 2, seqLen: 16, dModel: 32, heads: 4, ffDim: 64 }),
  ])('accepts $name and estimates its FLOPs as the generator counts them', (graph) => {
    const validated = validateModel(encodeModel(graph.model));
    if (!validated.ok) throw new Error(`${validated.rule}: ${validated.message}`);
    expect(validated.summary.estimatedFlops).toBe(graph.flopsPerRun);
    expect(validated.summary.inputs.map((input) => input.name)).toEqual(graph.inputs.map((input) => input.name));
  });

  it('accepts the MLP train-step and inference graphs', () => {
    for (const optimizer of ['sgd', 'adam'] as const) {
      expect(validateModel(encodeModel(buildMlpTrainStep({ layerSizes: [4, 8, 3], optimizer }))).ok).toBe(true);
    }
    expect(validateModel(encodeModel(buildMlpInference({ layerSizes: [4, 8, 3] }))).ok).toBe(true);
  });

  it('accepts the Silero VAD model the benchmark ships, with its If bodies four deep', () => {
    const file = path.join(packageRoot('@ricky0123/vad-web', import.meta.filename), 'dist', 'silero_vad_v5.onnx');
    const validated = validateModel(new Uint8Array(fs.readFileSync(file)));
    if (!validated.ok) throw new Error(`${validated.rule}: ${validated.message}`);
    expect(validated.summary.maxSubgraphDepth).toBe(4);
  });
});

describe('model validation rules', () => {
  it('refuses a model above the node cap', () => {
    const rejected = validateModel(buildModelBytes(tinyModel()), { ...DEFAULT_MODEL_LIMITS, maxNodes: 1 });
    expect(rejected).toMatchObject({ ok: false, rule: 'onnx.node_count' });
  });

  it('refuses initializers above the byte cap', () => {
    const rejected = validateModel(buildModelBytes(tinyModel()), { ...DEFAULT_MODEL_LIMITS, maxInitializerBytes: 8 });
    expect(rejected).toMatchObject({ ok: false, rule: 'onnx.initializer_bytes' });
  });

  it('refuses a model without outputs', () => {
    const model = buildModel(tinyModel());
    if (model.graph) model.graph.output = [];
    expect(validateModel(encodeModel(model))).toMatchObject({ ok: false, rule: 'onnx.output_count' });
  });

  it('refuses a field onnx.proto has but we do not accept, and says which', () => {
    // ModelProto.training_info is field 20, length-delimited (tag 0xa2 0x01), here empty.
    const bytes = Uint8Array.from([...buildModelBytes(tinyModel()), 0xa2, 0x01, 0x00]);
    const rejected = validateModel(bytes);
    expect(rejected).toMatchObject({ ok: false, rule: 'onnx.unsupported_field' });
    if (!rejected.ok) expect(rejected.message).toMatch(/training_info/);
  });

  it('refuses protobuf nested deeper than the cap', () => {
    // GraphProto.node (1) -> NodeProto.attribute (5) -> AttributeProto.g (6) -> GraphProto..., 60 times over:
    // 180 levels of messages in a few hundred bytes, and parsers recurse once per level.
    const field = (tag: number, body: Uint8Array) => Uint8Array.from([tag, ...varint(body.length), ...body]);
    let graph = new Uint8Array(0);
    for (let level = 0; level < 60; level++) graph = field(0x0a, field(0x2a, field(0x32, graph)));
    const rejected = validateModel(Uint8Array.from([0x08, 0x08, ...field(0x3a, graph)]));
    expect(rejected).toMatchObject({ ok: false, rule: 'onnx.message_depth' });
  });
});

function varint(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  do {
    bytes.push((rest & 0x7f) | (rest >= 0x80 ? 0x80 : 0));
    rest >>>= 7;
  } while (rest > 0);
  return bytes;
}
