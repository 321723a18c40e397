import type { Rng } from "@mixdiff/core";
import type { AtomsSpec } from "./mixing/atoms.js";
import type { BallsSpec } from "./mixing/balls.js";
import type { CircleSpec } from "./mixing/circle.js";
import type { PolylineSpec } from "./mixing/polyline.js";
import type { SphereSpec } from "./mixing/sphere.js";

/** The JSON spec of a mixing distribution Q0, discriminated by `kind`. */
export type MixingSpec = AtomsSpec | BallsSpec | CircleSpec | SphereSpec | PolylineSpec;

/**
 * A distribution spec (the JSON that `mixdiff examples NAME` of @mixdiff/cli prints): P0 = Q0 * N(0, noiseStd² I)
 * in R^dim, with Q0 given by `mixing`.
 *
 * @example
 * ```ts
 * import type { DistributionSpec } from "@mixdiff/mixtures";
 * const spec: DistributionSpec = {
 *   name: "gmm2d", dim: 2, noiseStd: 1,
 *   mixing: { kind: "atoms", points: [[-4, 0], [4, 0]], weights: [0.5, 0.5] },
 * };
 * ```
 */
export interface DistributionSpec {
  name?: string;
  dim: number;
  noiseStd: number;
  mixing: MixingSpec;
}

/**
 * A mixing distribution Q0 on R^dim (the law of the latent μ). One file per family in `src/mixing/`,
 * registered in {@link mixingFamilies}. Every method is a hot-path kernel: no validation.
 *
 * @example
 * ```ts
 * import { createDistribution } from "@mixdiff/mixtures";
 * const q0 = createDistribution({ dim: 2, noiseStd: 1, mixing: { kind: "circle", center: [0, 0], radius: 5 } }).mixing;
 * const m = new Float64Array(2);
 * const lp = q0.logDensityAndPosteriorMean(new Float64Array([6, 0]), 1, m); // ln p and E[μ | y] ≈ (4.9…, 0)
 * ```
 */
export interface MixingDistribution {
  /** The family: "atoms" | "balls" | "circle" | "sphere" | "polyline". */
  readonly kind: string;
  /** Ambient dimension n. */
  readonly dim: number;
  /** Draws one μ into `out[offset .. offset+dim)`; returns a label (component/ball/segment index, or -1). */
  sampleInto(out: Float64Array, offset: number, rng: Rng): number;
  /**
   * ln of the density of Q0 * N(0, s2·I) at `y` (length dim), and E[μ | y] written into `meanOut` (length dim).
   * Exact (closed form) or quadrature with the accuracy stated by the family.
   */
  logDensityAndPosteriorMean(y: Float64Array, s2: number, meanOut: Float64Array): number;
  /** E[μ] (a fresh array of length dim). */
  mean(): Float64Array;
  /** E|μ|². */
  secondMoment(): number;
  /** Radius of a ball around the origin containing the support (D in the paper). */
  supportRadius(): number;
  /** Plain JSON that round-trips through `parseSpec`. */
  toSpec(): MixingSpec;
}

/**
 * One family of mixing distributions: a spec parser and a constructor. Adding a family = one file
 * exporting a `MixingFamily`, plus one line in {@link mixingFamilies}.
 *
 * @example
 * ```ts
 * import { mixingFamilies } from "@mixdiff/mixtures";
 * const spec = mixingFamilies.circle.parse({ kind: "circle", center: [0, 0], radius: 2 }, "mixing", 2);
 * const q0 = mixingFamilies.circle.create(spec, 2);
 * ```
 */
export interface MixingFamily<S extends MixingSpec = MixingSpec> {
  readonly kind: S["kind"];
  /** Validates `raw` (the object at `path`, e.g. "mixing") for ambient dimension `dim`; INVALID_SPEC on any problem. */
  parse(raw: unknown, path: string, dim: number): S;
  /** Builds the distribution from a parsed spec (no validation). */
  create(spec: S, dim: number): MixingDistribution;
}
