import {
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
  /** n samples of P0; sample i uses `rng.stream(i)` only, so a prefix of a larger draw equals a smaller draw. */
  sample(n: number, rng: Rng, opts?: { latent?: boolean }): DistributionSample;
  /** ln p_t(y) for each row of y ([rows, dim]); t = VE time, default 0. */
  logDensity(y: PointsLike, t?: number): Float64Array;
  /** ∇ ln p_t(y) = (E[μ | Y_t = y] − y)/(noiseStd² + t) for each row; writes into `out` when given (`out` may be `y`). */
  score(y: PointsLike, t?: number, out?: Points): Points;
  /** E[μ | Y_t = y] for each row; writes into `out` when given (`out` may be `y` itself). */
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
  sample(n: number, rng: Rng, opts: { latent?: boolean } = {}): DistributionSample {
    checkNumber(n, "sample", "n", { min: 0, integer: true });
    if (rng === null || typeof rng !== "object" || typeof rng.stream !== "function") {
      throw new MixdiffError("INVALID_OPTION", "sample: rng must be an Rng (createRng(seed))", { path: "rng" });
    }
    const dim = this.dim;
    const x = createPoints(n, dim);
    const mu = createPoints(n, dim);
    const labels = new Int32Array(n);
    const s = this.noiseStd;
    for (let i = 0; i < n; i++) {
      const r = rng.stream(i);
      const o = i * dim;
      labels[i] = this.mixing.sampleInto(mu.data, o, r);
      for (let d = 0; d < dim; d++) x.data[o + d] = (mu.data[o + d] as number) + s * r.normal();
    }
    return opts.latent ? { x, mu, labels } : { x };
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
      out[i] = this.mixing.logDensityAndPosteriorMean(p.data.subarray(i * dim, (i + 1) * dim), s2, this.scratch);
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
      for (let d = 0; d < dim; d++) o.data[i * dim + d] = ((m[d] as number) - (yi[d] as number)) * inv;
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
