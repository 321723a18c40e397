import type { Rng } from "@mixdiff/core";
import { CORRECTION_OFF, createGateScratch, evaluateGates, logOf } from "./gates.js";

/** Points per noise stream / statistics shard of the learner's passes over the data. */
export const SHARD_ROWS = 256;
/** A gate's box covers the standardised inputs of the rows where its weight is at least this. */
const BOX_WEIGHT = 0.01;
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
 * points (the same copy at every iteration, so EM climbs one likelihood). Since `P_t = Q0 * N(0, σ²I)`,
 * this is the maximum-likelihood fit of the atoms `Σ mass_k δ_{c_k}` to Q0 — exact for a discrete mixture
 * whose atoms the gates cover, and a K-atom quantisation of a continuous Q0. Gates that lose all mass
 * are dropped and gates within 0.1σ are merged. Then each gate's box of standardised inputs
 * `(y − c_k)/σ` over the rows where its weight is ≥ 0.01 (internal).
 *
 * Shards of {@link SHARD_ROWS} points draw their noise from `rng.stream(shard)` and their sums are added in
 * shard order, so the result does not depend on how the work is split.
 */
export function refineGates(o: {
  x: Float64Array;
  rows: number;
  m: number;
  t: number;
  sigma0: number;
  centers: Float64Array;
  mass: Float64Array;
  steps: number;
  rng: Rng;
}): RefinedGates {
  const { x, rows, m, t } = o;
  const sigma2 = o.sigma0 * o.sigma0 + t;
  const inv2s2 = 0.5 / sigma2;
  const sqt = Math.sqrt(t);
  let centers: Float64Array = Float64Array.from(o.centers);
  let mass: Float64Array = Float64Array.from(o.mass);
  const y = new Float64Array(SHARD_ROWS * m);
  const noisy = (b0: number, bn: number): Float64Array => {
    if (t > 0) o.rng.stream(b0 / SHARD_ROWS).fillNormal(y, 0, bn * m);
    for (let q = 0; q < bn * m; q++) y[q] = (x[b0 * m + q] as number) + (t > 0 ? sqt * (y[q] as number) : 0);
    return y;
  };
  const g = createGateScratch(m, centers.length / m);
  for (let step = 0; step < o.steps; step++) {
    const K = centers.length / m;
    const logMass = logOf(mass);
    const s0 = new Float64Array(K);
    const s1 = new Float64Array(K * m);
    for (let b0 = 0; b0 < rows; b0 += SHARD_ROWS) {
      const bn = Math.min(SHARD_ROWS, rows - b0);
      const yy = noisy(b0, bn);
      const h0 = new Float64Array(K);
      const h1 = new Float64Array(K * m);
      for (let i = 0; i < bn; i++) {
        evaluateGates(yy, i * m, centers, logMass, K, m, inv2s2, g);
        for (let j = 0; j < g.count; j++) {
          const k = g.active[j] as number;
          const p = g.pi[j] as number;
          h0[k] = (h0[k] as number) + p;
          for (let c = 0; c < m; c++) h1[k * m + c] = (h1[k * m + c] as number) + p * (yy[i * m + c] as number);
        }
      }
      for (let k = 0; k < K; k++) s0[k] = (s0[k] as number) + (h0[k] as number);
      for (let q = 0; q < K * m; q++) s1[q] = (s1[q] as number) + (h1[q] as number);
    }
    ({ centers, mass } = mergeClose(s0, s1, K, m, MERGE_DISTANCE * Math.sqrt(sigma2)));
  }
  const K = centers.length / m;
  const logMass = logOf(mass);
  const lower = new Float64Array(K * m).fill(Infinity);
  const upper = new Float64Array(K * m).fill(-Infinity);
  const inv = 1 / Math.sqrt(sigma2);
  let active = 0;
  for (let b0 = 0; b0 < rows; b0 += SHARD_ROWS) {
    const bn = Math.min(SHARD_ROWS, rows - b0);
    const yy = noisy(b0, bn);
    for (let i = 0; i < bn; i++) {
      evaluateGates(yy, i * m, centers, logMass, K, m, inv2s2, g);
      for (let j = 0; j < g.count; j++) if ((g.pi[j] as number) > CORRECTION_OFF) active++;
      for (let j = 0; j < g.count; j++) {
        if ((g.pi[j] as number) < BOX_WEIGHT) continue;
        const k = g.active[j] as number;
        for (let c = 0; c < m; c++) {
          const v = ((yy[i * m + c] as number) - (centers[k * m + c] as number)) * inv;
          if (v < (lower[k * m + c] as number)) lower[k * m + c] = v;
          if (v > (upper[k * m + c] as number)) upper[k * m + c] = v;
        }
      }
    }
  }
  for (let q = 0; q < K * m; q++) {
    if (!((lower[q] as number) <= (upper[q] as number))) {
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
  for (let k = 0; k < K; k++) total += s0[k] as number;
  const cs: number[][] = [];
  const ws: number[] = [];
  for (let k = 0; k < K; k++) {
    const w = s0[k] as number;
    if (!(w > 1e-12 * total)) continue;
    const c = Array.from({ length: m }, (_, j) => (s1[k * m + j] as number) / w);
    const near = cs.findIndex((q) => q.reduce((acc, v, j) => acc + (v - (c[j] as number)) ** 2, 0) < tol * tol);
    if (near >= 0) {
      const q = cs[near] as number[];
      const wq = ws[near] as number;
      for (let j = 0; j < m; j++) q[j] = ((q[j] as number) * wq + (c[j] as number) * w) / (wq + w);
      ws[near] = wq + w;
    } else {
      cs.push(c);
      ws.push(w);
    }
  }
  const tot = ws.reduce((a, b) => a + b, 0);
  return { centers: Float64Array.from(cs.flat()), mass: Float64Array.from(ws, (w) => w / tot) };
}
