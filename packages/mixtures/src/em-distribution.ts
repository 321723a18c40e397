import { toArrays } from "@mixdiff/core";
import type { Distribution } from "./create-distribution.js";
import type { EmResult } from "./fit-em.js";
import { gaussianMixture } from "./gaussian-mixture.js";

/**
 * The mixture fitted by {@link fitEm} as a {@link Distribution} (an `atoms` spec with the fitted weights,
 * means and σ0), so it can be sampled, scored and compared like the truth.
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import { emDistribution, fitEm, gaussianMixture } from "@mixdiff/mixtures";
 * const { x } = gaussianMixture({ means: [[-4], [4]] }).sample(500, createRng(1));
 * const fitted = emDistribution(fitEm(x, { k: 2, rng: createRng(2) }));
 * fitted.logDensity([[0]]);
 * ```
 */
export function emDistribution(r: EmResult): Distribution {
  return gaussianMixture({
    means: toArrays(r.means),
    weights: Array.from(r.weights),
    noiseStd: r.noiseStd,
    name: `em-k${r.k}`,
  });
}
