import type { Rng } from "@mixdiff/core";
import type { Pool } from "./fit-gated-level.js";
import { poolArray } from "./fit-tasks.js";

/** The three disjoint parts of the data (projected coordinates). */
export interface DataSplit {
  /** Regression pool: reused at every level with fresh noise (the paper allows one batch for all levels). */
  readonly reg: Pool;
  /** Clustering pool: cut into chunks for Algorithm 2's warm-start updates. */
  readonly clus: Pool;
  /** Held-out pool: model choice and the per-level error diagnostics. */
  readonly held: Pool;
}

/**
 * Splits the projected points `z` (`[N, m]`) by one seeded permutation into a regression pool, a clustering
 * pool (`clusterFraction`, at least 20 points) and a held-out pool (`heldFraction`, at least 10 points)
 * (internal).
 */
export function splitData(
  z: Float64Array,
  N: number,
  m: number,
  o: { heldFraction: number; clusterFraction: number; rng: Rng },
): DataSplit {
  const perm = new Int32Array(N);
  for (let i = 0; i < N; i++) perm[i] = i;
  const r = o.rng.stream("split");
  for (let i = N - 1; i > 0; i--) {
    const j = Math.floor(r.uniform() * (i + 1));
    const tmp = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = tmp;
  }
  const nHeld = Math.max(10, Math.round(o.heldFraction * N));
  const nClus = Math.max(20, Math.round(o.clusterFraction * N));
  const nReg = N - nHeld - nClus;
  const take = (from: number, count: number): Pool => {
    const x = poolArray(count * m);
    for (let i = 0; i < count; i++) x.set(z.subarray(perm[from + i]! * m, perm[from + i]! * m + m), i * m);
    return { x, rows: count };
  };
  return { reg: take(0, nReg), clus: take(nReg, nClus), held: take(nReg + nClus, nHeld) };
}
