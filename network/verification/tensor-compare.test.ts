import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { float32Tensor, inlineTensor } from '../jobs/tensors.ts';
import {
  compareOutputGroups,
  compareTensors,
  DEFAULT_TOLERANCES,
  toleranceFor,
  valuesClose,
} from './tensor-compare.ts';

const tol = { abs: 1e-5, rel: 1e-4 };

describe('tensor comparison', () => {
  it('accepts last-bit differences and refuses real ones', () => {
    const a = float32Tensor('y', [3], [1, 2, 3]);
    expect(compareTensors(a, float32Tensor('y', [3], [1, 2.0001, 3]), tol).agree).toBe(true);
    const far = compareTensors(a, float32Tensor('y', [3], [1, 2.1, 3]), tol);
    expect(far).toMatchObject({ agree: false });
    if (!far.agree) expect(far.reason).toContain('element 1');
  });

  it('refuses different names, dtypes and dims whatever the values', () => {
    const a = float32Tensor('y', [2], [1, 2]);
    expect(compareTensors(a, float32Tensor('z', [2], [1, 2]), tol).agree).toBe(false);
    expect(compareTensors(a, float32Tensor('y', [1, 2], [1, 2]), tol).agree).toBe(false);
    const asInt = inlineTensor('y', 'int32', [2], new Uint8Array(new Int32Array([1, 2]).buffer));
    expect(compareTensors(a, asInt, tol).agree).toBe(false);
  });

  it('treats NaN as equal to NaN and an infinity only as itself', () => {
    expect(valuesClose(Number.NaN, Number.NaN, tol)).toBe(true);
    expect(valuesClose(Number.NaN, 0, tol)).toBe(false);
    expect(valuesClose(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, tol)).toBe(true);
    expect(valuesClose(Number.POSITIVE_INFINITY, 1e308, tol)).toBe(false);
  });

  it('compares integers exactly when the tolerance is zero', () => {
    const a = inlineTensor('k', 'int64', [2], new Uint8Array(new BigInt64Array([1n, 2n]).buffer));
    const b = inlineTensor('k', 'int64', [2], new Uint8Array(new BigInt64Array([1n, 3n]).buffer));
    expect(compareTensors(a, a, { abs: 0, rel: 0 }).agree).toBe(true);
    expect(compareTensors(a, b, { abs: 0, rel: 0 }).agree).toBe(false);
  });

  it('uses the per-output tolerance over the default', () => {
    const tolerances = { default: { abs: 0, rel: 0 }, outputs: { loose: { abs: 1, rel: 0 } } };
    expect(toleranceFor('loose', tolerances)).toEqual({ abs: 1, rel: 0 });
    const groupsA = [[float32Tensor('loose', [1], [1]), float32Tensor('tight', [1], [1])]];
    const groupsB = [[float32Tensor('loose', [1], [1.5]), float32Tensor('tight', [1], [1])]];
    expect(compareOutputGroups(groupsA, groupsB, tolerances).agree).toBe(true);
    const groupsC = [[float32Tensor('loose', [1], [1]), float32Tensor('tight', [1], [1.5])]];
    expect(compareOutputGroups(groupsA, groupsC, tolerances).agree).toBe(false);
  });

  it('names the run that differs when results hold several groups', () => {
    const one = [[float32Tensor('y', [1], [1])], [float32Tensor('y', [1], [2])]];
    const other = [[float32Tensor('y', [1], [1])], [float32Tensor('y', [1], [9])]];
    const comparison = compareOutputGroups(one, other, DEFAULT_TOLERANCES);
    expect(comparison.agree).toBe(false);
    if (!comparison.agree) expect(comparison.reason).toMatch(/^run 1:/);
    expect(compareOutputGroups(one, [one[0] as never], DEFAULT_TOLERANCES).agree).toBe(false);
  });

  it('is symmetric and reflexive', () => {
    const values = fc.array(fc.float({ noDefaultInfinity: false, noNaN: false }), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(values, values, (x, y) => {
        const n = Math.min(x.length, y.length);
        const a = float32Tensor('t', [n], x.slice(0, n));
        const b = float32Tensor('t', [n], y.slice(0, n));
        expect(compareTensors(a, b, tol).agree).toBe(compareTensors(b, a, tol).agree);
        expect(compareTensors(a, a, tol).agree).toBe(true);
      }),
    );
  });
});
