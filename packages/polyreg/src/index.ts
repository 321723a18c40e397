/**
 * @packageDocumentation
 * Hermite and monomial bases, streaming ridge least squares and piecewise (Voronoi-cell) polynomial regression.
 */

export type { BasisKind } from "./bases.js";
export { BASIS_KINDS, bases } from "./bases.js";
export type { BasisFamily } from "./basis-family.js";
export type { Basis } from "./create-basis.js";
export { basisMemoryEstimate, createBasis, DEFAULT_MEMORY_BUDGET_BYTES } from "./create-basis.js";
export { featureCount } from "./feature-count.js";
export { hermiteBasis } from "./hermite-basis.js";
export { monomialBasis } from "./monomial-basis.js";
export { MAX_DEGREE, multiIndices } from "./multi-indices.js";
export type { NormalEquations, NormalEquationsState } from "./normal-equations.js";
export { createNormalEquations, NORMAL_EQUATIONS_BLOCK_ROWS, normalEquationsFromState } from "./normal-equations.js";
export type { RidgeSolution } from "./solve-ridge.js";
export { solveRidge } from "./solve-ridge.js";
