/**
 * @packageDocumentation
 * Reverse-diffusion samplers (exponential integrator, Euler-Maruyama, DDPM, probability-flow ODE) for any score model.
 */
export {};
