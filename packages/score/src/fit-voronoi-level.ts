import { MixdiffError, type Rng } from "@mixdiff/core";
import {
  createPiecewiseAccumulator,
  type NormalEquations,
  normalEquationsFromState,
  solveRidge,
} from "@mixdiff/polyreg";
import type { Pool } from "./fit-gated-level.js";
import { SHARD_ROWS } from "./fit-tasks.js";
import type { VoronoiLevel } from "./voronoi-level.js";

/** What a paper-preset level reports. */
export interface VoronoiLevelReport {
  readonly cells: number;
  readonly degree: number;
  /** Largest ridge the ball constraint needed over the cells (0: unconstrained least squares sufficed). */
  readonly ridge: number;
  readonly rows: number;
  readonly conditionNumber: number;
}

/**
 * One level of the paper's Algorithm 1, with nothing added: hard Voronoi cells of the warm starts, the
 * denoising target `z = y − σ²ξ/√t` on one fresh noisy copy `y = x + √t·ξ` of every point, per-cell least
 * squares on normalised Hermite features of `(y − c_j)/σ` of degree d (`@mixdiff/polyreg`'s piecewise
 * accumulator), constrained to the Frobenius ball `‖B_j‖ ≤ D` (the Lagrangian form: the smallest ridge
 * that satisfies the constraint, by bisection). An empty cell predicts its centre. The fitted polynomials are
 * evaluated with their inputs clipped to the cell's training box (internal).
 */
export function fitVoronoiLevel(o: {
  level: number;
  t: number;
  centers: Float64Array;
  reg: Pool;
  sigma0: number;
  m: number;
  degree: number;
  ball: number;
  rng: Rng;
}): { level: VoronoiLevel; report: VoronoiLevelReport } {
  const { t, m, reg } = o;
  const K = o.centers.length / m;
  const sigma2 = o.sigma0 * o.sigma0 + t;
  const sig = Math.sqrt(sigma2);
  const sqt = Math.sqrt(t);
  const acc = createPiecewiseAccumulator({
    centers: { data: o.centers, rows: K, cols: m },
    scale: sig,
    degree: o.degree,
    outputs: m,
  });
  const y = new Float64Array(SHARD_ROWS * m);
  const z = new Float64Array(SHARD_ROWS * m);
  const xi = new Float64Array(SHARD_ROWS * m);
  for (let b0 = 0; b0 < reg.rows; b0 += SHARD_ROWS) {
    const bn = Math.min(SHARD_ROWS, reg.rows - b0);
    o.rng.stream("noise", o.level, b0 / SHARD_ROWS).fillNormal(xi, 0, bn * m);
    for (let q = 0; q < bn * m; q++) {
      const v = reg.x[b0 * m + q]! + sqt * xi[q]!;
      y[q] = v;
      z[q] = v - (sigma2 / sqt) * xi[q]!;
    }
    acc.add({ data: y.subarray(0, bn * m), rows: bn, cols: m }, { data: z.subarray(0, bn * m), rows: bn, cols: m });
  }
  const state = acc.state();
  const coefficients: Float64Array[] = [];
  const degrees = new Int32Array(K);
  let maxRidge = 0;
  let cond = 1;
  for (let j = 0; j < K; j++) {
    const cell = state.cells[j];
    if (!cell || state.counts[j]! === 0) {
      degrees[j] = 0;
      coefficients.push(o.centers.slice(j * m, j * m + m));
      continue;
    }
    const sol = ballConstrained(normalEquationsFromState(cell), o.ball);
    degrees[j] = o.degree;
    coefficients.push(sol.coefficients);
    maxRidge = Math.max(maxRidge, sol.ridge);
    cond = Math.max(cond, sol.conditionNumber);
  }
  const mass = Float64Array.from(state.counts, (c) => c / Math.max(1, reg.rows));
  const lower = Float64Array.from(state.lower, (v) => (Number.isFinite(v) ? v : 0));
  const upper = Float64Array.from(state.upper, (v) => (Number.isFinite(v) ? v : 0));
  return {
    level: {
      kind: "voronoi",
      t,
      centers: Float64Array.from(o.centers),
      degrees,
      coefficients,
      lower,
      upper,
      mass,
    },
    report: { cells: K, degree: o.degree, ridge: maxRidge, rows: reg.rows, conditionNumber: cond },
  };
}

/**
 * Least squares in the ball `‖B‖_F ≤ D`: the plain solution when it is inside, otherwise the ridge solution
 * `(ΦᵀΦ + λ·rows·I)B = Φᵀz` whose norm is D (bisection on ln λ, 60 steps; the norm decreases with λ).
 */
function ballConstrained(
  ne: NormalEquations,
  D: number,
): { coefficients: Float64Array; ridge: number; conditionNumber: number } {
  const norm = (c: Float64Array) => Math.sqrt(c.reduce((s, v) => s + v * v, 0));
  const at = (ridge: number) => {
    try {
      return solveRidge(ne, { ridge, estimateCondition: false });
    } catch (e) {
      if (e instanceof MixdiffError && e.code === "NUMERICAL_FAILURE") return undefined;
      throw e;
    }
  };
  const plain = at(0);
  if (plain && plain.jitter === 0 && norm(plain.coefficients) <= D) {
    return { coefficients: plain.coefficients, ridge: 0, conditionNumber: conditionOf(ne, 0) };
  }
  let lo = Math.log(1e-12);
  let hi = Math.log(1e6);
  let best = at(Math.exp(hi));
  for (let it = 0; it < 60; it++) {
    const mid = (lo + hi) / 2;
    const s = at(Math.exp(mid));
    if (s && norm(s.coefficients) <= D) {
      best = s;
      hi = mid;
    } else lo = mid;
  }
  if (!best) throw new MixdiffError("NUMERICAL_FAILURE", "fitScore (paper preset): a cell's system is singular");
  return { coefficients: best.coefficients, ridge: Math.exp(hi), conditionNumber: conditionOf(ne, Math.exp(hi)) };
}

function conditionOf(ne: NormalEquations, ridge: number): number {
  try {
    return solveRidge(ne, { ridge, estimateCondition: true }).conditionNumber;
  } catch {
    return Infinity;
  }
}
