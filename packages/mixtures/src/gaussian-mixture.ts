import type { Distribution } from "./create-distribution.js";
import { createDistribution } from "./create-distribution.js";

/**
 * A Gaussian mixture with shared spherical covariance noiseStd²·I: Σ w_i N(means_i, noiseStd² I), as a
 * {@link Distribution} (an `atoms` spec). Weights default to uniform, noiseStd to 1. Validates like a spec
 * (INVALID_SPEC naming e.g. `mixing.points[1][0]`).
 *
 * @example
 * ```ts
 * import { gaussianMixture } from "@mixdiff/mixtures";
 * const p = gaussianMixture({ means: [[-4, 0], [4, 0], [0, 5]], weights: [0.4, 0.35, 0.25], noiseStd: 1 });
 * p.logDensity([[0, 0]], 1); // ln p_1(0)
 * ```
 */
export function gaussianMixture(o: {
  means: number[][];
  weights?: number[];
  noiseStd?: number;
  name?: string;
}): Distribution {
  const mixing =
    o.weights === undefined
      ? { kind: "atoms", points: o.means }
      : { kind: "atoms", points: o.means, weights: o.weights };
  const dim = Array.isArray(o.means) && Array.isArray(o.means[0]) ? o.means[0].length : 0;
  const spec = { dim, noiseStd: o.noiseStd ?? 1, mixing };
  return createDistribution(o.name === undefined ? spec : { name: o.name, ...spec });
}
