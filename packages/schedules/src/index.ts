/**
 * @packageDocumentation
 * Noise schedules (VE, VP, cosine, EDM) and time grids for diffusion models.
 */
export {};
