import type { Rng } from "@mixdiff/core";
import type { MixingDistribution, MixingFamily } from "../mixing-distribution.js";
import { xy } from "../sketch-point.js";
import { specKeys, specMatrix, specObject, specWeights } from "../spec-fields.js";

/** Spec of a finite mixture of point masses (a Gaussian mixture once convolved): `points` [k, dim], `weights` [k]. */
export interface AtomsSpec {
  kind: "atoms";
  points: number[][];
  /** Non-negative, summing to 1; uniform when omitted. */
  weights?: number[];
}

const LN_2PI = Math.log(2 * Math.PI);

/** Draws an index from cumulative weights `cum` (last entry 1). Internal. */
export function drawIndex(cum: Float64Array, u: number): number {
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (u < cum[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Cumulative sums of `w`, with the last entry forced to 1. Internal. */
export function cumulative(w: ArrayLike<number>): Float64Array {
  const c = new Float64Array(w.length);
  let s = 0;
  for (let i = 0; i < w.length; i++) c[i] = s += w[i]!;
  for (let i = w.length - 1; i >= 0 && w[i]! === 0; i--) c[i] = 1;
  c[w.length - 1] = 1;
  return c;
}

class Atoms implements MixingDistribution {
  readonly kind = "atoms";
  readonly dim: number;
  readonly k: number;
  private readonly points: Float64Array;
  private readonly weights: Float64Array;
  private readonly logW: Float64Array;
  private readonly cum: Float64Array;
  private readonly logits: Float64Array;
  constructor(points: number[][], weights: number[], dim: number) {
    this.dim = dim;
    this.k = points.length;
    this.points = Float64Array.from(points.flat());
    this.weights = Float64Array.from(weights);
    this.logW = this.weights.map(Math.log);
    this.cum = cumulative(this.weights);
    this.logits = new Float64Array(this.k);
  }
  sampleInto(out: Float64Array, offset: number, rng: Rng): number {
    const j = drawIndex(this.cum, rng.uniform());
    const n = this.dim;
    for (let d = 0; d < n; d++) out[offset + d] = this.points[j * n + d]!;
    return j;
  }
  /** Exact: softmax of ln w_i − |y − μ_i|²/(2 s2) by log-sum-exp (no cancellation for far y, no NaN as s2 → 0). */
  logDensityAndPosteriorMean(y: Float64Array, s2: number, meanOut: Float64Array): number {
    const n = this.dim;
    const k = this.k;
    const p = this.points;
    const logits = this.logits;
    const inv = 0.5 / s2;
    let max = -Infinity;
    for (let i = 0; i < k; i++) {
      let d2 = 0;
      const o = i * n;
      for (let d = 0; d < n; d++) {
        const e = y[d]! - p[o + d]!;
        d2 += e * e;
      }
      const l = this.logW[i]! - d2 * inv;
      logits[i] = l;
      if (l > max) max = l;
    }
    for (let d = 0; d < n; d++) meanOut[d] = 0;
    let s = 0;
    for (let i = 0; i < k; i++) {
      const e = Math.exp(logits[i]! - max);
      if (e === 0) continue;
      s += e;
      const o = i * n;
      for (let d = 0; d < n; d++) meanOut[d] = meanOut[d]! + e * p[o + d]!;
    }
    const invS = 1 / s;
    for (let d = 0; d < n; d++) meanOut[d] = meanOut[d]! * invS;
    return max + Math.log(s) - 0.5 * n * (LN_2PI + Math.log(s2));
  }
  mean(): Float64Array {
    const m = new Float64Array(this.dim);
    for (let i = 0; i < this.k; i++) {
      for (let d = 0; d < this.dim; d++) m[d] = m[d]! + this.weights[i]! * this.points[i * this.dim + d]!;
    }
    return m;
  }
  secondMoment(): number {
    let s = 0;
    for (let i = 0; i < this.k; i++) {
      let r2 = 0;
      for (let d = 0; d < this.dim; d++) r2 += this.points[i * this.dim + d]! ** 2;
      s += this.weights[i]! * r2;
    }
    return s;
  }
  supportRadius(): number {
    let r = 0;
    for (let i = 0; i < this.k; i++) {
      if (this.weights[i]! === 0) continue;
      let r2 = 0;
      for (let d = 0; d < this.dim; d++) r2 += this.points[i * this.dim + d]! ** 2;
      r = Math.max(r, Math.sqrt(r2));
    }
    return r;
  }
  toSpec(): AtomsSpec {
    const points: number[][] = [];
    for (let i = 0; i < this.k; i++) points.push(Array.from(this.points.subarray(i * this.dim, (i + 1) * this.dim)));
    return { kind: "atoms", points, weights: Array.from(this.weights) };
  }
}

/**
 * Weighted point masses μ_1..μ_k: Q0 = Σ w_i δ_{μ_i}, so P0 is a Gaussian mixture with identity-scaled
 * covariance. Noised quantities are exact closed forms (softmax posterior, log-sum-exp); labels are
 * component indices.
 *
 * @example
 * ```ts
 * import { createDistribution } from "@mixdiff/mixtures";
 * const p = createDistribution({ dim: 1, noiseStd: 1, mixing: { kind: "atoms", points: [[-2], [2]], weights: [0.5, 0.5] } });
 * p.posteriorMean([[0]]).data[0]; // 0 (by symmetry)
 * ```
 */
export const atoms: MixingFamily<AtomsSpec> = {
  kind: "atoms",
  parse(raw, path, dim) {
    const o = specObject(raw, path);
    specKeys(o, path, ["kind", "points", "weights"]);
    const points = specMatrix(o.points, `${path}.points`, dim);
    const weights = specWeights(o.weights, `${path}.weights`, points.length);
    return { kind: "atoms", points, weights };
  },
  create(spec, dim) {
    return new Atoms(
      spec.points,
      spec.weights ?? new Array<number>(spec.points.length).fill(1 / spec.points.length),
      dim,
    );
  },
  sketch: (spec) => ({ markers: spec.points.map(xy) }),
  emComponents: (spec) => spec.points.length,
  example: {
    dim: 2,
    spec: {
      kind: "atoms",
      points: [
        [-3, 0],
        [2, 1],
        [0, -2],
      ],
      weights: [0.5, 0.3, 0.2],
    },
  },
};
