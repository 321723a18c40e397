import { MixdiffError, type PointsLike, toPoints } from "@mixdiff/core";
import { hungarian } from "./hungarian.js";

/** Mixture parameters compared by {@link parameterRecovery}: component means `[k, d]` and weights `[k]`. */
export interface MixtureParameters {
  means: PointsLike;
  weights: ArrayLike<number>;
}

/** The result of {@link parameterRecovery}; arrays are indexed by the *true* component. */
export interface ParameterRecovery {
  /** `assignment[j]`: the estimated component matched to true component j, or −1 if none is left. */
  assignment: Int32Array;
  /** ‖μ̂_{a(j)} − μ_j‖ (Euclidean); `Infinity` for an unmatched true component. */
  meanErrors: Float64Array;
  /** The largest mean error over matched components (0 when none matched). */
  maxMeanError: number;
  /** |ŵ_{a(j)} − w_j|; `w_j` for an unmatched true component. */
  weightErrors: Float64Array;
  /** The largest weight error over all true components. */
  maxWeightError: number;
  /** |k_estimated − k_true|: components on either side left without a partner. */
  unmatched: number;
}

/**
 * Matches estimated mixture components to true ones by the assignment minimising the total squared distance
 * between means ({@link hungarian}), then reports per-component mean and weight errors. Invariant to the order
 * of the components in either input. When the counts differ, the extra components stay unmatched (`unmatched`).
 * Throws `DIMENSION_MISMATCH` when the means have different dimensions or a weight vector has the wrong length,
 * `NON_FINITE_INPUT` for non-finite values.
 *
 * @example
 * ```ts
 * import { parameterRecovery } from "@mixdiff/metrics";
 * const r = parameterRecovery(
 *   { means: [[4.1, 0], [-3.9, 0]], weights: [0.52, 0.48] },
 *   { means: [[-4, 0], [4, 0]], weights: [0.5, 0.5] },
 * );
 * // r.assignment = [1, 0], r.maxMeanError ≈ 0.1, r.maxWeightError ≈ 0.02
 * ```
 */
export function parameterRecovery(estimated: MixtureParameters, truth: MixtureParameters): ParameterRecovery {
  const fn = "parameterRecovery";
  const mt = toPoints(truth.means, { name: `${fn}: truth.means` });
  const me = toPoints(estimated.means, { name: `${fn}: estimated.means`, expectedCols: mt.cols });
  const we = checkWeights(estimated.weights, me.rows, `${fn}: estimated.weights`);
  const wt = checkWeights(truth.weights, mt.rows, `${fn}: truth.weights`);
  const kt = mt.rows;
  const ke = me.rows;
  const d = mt.cols;
  const cost = new Float64Array(kt * ke);
  for (let j = 0; j < kt; j++) {
    for (let i = 0; i < ke; i++) {
      let q = 0;
      for (let c = 0; c < d; c++) {
        const diff = mt.data[j * d + c]! - me.data[i * d + c]!;
        q += diff * diff;
      }
      cost[j * ke + i] = q;
    }
  }
  const assignment = hungarian(cost, kt, ke);
  const meanErrors = new Float64Array(kt);
  const weightErrors = new Float64Array(kt);
  let maxMeanError = 0;
  let maxWeightError = 0;
  for (let j = 0; j < kt; j++) {
    const i = assignment[j]!;
    if (i < 0) {
      meanErrors[j] = Infinity;
      weightErrors[j] = wt[j]!;
    } else {
      meanErrors[j] = Math.sqrt(cost[j * ke + i]!);
      weightErrors[j] = Math.abs(we[i]! - wt[j]!);
      if (meanErrors[j]! > maxMeanError) maxMeanError = meanErrors[j]!;
    }
    if (weightErrors[j]! > maxWeightError) maxWeightError = weightErrors[j]!;
  }
  return { assignment, meanErrors, maxMeanError, weightErrors, maxWeightError, unmatched: Math.abs(ke - kt) };
}

function checkWeights(w: ArrayLike<number>, k: number, name: string): Float64Array {
  if (w === null || typeof w !== "object" || w.length !== k) {
    throw new MixdiffError(
      "DIMENSION_MISMATCH",
      `${name}: expected ${k} weights (one per mean); got ${w && typeof w === "object" ? w.length : typeof w}`,
    );
  }
  const out = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const v = w[i];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new MixdiffError("NON_FINITE_INPUT", `${name}[${i}] is ${String(v)}; weights must be finite`, { row: i });
    }
    out[i] = v;
  }
  return out;
}
