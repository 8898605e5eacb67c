/**
 * onnxruntime session options come from this file, never from a job: a job
 * cannot turn on profiling, name an optimized-model output path or pass
 * arbitrary `extra` config keys. The schema admits only the knobs below; the
 * worker maps them to onnxruntime's options itself.
 *
 * It lives in native/worker/ because the sandboxed worker may read only this
 * folder; the job spec imports the execution provider names from here.
 */
import type { InferenceSession } from 'onnxruntime-node';
import { z } from 'zod';

export const EXECUTION_PROVIDERS = ['cpu', 'webgpu', 'cuda', 'dml', 'coreml'] as const;
export const ExecutionProviderSchema = z.enum(EXECUTION_PROVIDERS);
export type ExecutionProvider = z.infer<typeof ExecutionProviderSchema>;

export const MAX_INTRA_OP_THREADS = 256;

export const WorkerSessionOptionsSchema = z.strictObject({
  /** Threads one run may use: the device budget the scheduler gives this job. */
  intraOpNumThreads: z.int().min(1).max(MAX_INTRA_OP_THREADS),
  /** Sequential execution uses one inter-op thread; more would exceed the budget. */
  interOpNumThreads: z.literal(1),
  executionMode: z.literal('sequential'),
  graphOptimizationLevel: z.enum(['disabled', 'basic', 'extended', 'all']),
  enableCpuMemArena: z.boolean(),
  enableMemPattern: z.boolean(),
  /**
   * Intra-op threads spin between runs by default. A duty-cycled job at 7 % run
   * time burned 108 % of a core with spinning on and 14 % with it off.
   */
  allowSpinning: z.boolean(),
});
export type WorkerSessionOptions = z.infer<typeof WorkerSessionOptionsSchema>;

export interface SessionBudget {
  /** Cores this job may use. */
  threads: number;
  /** True when the job runs in bursts with pauses between them (throttled to keep the machine responsive). */
  isDutyCycled: boolean;
}

/** The one place session options are decided. */
export function sessionOptionsFor(budget: SessionBudget): WorkerSessionOptions {
  return WorkerSessionOptionsSchema.parse({
    intraOpNumThreads: Math.max(1, Math.min(MAX_INTRA_OP_THREADS, Math.floor(budget.threads))),
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    enableCpuMemArena: true,
    enableMemPattern: true,
    // Spinning only pays when runs follow each other back to back; between bursts it burns a core for nothing.
    allowSpinning: !budget.isDutyCycled,
  });
}

/** onnxruntime's own option object, built only from validated fields (worker side). */
export function toOrtSessionOptions(
  options: WorkerSessionOptions,
  executionProviders: readonly ExecutionProvider[],
): InferenceSession.SessionOptions {
  const spinning = options.allowSpinning ? '1' : '0';
  return {
    executionProviders: [...new Set([...executionProviders, 'cpu' as const])],
    intraOpNumThreads: options.intraOpNumThreads,
    interOpNumThreads: options.interOpNumThreads,
    executionMode: options.executionMode,
    graphOptimizationLevel: options.graphOptimizationLevel,
    enableCpuMemArena: options.enableCpuMemArena,
    enableMemPattern: options.enableMemPattern,
    enableProfiling: false,
    // Errors only: warnings would fill the worker's stderr, which the supervisor keeps for crash reports.
    logSeverityLevel: 3,
    extra: {
      session: {
        intra_op: { allow_spinning: spinning },
        inter_op: { allow_spinning: spinning },
        // Only ONNX protobuf, which job validation has read: never the ORT flatbuffer format, which it has not.
        load_model_format: 'ONNX',
      },
    },
  };
}
