/**
 * One training step of an MLP classifier as an ONNX graph of standard ops:
 * forward pass (Gemm + Relu, linear output layer), softmax cross-entropy,
 * an explicit backward pass, and an SGD or Adam update. The math, with
 * P = softmax(logits), T = one-hot labels and B = batch size:
 *
 *   loss      = -mean_b sum_c T * log P
 *   dZ_L      = (P - T) / B
 *   dW_l      = H_{l-1}^T dZ_l        db_l = sum_b dZ_l
 *   dZ_{l-1}  = (dZ_l W_l^T) * [Z_{l-1} > 0]
 *
 * The batch size is read from X at run time, so one graph serves any batch.
 */
import { attr, buildModel, floatTensor, GraphBuilder, int64Tensor, tensorValue } from '../graph-builder.ts';
import type { ModelProto } from '../onnx-proto.ts';
import { onnxDataTypeOf } from '../tensor-dtypes.ts';
import { assertLayerSizes, type MlpDtype, mlpParamShapes } from './mlp-params.ts';
import { TrainStepNames, type TrainStepOptimizer } from './train-step-io.ts';

export interface AdamSettings {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
}

export const DEFAULT_ADAM: AdamSettings = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

export interface MlpTrainStepOptions {
  /** [features, hidden..., classes]. */
  readonly layerSizes: readonly number[];
  readonly optimizer: TrainStepOptimizer;
  /** Adam's constants, baked into the graph (default 0.9, 0.999, 1e-8). */
  readonly adam?: AdamSettings;
  /** 'class-index': Y is int64 [batch]; 'one-hot': Y is [batch, classes] in the params' dtype. */
  readonly labels?: 'class-index' | 'one-hot';
  /** float64 exists for gradient checks; training uses float32. */
  readonly dtype?: MlpDtype;
  /** Also output each gradient as `<param>.grad`. */
  readonly exposeGradients?: boolean;
}

const BATCH = 'batch';

function scalarOf(graph: GraphBuilder, dtype: MlpDtype, value: number): string {
  return graph.constant(
    dtype === 'float64' ? tensorValue('float64', [], Float64Array.of(value)) : floatTensor([], [value]),
  );
}

interface Forward {
  /** H_0 = X, H_l = Relu(Z_l) for hidden layers. */
  readonly activations: string[];
  /** Z_l pre-activations, l = 1..L (index 0 unused). */
  readonly preActivations: string[];
  readonly logits: string;
}

function forward(graph: GraphBuilder, layers: number): Forward {
  const activations: string[] = [TrainStepNames.features];
  const preActivations = [''];
  for (let layer = 1; layer <= layers; layer++) {
    const z = graph.node('Gemm', [activations[layer - 1] as string, `W${layer}`, `b${layer}`]);
    preActivations.push(z);
    if (layer < layers) activations.push(graph.node('Relu', [z]));
  }
  return { activations, preActivations, logits: preActivations[layers] as string };
}

function oneHotLabels(graph: GraphBuilder, options: MlpTrainStepOptions, dtype: MlpDtype, classes: number): string {
  if (options.labels === 'one-hot') return TrainStepNames.labels;
  // OneHot has no float64 kernel on every provider; make float32 and cast.
  const depth = graph.constant(int64Tensor([], [classes]));
  const values = graph.constant(floatTensor([2], [0, 1]));
  const oneHot = graph.node('OneHot', [TrainStepNames.labels, depth, values], { axis: attr.int(-1) });
  return dtype === 'float32' ? oneHot : graph.node('Cast', [oneHot], { to: attr.int(onnxDataTypeOf(dtype)) });
}

/** Returns the gradient of every parameter, by name. */
function backward(
  graph: GraphBuilder,
  dtype: MlpDtype,
  fwd: Forward,
  probabilities: string,
  targets: string,
  layers: number,
): Map<string, string> {
  const gradients = new Map<string, string>();
  const batchSize = graph.node(
    'Cast',
    [graph.node('Gather', [graph.node('Shape', [TrainStepNames.features]), graph.constant(int64Tensor([], [0]))])],
    {
      to: attr.int(onnxDataTypeOf(dtype)),
    },
  );
  const axis0 = graph.constant(int64Tensor([1], [0]));
  let dz = graph.node('Div', [graph.node('Sub', [probabilities, targets]), batchSize]);
  for (let layer = layers; layer >= 1; layer--) {
    gradients.set(`W${layer}`, graph.node('Gemm', [fwd.activations[layer - 1] as string, dz], { transA: attr.int(1) }));
    gradients.set(`b${layer}`, graph.node('ReduceSum', [dz, axis0], { keepdims: attr.int(0) }));
    if (layer > 1) {
      const dh = graph.node('Gemm', [dz, `W${layer}`], { transB: attr.int(1) });
      const isActive = graph.node('Greater', [fwd.preActivations[layer - 1] as string, scalarOf(graph, dtype, 0)]);
      dz = graph.node('Mul', [dh, graph.node('Cast', [isActive], { to: attr.int(onnxDataTypeOf(dtype)) })]);
    }
  }
  return gradients;
}

function sgdUpdate(graph: GraphBuilder, param: string, gradient: string): void {
  const step = graph.node('Mul', [TrainStepNames.learningRate, gradient]);
  graph.node('Sub', [param, step], {}, { outputs: [TrainStepNames.nextParam(param)] });
}

interface AdamScalars {
  readonly beta1: string;
  readonly oneMinusBeta1: string;
  readonly beta2: string;
  readonly oneMinusBeta2: string;
  readonly epsilon: string;
  /** 1 - beta1^t and 1 - beta2^t. */
  readonly correction1: string;
  readonly correction2: string;
}

function adamScalars(graph: GraphBuilder, dtype: MlpDtype, settings: AdamSettings): AdamScalars {
  const one = scalarOf(graph, dtype, 1);
  const beta1 = scalarOf(graph, dtype, settings.beta1);
  const beta2 = scalarOf(graph, dtype, settings.beta2);
  return {
    beta1,
    beta2,
    oneMinusBeta1: scalarOf(graph, dtype, 1 - settings.beta1),
    oneMinusBeta2: scalarOf(graph, dtype, 1 - settings.beta2),
    epsilon: scalarOf(graph, dtype, settings.epsilon),
    correction1: graph.node('Sub', [one, graph.node('Pow', [beta1, TrainStepNames.adamStep])]),
    correction2: graph.node('Sub', [one, graph.node('Pow', [beta2, TrainStepNames.adamStep])]),
  };
}

function adamUpdate(graph: GraphBuilder, scalars: AdamScalars, param: string, gradient: string): void {
  const moment = graph.node(
    'Add',
    [
      graph.node('Mul', [scalars.beta1, TrainStepNames.adamMoment(param)]),
      graph.node('Mul', [scalars.oneMinusBeta1, gradient]),
    ],
    {},
    { outputs: [TrainStepNames.nextAdamMoment(param)] },
  );
  const velocity = graph.node(
    'Add',
    [
      graph.node('Mul', [scalars.beta2, TrainStepNames.adamVelocity(param)]),
      graph.node('Mul', [scalars.oneMinusBeta2, graph.node('Mul', [gradient, gradient])]),
    ],
    {},
    { outputs: [TrainStepNames.nextAdamVelocity(param)] },
  );
  const momentHat = graph.node('Div', [moment, scalars.correction1]);
  const velocityHat = graph.node('Div', [velocity, scalars.correction2]);
  const denominator = graph.node('Add', [graph.node('Sqrt', [velocityHat]), scalars.epsilon]);
  const step = graph.node('Mul', [TrainStepNames.learningRate, graph.node('Div', [momentHat, denominator])]);
  graph.node('Sub', [param, step], {}, { outputs: [TrainStepNames.nextParam(param)] });
}

export function buildMlpTrainStep(options: MlpTrainStepOptions): ModelProto {
  const { layerSizes, optimizer } = options;
  assertLayerSizes(layerSizes);
  const dtype = options.dtype ?? 'float32';
  const layers = layerSizes.length - 1;
  const classes = layerSizes[layers] as number;
  const params = mlpParamShapes(layerSizes);
  const graph = new GraphBuilder(`mlp_train_step_${optimizer}`);

  for (const { name, dims } of params) graph.input(name, dtype, dims);
  if (optimizer === 'adam') {
    for (const { name, dims } of params) graph.input(TrainStepNames.adamMoment(name), dtype, dims);
    for (const { name, dims } of params) graph.input(TrainStepNames.adamVelocity(name), dtype, dims);
  }
  graph.input(TrainStepNames.features, dtype, [BATCH, layerSizes[0] as number]);
  if (options.labels === 'one-hot') graph.input(TrainStepNames.labels, dtype, [BATCH, classes]);
  else graph.input(TrainStepNames.labels, 'int64', [BATCH]);
  graph.input(TrainStepNames.learningRate, dtype, []);
  if (optimizer === 'adam') graph.input(TrainStepNames.adamStep, dtype, []);

  const fwd = forward(graph, layers);
  const logProbabilities = graph.node('LogSoftmax', [fwd.logits], { axis: attr.int(1) });
  const probabilities = graph.node('Softmax', [fwd.logits], { axis: attr.int(1) });
  const targets = oneHotLabels(graph, options, dtype, classes);
  const perSample = graph.node(
    'ReduceSum',
    [graph.node('Mul', [targets, logProbabilities]), graph.constant(int64Tensor([1], [1]))],
    {
      keepdims: attr.int(0),
    },
  );
  const meanLogLikelihood = graph.node('ReduceMean', [perSample], { axes: attr.ints([0]), keepdims: attr.int(0) });
  graph.node('Neg', [meanLogLikelihood], {}, { outputs: [TrainStepNames.loss] });

  const gradients = backward(graph, dtype, fwd, probabilities, targets, layers);
  const scalars = optimizer === 'adam' ? adamScalars(graph, dtype, options.adam ?? DEFAULT_ADAM) : undefined;
  for (const { name } of params) {
    const gradient = gradients.get(name) as string;
    if (scalars) adamUpdate(graph, scalars, name, gradient);
    else sgdUpdate(graph, name, gradient);
  }

  graph.output(TrainStepNames.loss, dtype, []);
  for (const { name, dims } of params) graph.output(TrainStepNames.nextParam(name), dtype, dims);
  if (optimizer === 'adam') {
    for (const { name, dims } of params) graph.output(TrainStepNames.nextAdamMoment(name), dtype, dims);
    for (const { name, dims } of params) graph.output(TrainStepNames.nextAdamVelocity(name), dtype, dims);
  }
  if (options.exposeGradients) {
    for (const { name, dims } of params) {
      const exposed = graph.node(
        'Identity',
        [gradients.get(name) as string],
        {},
        { outputs: [TrainStepNames.gradient(name)] },
      );
      graph.output(exposed, dtype, dims);
    }
  }
  return buildModel(graph, { docString: `MLP ${layerSizes.join('-')} train step (${optimizer})` });
}
