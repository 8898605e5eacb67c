import { describe, expect, it } from 'vitest';
import { TENSOR_DTYPES as JOB_DTYPES } from '../onnx/tensor-dtypes.ts';
import { sessionOptionsFor, toOrtSessionOptions, WorkerSessionOptionsSchema } from './session-options.ts';
import { TENSOR_DTYPES as WORKER_DTYPES } from './tensor-payload.ts';

describe('session options', () => {
  it('turns spinning off for duty-cycled jobs and clamps threads to the budget', () => {
    const dutyCycled = toOrtSessionOptions(sessionOptionsFor({ threads: 3.7, isDutyCycled: true }), ['cpu']);
    expect(dutyCycled.intraOpNumThreads).toBe(3);
    expect(dutyCycled.extra).toMatchObject({ session: { intra_op: { allow_spinning: '0' } } });
    const busy = toOrtSessionOptions(sessionOptionsFor({ threads: 0, isDutyCycled: false }), ['cpu']);
    expect(busy.intraOpNumThreads).toBe(1);
    expect(busy.extra).toMatchObject({ session: { intra_op: { allow_spinning: '1' } } });
  });

  it('never enables profiling, an optimized-model path or the ORT model format', () => {
    const options = toOrtSessionOptions(sessionOptionsFor({ threads: 2, isDutyCycled: false }), ['cuda']);
    expect(options.enableProfiling).toBe(false);
    expect(options).not.toHaveProperty('optimizedModelFilePath');
    expect(options).not.toHaveProperty('profileFilePrefix');
    expect(options.extra).toMatchObject({ session: { load_model_format: 'ONNX' } });
    expect(options.executionProviders).toEqual(['cuda', 'cpu']);
  });

  it('rejects any option the schema does not name', () => {
    const withExtra = { ...sessionOptionsFor({ threads: 1, isDutyCycled: false }), optimizedModelFilePath: '/tmp/x' };
    expect(WorkerSessionOptionsSchema.safeParse(withExtra).success).toBe(false);
  });

  it('keeps the worker dtype list equal to the job dtype list (the worker may not import the latter)', () => {
    expect([...WORKER_DTYPES]).toEqual([...JOB_DTYPES]);
  });
});
