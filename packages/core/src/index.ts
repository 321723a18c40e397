/**
 * @packageDocumentation
 * Seeded randomness, point batches, typed errors and small numerics shared by every mixdiff package.
 */

export { checkAllocation, MAX_ARRAY_BYTES } from "./allocation.js";
export { ArgSorter } from "./argsort.js";
export { canonicalJson, fnv1a64 } from "./canonical-json.js";
export type { CholeskyFactor } from "./cholesky.js";
export { cholesky, choleskySolve } from "./cholesky.js";
export type { ErrorCode, ErrorLocation } from "./errors.js";
export { ERROR_CODES, isMixdiffError, MixdiffError } from "./errors.js";
export { findTooDeep } from "./json-depth.js";
export { logSumExp, softmaxInPlace } from "./log-sum-exp.js";
export type { Points, PointsLike } from "./points.js";
export {
  assertFinite,
  createPoints,
  isPoints,
  pointsFrom,
  row,
  sliceRows,
  toArrays,
  toMatrix,
  toPoints,
} from "./points.js";
export type { Rng, Seed } from "./rng.js";
export { createRng, streamRng } from "./rng.js";
export { createStreamBank, type StreamBank } from "./stream-bank.js";
export type { SymmetricEigen } from "./symmetric-eigen.js";
export { symmetricEigen } from "./symmetric-eigen.js";
export { checkNumber, checkOneOf, describe } from "./validate.js";
