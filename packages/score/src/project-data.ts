import { poolArray } from "./fit-tasks.js";

/** `(x − mean)·U` for every row: `[N, n] → [N, m]` (in a pool array: shared with worker threads). */
export function project(
  x: Float64Array,
  N: number,
  n: number,
  mean: Float64Array,
  U: Float64Array,
  m: number,
): Float64Array {
  const z = poolArray(N * m);
  for (let i = 0; i < N; i++) {
    for (let k = 0; k < m; k++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += (x[i * n + j]! - mean[j]!) * U[j * m + k]!;
      z[i * m + k] = s;
    }
  }
  return z;
}

/** Box of the projected data (f lies in the convex hull of supp Q0, inside it) and the largest norm. */
export function dataBox(z: Float64Array, N: number, m: number) {
  const lower = new Float64Array(m).fill(Infinity);
  const upper = new Float64Array(m).fill(-Infinity);
  let r2 = 0;
  for (let i = 0; i < N; i++) {
    let s = 0;
    for (let k = 0; k < m; k++) {
      const v = z[i * m + k]!;
      if (v < lower[k]!) lower[k] = v;
      if (v > upper[k]!) upper[k] = v;
      s += v * v;
    }
    r2 = Math.max(r2, s);
  }
  return { lower, upper, radius: Math.sqrt(r2) };
}
