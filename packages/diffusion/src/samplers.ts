import { ddpm } from "./ddpm.js";
import { eulerMaruyama } from "./euler-maruyama.js";
import { exponentialIntegrator } from "./exponential-integrator.js";
import { predictorCorrector } from "./predictor-corrector.js";
import { probabilityFlowEuler } from "./probability-flow-euler.js";
import { probabilityFlowHeun } from "./probability-flow-heun.js";
import type { Sampler } from "./sample-options.js";

/**
 * Every sampler, by name. A new sampler is one file plus one line here; the CLI (`--sampler`), the docs and
 * the conformance suite (`samplers.test.ts`) enumerate this map.
 *
 * @example
 * ```ts
 * import { samplers } from "@mixdiff/diffusion";
 * Object.keys(samplers); // ["exponentialIntegrator", "eulerMaruyama", "ddpm", "probabilityFlowEuler", "probabilityFlowHeun", "predictorCorrector"]
 * ```
 */
export const samplers = {
  exponentialIntegrator,
  eulerMaruyama,
  ddpm,
  probabilityFlowEuler,
  probabilityFlowHeun,
  predictorCorrector,
} as const satisfies Record<string, Sampler>;

/**
 * The name of a registered sampler.
 *
 * @example
 * ```ts
 * import { samplers, type SamplerName } from "@mixdiff/diffusion";
 * const names = Object.keys(samplers) as SamplerName[];
 * ```
 */
export type SamplerName = keyof typeof samplers;
