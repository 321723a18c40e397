import { createRng, type Points } from "@mixdiff/core";
import { erfc } from "@mixdiff/mixtures";

/** Standard normal CDF Φ. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** n draws of N(mean, s² I) from a named seed (independent of the code under test). */
export function gaussianSample(n: number, mean: readonly number[], s: number, seed: string | number): Points {
  const d = mean.length;
  const data = new Float64Array(n * d);
  createRng(seed).fillNormal(data);
  for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) data[i * d + c] = mean[c]! + s * data[i * d + c]!;
  return { data, rows: n, cols: d };
}

/** Rows of p in a random order. */
export function shuffleRows(p: Points, seed: number): Points {
  const rng = createRng(seed);
  const idx = Array.from({ length: p.rows }, (_, i) => i);
  for (let i = idx.length - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  const data = new Float64Array(p.data.length);
  for (let i = 0; i < idx.length; i++) {
    const src = idx[i]!;
    data.set(p.data.subarray(src * p.cols, (src + 1) * p.cols), i * p.cols);
  }
  return { data, rows: p.rows, cols: p.cols };
}
