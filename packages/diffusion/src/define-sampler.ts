import { MixdiffError } from "@mixdiff/core";
import type { ScoreModel } from "@mixdiff/score";
import type { SamplerKernel } from "./bind-stepper.js";
import { registerOptionUsers } from "./resolve-options.js";
import { runSampler } from "./run-sampler.js";
import { COMMON_OPTIONS, type SampleOptions, type SampleResult } from "./sample-options.js";

/**
 * What defines a sampler (the contract of a `samplers` registry entry): its name, a one-line note (for help
 * text), the names of the options it takes on top of the common {@link SampleOptions}, and its update rule — a
 * factory that validates those options and returns the {@link SamplerKernel} of one run.
 *
 * @example
 * ```ts
 * import { affineUpdate, noiseAndScore, type SamplerDefinition } from "@mixdiff/diffusion";
 * const def: SamplerDefinition<{ eta?: number }> = {
 *   name: "dampedEuler",
 *   note: "Euler–Maruyama with the noise scaled by eta",
 *   options: ["eta"],
 *   kernel: (o) => ({
 *     scratch: 0,
 *     step(state, _k, tCur, tNext) {
 *       const { y, s, z } = noiseAndScore(state, tCur);
 *       affineUpdate(y, tCur - tNext, s, (o.eta ?? 1) * Math.sqrt(tCur - tNext), z);
 *     },
 *   }),
 * };
 * ```
 */
export interface SamplerDefinition<O extends object> {
  /** The sampler's name (used in errors and, for registry entries, the registry key). */
  readonly name: string;
  /** One line saying what the sampler is, for help text (`mixdiff sample --help`). */
  readonly note: string;
  /** The options the sampler takes beyond the common ones; any other option is an `INVALID_OPTION` error. */
  readonly options: readonly (keyof O & string)[];
  /**
   * The update rule of one run: validates the sampler's own options (throwing `MixdiffError` naming the field,
   * prefixed by `fn`) and returns a fresh kernel (its `prepare` is called once with the run's grid).
   */
  kernel(options: O, fn: string): SamplerKernel;
}

/**
 * A sampler made by {@link defineSampler}: a {@link Sampler} function (run it, or pass it as `sampler` to `sample`
 * or `createStepper`) that carries its definition (`name`, `note`, `options`, `kernel`). Every entry of the
 * `samplers` registry is one.
 *
 * @example
 * ```ts
 * import { samplers } from "@mixdiff/diffusion";
 * samplers.eulerMaruyama.options; // ["schedule"]
 * samplers.eulerMaruyama.note; // one line for help text
 * ```
 */
export interface DefinedSampler<O extends object = object> {
  (model: ScoreModel, options: SampleOptions & O): SampleResult;
  readonly name: string;
  readonly note: string;
  readonly options: readonly (keyof O & string)[];
  kernel(options: O, fn: string): SamplerKernel;
}

/**
 * Makes a sampler from its update rule.
 *
 * The returned function runs the rule through the package's driver (validation, the grid, the start draw,
 * per-sample noise streams, chunking, trajectories, progress, abort, the subspace and the optional final Tweedie
 * step), and refuses any option that is neither common nor in `options`. This is how every registered sampler is
 * made, and how a user's own sampler is made without editing the package: pass the result as `sampler` to `sample`
 * or `createStepper`.
 *
 * @param definition - name, note, options and kernel factory; see {@link SamplerDefinition}.
 * @returns a frozen {@link DefinedSampler}.
 * @throws MixdiffError `INVALID_OPTION` for a malformed definition (naming the field).
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import { affineUpdate, createStepper, defineSampler, noiseAndScore, sample } from "@mixdiff/diffusion";
 * // Euler–Maruyama of the reverse VE SDE, y ← y + h·s(y) + √h·ξ, written by the user
 * const eulerVe = defineSampler({
 *   name: "eulerVe",
 *   note: "Euler–Maruyama for the reverse VE SDE",
 *   options: [],
 *   kernel: () => ({
 *     scratch: 0,
 *     step(state, _k, tCur, tNext) {
 *       const { y, s, z } = noiseAndScore(state, tCur);
 *       affineUpdate(y, tCur - tNext, s, Math.sqrt(tCur - tNext), z);
 *     },
 *   }),
 * });
 * const a = sample(model, { sampler: eulerVe, n: 100, rng: createRng(1), steps: 200 });
 * const stepper = createStepper(model, { sampler: eulerVe, steps: 200 });
 * ```
 */
export function defineSampler<O extends object = Record<never, never>>(
  definition: SamplerDefinition<O>,
): DefinedSampler<O> {
  const fn = "defineSampler";
  const d = definition as Partial<SamplerDefinition<O>> | undefined;
  if (typeof d !== "object" || d === null) {
    throw new MixdiffError("INVALID_OPTION", `${fn}: definition must be an object { name, note, options, kernel }`, {
      path: "definition",
    });
  }
  if (typeof d.name !== "string" || d.name === "") {
    throw new MixdiffError("INVALID_OPTION", `${fn}: name must be a non-empty string`, { path: "name" });
  }
  if (typeof d.note !== "string") {
    throw new MixdiffError("INVALID_OPTION", `${fn}: note must be a string (one line for help text)`, {
      path: "note",
    });
  }
  if (typeof d.kernel !== "function") {
    throw new MixdiffError("INVALID_OPTION", `${fn}: kernel must be a function (options, fn) => SamplerKernel`, {
      path: "kernel",
    });
  }
  if (!Array.isArray(d.options) || !d.options.every((o) => typeof o === "string" && !COMMON_OPTIONS.includes(o))) {
    throw new MixdiffError(
      "INVALID_OPTION",
      `${fn}: options must be an array of option names other than the common ones (${COMMON_OPTIONS.join(", ")})`,
      { path: "options" },
    );
  }
  const name = d.name;
  const options = Object.freeze([...d.options]);
  const kernel = d.kernel;
  const allowed = Object.freeze([...COMMON_OPTIONS, ...options]);
  registerOptionUsers(name, options);
  const run = (model: ScoreModel, runOptions: SampleOptions & O): SampleResult =>
    runSampler(name, model, runOptions, allowed, (o) => kernel(o as O, name));
  Object.defineProperty(run, "name", { value: name });
  return Object.freeze(Object.assign(run, { note: d.note, options, kernel })) as DefinedSampler<O>;
}
