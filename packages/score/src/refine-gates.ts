import { type BoxSums, blockCount, type EmSums, type Steps } from "./fit-tasks.js";

/** Gates closer than this (in units of σ) after refinement are merged. */
const MERGE_DISTANCE = 0.1;

/** Gates of a level after {@link refineGates}: centres `[K, m]`, masses (sum 1) and per-gate input boxes. */
export interface RefinedGates {
  readonly centers: Float64Array;
  readonly mass: Float64Array;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  /** Mean number of gates a row touches in the regression's accumulation (sets the per-row cost). */
  readonly activePerRow: number;
}

/**
 * Refines the mixture base of a level from the data: `steps` EM iterations for the isotropic mixture
 * `Σ_k mass_k N(c_k, σ²I)` with the **known** variance σ² = σ0² + t, on one noisy copy `y = x + √t·ξ` of the
 * regression pool (the same copy at every iteration, so EM climbs one likelihood). Since `P_t = Q0 * N(0, σ²I)`,
 * this is the maximum-likelihood fit of the atoms `Σ mass_k δ_{c_k}` to Q0 — exact for a discrete mixture
 * whose atoms the gates cover, and a K-atom quantisation of a continuous Q0. Gates that lose all mass
 * are dropped and gates within 0.1σ are merged. Then each gate's box of standardised inputs
 * `(y − c_k)/σ` over the rows where its weight is ≥ 0.01 (internal).
 *
 * The passes over the data are maps (`em`, `box` steps of `fit-tasks.ts`) whose block sums are added in block
 * order, so the result does not depend on how the work is split.
 */
export function* refineGates(o: {
  rows: number;
  m: number;
  t: number;
  sigma0: number;
  centers: Float64Array;
  mass: Float64Array;
  steps: number;
  rngKey: string;
}): Steps<RefinedGates> {
  const { rows, m, t } = o;
  const sigma2 = o.sigma0 * o.sigma0 + t;
  let centers: Float64Array = Float64Array.from(o.centers);
  let mass: Float64Array = Float64Array.from(o.mass);
  const blocks = blockCount(rows);
  const input = () => ({ m, t, sigma0: o.sigma0, centers, mass, rngKey: o.rngKey });
  for (let step = 0; step < o.steps; step++) {
    const K = centers.length / m;
    const parts = (yield { task: "em", pool: "reg", input: input(), blocks }) as EmSums[];
    const s0 = new Float64Array(K);
    const s1 = new Float64Array(K * m);
    for (const p of parts) {
      for (let k = 0; k < K; k++) s0[k] = s0[k]! + p.s0[k]!;
      for (let q = 0; q < K * m; q++) s1[q] = s1[q]! + p.s1[q]!;
    }
    ({ centers, mass } = mergeClose(s0, s1, K, m, MERGE_DISTANCE * Math.sqrt(sigma2)));
  }
  const K = centers.length / m;
  const parts = (yield { task: "box", pool: "reg", input: input(), blocks }) as BoxSums[];
  const lower = new Float64Array(K * m).fill(Infinity);
  const upper = new Float64Array(K * m).fill(-Infinity);
  let active = 0;
  for (const p of parts) {
    active += p.active;
    for (let q = 0; q < K * m; q++) {
      lower[q] = Math.min(lower[q]!, p.lower[q]!);
      upper[q] = Math.max(upper[q]!, p.upper[q]!);
    }
  }
  for (let q = 0; q < K * m; q++) {
    if (!(lower[q]! <= upper[q]!)) {
      lower[q] = 0;
      upper[q] = 0;
    }
  }
  return { centers, mass, lower, upper, activePerRow: active / Math.max(1, rows) };
}

/**
 * M-step from the responsibility sums `s0` (`[K]`) and `s1` (`[K, m]`): centres `s1/s0`, masses `s0/Σs0`;
 * empty gates are dropped and gates closer than `tol` merged (mass-weighted), in index order.
 */
function mergeClose(
  s0: Float64Array,
  s1: Float64Array,
  K: number,
  m: number,
  tol: number,
): { centers: Float64Array; mass: Float64Array } {
  let total = 0;
  for (let k = 0; k < K; k++) total += s0[k]!;
  const cs: number[][] = [];
  const ws: number[] = [];
  for (let k = 0; k < K; k++) {
    const w = s0[k]!;
    if (!(w > 1e-12 * total)) continue;
    const c = Array.from({ length: m }, (_, j) => s1[k * m + j]! / w);
    const near = cs.findIndex((q) => q.reduce((acc, v, j) => acc + (v - c[j]!) ** 2, 0) < tol * tol);
    if (near >= 0) {
      const q = cs[near]!;
      const wq = ws[near]!;
      for (let j = 0; j < m; j++) q[j] = (q[j]! * wq + c[j]! * w) / (wq + w);
      ws[near] = wq + w;
    } else {
      cs.push(c);
      ws.push(w);
    }
  }
  const tot = ws.reduce((a, b) => a + b, 0);
  return { centers: Float64Array.from(cs.flat()), mass: Float64Array.from(ws, (w) => w / tot) };
}
