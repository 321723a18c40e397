/**
 * ln Σ exp(values[offset .. offset+length)), computed stably (max-shift). Returns -Infinity for
 * all -Infinity inputs and NaN if any input is NaN (scalar kernel: total, never throws).
 *
 * @example
 * ```ts
 * import { logSumExp } from "@mixdiff/core";
 * logSumExp([1000, 1000]); // 1000 + ln 2
 * ```
 */
export function logSumExp(values: ArrayLike<number>, offset = 0, length = values.length - offset): number {
  let max = -Infinity;
  const end = offset + length;
  for (let i = offset; i < end; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) return Number.NaN;
    if (v > max) max = v;
  }
  if (max === -Infinity) return -Infinity;
  if (max === Infinity) return Infinity;
  let s = 0;
  for (let i = offset; i < end; i++) s += Math.exp(values[i]! - max);
  return max + Math.log(s);
}

/**
 * Replaces `values[offset .. offset+length)` by their softmax in place and returns the log-normaliser
 * (the log-sum-exp). Stable for arbitrarily large or small logits.
 *
 * @example
 * ```ts
 * import { softmaxInPlace } from "@mixdiff/core";
 * const w = new Float64Array([0, Math.log(3)]);
 * softmaxInPlace(w); // w = [0.25, 0.75]
 * ```
 */
export function softmaxInPlace(values: Float64Array, offset = 0, length = values.length - offset): number {
  const lse = logSumExp(values, offset, length);
  const end = offset + length;
  for (let i = offset; i < end; i++) values[i] = Math.exp(values[i]! - lse);
  return lse;
}
