/**
 * @packageDocumentation
 * Mixing distributions, Gaussian mixtures with exact noised scores (the oracle), JSON specs and an EM baseline.
 */
export {};
