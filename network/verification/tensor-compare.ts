/**
 * Compares two providers' outputs for the same job. Names, dtypes and shapes
 * must match exactly; values may differ by at most `abs + rel * max(|a|, |b|)`
 * per element (symmetric, so the order of the two results never matters).
 * NaN equals NaN and an infinity equals only the same infinity, because two
 * honest runs of the same graph produce the same special values.
 */
import { z } from 'zod';
import { type InlineTensor, type OutputGroups, tensorBytes, tensorValues } from '../jobs/tensors.ts';

export const ToleranceSchema = z
  .object({
    abs: z.number().nonnegative().max(1e6),
    rel: z.number().nonnegative().max(1),
  })
  .strict();
export type Tolerance = z.infer<typeof ToleranceSchema>;

export const OutputTolerancesSchema = z
  .object({
    default: ToleranceSchema,
    /** Per output name, overriding the default. */
    outputs: z.record(z.string().min(1).max(256), ToleranceSchema).optional(),
  })
  .strict();
export type OutputTolerances = z.infer<typeof OutputTolerancesSchema>;

/** Floating point runs on different hardware differ in the last bits; this allows that and little more. */
export const DEFAULT_TOLERANCES: OutputTolerances = { default: { abs: 1e-5, rel: 1e-4 } };

export type Comparison = { agree: true } | { agree: false; reason: string };

const AGREE: Comparison = { agree: true };

export function valuesClose(a: number, b: number, tolerance: Tolerance): boolean {
  if (a === b) return true;
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= tolerance.abs + tolerance.rel * Math.max(Math.abs(a), Math.abs(b));
}

export function compareTensors(a: InlineTensor, b: InlineTensor, tolerance: Tolerance): Comparison {
  if (a.name !== b.name) return { agree: false, reason: `output names differ ("${a.name}" and "${b.name}")` };
  if (a.dtype !== b.dtype) return { agree: false, reason: `output "${a.name}" has dtypes ${a.dtype} and ${b.dtype}` };
  if (a.dims.length !== b.dims.length || a.dims.some((dim, i) => dim !== b.dims[i])) {
    return { agree: false, reason: `output "${a.name}" has dims [${a.dims}] and [${b.dims}]` };
  }
  if (a.data.base64 === b.data.base64) return AGREE;
  const exact = tolerance.abs === 0 && tolerance.rel === 0;
  if (exact && a.dtype !== 'float32' && a.dtype !== 'float64' && a.dtype !== 'float16') {
    return tensorBytes(a).equals(tensorBytes(b)) ? AGREE : { agree: false, reason: `output "${a.name}" differs` };
  }
  const left = tensorValues(a);
  const right = tensorValues(b);
  for (let i = 0; i < left.length; i++) {
    const x = left[i] as number;
    const y = right[i] as number;
    if (!valuesClose(x, y, tolerance)) {
      return {
        agree: false,
        reason: `output "${a.name}" element ${i} is ${x} and ${y}, beyond abs ${tolerance.abs} + rel ${tolerance.rel}`,
      };
    }
  }
  return AGREE;
}

export function toleranceFor(name: string, tolerances: OutputTolerances): Tolerance {
  return tolerances.outputs?.[name] ?? tolerances.default;
}

/** Two lists of outputs agree when they name the same outputs in the same order and each pair agrees. */
export function compareOutputSets(
  a: readonly InlineTensor[],
  b: readonly InlineTensor[],
  tolerances: OutputTolerances,
): Comparison {
  if (a.length !== b.length) return { agree: false, reason: `${a.length} outputs against ${b.length}` };
  for (let i = 0; i < a.length; i++) {
    const left = a[i] as InlineTensor;
    const right = b[i] as InlineTensor;
    const comparison = compareTensors(left, right, toleranceFor(left.name, tolerances));
    if (!comparison.agree) return comparison;
  }
  return AGREE;
}

/** Two results agree when they hold as many output groups (one per feed) and every group agrees. */
export function compareOutputGroups(a: OutputGroups, b: OutputGroups, tolerances: OutputTolerances): Comparison {
  if (a.length !== b.length) return { agree: false, reason: `${a.length} output groups against ${b.length}` };
  for (let i = 0; i < a.length; i++) {
    const comparison = compareOutputSets(a[i] as InlineTensor[], b[i] as InlineTensor[], tolerances);
    if (!comparison.agree)
      return a.length === 1 ? comparison : { agree: false, reason: `run ${i}: ${comparison.reason}` };
  }
  return AGREE;
}
