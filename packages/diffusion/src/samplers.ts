import type { SamplerRule } from "./bind-stepper.js";
import { ddpm, ddpmRule } from "./ddpm.js";
import { eulerMaruyama, eulerMaruyamaRule } from "./euler-maruyama.js";
import { exponentialIntegrator, exponentialIntegratorRule } from "./exponential-integrator.js";
import { predictorCorrector, predictorCorrectorRule } from "./predictor-corrector.js";
import { probabilityFlowEuler, probabilityFlowEulerRule } from "./probability-flow-euler.js";
import { probabilityFlowHeun, probabilityFlowHeunRule } from "./probability-flow-heun.js";
import type { Sampler } from "./sample-options.js";

/**
 * Every sampler, by name. A new sampler is one file (its step rule and the whole-run function built on it) plus one
 * line here and one in `samplerRules`; the CLI (`--sampler`), the docs, `createStepper` and the conformance suite
 * (`samplers.test.ts`) enumerate this map.
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

/**
 * The step rule of every registered sampler, by name (internal: what `createStepper` binds; the whole-run samplers
 * run the same rules through `runSampler`). Typed by {@link SamplerName}, so a sampler without a rule does not compile.
 */
export const samplerRules = {
  exponentialIntegrator: exponentialIntegratorRule,
  eulerMaruyama: eulerMaruyamaRule,
  ddpm: ddpmRule,
  probabilityFlowEuler: probabilityFlowEulerRule,
  probabilityFlowHeun: probabilityFlowHeunRule,
  predictorCorrector: predictorCorrectorRule,
} as const satisfies Record<SamplerName, SamplerRule>;
