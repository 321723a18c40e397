/**
 * @packageDocumentation
 * Distances between distributions with standard errors: MMD, energy, sliced Wasserstein, TV, KL, parameter recovery, score error.
 */
export {};
