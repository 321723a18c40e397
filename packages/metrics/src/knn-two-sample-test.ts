import { checkNumber, MixdiffError, type Points, type PointsLike, type Rng } from "@mixdiff/core";
import { subsampleRows } from "./subsample-rows.js";
import { twoSamples } from "./two-samples.js";
import type { Estimate } from "./types.js";

/** Options of {@link knnTwoSampleTest}. */
export interface KnnTwoSampleOptions {
  /** Draws the subsamples and the train/test split. */
  rng: Rng;
  /** Neighbours per vote (default 5; ties go to the nearest neighbour's label). */
  k?: number;
  /** Each sample is subsampled to at most this many points (default 5000); both are cut to the same size. */
  maxSamples?: number;
}

/** The result of {@link knnTwoSampleTest}. */
export type KnnTwoSampleEstimate = Estimate & { accuracy: number; tvLowerBound: number; pValue: number };

/**
 * Classifier two-sample test (Lopez-Paz & Oquab 2017) with a k-nearest-neighbour classifier.
 * Both samples are cut to the same size `s = min(n, m, maxSamples)` (random subsets), each is split at random
 * into a training half and a test half, and each test point is classified by a majority vote of its `k`
 * nearest training points (Euclidean). O(s² d) time.
 *
 * - `accuracy`: the fraction of the `T = 2·(s − ⌊s/2⌋)` test points classified correctly (equally many from each sample).
 * - `value = 2·accuracy − 1`: the plug-in estimate of the total-variation lower bound the classifier implies
 *   (for any fixed classifier, balanced accuracy ≤ ½ + TV/2); ≈ 0 when P = Q. `standardError = 2·√(acc(1−acc)/T)`,
 *   `ci` = value ± 1.96·standardError.
 * - `tvLowerBound = max(0, 2·(accuracy − √(ln 20/(2T))) − 1)`: a lower bound on TV(P, Q) that holds with
 *   probability ≥ 95% (Hoeffding; the classifier is independent of the test points).
 * - `pValue`: exact one-sided binomial test of H0: P = Q (accuracy ~ Bin(T, ½)/T under H0).
 *
 * Throws `INVALID_INPUT` when a sample has fewer than 2 points, `INVALID_OPTION` when `k` exceeds the training size.
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import { knnTwoSampleTest } from "@mixdiff/metrics";
 * declare const x: number[][], y: number[][];
 * const r = knnTwoSampleTest(x, y, { rng: createRng(3), k: 5 });
 * // r.accuracy, r.tvLowerBound (≤ TV with 95% confidence), r.pValue
 * ```
 */
export function knnTwoSampleTest(xIn: PointsLike, yIn: PointsLike, o: KnnTwoSampleOptions): KnnTwoSampleEstimate {
  const fn = "knnTwoSampleTest";
  const { x: x0, y: y0 } = twoSamples(xIn, yIn, fn, 2);
  const k = checkNumber(o.k ?? 5, fn, "k", { min: 1, integer: true });
  const maxSamples = checkNumber(o.maxSamples ?? 5000, fn, "maxSamples", { min: 2, integer: true });
  const s = Math.min(x0.rows, y0.rows, maxSamples);
  const sx = shuffled(x0, s, o.rng.stream("x"));
  const sy = shuffled(y0, s, o.rng.stream("y"));
  const nTrain = Math.floor(s / 2);
  const nTest = s - nTrain;
  if (k > 2 * nTrain) {
    throw new MixdiffError(
      "INVALID_OPTION",
      `${fn}: k must be ≤ the training size ${2 * nTrain} (half of each sample); got ${k}`,
      { path: "k" },
    );
  }
  const d = x0.cols;
  // training set: first nTrain rows of each; labels 0 (x) and 1 (y)
  const train = new Float64Array(2 * nTrain * d);
  train.set(sx.data.subarray(0, nTrain * d), 0);
  train.set(sy.data.subarray(0, nTrain * d), nTrain * d);
  const nT = 2 * nTrain;
  const bestD = new Float64Array(k);
  const bestL = new Uint8Array(k);
  let correct = 0;
  for (let side = 0; side < 2; side++) {
    const src = side === 0 ? sx.data : sy.data;
    for (let t = nTrain; t < s; t++) {
      const ot = t * d;
      let filled = 0;
      for (let j = 0; j < nT; j++) {
        const oj = j * d;
        let q = 0;
        for (let c = 0; c < d; c++) {
          const diff = src[ot + c]! - train[oj + c]!;
          q += diff * diff;
        }
        if (filled < k || q < bestD[filled - 1]!) {
          // insertion into the sorted top-k list
          let pos = filled < k ? filled++ : k - 1;
          while (pos > 0 && bestD[pos - 1]! > q) {
            bestD[pos] = bestD[pos - 1]!;
            bestL[pos] = bestL[pos - 1]!;
            pos--;
          }
          bestD[pos] = q;
          bestL[pos] = j < nTrain ? 0 : 1;
        }
      }
      let ones = 0;
      for (let a = 0; a < k; a++) ones += bestL[a]!;
      const pred = 2 * ones > k ? 1 : 2 * ones < k ? 0 : bestL[0]!;
      if (pred === side) correct++;
    }
  }
  const T = 2 * nTest;
  const accuracy = correct / T;
  const seAcc = Math.sqrt(Math.max(accuracy * (1 - accuracy), 0.25 / T) / T);
  const value = 2 * accuracy - 1;
  const se = 2 * seAcc;
  const tvLowerBound = Math.max(0, 2 * (accuracy - Math.sqrt(Math.log(20) / (2 * T))) - 1);
  return {
    value,
    standardError: se,
    ci: [value - 1.96 * se, value + 1.96 * se],
    n: s,
    m: s,
    subsampled: s < x0.rows || s < y0.rows,
    accuracy,
    tvLowerBound,
    pValue: binomialUpperTail(correct, T),
    details: { k, trainPerSample: nTrain, testPerSample: nTest, originalN: x0.rows, originalM: y0.rows },
  };
}

/** The first `s` rows of a uniformly random permutation of `p`'s rows. */
function shuffled(p: Points, s: number, rng: Rng): Points {
  return s < p.rows ? subsampleRows(p, s, rng).points : fullShuffle(p, rng);
}

function fullShuffle(p: Points, rng: Rng): Points {
  const d = p.cols;
  const idx = new Int32Array(p.rows);
  for (let i = 0; i < p.rows; i++) idx[i] = i;
  for (let i = p.rows - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    const t = idx[i]!;
    idx[i] = idx[j]!;
    idx[j] = t;
  }
  const data = new Float64Array(p.rows * d);
  for (let i = 0; i < p.rows; i++) data.set(p.data.subarray(idx[i]! * d, (idx[i]! + 1) * d), i * d);
  return { data, rows: p.rows, cols: d };
}

/** P(B ≥ c) for B ~ Binomial(T, ½), summed in log space. */
function binomialUpperTail(c: number, T: number): number {
  if (c <= 0) return 1;
  if (c > T) return 0;
  // log C(T, k) by the recursion log C(T, k+1) = log C(T, k) + ln(T − k) − ln(k + 1)
  let logC = 0;
  for (let k = 0; k < c; k++) logC += Math.log(T - k) - Math.log(k + 1);
  let max = logC;
  const terms: number[] = [];
  let lc = logC;
  for (let k = c; k <= T; k++) {
    terms.push(lc);
    if (lc > max) max = lc;
    lc += Math.log(T - k) - Math.log(k + 1);
  }
  let sum = 0;
  for (const t of terms) sum += Math.exp(t - max);
  return Math.min(1, Math.exp(max + Math.log(sum) - T * Math.LN2));
}
