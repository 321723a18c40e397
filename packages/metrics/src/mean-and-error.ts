import { MixdiffError } from "@mixdiff/core";

/**
 * Mean and standard error (`sd/√n`, sample sd with n − 1) of `values`, after checking every value is finite:
 * throws `NUMERICAL_FAILURE` naming `fn`, `what` and the first non-finite index.
 *
 * @example
 * ```ts
 * import { meanAndError } from "@mixdiff/metrics";
 * meanAndError([1, 2, 3], "demo", "values"); // { mean: 2, standardError: 1/√3, variance: 1 }
 * ```
 */
export function meanAndError(
  values: ArrayLike<number>,
  fn: string,
  what: string,
): { mean: number; standardError: number; variance: number } {
  const n = values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      throw new MixdiffError("NUMERICAL_FAILURE", `${fn}: ${what} at row ${i} is ${v}; expected a finite number`, {
        row: i,
      });
    }
    mean += v;
  }
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const e = values[i]! - mean;
    ss += e * e;
  }
  const variance = n > 1 ? ss / (n - 1) : 0;
  return { mean, standardError: Math.sqrt(variance / n), variance };
}
