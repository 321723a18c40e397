/**
 * @packageDocumentation
 * Seeded randomness, point batches, typed errors and small numerics shared by every mixdiff package.
 */
export { MixdiffError, isMixdiffError, ERROR_CODES } from "./errors.js";
export type { ErrorCode, ErrorLocation } from "./errors.js";
export { checkNumber, checkOneOf, describe } from "./validate.js";
export {
  createPoints,
  pointsFrom,
  isPoints,
  toPoints,
  assertFinite,
  row,
  sliceRows,
  toArrays,
  toMatrix,
} from "./points.js";
export type { Points, PointsLike } from "./points.js";
export { createRng, streamRng } from "./rng.js";
export type { Rng, Seed } from "./rng.js";
export { logSumExp, softmaxInPlace } from "./log-sum-exp.js";
export { cholesky, choleskySolve } from "./cholesky.js";
export type { CholeskyFactor } from "./cholesky.js";
export { symmetricEigen } from "./symmetric-eigen.js";
export type { SymmetricEigen } from "./symmetric-eigen.js";
