/**
 * The convolution workload: `layers` blocks of Conv (k x k, stride 1, "same"
 * padding, C -> C channels, with bias) followed by Relu, on a batch of
 * C x H x W images. He-initialized weights keep activations in range.
 */
import { attr, buildModel, GraphBuilder, tensorValue } from '../graph-builder.ts';
import { normalArray, seededRandom } from '../seeded-random.ts';
import type { BenchmarkGraph } from './benchmark-graph.ts';

export interface ConvBlockOptions {
  readonly batch: number;
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly layers: number;
  /** Odd kernel size (default 3). */
  readonly kernel?: number;
  readonly seed?: number;
}

export function convBlockFlops(options: ConvBlockOptions): number {
  const kernel = options.kernel ?? 3;
  const { batch, channels, height, width, layers } = options;
  return layers * 2 * batch * channels * height * width * channels * kernel * kernel;
}

export function buildConvBlock(options: ConvBlockOptions): BenchmarkGraph {
  const kernel = options.kernel ?? 3;
  if (kernel % 2 !== 1) throw new RangeError('the kernel size must be odd for same padding');
  const { batch, channels, height, width, layers } = options;
  const random = seededRandom(options.seed ?? 23);
  const dims = [batch, channels, height, width];
  const graph = new GraphBuilder('conv_block');
  let value = graph.input('x', 'float32', dims);
  const pad = (kernel - 1) / 2;
  const fanIn = channels * kernel * kernel;
  for (let layer = 0; layer < layers; layer++) {
    const weight = graph.initializer(
      `conv${layer}.w`,
      tensorValue(
        'float32',
        [channels, channels, kernel, kernel],
        normalArray(random, channels * fanIn, Math.sqrt(2 / fanIn)),
      ),
    );
    const bias = graph.initializer(`conv${layer}.b`, tensorValue('float32', [channels], new Float32Array(channels)));
    const conv = graph.node('Conv', [value, weight, bias], {
      kernel_shape: attr.ints([kernel, kernel]),
      pads: attr.ints([pad, pad, pad, pad]),
      strides: attr.ints([1, 1]),
    });
    value = graph.node('Relu', [conv], {}, layer === layers - 1 ? { outputs: ['y'] } : {});
  }
  graph.output(value, 'float32', dims);
  return {
    name: `conv_block_${batch}x${channels}x${height}x${width}x${layers}`,
    model: buildModel(graph),
    inputs: [{ name: 'x', dtype: 'float32', dims }],
    outputName: 'y',
    flopsPerRun: convBlockFlops(options),
  };
}
