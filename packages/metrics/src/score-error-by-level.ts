import { checkNumber, MixdiffError, type Points, type Rng } from "@mixdiff/core";
import type { ScoreTruth } from "./types.js";

/** One row of {@link scoreErrorByLevel}. */
export interface ScoreErrorLevel {
  /** VE time (added noise variance). */
  t: number;
  /** `E_{p_t} ‖ŝ(y, t) − ∇ln p_t(y)‖²` (Monte-Carlo mean over `n` draws). */
  mse: number;
  /** `mse / E_{p_t} ‖∇ln p_t(y)‖²` (dimensionless; 0.01 = 1% of the score's energy). */
  relative: number;
  /** Standard error of `mse` (`sd/√n` of the per-point squared errors). */
  standardError: number;
}

/**
 * Score error per noise level: for each `t` in `times`, draws `y = x + √t ξ` with `x ~ truth` (`n` points, default
 * 2000, from stream `rng.stream("level", index)`), and compares `model.score(y, t)` with the exact
 * `truth.score(y, t)`. Shows which noise level limits quality; feed the result to {@link klBoundFromScoreErrors}.
 * Throws `INVALID_OPTION` for an empty or negative `times`, `DIMENSION_MISMATCH` when the model returns another
 * shape, `NUMERICAL_FAILURE` when the model returns a non-finite score.
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import { gaussianMixture } from "@mixdiff/mixtures";
 * import { scoreErrorByLevel } from "@mixdiff/metrics";
 * const truth = gaussianMixture({ means: [[-2], [2]], weights: [0.5, 0.5], noiseStd: 1 });
 * const levels = scoreErrorByLevel(truth, truth, { times: [0.1, 1, 10], rng: createRng(0), n: 500 });
 * // every mse is 0 for the exact score
 * ```
 */
export function scoreErrorByLevel(
  model: { score(y: Points, t: number): Points },
  truth: ScoreTruth,
  o: { times: readonly number[]; rng: Rng; n?: number },
): ScoreErrorLevel[] {
  const fn = "scoreErrorByLevel";
  if (!Array.isArray(o.times) || o.times.length === 0) {
    throw new MixdiffError("INVALID_OPTION", `${fn}: times must be a non-empty array of noise levels`, {
      path: "times",
    });
  }
  for (let i = 0; i < o.times.length; i++) checkNumber(o.times[i], fn, `times[${i}]`, { min: 0 });
  const n = checkNumber(o.n ?? 2000, fn, "n", { min: 2, integer: true });
  const d = truth.dim;
  return o.times.map((t, level) => {
    const rng = o.rng.stream("level", level);
    const x = truth.sample(n, rng.stream("x")).x;
    const noise = new Float64Array(n * d);
    rng.stream("noise").fillNormal(noise);
    const yData = new Float64Array(n * d);
    const st = Math.sqrt(t);
    for (let k = 0; k < n * d; k++) yData[k] = x.data[k]! + st * noise[k]!;
    const y: Points = { data: yData, rows: n, cols: d };
    const exact = truth.score(y, t);
    const est = model.score({ data: yData.slice(), rows: n, cols: d }, t);
    if (est.rows !== n || est.cols !== d) {
      throw new MixdiffError(
        "DIMENSION_MISMATCH",
        `${fn}: model.score returned ${est.rows} × ${est.cols}; expected ${n} × ${d} at t = ${t}`,
      );
    }
    let s = 0;
    let s2 = 0;
    let energy = 0;
    for (let i = 0; i < n; i++) {
      let e = 0;
      for (let c = 0; c < d; c++) {
        const a = est.data[i * d + c]!;
        if (!Number.isFinite(a)) {
          throw new MixdiffError("NUMERICAL_FAILURE", `${fn}: model score at t = ${t}, row ${i}, column ${c} is ${a}`, {
            row: i,
            column: c,
          });
        }
        const b = exact.data[i * d + c]!;
        e += (a - b) * (a - b);
        energy += b * b;
      }
      s += e;
      s2 += e * e;
    }
    const mse = s / n;
    const sd = Math.sqrt(Math.max(0, (s2 - n * mse * mse) / (n - 1)));
    return { t, mse, relative: energy > 0 ? mse / (energy / n) : 0, standardError: sd / Math.sqrt(n) };
  });
}
