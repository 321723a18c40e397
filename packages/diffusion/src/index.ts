/**
 * @packageDocumentation
 * Reverse-diffusion samplers (exponential integrator, Euler-Maruyama, DDPM, probability-flow ODE) for any score model.
 */

export type { SamplerKernel, SamplerState, Stepper } from "./bind-stepper.js";
export type { StepperGridOptions, StepperOptions } from "./create-stepper.js";
export { createStepper } from "./create-stepper.js";
export { ddpm } from "./ddpm.js";
export { defaultGrid, defaultSteps, STEPS_PER_UNIT } from "./default-steps.js";
export { defaultTMax } from "./default-t-max.js";
export type { DefinedSampler, SamplerDefinition } from "./define-sampler.js";
export { defineSampler } from "./define-sampler.js";
export { eulerMaruyama } from "./euler-maruyama.js";
export { exponentialIntegrator, exponentialIntegratorWithOffset } from "./exponential-integrator.js";
export { langevinStep, withLangevinCorrector } from "./langevin-corrector.js";
export { predictorCorrector } from "./predictor-corrector.js";
export { probabilityFlowEuler } from "./probability-flow-euler.js";
export { probabilityFlowHeun } from "./probability-flow-heun.js";
export type { LogDensityOptions } from "./probability-flow-log-density.js";
export { probabilityFlowLogDensity, STEPS_PER_LOG_VARIANCE } from "./probability-flow-log-density.js";
export { sample } from "./sample.js";
export type {
  CorrectorOption,
  SampleOptions,
  SampleProgress,
  SampleResult,
  Sampler,
  ScheduleOption,
} from "./sample-options.js";
export type { SamplerName, SamplerOptions, SamplerOwnOptions } from "./samplers.js";
export { samplers } from "./samplers.js";
export { affineStepKernel, affineUpdate, noiseAndScore, scaledAffineUpdate, scoreAt } from "./step-helpers.js";
export type { SubspaceEvaluator } from "./subspace-model.js";
export { tweedieDenoise } from "./tweedie-denoise.js";
