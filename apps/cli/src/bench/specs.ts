/**
 * Distribution specs shared by the benchmarks (`mixdiff bench` suites and apps/integration/bench/scaling.ts).
 *
 * Means at 5·e_i for i < k in R^dim with equal weights and σ0 = 1: the learner keeps the (k − 1)-dimensional
 * affine span of the means (m = 3 for k = 4, up to k when the noise edge keeps the mean direction too).
 *
 * @example
 * ```ts
 * import { createDistribution } from "@mixdiff/mixtures";
 * const d = createDistribution(directionsSpec(40, 4)); // 4 atoms in R^40, learned with m = 3
 * ```
 */
export function directionsSpec(dim: number, k: number) {
  const points = Array.from({ length: k }, (_, i) => Array.from({ length: dim }, (_, j) => (j === i ? 5 : 0)));
  return { dim, noiseStd: 1, mixing: { kind: "atoms", points, weights: points.map(() => 1 / k) } };
}
