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
    scratch: 3,
    prepare(grid) {
      times = scheduleTimes(schedule, grid);
    },
    step(state, k, tCur, tNext) {
      const sCur = times[k]!;
      const sNext = times[k + 1]!;
      const y = state.y.data;
      const v1 = state.work[0]!.data;
      const yPred = state.work[1]!.data;
      const v2 = state.work[2]!.data;
      const a = schedule.scale(sCur);
      const aNext = schedule.scale(sNext);
      const ds = sNext - sCur;
      // Euler step.
      flowVelocity(state, schedule, sCur, tCur, y, v1);
      for (let i = 0; i < y.length; i++) yPred[i] = (a * y[i]! + ds * v1[i]!) / aNext;
      // 2nd-order correction (trapezoid).
      flowVelocity(state, schedule, sNext, tNext, yPred, v2);
      for (let i = 0; i < y.length; i++) {
        y[i] = (a * y[i]! + 0.5 * ds * (v1[i]! + v2[i]!)) / aNext;
      }
    },
  };
}

/**
 * Heun's second-order method for the probability-flow ODE of `options.schedule` (default EDM: Karras et al.
 * 2022, Algorithm 1 without churn). Two score evaluations per step; deterministic after the initial draw.
 *
 * @param model - the score model (VE time).
 * @param options - the common {@link SampleOptions} and `schedule` ({@link ScheduleOption}), the ODE's time variable.
 * @returns the samples `[n, dim]`, the grid and an optional trajectory.
 * @throws MixdiffError as {@link exponentialIntegrator}.
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import { probabilityFlowHeun } from "@mixdiff/diffusion";
 * const { samples } = probabilityFlowHeun(model, { n: 500, rng: createRng(5), steps: 50 });
 * ```
 */
export const probabilityFlowHeun: DefinedSampler<ScheduleOption> = defineScheduleSampler(
  "probabilityFlowHeun",
  "Heun's 2nd-order method for the probability-flow ODE of `schedule` (default edm)",
  edmSchedule,
  kernel,
);
