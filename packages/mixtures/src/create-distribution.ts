import {
  checkAllocation,
  checkNumber,
  createPoints,
  MixdiffError,
  type Points,
  type PointsLike,
  type Rng,
  toPoints,
} from "@mixdiff/core";
import type { DistributionSpec, MixingDistribution, MixingFamily, MixingSpec } from "./mixing-distribution.js";
import { mixingFamilies } from "./mixing-families.js";
import { parseSpec } from "./parse-spec.js";

/** What {@link Distribution.sample} returns: `x` [n, dim]; with `latent: true` also `mu` [n, dim] and `labels` [n]. */
export interface DistributionSample {
  x: Points;
  mu?: Points;
  labels?: Int32Array;
}

/**
 * P0 = Q0 * N(0, noiseStd² I): the data distribution `X = μ + noiseStd·ξ`, μ ~ Q0, ξ ~ N(0, I), with its
 * exact noised quantities under the variance-exploding process `P_t = Q0 * N(0, (noiseStd² + t) I)`
 * (VE time t = added noise variance). This is the test oracle of every other package.
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import { gaussianMixture } from "@mixdiff/mixtures";
 * const p = gaussianMixture({ means: [[-4, 0], [4, 0]], weights: [0.5, 0.5] });
 * const { x, labels } = p.sample(1000, createRng(1), { latent: true });
 * const s = p.score([[0, 0], [4, 1]], 0.5); // ∇ ln p_t at t = 0.5
 * ```
 */
export interface Distribution {
  readonly name?: string;
  readonly dim: number;
  /** σ0: the standard deviation of the Gaussian part. */
  readonly noiseStd: number;
  readonly mixing: MixingDistribution;
  /**
   * n samples of P0; sample i uses `rng.stream(offset + i)` only (`offset` defaults to 0), so a prefix of a larger
   * draw equals a smaller draw, and draws of consecutive pieces (`offset` = rows already drawn) concatenate to one
   * large draw, byte for byte. A request above the 2 GiB limit of one array is refused with `RESOURCE_LIMIT`
   * before allocating: draw it in pieces with `offset`.
   */
  sample(n: number, rng: Rng, opts?: { latent?: boolean; offset?: number }): DistributionSample;
  /**
   * ln p_t(y) for each row of y ([rows, dim]); t = VE time, default 0. Throws `NUMERICAL_FAILURE` naming the row
   * when a point is too far out for double precision (the value would not be finite).
   */
  logDensity(y: PointsLike, t?: number): Float64Array;
  /**
   * ∇ ln p_t(y) = (E[μ | Y_t = y] − y)/(noiseStd² + t) for each row; writes into `out` when given (`out` may be `y`).
   * Throws `NUMERICAL_FAILURE` naming the row and column instead of returning a non-finite value.
   */
  score(y: PointsLike, t?: number, out?: Points): Points;
  /**
   * E[μ | Y_t = y] for each row; writes into `out` when given (`out` may be `y` itself). Throws `NUMERICAL_FAILURE`
   * naming the row and column instead of returning a non-finite value.
   */
  posteriorMean(y: PointsLike, t?: number, out?: Points): Points;
  /** E[X] = E[μ]. */
  mean(): Float64Array;
  /** The validated spec (plain JSON). */
  toSpec(): DistributionSpec;
}

class Mixture implements Distribution {
  readonly name?: string;
  readonly dim: number;
  readonly noiseStd: number;
  readonly mixing: MixingDistribution;
  private readonly scratch: Float64Array;
  constructor(spec: DistributionSpec, mixing: MixingDistribution) {
    if (spec.name !== undefined) this.name = spec.name;
    this.dim = spec.dim;
    this.noiseStd = spec.noiseStd;
    this.mixing = mixing;
    this.scratch = new Float64Array(spec.dim);
  }
  sample(n: number, rng: Rng, opts: { latent?: boolean; offset?: number } = {}): DistributionSample {
    checkNumber(n, "sample", "n", { min: 0, integer: true });
    const offset = checkNumber(opts.offset ?? 0, "sample", "offset", {
      min: 0,
      max: Number.MAX_SAFE_INTEGER - n,
      integer: true,
    });
    if (rng === null || typeof rng !== "object" || typeof rng.stream !== "function") {
      throw new MixdiffError("INVALID_OPTION", "sample: rng must be an Rng (createRng(seed))", { path: "rng" });
    }
    const dim = this.dim;
    const latent = !!opts.latent;
    // The largest array this call allocates (x, and mu with `latent`), checked before allocating anything.
    checkAllocation("sample", `n × dim = ${n} × ${dim} values`, n * dim, {
      path: "n",
      hint: "draw in pieces with `offset`",
    });
    const x = createPoints(n, dim);
    const mu = latent ? createPoints(n, dim) : undefined;
    const labels = latent ? new Int32Array(n) : undefined;
    const row = new Float64Array(dim);
    const s = this.noiseStd;
    for (let i = 0; i < n; i++) {
      const r = rng.stream(offset + i);
      const o = i * dim;
      const label = this.mixing.sampleInto(row, 0, r);
      for (let d = 0; d < dim; d++) x.data[o + d] = row[d]! + s * r.normal();
      if (mu && labels) {
        mu.data.set(row, o);
        labels[i] = label;
      }
    }
    return mu && labels ? { x, mu, labels } : { x };
  }
  private prepare(fn: string, y: PointsLike, t: number | undefined): [Points, number] {
    const p = toPoints(y, { name: `${fn}: y`, expectedCols: this.dim });
    const tt = t === undefined ? 0 : checkNumber(t, fn, "t", { min: 0 });
    const s2 = this.noiseStd * this.noiseStd + tt;
    if (!(s2 > 0) || !Number.isFinite(s2)) {
      throw new MixdiffError("INVALID_OPTION", `${fn}: noiseStd² + t must be finite and > 0; got ${s2}`, { path: "t" });
    }
    return [p, s2];
  }
  private output(fn: string, p: Points, out: Points | undefined): Points {
    if (out === undefined) return createPoints(p.rows, this.dim);
    if (out.rows !== p.rows || out.cols !== this.dim || out.data.length !== p.rows * this.dim) {
      throw new MixdiffError(
        "DIMENSION_MISMATCH",
        `${fn}: out has shape [${out.rows}, ${out.cols}]; expected [${p.rows}, ${this.dim}]`,
        { path: "out" },
      );
    }
    return out;
  }
  logDensity(y: PointsLike, t?: number): Float64Array {
    const [p, s2] = this.prepare("logDensity", y, t);
    const dim = this.dim;
    const out = new Float64Array(p.rows);
    for (let i = 0; i < p.rows; i++) {
      const v = this.mixing.logDensityAndPosteriorMean(p.data.subarray(i * dim, (i + 1) * dim), s2, this.scratch);
      if (!Number.isFinite(v)) nonFinite("logDensity", p, i, 0, v, s2);
      out[i] = v;
    }
    return out;
  }
  posteriorMean(y: PointsLike, t?: number, out?: Points): Points {
    const [p, s2] = this.prepare("posteriorMean", y, t);
    const o = this.output("posteriorMean", p, out);
    const dim = this.dim;
    const m = this.scratch;
    // through the scratch row, so that `out` may alias `y` (in-place updates)
    for (let i = 0; i < p.rows; i++) {
      this.mixing.logDensityAndPosteriorMean(p.data.subarray(i * dim, (i + 1) * dim), s2, m);
      for (let d = 0; d < dim; d++) if (!Number.isFinite(m[d]!)) nonFinite("posteriorMean", p, i, d, m[d]!, s2);
      o.data.set(m, i * dim);
    }
    return o;
  }
  score(y: PointsLike, t?: number, out?: Points): Points {
    const [p, s2] = this.prepare("score", y, t);
    const o = this.output("score", p, out);
    const dim = this.dim;
    const m = this.scratch;
    const inv = 1 / s2;
    for (let i = 0; i < p.rows; i++) {
      const yi = p.data.subarray(i * dim, (i + 1) * dim);
      this.mixing.logDensityAndPosteriorMean(yi, s2, m);
      for (let d = 0; d < dim; d++) {
        const v = (m[d]! - yi[d]!) * inv;
        if (!Number.isFinite(v)) nonFinite("score", p, i, d, v, s2);
        o.data[i * dim + d] = v;
      }
    }
    return o;
  }
  mean(): Float64Array {
    return this.mixing.mean();
  }
  toSpec(): DistributionSpec {
    const mixing = this.mixing.toSpec();
    return this.name === undefined
      ? { dim: this.dim, noiseStd: this.noiseStd, mixing }
      : { name: this.name, dim: this.dim, noiseStd: this.noiseStd, mixing };
  }
}

/** Throws NUMERICAL_FAILURE for a non-finite result at row i, column j (no NaN leaves silently). */
function nonFinite(fn: string, y: Points, i: number, j: number, v: number, s2: number): never {
  let norm = 0;
  for (let d = 0; d < y.cols; d++) norm = Math.max(norm, Math.abs(y.data[i * y.cols + d]!));
  throw new MixdiffError(
    "NUMERICAL_FAILURE",
    `${fn}: row ${i}${fn === "logDensity" ? "" : `, column ${j}`} gives ${v} at noiseStd² + t = ${s2}: the point (largest |coordinate| ${norm}) is too far out for double precision`,
    fn === "logDensity" ? { row: i } : { row: i, column: j },
  );
}

/**
 * Builds a {@link Distribution} from a spec (validated with {@link parseSpec}: INVALID_SPEC with the field
 * path on any problem), e.g. a parsed spec file such as `mixdiff examples gmm2d` of @mixdiff/cli prints.
 *
 * @example
 * ```ts
 * import { createDistribution } from "@mixdiff/mixtures";
 * const p = createDistribution({ name: "circle2d", dim: 2, noiseStd: 1, mixing: { kind: "circle", center: [0, 0], radius: 5 } });
 * p.logDensity([[5, 0], [0, 0]]); // Float64Array of 2 log-densities at t = 0
 * ```
 */
export function createDistribution(spec: DistributionSpec | unknown): Distribution {
  const s = parseSpec(spec);
  const family = mixingFamilies[s.mixing.kind] as unknown as MixingFamily<MixingSpec>;
  return new Mixture(s, family.create(s.mixing, s.dim));
}
