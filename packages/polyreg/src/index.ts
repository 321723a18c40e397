/**
 * @packageDocumentation
 * Hermite and monomial bases, streaming ridge least squares and piecewise (Voronoi-cell) polynomial regression.
 */

export { assignNearest, nearestRow } from "./assign-nearest.js";
export type { BasisKind } from "./bases.js";
export { BASIS_KINDS, bases } from "./bases.js";
export type { BasisFamily } from "./basis-family.js";
export type { Basis } from "./create-basis.js";
export { basisMemoryEstimate, createBasis, DEFAULT_MEMORY_BUDGET_BYTES } from "./create-basis.js";
export { divergencePiecewise } from "./divergence-piecewise.js";
export { divergencePolynomial } from "./divergence-polynomial.js";
export { featureCount } from "./feature-count.js";
export { fitPiecewise } from "./fit-piecewise.js";
export type { FitPolynomialOptions } from "./fit-polynomial.js";
export { DEFAULT_CV_DEGREES, DEFAULT_CV_RIDGES, fitPolynomial } from "./fit-polynomial.js";
export { hermiteBasis } from "./hermite-basis.js";
export { jacobianPiecewise } from "./jacobian-piecewise.js";
export { jacobianPolynomial } from "./jacobian-polynomial.js";
export { monomialBasis } from "./monomial-basis.js";
export { MAX_DEGREE, multiIndices } from "./multi-indices.js";
export type { NormalEquations, NormalEquationsState } from "./normal-equations.js";
export { createNormalEquations, NORMAL_EQUATIONS_BLOCK_ROWS, normalEquationsFromState } from "./normal-equations.js";
export type {
  PiecewiseAccumulator,
  PiecewiseAccumulatorState,
  PiecewiseFinishOptions,
  PiecewiseModel,
} from "./piecewise-accumulator.js";
export { createPiecewiseAccumulator, piecewiseAccumulatorFromState } from "./piecewise-accumulator.js";
export { piecewiseFromJSON } from "./piecewise-from-json.js";
export { polynomialFromJSON } from "./polynomial-from-json.js";
export type { PolynomialModel } from "./polynomial-model.js";
export { predictPiecewise } from "./predict-piecewise.js";
export { predictPolynomial } from "./predict-polynomial.js";
export type { RidgeSolution } from "./solve-ridge.js";
export { solveRidge } from "./solve-ridge.js";
