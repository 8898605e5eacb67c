/**
 * The inference graph matching buildMlpTrainStep: X -> class probabilities
 * ('probs', [batch, classes]). Parameters are either baked in as initializers
 * (a finished model to ship) or declared as inputs (so one graph evaluates
 * every checkpoint of a training run).
 */
import { attr, buildModel, GraphBuilder } from '../graph-builder.ts';
import type { ModelProto } from '../onnx-proto.ts';
import { assertLayerSizes, type MlpDtype, type MlpParam, mlpParamShapes } from './mlp-params.ts';
import { TrainStepNames } from './train-step-io.ts';

export const MLP_PROBABILITIES = 'probs';

export interface MlpInferenceOptions {
  readonly layerSizes: readonly number[];
  readonly dtype?: MlpDtype;
  /** Parameters to bake in as initializers; without them W1, b1, ... are graph inputs. */
  readonly params?: readonly MlpParam[];
}

export function buildMlpInference(options: MlpInferenceOptions): ModelProto {
  const { layerSizes } = options;
  assertLayerSizes(layerSizes);
  const dtype = options.dtype ?? 'float32';
  const layers = layerSizes.length - 1;
  const graph = new GraphBuilder('mlp_inference');
  const baked = new Map((options.params ?? []).map((param) => [param.name, param.value]));
  for (const { name, dims } of mlpParamShapes(layerSizes)) {
    const value = baked.get(name);
    if (value) {
      if (value.dims.join() !== dims.join() || value.dtype !== dtype)
        throw new RangeError(`parameter ${name} does not fit`);
      graph.initializer(name, value);
    } else if (options.params) {
      throw new RangeError(`parameter ${name} is missing`);
    } else {
      graph.input(name, dtype, dims);
    }
  }
  let value = graph.input(TrainStepNames.features, dtype, ['batch', layerSizes[0] as number]);
  for (let layer = 1; layer <= layers; layer++) {
    value = graph.node('Gemm', [value, `W${layer}`, `b${layer}`]);
    if (layer < layers) value = graph.node('Relu', [value]);
  }
  graph.node('Softmax', [value], { axis: attr.int(1) }, { outputs: [MLP_PROBABILITIES] });
  graph.output(MLP_PROBABILITIES, dtype, ['batch', layerSizes[layers] as number]);
  return buildModel(graph, { docString: `MLP ${layerSizes.join('-')} inference` });
}
