/**
 * The hand-written backward pass, checked against finite differences of the
 * loss the same graph computes (float64, so the comparison is tight), and the
 * update rules against their formulas. Real onnxruntime sessions.
 */
import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { validateModel } from '../model-validation.ts';
import { encodeModel } from '../onnx-proto.ts';
import { initMlpParams, zerosLike } from './mlp-params.ts';
import { buildMlpTrainStep } from './mlp-train-step.ts';
import { TrainStepNames } from './train-step-io.ts';

const LAYERS = [3, 5, 4, 3];
const BATCH = 6;
const params = initMlpParams(LAYERS, 5, 'float64');
const features = Float64Array.from({ length: BATCH * 3 }, (_, i) => Math.sin(i * 1.7));
const labels = BigInt64Array.from({ length: BATCH }, (_, i) => BigInt(i % 3));

function feeds(values: Map<string, Float64Array>, lr: number, extra: Record<string, ort.Tensor> = {}) {
  const result: Record<string, ort.Tensor> = { ...extra };
  for (const { name, value } of params)
    result[name] = new ort.Tensor('float64', values.get(name) as Float64Array, value.dims);
  result[TrainStepNames.features] = new ort.Tensor('float64', features, [BATCH, 3]);
  result[TrainStepNames.labels] = new ort.Tensor('int64', labels, [BATCH]);
  result[TrainStepNames.learningRate] = new ort.Tensor('float64', Float64Array.of(lr), []);
  return result;
}

// Biases start at zero; nudged away so no pre-activation sits exactly on ReLU's kink, where a
// central difference and the (one-sided) gradient legitimately disagree.
const initialValues = () =>
  new Map(
    params.map(({ name, value }) => [
      name,
      Float64Array.from(value.data, (v, i) => (value.dims.length === 1 ? 0.05 * (i + 1) : v)),
    ]),
  );

describe('MLP train-step graph', () => {
  it('passes our own model validation', () => {
    const model = encodeModel(buildMlpTrainStep({ layerSizes: LAYERS, optimizer: 'adam' }));
    expect(validateModel(model)).toMatchObject({ ok: true });
  });

  it('computes gradients that match finite differences of its loss', async () => {
    const model = encodeModel(
      buildMlpTrainStep({ layerSizes: LAYERS, optimizer: 'sgd', dtype: 'float64', exposeGradients: true }),
    );
    const session = await ort.InferenceSession.create(model);
    const base = initialValues();
    const out = await session.run(feeds(base, 0));
    const epsilon = 1e-6;
    for (const { name } of params) {
      const gradient = out[TrainStepNames.gradient(name)]?.data as Float64Array;
      for (const index of [0, Math.floor(gradient.length / 2), gradient.length - 1]) {
        const lossAt = async (delta: number) => {
          const shifted = initialValues();
          const values = shifted.get(name) as Float64Array;
          values[index] = (values[index] as number) + delta;
          return (await session.run(feeds(shifted, 0)))[TrainStepNames.loss]?.data[0] as number;
        };
        const numeric = ((await lossAt(epsilon)) - (await lossAt(-epsilon))) / (2 * epsilon);
        expect(gradient[index]).toBeCloseTo(numeric, 6);
      }
    }
  });

  it('applies SGD as param - lr * grad', async () => {
    const model = encodeModel(
      buildMlpTrainStep({ layerSizes: LAYERS, optimizer: 'sgd', dtype: 'float64', exposeGradients: true }),
    );
    const session = await ort.InferenceSession.create(model);
    const out = await session.run(feeds(initialValues(), 0.1));
    const w1 = initialValues().get('W1') as Float64Array;
    const grad = out[TrainStepNames.gradient('W1')]?.data as Float64Array;
    const next = out[TrainStepNames.nextParam('W1')]?.data as Float64Array;
    for (const [i, value] of next.entries())
      expect(value).toBeCloseTo((w1[i] as number) - 0.1 * (grad[i] as number), 12);
  });

  it('applies Adam: the first step moves each weight by about lr against its gradient sign', async () => {
    const model = encodeModel(
      buildMlpTrainStep({ layerSizes: LAYERS, optimizer: 'adam', dtype: 'float64', exposeGradients: true }),
    );
    const session = await ort.InferenceSession.create(model);
    const zeros = zerosLike(params);
    const state: Record<string, ort.Tensor> = {
      [TrainStepNames.adamStep]: new ort.Tensor('float64', Float64Array.of(1), []),
    };
    for (const { name, value } of zeros) {
      state[TrainStepNames.adamMoment(name)] = new ort.Tensor('float64', Float64Array.from(value.data), value.dims);
      state[TrainStepNames.adamVelocity(name)] = new ort.Tensor('float64', Float64Array.from(value.data), value.dims);
    }
    const out = await session.run(feeds(initialValues(), 0.01, state));
    const w1 = initialValues().get('W1') as Float64Array;
    const grad = out[TrainStepNames.gradient('W1')]?.data as Float64Array;
    const next = out[TrainStepNames.nextParam('W1')]?.data as Float64Array;
    next.forEach((value, i) => {
      if (Math.abs(grad[i] as number) > 1e-6)
        expect(value - (w1[i] as number)).toBeCloseTo(-0.01 * Math.sign(grad[i] as number), 4);
    });
  });
});
