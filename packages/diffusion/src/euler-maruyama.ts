import { type NoiseSchedule, veSchedule } from "@mixdiff/schedules";
import type { SamplerKernel } from "./bind-stepper.js";
import type { DefinedSampler } from "./define-sampler.js";
import type { ScheduleOption } from "./sample-options.js";
import { defineScheduleSampler } from "./schedule-sampler.js";
import { scheduleTimes } from "./schedule-times.js";
import { noiseAndScore, scaledAffineUpdate } from "./step-helpers.js";

function kernel(schedule: NoiseSchedule): SamplerKernel {
  let times: Float64Array = new Float64Array(0);
  return {
    scratch: 0,
    prepare(grid) {
      times = scheduleTimes(schedule, grid);
    },
    step(state, k, tCur) {
      const sCur = times[k]!;
      const sNext = times[k + 1]!;
      const h = sCur - sNext;
      const a = schedule.scale(sCur);
      const aNext = schedule.scale(sNext);
      const f = schedule.drift(sCur);
      const g = schedule.diffusion(sCur);
      // In x = a·y: x ← x − h·(f·x − g²·∇ₓln p) + g·√h·ξ, with ∇ₓln p = s_VE(y)/a.
      const cy = (a - h * f * a) / aNext;
      const cs = (h * g * g) / (a * aNext);
      const cz = (g * Math.sqrt(h)) / aNext;
      const { y, s, z } = noiseAndScore(state, tCur);
      scaledAffineUpdate(y, cy, cs, s, cz, z);
    },
  };
}

/**
 * Euler–Maruyama for the reverse-time SDE `dx = [f x − g² ∇ln p] ds + g dW̄` of any schedule
 * (`options.schedule`, default the paper's VE process, where the step is `y ← y + Δt·s(y) + √Δt·ξ`).
 * The VE grid is mapped to schedule time by `sigmaInv(√t)`; states are returned in VE coordinates.
 *
 * @param model - the score model (VE time).
 * @param options - the common {@link SampleOptions} and `schedule` ({@link ScheduleOption}), which selects the SDE.
 * @returns the samples `[n, dim]`, the grid and an optional trajectory.
 * @throws MixdiffError as {@link exponentialIntegrator}.
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import { vpSchedule } from "@mixdiff/schedules";
 * import { eulerMaruyama } from "@mixdiff/diffusion";
 * const ve = eulerMaruyama(model, { n: 500, rng: createRng(2) });
 * const vp = eulerMaruyama(model, { n: 500, rng: createRng(2), schedule: vpSchedule() });
 * ```
 */
export const eulerMaruyama: DefinedSampler<ScheduleOption> = defineScheduleSampler(
  "eulerMaruyama",
  "Euler–Maruyama for the reverse SDE of `schedule` (default ve)",
  veSchedule,
  kernel,
);
