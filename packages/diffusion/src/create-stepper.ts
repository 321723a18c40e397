import { checkOneOf, MixdiffError } from "@mixdiff/core";
import type { ScoreModel } from "@mixdiff/score";
import { bindStepper, type Stepper } from "./bind-stepper.js";
import type { DefinedSampler } from "./define-sampler.js";
import { checkModel, checkOptionKeys, optionUsersOf, resolveGrid } from "./resolve-options.js";
import { GRID_OPTIONS } from "./sample-options.js";
import { type SamplerName, type SamplerOwnOptions, samplers } from "./samplers.js";

/**
 * Options of {@link createStepper}: the sampler, its time grid (as for `sample`; times are VE times) and the
 * sampler's own options (`schedule`, `corrector`, … as its registry entry lists them).
 *
 * @example
 * ```ts
 * import type { StepperOptions } from "@mixdiff/diffusion";
 * const o: StepperOptions<"probabilityFlowHeun"> = { sampler: "probabilityFlowHeun", steps: 60, tMin: 1e-3 };
 * ```
 */
export type StepperOptions<N extends SamplerName = SamplerName> = StepperGridOptions &
  SamplerOwnOptions<N> & {
    /** The registered sampler whose update rule `step` applies. @default "exponentialIntegrator" */
    sampler?: N;
  };

/**
 * The time-grid options of {@link createStepper} (the same as `sample`'s).
 *
 * @example
 * ```ts
 * import type { StepperGridOptions } from "@mixdiff/diffusion";
 * const g: StepperGridOptions = { steps: 100, tMax: 400 };
 * ```
 */
export interface StepperGridOptions {
  /** Number of steps. @default {@link defaultSteps} for the model's dimension and the time range */
  steps?: number;
  /** A custom descending grid of VE times from T to tMin (≥ 0); conflicts with `steps`, `tMax`, `tMin`. */
  grid?: Float64Array;
  /** Start time T. @default the model's `tMax` when finite, else {@link defaultTMax} */
  tMax?: number;
  /** Early-stopping time. @default 1e-3·σ0² */
  tMin?: number;
}

/**
 * A step-level sampler (the diffusers scheduler's `set_timesteps` + `step`, k-diffusion's loop over `sigmas`).
 *
 * Binds a sampler's update rule to a model and a time grid. `init` draws the start of a run, `step` takes one step;
 * between steps the caller owns the state — to log it, stop early, change `y`, or replace the update by its own
 * with `state.noise()` and `model.score`. Every whole-run sampler in this package steps through this same code, so
 * `while (state.k < stepper.steps) stepper.step(state)` gives the samples of `sample(model, options)` byte for byte
 * (for a model with a declared subspace, of `sample(model, { ...options, simulateSubspace: false })`: a stepper
 * simulates all coordinates). The grid is the one `sample` would use. `sampler` is a registered name or a sampler
 * of your own made by `defineSampler`.
 *
 * @param model - the score model (VE time).
 * @param options - the sampler (default `"exponentialIntegrator"`), its grid and its own options; see {@link StepperOptions}.
 * @returns a frozen {@link Stepper}.
 * @throws MixdiffError `INVALID_INPUT` for a bad model, `INVALID_OPTION` for bad or conflicting options or an
 *   option the sampler does not use.
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
export function createStepper<N extends SamplerName = "exponentialIntegrator">(
  model: ScoreModel,
  options?: StepperOptions<N>,
): Stepper;
export function createStepper<O extends object>(
  model: ScoreModel,
  options: StepperGridOptions & O & { sampler: DefinedSampler<O> },
): Stepper;
export function createStepper(
  model: ScoreModel,
  options: StepperGridOptions & { sampler?: SamplerName | DefinedSampler } = {},
): Stepper {
  const fn = "createStepper";
  checkModel(fn, model);
  if (typeof options !== "object" || options === null) {
    throw new MixdiffError("INVALID_OPTION", `${fn}: options must be an object`, { path: "options" });
  }
  const given = options.sampler;
  let entry: DefinedSampler;
  if (typeof given === "function") {
    if (typeof (given as Partial<DefinedSampler>).kernel !== "function" || !Array.isArray(given.options)) {
      throw new MixdiffError(
        "INVALID_OPTION",
        `${fn}: sampler must be a registered name (${Object.keys(samplers).join(", ")}) or a sampler made by defineSampler; a plain function has no update rule to step`,
        { path: "sampler" },
      );
    }
    entry = given;
  } else {
    const name = checkOneOf(given ?? "exponentialIntegrator", fn, "sampler", Object.keys(samplers) as SamplerName[]);
    entry = samplers[name] as DefinedSampler;
  }
  const name = entry.name;
  checkOptionKeys(fn, name, options, ["sampler", ...GRID_OPTIONS, ...entry.options], optionUsersOf);
  const kernel = entry.kernel(options, fn);
  const grid = resolveGrid(fn, model, { ...options, simulateSubspace: false });
  kernel.prepare?.(grid);
  return bindStepper(name, model, grid, kernel);
}
