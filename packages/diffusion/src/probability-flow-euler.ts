import { edmSchedule, type NoiseSchedule } from "@mixdiff/schedules";
import type { SamplerKernel } from "./bind-stepper.js";
import type { DefinedSampler } from "./define-sampler.js";
import { flowVelocity } from "./probability-flow.js";
import type { ScheduleOption } from "./sample-options.js";
import { defineScheduleSampler } from "./schedule-sampler.js";
import { scheduleTimes } from "./schedule-times.js";

function kernel(schedule: NoiseSchedule): SamplerKernel {
  let times: Float64Array = new Float64Array(0);
  return {
    scratch: 1,
    prepare(grid) {
      times = scheduleTimes(schedule, grid);
    },
    step(state, k, tCur) {
      const sCur = times[k]!;
      const sNext = times[k + 1]!;
      const y = state.y.data;
      const v = state.work[0]!.data;
      flowVelocity(state, schedule, sCur, tCur, y, v);
      // Euler step in x = a·y, back to y at the next time.
      const a = schedule.scale(sCur);
      const aNext = schedule.scale(sNext);
      const ds = sNext - sCur;
      for (let i = 0; i < y.length; i++) y[i] = (a * y[i]! + ds * v[i]!) / aNext;
    },
  };
}

/**
 * Euler's method for the probability-flow ODE `dx/ds = f·x − ½g²·∇ln p` (Song et al. 2021) of
 * `options.schedule` (default EDM, `sigma(s) = s`, where the step is `x ← x + (σ' − σ)·(x − D(x))/σ`,
 * Karras et al. 2022). Deterministic after the initial draw; first order.
 *
 * @param model - the score model (VE time).
 * @param options - the common {@link SampleOptions} and `schedule` ({@link ScheduleOption}), the ODE's time variable.
 * @returns the samples `[n, dim]`, the grid and an optional trajectory.
 * @throws MixdiffError as {@link exponentialIntegrator}.
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import { probabilityFlowEuler } from "@mixdiff/diffusion";
 * const { samples } = probabilityFlowEuler(model, { n: 500, rng: createRng(4), steps: 400 });
 * ```
 */
export const probabilityFlowEuler: DefinedSampler<ScheduleOption> = defineScheduleSampler(
  "probabilityFlowEuler",
  "Euler's method for the probability-flow ODE of `schedule` (default edm)",
  edmSchedule,
  kernel,
);
