import type { Rng } from "@mixdiff/core";
import type { MixingSpec } from "./mixing-families.js";

export type { MixingSpec };

/**
 * What to draw over a 2-D plot to show a mixing distribution's support, in data coordinates (the first two
 * coordinates; a missing second coordinate is 0): markers at points, open paths through vertices, circle
 * outlines (`rings`) and ball outlines (`discs`). Returned by each family's `sketch(spec)`.
 *
 * @example
 * ```ts
 * import { mixingFamilies, type MixingSketch } from "@mixdiff/mixtures";
 * const s: MixingSketch = mixingFamilies.circle.sketch({ kind: "circle", center: [0, 0], radius: 5 });
 * s.rings; // [{ center: [0, 0], radius: 5 }]
 * ```
 */
export interface MixingSketch {
  /** Point masses (drawn as crosses). */
  markers?: [number, number][];
  /** Open polylines, each through its vertices. */
  paths?: [number, number][][];
  /** Circles (outlines) the mass lies on. */
  rings?: { center: [number, number]; radius: number }[];
  /** Balls (outlines) the mass fills. */
  discs?: { center: [number, number]; radius: number }[];
}

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
  /** The family: a key of {@link mixingFamilies} ({@link MixingKind}). */
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
 * One family of mixing distributions: everything mixdiff knows about a `kind`. Adding a family = one file in
 * `src/mixing/` exporting a `MixingFamily` (with its spec type), plus one line in {@link mixingFamilies};
 * {@link MixingSpec}, {@link MixingKind}, {@link parseSpec}, the registry tests, the CLI and the docs'
 * plots all follow from the registry.
 *
 * @example
 * ```ts
 * import { mixingFamilies } from "@mixdiff/mixtures";
 * const spec = mixingFamilies.circle.parse({ kind: "circle", center: [0, 0], radius: 2 }, "mixing", 2);
 * const q0 = mixingFamilies.circle.create(spec, 2);
 * mixingFamilies.circle.sketch(spec); // { rings: [{ center: [0, 0], radius: 2 }] }
 * ```
 */
export interface MixingFamily<S extends { readonly kind: string } = MixingSpec> {
  readonly kind: S["kind"];
  /** Validates `raw` (the object at `path`, e.g. "mixing") for ambient dimension `dim`; INVALID_SPEC on any problem. */
  parse(raw: unknown, path: string, dim: number): S;
  /** Builds the distribution from a parsed spec (no validation). */
  create(spec: S, dim: number): MixingDistribution;
  /** What a 2-D plot draws to show the support (data coordinates; no validation). */
  sketch(spec: S): MixingSketch;
  /** A number of Gaussian components for a fitted baseline (EM) to resemble this Q0 (no validation). */
  emComponents(spec: S): number;
  /** A valid spec in dimension `dim`: the registry tests run every family on it. */
  readonly example: { readonly dim: number; readonly spec: S };
}
