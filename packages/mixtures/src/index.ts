/**
 * @packageDocumentation
 * Mixing distributions, Gaussian mixtures with exact noised scores (the oracle), JSON specs and an EM baseline.
 */

export type { Distribution, DistributionSample } from "./create-distribution.js";
export { createDistribution } from "./create-distribution.js";
export { emDistribution } from "./em-distribution.js";
export { erf, erfc, erfcx } from "./erfcx.js";
export type { EmOptions, EmResult } from "./fit-em.js";
export { fitEm } from "./fit-em.js";
export { fitEmBic } from "./fit-em-bic.js";
export { gaussLegendre } from "./gauss-legendre.js";
export { gaussianMixture } from "./gaussian-mixture.js";
export type { AtomsSpec } from "./mixing/atoms.js";
export { atoms } from "./mixing/atoms.js";
export type { BallsSpec } from "./mixing/balls.js";
export { balls } from "./mixing/balls.js";
export type { CircleSpec } from "./mixing/circle.js";
export { circle } from "./mixing/circle.js";
export type { PolylineSpec } from "./mixing/polyline.js";
export { polyline } from "./mixing/polyline.js";
export type { SphereSpec } from "./mixing/sphere.js";
export { sphere } from "./mixing/sphere.js";
export type {
  DistributionSpec,
  MixingDistribution,
  MixingFamily,
  MixingSketch,
  MixingSpec,
} from "./mixing-distribution.js";
export type { MixingKind, MixingSpecOf } from "./mixing-families.js";
export { mixingFamilies } from "./mixing-families.js";
export { MAX_SPEC_DIM, parseSpec } from "./parse-spec.js";
export type { RandomMixtureOptions } from "./random-mixture-spec.js";
export { randomMixtureSpec } from "./random-mixture-spec.js";
export { responsibilities } from "./responsibilities.js";
export { logGammaHalf, sphereLogMgf } from "./sphere-log-mgf.js";
export { logTruncatedNormal } from "./truncated-normal.js";
