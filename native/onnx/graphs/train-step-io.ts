/**
 * The names a train-step graph reads and writes: the contract between the
 * graph generator, the job spec's initial parameters and the worker's step
 * loop. A step maps (params, optimizer state, batch, learning rate) to
 * (next params, next optimizer state, loss); the loop feeds the outputs of one
 * step back as the inputs of the next.
 */
export const TRAIN_STEP_OPTIMIZERS = ['sgd', 'adam'] as const;
export type TrainStepOptimizer = (typeof TRAIN_STEP_OPTIMIZERS)[number];

export const TrainStepNames = {
  /** Batch features, [batch, features]. */
  features: 'X',
  /** Batch labels: int64 class indices [batch], or one-hot [batch, classes] in the params' dtype. */
  labels: 'Y',
  /** Scalar learning rate for this step (the schedule is applied by the step loop). */
  learningRate: 'lr',
  /** Scalar Adam step number t, starting at 1, in the params' dtype (for bias correction). */
  adamStep: 'adam_t',
  /** Scalar mean cross-entropy of the batch, computed before the update. */
  loss: 'loss',
  nextParam: (param: string) => `${param}.next`,
  adamMoment: (param: string) => `${param}.adam_m`,
  adamVelocity: (param: string) => `${param}.adam_v`,
  nextAdamMoment: (param: string) => `${param}.adam_m.next`,
  nextAdamVelocity: (param: string) => `${param}.adam_v.next`,
  /** Optional outputs for checking the backward pass. */
  gradient: (param: string) => `${param}.grad`,
} as const;

/** Optimizer state carried between steps, per parameter, as [input name, output name] pairs. */
export function optimizerStateNames(optimizer: TrainStepOptimizer, param: string): [string, string][] {
  if (optimizer === 'sgd') return [];
  return [
    [TrainStepNames.adamMoment(param), TrainStepNames.nextAdamMoment(param)],
    [TrainStepNames.adamVelocity(param), TrainStepNames.nextAdamVelocity(param)],
  ];
}

/** Every input a train-step graph for these params must declare. */
export function trainStepInputNames(params: readonly string[], optimizer: TrainStepOptimizer): string[] {
  return [
    ...params,
    ...params.flatMap((param) => optimizerStateNames(optimizer, param).map(([input]) => input)),
    TrainStepNames.features,
    TrainStepNames.labels,
    TrainStepNames.learningRate,
    ...(optimizer === 'adam' ? [TrainStepNames.adamStep] : []),
  ];
}

/** Every output a train-step graph for these params must declare. */
export function trainStepOutputNames(params: readonly string[], optimizer: TrainStepOptimizer): string[] {
  return [
    TrainStepNames.loss,
    ...params.map((param) => TrainStepNames.nextParam(param)),
    ...params.flatMap((param) => optimizerStateNames(optimizer, param).map(([, output]) => output)),
  ];
}
