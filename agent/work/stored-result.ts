/**
 * A finished result as the outbox stores it: the submission's fields, with
 * checkpoint bytes in base64. Read back through the same schemas the network
 * uses, so a damaged row is refused rather than sent.
 */
import { z } from 'zod';
import type { ResultToSubmit } from '../../network/client/provider-client.ts';
import { ResultSubmissionSchema } from '../../network/wire/leases.ts';

const StoredResultSchema = ResultSubmissionSchema.omit({ outputSha256: true, checkpoints: true }).extend({
  checkpoints: z.array(z.object({ step: z.number().int().nonnegative(), base64: z.string() }).strict()),
});

export function encodeStoredResult(result: ResultToSubmit): string {
  return JSON.stringify({
    outputs: result.outputs,
    appVersion: result.appVersion,
    onnxruntimeVersion: result.onnxruntimeVersion,
    executionProvider: result.executionProvider,
    deviceMs: result.deviceMs,
    checkpoints: (result.checkpoints ?? []).map((checkpoint) => ({
      step: checkpoint.step,
      base64: Buffer.from(checkpoint.bytes).toString('base64'),
    })),
  });
}

/** The stored result, or null when the row does not hold one this version can send. */
export function decodeStoredResult(json: string): ResultToSubmit | null {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return null;
  }
  const parsed = StoredResultSchema.safeParse(raw);
  if (!parsed.success) return null;
  const { checkpoints, ...rest } = parsed.data;
  return {
    ...rest,
    checkpoints: checkpoints.map((checkpoint) => ({
      step: checkpoint.step,
      bytes: new Uint8Array(Buffer.from(checkpoint.base64, 'base64')),
    })),
  };
}
