import { checkOneOf, MixdiffError } from "@mixdiff/core";
import type { NoiseSchedule } from "@mixdiff/schedules";
import type { ScoreModel } from "@mixdiff/score";
import { bindStepper, type Stepper } from "./bind-stepper.js";
import { checkModel, checkSchedule, resolveCorrector, resolveGrid } from "./run-sampler.js";
import { type SamplerName, samplerRules } from "./samplers.js";

/**
 * Options of {@link createStepper}: the sampler and its time grid, as for `sample` (times are VE times).
 *
 * @example
 * ```ts
 * import type { StepperOptions } from "@mixdiff/diffusion";
 * const o: StepperOptions = { sampler: "probabilityFlowHeun", steps: 60, tMin: 1e-3 };
 * ```
 */
export interface StepperOptions {
  /** The registered sampler whose update rule `step` applies. @default "exponentialIntegrator" */
  sampler?: SamplerName;
  /** Number of steps. @default {@link defaultSteps} for the model's dimension and the time range */
  steps?: number;
  /** A custom descending grid of VE times from T to tMin (≥ 0); conflicts with `steps`, `tMax`, `tMin`. */
  grid?: Float64Array;
  /** Start time T. @default the model's `tMax` when finite, else {@link defaultTMax} */
  tMax?: number;
  /** Early-stopping time. @default 1e-3·σ0² */
  tMin?: number;
  /** The schedule whose SDE/ODE the samplers that take one discretise (see `SampleOptions.schedule`). */
  schedule?: NoiseSchedule;
  /** Langevin corrector steps after each step. @default none (one step with snr 0.16 for `predictorCorrector`) */
  corrector?: { steps: number; snr?: number };
}

/**
 * A step-level sampler (the diffusers scheduler's `set_timesteps` + `step`, k-diffusion's loop over `sigmas`): binds
 * a registered sampler's update rule to a model and a time grid. `init` draws the start of a run, `step` takes one
 * step; between steps the caller owns the state — to log it, stop early, change `y`, or replace the update by its
 * own with `state.noise()` and `model.score`. Every whole-run sampler in this package steps through this same code,
 * so `while (state.k < stepper.steps) stepper.step(state)` gives the samples of `sample(model, options)` byte for byte
 * (for a model with a declared subspace, of `sample(model, { ...options, simulateSubspace: false })`: a stepper
 * simulates all coordinates). The grid is the one `sample` would use.
 *
 * @param model - the score model (VE time).
 * @param options - the sampler (default `"exponentialIntegrator"`), its grid and corrector; see {@link StepperOptions}.
 * @returns a frozen {@link Stepper}.
 * @throws MixdiffError `INVALID_INPUT` for a bad model, `INVALID_OPTION` for bad or conflicting options.
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import { createStepper } from "@mixdiff/diffusion";
 * const stepper = createStepper(model, { sampler: "eulerMaruyama", steps: 100 });
 * const state = stepper.init({ n: 2000, rng: createRng(7) });
 * while (state.k < stepper.steps) {
 *   stepper.step(state); // from stepper.grid[state.k] to the next time; state.k advances
 * }
 * state.y.rows; // 2000
 * ```
 */
export function createStepper(model: ScoreModel, options: StepperOptions = {}): Stepper {
  const fn = "createStepper";
  checkModel(fn, model);
  if (typeof options !== "object" || options === null) {
    throw new MixdiffError("INVALID_OPTION", `${fn}: options must be an object`, { path: "options" });
  }
  const name = checkOneOf(
    options.sampler ?? "exponentialIntegrator",
    fn,
    "sampler",
    Object.keys(samplerRules) as SamplerName[],
  );
  const rule = samplerRules[name];
  const corrector = resolveCorrector(fn, options.corrector, rule.corrector);
  checkSchedule(fn, options.schedule);
  const grid = resolveGrid(fn, model, { ...options, simulateSubspace: false });
  const kernel = rule.kernel(options);
  kernel.prepare?.(grid);
  return bindStepper(name, model, grid, kernel, corrector);
}
