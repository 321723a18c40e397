import { ddpm } from "./ddpm.js";
import type { DefinedSampler } from "./define-sampler.js";
import { eulerMaruyama } from "./euler-maruyama.js";
import { exponentialIntegrator } from "./exponential-integrator.js";
import { predictorCorrector } from "./predictor-corrector.js";
import { probabilityFlowEuler } from "./probability-flow-euler.js";
import { probabilityFlowHeun } from "./probability-flow-heun.js";
import type { SampleOptions } from "./sample-options.js";

/**
 * Every sampler, by name.
 *
 * Each entry is a {@link DefinedSampler} (made by `defineSampler`): a function `(model, options) => SampleResult` that carries its `note` (one line for help text), its `options`
 * (the names it takes beyond the common {@link SampleOptions}; any other option is an `INVALID_OPTION` error) and
 * its `kernel` (the update rule `createStepper` binds). A new sampler is one file plus one line here; the CLI
 * (`--sampler`, `--schedule`, `sample --help`), the docs, `createStepper` and the conformance suite
 * (`samplers.test.ts`) enumerate this map.
 *
 * @example
 * ```ts
 * import { samplers } from "@mixdiff/diffusion";
 * Object.keys(samplers); // ["exponentialIntegrator", "eulerMaruyama", "ddpm", "probabilityFlowEuler", "probabilityFlowHeun", "predictorCorrector"]
 * samplers.probabilityFlowHeun.options; // ["schedule"]
 * ```
 */
export const samplers = {
  exponentialIntegrator,
  eulerMaruyama,
  ddpm,
  probabilityFlowEuler,
  probabilityFlowHeun,
  predictorCorrector,
} as const satisfies Record<string, DefinedSampler<never>>;

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
 * The options a registered sampler takes beyond the common ones (e.g. `{ schedule?: NoiseSchedule }` for
 * `"eulerMaruyama"`, `{}` for `"ddpm"`); distributes over a union of names (`never` gives `{}`).
 *
 * @example
 * ```ts
 * import type { SamplerOwnOptions } from "@mixdiff/diffusion";
 * const o: SamplerOwnOptions<"predictorCorrector"> = { corrector: { steps: 2 } };
 * ```
 */
export type SamplerOwnOptions<N extends SamplerName = SamplerName> = [N] extends [never]
  ? Record<never, never>
  : N extends SamplerName
    ? (typeof samplers)[N] extends DefinedSampler<infer O>
      ? O
      : never
    : never;

/**
 * All the options of a registered sampler: the common {@link SampleOptions} and its own (distributes over a
 * union of names, so `SamplerOptions<SamplerName>` accepts the options of any of them).
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import { vpSchedule } from "@mixdiff/schedules";
 * import type { SamplerOptions } from "@mixdiff/diffusion";
 * const o: SamplerOptions<"eulerMaruyama"> = { n: 100, rng: createRng(1), schedule: vpSchedule() };
 * ```
 */
export type SamplerOptions<N extends SamplerName = SamplerName> = [N] extends [never]
  ? SampleOptions
  : N extends SamplerName
    ? SampleOptions & SamplerOwnOptions<N>
    : never;
