import type { NoiseSchedule } from "@mixdiff/schedules";
import type { SamplerKernel } from "./bind-stepper.js";
import { type DefinedSampler, defineSampler } from "./define-sampler.js";
import { checkSchedule } from "./resolve-options.js";
import type { ScheduleOption } from "./sample-options.js";

/**
 * A sampler whose one own option is `schedule` (internal): the schedule is checked, `fallback()` stands in when it
 * is absent, and `kernel` builds the update rule for it. eulerMaruyama and the probability-flow samplers are made so.
 */
export function defineScheduleSampler(
  name: string,
  note: string,
  fallback: () => NoiseSchedule,
  kernel: (schedule: NoiseSchedule) => SamplerKernel,
): DefinedSampler<ScheduleOption> {
  return defineSampler<ScheduleOption>({
    name,
    note,
    options: ["schedule"],
    kernel: (o, fn) => {
      checkSchedule(fn, o.schedule);
      return kernel(o.schedule ?? fallback());
    },
  });
}
